#include "hpack/table_index.h"

#include <deque>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace hpack {
namespace {

constexpr uint64_t kHashed = TableIndex::kHashedKey;

// The entries of a name from the newest, as the Deflater walks them.
std::vector<uint64_t> Chain(const TableIndex& idx, uint64_t key) {
  std::vector<uint64_t> ids;
  for (uint64_t id = idx.Newest(key); id != TableIndex::kNone; id = idx.Older(id)) {
    ids.push_back(id);
  }
  return ids;
}

TEST(TableIndex, ChainsNewestFirstAndEvictionOnlyDropsTheOldest) {
  TableIndex idx;
  EXPECT_TRUE(idx.empty());
  idx.Added(0, 7);             // a static name
  idx.Added(1, kHashed | 99);  // another name
  idx.Added(2, 7);             // the first name again, newer
  EXPECT_EQ(Chain(idx, 7), (std::vector<uint64_t>{2, 0}));
  EXPECT_EQ(Chain(idx, kHashed | 99), (std::vector<uint64_t>{1}));
  EXPECT_EQ(idx.Newest(8), TableIndex::kNone);
  EXPECT_EQ(idx.Newest(kHashed | 7), TableIndex::kNone);  // hashed keys never meet static ones
  idx.Evicted(1, 0);  // entry 0 leaves: the name still maps to entry 2, whose chain ends
  EXPECT_EQ(Chain(idx, 7), (std::vector<uint64_t>{2}));
  idx.Evicted(2, 1);
  EXPECT_EQ(idx.Newest(7), TableIndex::kNone);
  EXPECT_EQ(idx.Newest(kHashed | 99), TableIndex::kNone);
  EXPECT_TRUE(idx.empty());
}

// Against a model, with keys drawn from a small set (static and hashed, whose low bits
// collide often), so chains, ring growth, probe runs, wrap-around and backward-shift
// deletion all get exercised.
TEST(TableIndex, MatchesModel) {
  std::mt19937_64 rng(3);
  TableIndex idx;
  std::deque<uint64_t> live;  // keys, oldest first
  uint64_t next_id = 0, first_id = 0;
  auto draw = [&] {
    return rng() % 4 == 0 ? 1 + rng() % 61
                          : kHashed | ((rng() % 300) * 64 + (rng() % 3) * (uint64_t{1} << 40));
  };
  auto model_chain = [&](uint64_t key) {
    std::vector<uint64_t> ids;
    for (size_t k = live.size(); k-- > 0;) {
      if (live[k] == key) ids.push_back(first_id + k);
    }
    return ids;
  };
  for (int step = 0; step < 100000; ++step) {
    if (rng() % 3 != 0 || live.empty()) {
      const uint64_t key = draw();
      idx.Added(next_id++, key);
      live.push_back(key);
    } else {
      // Often all but a few, sometimes everything (the table emptied by a big entry).
      const size_t n = rng() % 50 == 0 ? live.size() : 1 + rng() % std::min<size_t>(live.size(), 5);
      idx.Evicted(n, first_id);
      live.erase(live.begin(), live.begin() + n);
      first_id += n;
    }
    for (int probe = 0; probe < 4; ++probe) {
      const uint64_t key = probe == 0 && !live.empty() ? live[rng() % live.size()] : draw();
      ASSERT_EQ(Chain(idx, key), model_chain(key)) << step;
    }
    ASSERT_EQ(idx.empty(), live.empty());
  }
}

}  // namespace
}  // namespace hpack
