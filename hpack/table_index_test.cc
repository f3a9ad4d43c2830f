#include "hpack/table_index.h"

#include <deque>
#include <map>
#include <random>

#include "gtest/gtest.h"

namespace hpack {
namespace {

TEST(TableIndex, NewestEntryWinsAndEvictionOnlyRemovesItsOwn) {
  TableIndex idx;
  EXPECT_TRUE(idx.empty());
  idx.Added(0, /*field*/ 100, /*name*/ 7);
  idx.Added(1, 101, 7);  // same name, newer
  EXPECT_EQ(idx.FindField(100), 0u);
  EXPECT_EQ(idx.FindName(7), 1u);
  idx.Evicted(1, 0);  // entry 0 leaves: the name still maps to entry 1
  EXPECT_EQ(idx.FindField(100), TableIndex::kNone);
  EXPECT_EQ(idx.FindName(7), 1u);
  idx.Evicted(1, 1);
  EXPECT_EQ(idx.FindName(7), TableIndex::kNone);
  EXPECT_TRUE(idx.empty());
}

// Against a model, with hashes drawn from a small set whose low bits collide often, so
// probe runs, wrap-around and backward-shift deletion all get exercised.
TEST(TableIndex, MatchesModel) {
  std::mt19937_64 rng(3);
  TableIndex idx;
  std::deque<std::pair<uint64_t, uint64_t>> live;  // oldest first: field, name hashes
  uint64_t next_id = 0, first_id = 0;
  auto model_find = [&](bool field, uint64_t h) {
    for (size_t k = live.size(); k-- > 0;) {
      if ((field ? live[k].first : live[k].second) == h) return first_id + k;
    }
    return TableIndex::kNone;
  };
  for (int step = 0; step < 200000; ++step) {
    auto draw = [&] { return (rng() % 300) * 64 + (rng() % 3) * (uint64_t{1} << 40); };
    if (rng() % 3 != 0 || live.empty()) {
      const uint64_t f = draw(), n = draw();
      idx.Added(next_id++, f, n);
      live.emplace_back(f, n);
    } else {
      const size_t n = 1 + rng() % std::min<size_t>(live.size(), 5);
      idx.Evicted(n, first_id);
      live.erase(live.begin(), live.begin() + n);
      first_id += n;
    }
    for (int probe = 0; probe < 4; ++probe) {
      const uint64_t h = draw();
      ASSERT_EQ(idx.FindField(h), model_find(true, h)) << step;
      ASSERT_EQ(idx.FindName(h), model_find(false, h)) << step;
    }
    ASSERT_EQ(idx.empty(), live.empty());
  }
}

}  // namespace
}  // namespace hpack
