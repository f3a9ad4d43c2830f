// RFC 7541 §4: sizes, eviction, size changes.
#include "hpack/dynamic_table.h"

#include <deque>
#include <random>
#include <string>
#include <utility>

#include "gtest/gtest.h"

namespace hpack {
namespace {

TEST(DynamicTable, EntrySizeIsNamePlusValuePlus32) {
  DynamicTable t(4096);
  t.Add("custom-key", "custom-header");
  EXPECT_EQ(t.size(), 55u);
  EXPECT_EQ(t.count(), 1u);
  EXPECT_EQ(t.Get(0).name, "custom-key");
  EXPECT_EQ(t.Get(0).value, "custom-header");
}

TEST(DynamicTable, NewestFirstAndEvictsOldest) {
  DynamicTable t(3 * 34);  // room for three 2-octet entries
  t.Add("a", "1");
  t.Add("b", "2");
  t.Add("c", "3");
  EXPECT_EQ(t.count(), 3u);
  EXPECT_EQ(t.Get(0).name, "c");
  EXPECT_EQ(t.Get(2).name, "a");
  EXPECT_EQ(t.Add("d", "4"), 1u);  // evicts exactly one, the oldest
  EXPECT_EQ(t.count(), 3u);
  EXPECT_EQ(t.Get(2).name, "b");
  EXPECT_EQ(t.size(), 102u);
}

TEST(DynamicTable, EntryExactlyTheMaxSizeFitsOneByteMoreEmpties) {
  DynamicTable t(100);
  t.Add("x", "y");
  bool added = false;
  EXPECT_EQ(t.Add(std::string(34, 'n'), std::string(34, 'v'), &added), 1u);  // 34+34+32
  EXPECT_TRUE(added);
  EXPECT_EQ(t.size(), 100u);
  EXPECT_EQ(t.Add(std::string(34, 'n'), std::string(35, 'v'), &added), 1u);
  EXPECT_FALSE(added);  // §4.4: not an error; the table is just empty
  EXPECT_EQ(t.count(), 0u);
  EXPECT_EQ(t.size(), 0u);
}

TEST(DynamicTable, SetMaxSizeEvictsAndZeroEmpties) {
  DynamicTable t(4096);
  for (int i = 0; i < 10; ++i) t.Add("k", std::to_string(i));
  EXPECT_EQ(t.size(), 340u);
  EXPECT_EQ(t.SetMaxSize(100), 8u);
  EXPECT_EQ(t.count(), 2u);
  EXPECT_EQ(t.Get(0).value, "9");
  EXPECT_EQ(t.SetMaxSize(0), 2u);
  EXPECT_EQ(t.count(), 0u);
  t.Add("k", "v");  // nothing fits in a zero-size table
  EXPECT_EQ(t.count(), 0u);
  t.SetMaxSize(4096);
  t.Add("k", "v");
  EXPECT_EQ(t.count(), 1u);
}

TEST(DynamicTable, NameMayReferToTheEntryBeingEvicted) {
  DynamicTable t(40);  // one small entry at a time
  t.Add("name-a", "");
  DynamicTable::EntryView old = t.Get(0);
  t.Add(old.name, "v");  // §4.4: the name is read before the eviction
  EXPECT_EQ(t.count(), 1u);
  EXPECT_EQ(t.Get(0).name, "name-a");
  EXPECT_EQ(t.Get(0).value, "v");
}

TEST(DynamicTable, SnapshotIsACopy) {
  DynamicTable t(4096);
  t.Add("a", "1");
  t.Add("b", "2");
  const HdTable c = t.Snapshot();
  t.Add("c", "3");
  EXPECT_EQ(c.entries.size(), 2u);
  EXPECT_EQ(FormatHdTable(c),
            "[  1] (s =  34) b: 2\n[  2] (s =  34) a: 1\n      Table size:  68\n");
}

// Against a plain model, over many random adds and size changes (buffer compaction and
// slot growth are exercised on the way).
TEST(DynamicTable, MatchesModel) {
  std::mt19937 rng(7);
  DynamicTable t(4096);
  std::deque<std::pair<std::string, std::string>> model;  // newest first
  size_t model_size = 0;
  uint32_t max = 4096;
  for (int step = 0; step < 100000; ++step) {
    const int op = std::uniform_int_distribution<int>(0, 99)(rng);
    if (op == 0) {
      max = std::uniform_int_distribution<uint32_t>(0, 8192)(rng);
      t.SetMaxSize(max);
    } else {
      // Random octets, so that bytes read from a wrong place never pass for the right ones.
      auto random_string = [&rng](int max_len) {
        std::string s(std::uniform_int_distribution<int>(0, max_len)(rng), '\0');
        for (char& c : s) c = static_cast<char>(rng());
        return s;
      };
      std::string name = random_string(40) + std::to_string(step);
      std::string value = random_string(op < 5 ? 5000 : 200);
      if (op < 20 && !model.empty()) name = model.front().first;  // re-use a table name
      // Half the time, hand the table views of its own entries (§4.4: a name referenced by
      // index, possibly the entry the insertion evicts), through evictions, compactions
      // and the buffer starting over.
      absl::string_view name_view = name, value_view = value;
      if (op >= 50 && !model.empty()) {
        const size_t k = std::uniform_int_distribution<size_t>(0, model.size() - 1)(rng);
        name_view = t.Get(k).name;
        name = model[k].first;
        if (op >= 90) {
          value_view = t.Get(model.size() - 1 - k).value;
          value = model[model.size() - 1 - k].second;
        }
      }
      t.Add(name_view, value_view);
      if (name.size() + value.size() + 32 > max) {
        model.clear();
        model_size = 0;
      } else {
        model_size += name.size() + value.size() + 32;
        model.emplace_front(name, value);
      }
    }
    while (model_size > max) {
      model_size -= model.back().first.size() + model.back().second.size() + 32;
      model.pop_back();
    }
    ASSERT_EQ(t.size(), model_size) << step;
    ASSERT_EQ(t.count(), model.size()) << step;
    for (size_t k = 0; k < model.size(); ++k) {
      ASSERT_EQ(t.Get(k).name, model[k].first) << step;
      ASSERT_EQ(t.Get(k).value, model[k].second) << step;
    }
  }
}

}  // namespace
}  // namespace hpack
