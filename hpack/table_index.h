// The Deflater's index of its dynamic table: for each name, the entries holding it, newest
// first. Names are identified by a key the Deflater computes once per field: the static
// table index (1..61) of a name the static table has, else a hash of the name with the top
// bit set (so the two kinds never meet). Values are not hashed: the Deflater compares them
// along the name's chain, which is short (a table of 4096 octets holds at most 128 entries,
// and few share a name), and it verifies names whose key is a hash, so a collision costs
// only a miss.
//
// Why not absl::flat_hash_map: entries leave in FIFO order and a name's mapping must be
// removed only if it still points at the evicted entry, and the whole structure sits on the
// Deflater's hot path. An array for static names, one linear-probing map for the others, and
// a ring of per-entry links do all of that without allocation in steady state or
// tombstones.
#ifndef H2HARNESS_HPACK_TABLE_INDEX_H_
#define H2HARNESS_HPACK_TABLE_INDEX_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace hpack {

class TableIndex {
 public:
  static constexpr uint64_t kNone = ~uint64_t{0};
  // Keys of names outside the static table have this bit set; static ones are 1..61.
  static constexpr uint64_t kHashedKey = uint64_t{1} << 63;
  static constexpr size_t kStaticKeys = 62;

  TableIndex();

  // The table added entry number `id` (insertion order, counting from 0) with this name key.
  void Added(uint64_t id, uint64_t name_key);
  // The table evicted its `n` oldest entries; `first_id` is the oldest one's number.
  void Evicted(size_t n, uint64_t first_id);

  // Number of the newest entry with this name key, or kNone.
  uint64_t Newest(uint64_t name_key) const {
    return name_key < kStaticKeys ? static_newest_[name_key] : names_.Find(name_key);
  }
  // The next older entry than `id` (a live entry) with the same name key, or kNone.
  uint64_t Older(uint64_t id) const {
    const uint64_t older = ring_[id & (ring_.size() - 1)].older;
    return older == kNone || older < first_live_ ? kNone : older;
  }

  bool empty() const { return count_ == 0; }

 private:
  // hash -> id, open addressing with linear probing and backward-shift deletion.
  class Map {
   public:
    Map();
    uint64_t Find(uint64_t hash) const {
      for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
        const Slot& s = slots_[i];
        if (s.id == kNone) return kNone;
        if (s.hash == hash) return s.id;
      }
    }
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

  struct Link {
    uint64_t name_key;
    uint64_t older;  // the next older entry with the same key when this one was added
  };

  std::array<uint64_t, kStaticKeys> static_newest_;
  Map names_;
  std::vector<Link> ring_;  // by entry number modulo its (power-of-two) size
  uint64_t first_live_ = 0;  // number of the oldest live entry
  size_t count_ = 0;
};

}  // namespace hpack

#endif  // H2HARNESS_HPACK_TABLE_INDEX_H_
