#include "hpack/static_table.h"

#include "gtest/gtest.h"

namespace hpack {
namespace {

TEST(StaticTable, AppendixAEntries) {
  EXPECT_EQ(StaticTableEntry(1).name, ":authority");
  EXPECT_EQ(StaticTableEntry(1).value, "");
  EXPECT_EQ(StaticTableEntry(2).value, "GET");
  EXPECT_EQ(StaticTableEntry(8).name, ":status");
  EXPECT_EQ(StaticTableEntry(8).value, "200");
  EXPECT_EQ(StaticTableEntry(16).value, "gzip, deflate");
  EXPECT_EQ(StaticTableEntry(61).name, "www-authenticate");
}

TEST(StaticTable, FindFieldAndName) {
  StaticMatch m = StaticTableFind(":status", "404");
  EXPECT_EQ(m.field, 13u);
  EXPECT_EQ(m.name, 8u);
  m = StaticTableFind(":status", "201");
  EXPECT_EQ(m.field, 0u);
  EXPECT_EQ(m.name, 8u);
  m = StaticTableFind("accept-encoding", "gzip, deflate");
  EXPECT_EQ(m.field, 16u);
  m = StaticTableFind("cookie", "");  // empty values match too
  EXPECT_EQ(m.field, 32u);
  m = StaticTableFind("x-custom", "1");
  EXPECT_EQ(m.field, 0u);
  EXPECT_EQ(m.name, 0u);
  m = StaticTableFind("Cookie", "");  // names are octets: case matters
  EXPECT_EQ(m.name, 0u);
}

TEST(StaticTable, EveryEntryFindsItself) {
  for (size_t i = 1; i <= kStaticTableSize; ++i) {
    const StaticEntry& e = StaticTableEntry(i);
    StaticMatch m = StaticTableFind(e.name, e.value);
    EXPECT_EQ(m.field, i);
    EXPECT_LE(m.name, i);
    EXPECT_EQ(StaticTableEntry(m.name).name, e.name);
  }
}

}  // namespace
}  // namespace hpack
