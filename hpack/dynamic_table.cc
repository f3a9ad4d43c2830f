#include "hpack/dynamic_table.h"

#include <algorithm>
#include <cstring>

#include "hpack/octets.h"

namespace hpack {

DynamicTable::DynamicTable(uint32_t max_size) : max_size_(max_size), slots_(16) {}

HdTable DynamicTable::Snapshot() const {
  HdTable t;
  t.size = size_;
  t.max_size = max_size_;
  t.entries.reserve(count_);
  for (size_t i = 0; i < count_; ++i) {
    EntryView e = Get(i);
    t.entries.emplace_back(std::string(e.name), std::string(e.value));
  }
  return t;
}

void DynamicTable::EvictOldestKeepingBytes() {
  const Slot& s = slots_[head_];
  size_ -= s.name_len + s.value_len + kEntryOverhead;
  head_ = (head_ + 1) & (slots_.size() - 1);
  --count_;
}

void DynamicTable::EvictOldest() {
  EvictOldestKeepingBytes();
  if (count_ == 0) data_end_ = 0;  // nothing live: start the buffer over
}

size_t DynamicTable::SetMaxSize(uint32_t max_size) {
  max_size_ = max_size;
  size_t evicted = 0;
  while (size_ > max_size_) {
    EvictOldest();
    ++evicted;
  }
  return evicted;
}

void DynamicTable::GrowSlots() {
  std::vector<Slot> bigger(slots_.size() * 2);
  for (size_t i = 0; i < count_; ++i) bigger[i] = slots_[(head_ + i) & (slots_.size() - 1)];
  slots_.swap(bigger);
  head_ = 0;
}

void DynamicTable::MakeRoom(size_t bytes) {
  if (data_end_ + bytes <= data_capacity_) return;
  const size_t live_start = count_ ? slots_[head_].offset : data_end_;
  const size_t live = data_end_ - live_start;
  // Live bytes + new bytes never exceed max_size_, so a buffer of twice that (at least)
  // means compactions happen at most once per max_size_ appended bytes.
  const size_t want = std::max<size_t>(2 * (live + bytes), 256);
  if (want > data_capacity_) {
    const size_t cap = std::max(want, data_capacity_ * 2);
    std::unique_ptr<char[]> bigger(new char[cap]);
    if (live) std::memcpy(bigger.get(), data_.get() + live_start, live);
    data_ = std::move(bigger);
    data_capacity_ = cap;
  } else if (live) {
    std::memmove(data_.get(), data_.get() + live_start, live);
  }
  for (size_t i = 0; i < count_; ++i)
    slots_[(head_ + i) & (slots_.size() - 1)].offset -= live_start;
  data_end_ = live;
}

size_t DynamicTable::Add(absl::string_view name, absl::string_view value, bool* added) {
  const size_t entry_size = EntrySize(name, value);
  size_t evicted = 0;
  if (entry_size > max_size_) {
    evicted = count_;
    while (count_) EvictOldest();
    if (added) *added = false;
    return evicted;
  }
  // Evicting moves no bytes (an emptied table only starts its buffer over below), so a
  // name or value that lives in this table (§4.4: the name may reference an entry that the
  // insertion evicts) is still intact after the evictions. It must be copied out first only
  // if the new entry's bytes could overwrite it: when the buffer starts over or is
  // compacted. In steady state neither happens.
  while (size_ + entry_size > max_size_) {
    EvictOldestKeepingBytes();
    ++evicted;
  }
  const size_t bytes = name.size() + value.size();
  if (count_ == 0 || data_end_ + bytes > data_capacity_) {
    const char* lo = data_.get();
    const char* hi = lo + data_capacity_;
    auto aliases = [&](absl::string_view s) {
      return !s.empty() && s.data() >= lo && s.data() < hi;
    };
    if (aliases(name) || aliases(value)) {
      scratch_.assign(name.data(), name.size());
      scratch_.append(value.data(), value.size());
      name = absl::string_view(scratch_.data(), name.size());
      value = absl::string_view(scratch_.data() + name.size(), value.size());
    }
    if (count_ == 0) data_end_ = 0;  // nothing live: start the buffer over
  }
  MakeRoom(bytes);
  char* dst = data_.get() + data_end_;
  CopyOctets(dst, name.data(), name.size());
  CopyOctets(dst + name.size(), value.data(), value.size());
  if (count_ == slots_.size()) GrowSlots();
  slots_[(head_ + count_) & (slots_.size() - 1)] =
      Slot{data_end_, static_cast<uint32_t>(name.size()), static_cast<uint32_t>(value.size())};
  data_end_ += bytes;
  ++count_;
  ++insertions_;
  size_ += entry_size;
  if (added) *added = true;
  return evicted;
}

}  // namespace hpack
