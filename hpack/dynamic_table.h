// The dynamic table (RFC 7541 §2.3.2, §4): a FIFO of header fields whose size is the sum of
// name length + value length + 32 per entry, bounded by a maximum size.
//
// Storage is allocation-free in steady state: entry bytes are appended to one buffer that
// is compacted when its end is reached (amortised O(1) per byte, as at least max_size bytes
// are appended between compactions), and entries are kept in a ring of slots.
#ifndef H2HARNESS_HPACK_DYNAMIC_TABLE_H_
#define H2HARNESS_HPACK_DYNAMIC_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "hpack/header.h"

namespace hpack {

// §4.1: the size of an entry is name + value + 32.
inline constexpr size_t kEntryOverhead = 32;

inline size_t EntrySize(absl::string_view name, absl::string_view value) {
  return name.size() + value.size() + kEntryOverhead;
}

class DynamicTable {
 public:
  struct EntryView {
    absl::string_view name;
    absl::string_view value;
  };

  explicit DynamicTable(uint32_t max_size);
  // Not copyable (Snapshot() gives a copy of the entries); movable.
  DynamicTable(const DynamicTable&) = delete;
  DynamicTable& operator=(const DynamicTable&) = delete;
  DynamicTable(DynamicTable&&) noexcept = default;
  DynamicTable& operator=(DynamicTable&&) noexcept = default;

  uint32_t max_size() const { return max_size_; }
  size_t size() const { return size_; }                // §4.1
  size_t count() const { return count_; }              // number of entries
  uint64_t insertions() const { return insertions_; }  // entries ever added

  // §4.3: sets the maximum size, evicting from the oldest end. Returns entries evicted.
  size_t SetMaxSize(uint32_t max_size);

  // §4.4: evicts from the oldest end until the entry fits, then adds it as the newest. An
  // entry larger than the maximum size empties the table and is not added (not an error).
  // `name`/`value` may refer to this table's own entries. Returns entries evicted.
  size_t Add(absl::string_view name, absl::string_view value, bool* added = nullptr);

  // A copy of the entries, newest first, with the sizes.
  HdTable Snapshot() const;

  // Entry `i`, 0 being the newest (HPACK index kStaticTableSize + 1 + i). The views stay
  // valid until the table is next modified.
  EntryView Get(size_t i) const {
    const Slot& s = slots_[(head_ + count_ - 1 - i) & (slots_.size() - 1)];
    const char* base = data_.get() + s.offset;
    return {absl::string_view(base, s.name_len), absl::string_view(base + s.name_len, s.value_len)};
  }

 private:
  struct Slot {
    size_t offset;
    uint32_t name_len;
    uint32_t value_len;
  };

  void EvictOldest();
  void EvictOldestKeepingBytes();  // leaves data_end_ alone even if the table empties
  void MakeRoom(size_t bytes);  // ensures `bytes` can be appended at data_end_
  void GrowSlots();

  uint32_t max_size_;
  size_t size_ = 0;
  size_t count_ = 0;
  uint64_t insertions_ = 0;
  std::vector<Slot> slots_;  // ring, power-of-two size; oldest at head_
  size_t head_ = 0;
  std::unique_ptr<char[]> data_;
  size_t data_capacity_ = 0;
  size_t data_end_ = 0;  // where the next entry's bytes go
  std::string scratch_;  // for adds whose name/value alias the table
};

}  // namespace hpack

#endif  // H2HARNESS_HPACK_DYNAMIC_TABLE_H_
