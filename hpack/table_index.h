// The Deflater's index of its dynamic table: which entry holds a given field (name and
// value), or a given name. Keys are 64-bit hashes the Deflater computes once per field;
// hits are verified against the table by the caller, so a collision costs only a miss.
//
// Why not absl::flat_hash_map: the keys are hashes already, entries leave in FIFO order and
// must be removed only if still mapped to the evicted entry, and the whole structure sits
// on the Deflater's hot path. Two linear-probing arrays and a ring of per-entry hashes do
// all of that without re-hashing, allocation in steady state, or tombstones.
#ifndef H2HARNESS_HPACK_TABLE_INDEX_H_
#define H2HARNESS_HPACK_TABLE_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hpack {

class TableIndex {
 public:
  static constexpr uint64_t kNone = ~uint64_t{0};

  TableIndex();

  // The table added entry number `id` (insertion order, counting from 0).
  void Added(uint64_t id, uint64_t field_hash, uint64_t name_hash);
  // The table evicted its `n` oldest entries; `first_id` is the oldest one's number.
  void Evicted(size_t n, uint64_t first_id);

  // Number of the newest entry with this field/name hash, or kNone.
  uint64_t FindField(uint64_t field_hash) const { return fields_.Find(field_hash); }
  uint64_t FindName(uint64_t name_hash) const { return names_.Find(name_hash); }

  bool empty() const { return count_ == 0; }

 private:
  // hash -> id, open addressing with linear probing and backward-shift deletion.
  class Map {
   public:
    Map();
    uint64_t Find(uint64_t hash) const;
    void Put(uint64_t hash, uint64_t id);
    void EraseIfMapsTo(uint64_t hash, uint64_t id);

   private:
    struct Slot {
      uint64_t hash;
      uint64_t id;  // kNone: empty
    };
    void Grow();
    std::vector<Slot> slots_;
    size_t mask_;
    size_t size_ = 0;
  };

  Map fields_;
  Map names_;
  // Per live entry, oldest first: its two hashes (a ring, power-of-two capacity).
  std::vector<std::pair<uint64_t, uint64_t>> ring_;
  size_t head_ = 0;
  size_t count_ = 0;
};

}  // namespace hpack

#endif  // H2HARNESS_HPACK_TABLE_INDEX_H_
