#include "hpack/table_index.h"

#include "hpack/octets.h"

namespace hpack {

TableIndex::Map::Map() : slots_(64, Slot{0, kNone}), mask_(63) {}

uint64_t TableIndex::Map::Find(uint64_t hash) const {
  for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
    const Slot& s = slots_[i];
    if (s.id == kNone) return kNone;
    if (s.hash == hash) return s.id;
  }
}

void TableIndex::Map::Put(uint64_t hash, uint64_t id) {
  if (2 * (size_ + 1) > slots_.size()) Grow();  // load factor at most 1/2
  for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
    Slot& s = slots_[i];
    if (s.id == kNone) {
      s = Slot{hash, id};
      ++size_;
      return;
    }
    if (s.hash == hash) {  // a newer entry with the same key replaces the older one
      s.id = id;
      return;
    }
  }
}

H2H_WRAPS_ON_PURPOSE void TableIndex::Map::EraseIfMapsTo(uint64_t hash, uint64_t id) {
  size_t i = hash & mask_;
  for (;; i = (i + 1) & mask_) {
    const Slot& s = slots_[i];
    if (s.id == kNone) return;
    if (s.hash == hash) break;
  }
  if (slots_[i].id != id) return;
  // Backward-shift deletion: move later members of the probe run into the hole so that
  // lookups never stop early.
  for (size_t j = (i + 1) & mask_;; j = (j + 1) & mask_) {
    const Slot& s = slots_[j];
    if (s.id == kNone) break;
    const size_t home = s.hash & mask_;
    // Move s to the hole at i if its home is not in the cyclic range (i, j].
    if (((j - home) & mask_) >= ((j - i) & mask_)) {
      slots_[i] = s;
      i = j;
    }
  }
  slots_[i].id = kNone;
  --size_;
}

void TableIndex::Map::Grow() {
  std::vector<Slot> old;
  old.swap(slots_);
  slots_.assign(old.size() * 2, Slot{0, kNone});
  mask_ = slots_.size() - 1;
  size_ = 0;
  for (const Slot& s : old) {
    if (s.id != kNone) Put(s.hash, s.id);
  }
}

TableIndex::TableIndex() : ring_(16) {}

void TableIndex::Added(uint64_t id, uint64_t field_hash, uint64_t name_hash) {
  if (count_ == ring_.size()) {
    std::vector<std::pair<uint64_t, uint64_t>> bigger(ring_.size() * 2);
    for (size_t k = 0; k < count_; ++k) bigger[k] = ring_[(head_ + k) & (ring_.size() - 1)];
    ring_.swap(bigger);
    head_ = 0;
  }
  ring_[(head_ + count_) & (ring_.size() - 1)] = {field_hash, name_hash};
  ++count_;
  fields_.Put(field_hash, id);
  names_.Put(name_hash, id);
}

void TableIndex::Evicted(size_t n, uint64_t first_id) {
  for (size_t k = 0; k < n; ++k) {
    const auto [field_hash, name_hash] = ring_[head_];
    head_ = (head_ + 1) & (ring_.size() - 1);
    --count_;
    fields_.EraseIfMapsTo(field_hash, first_id + k);
    names_.EraseIfMapsTo(name_hash, first_id + k);
  }
}

}  // namespace hpack
