#include "hpack/table_index.h"

#include "hpack/octets.h"

namespace hpack {

TableIndex::Map::Map() : slots_(64, Slot{0, kNone}), mask_(63) {}

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

TableIndex::TableIndex() : ring_(16) { static_newest_.fill(kNone); }

void TableIndex::Added(uint64_t id, uint64_t name_key) {
  if (count_ == ring_.size()) {  // live entries are first_live_ .. id-1
    std::vector<Link> bigger(ring_.size() * 2);
    for (uint64_t k = first_live_; k < id; ++k) {
      bigger[k & (bigger.size() - 1)] = ring_[k & (ring_.size() - 1)];
    }
    ring_.swap(bigger);
  }
  if (count_ == 0) first_live_ = id;
  uint64_t older;
  if (name_key < kStaticKeys) {
    older = static_newest_[name_key];
    static_newest_[name_key] = id;
  } else {
    older = names_.Find(name_key);
    names_.Put(name_key, id);
  }
  ring_[id & (ring_.size() - 1)] = Link{name_key, older};
  ++count_;
}

void TableIndex::Evicted(size_t n, uint64_t first_id) {
  for (size_t k = 0; k < n; ++k) {
    const uint64_t id = first_id + k;
    const uint64_t key = ring_[id & (ring_.size() - 1)].name_key;
    // Only the newest entry of its name is mapped; then it was the only one left.
    if (key < kStaticKeys) {
      if (static_newest_[key] == id) static_newest_[key] = kNone;
    } else {
      names_.EraseIfMapsTo(key, id);
    }
  }
  count_ -= n;
  first_live_ = first_id + n;
}

}  // namespace hpack
