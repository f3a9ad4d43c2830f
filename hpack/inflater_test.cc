// hpack::Inflater behaviour. Every test runs with each block whole, octet by octet and cut
// at random boundaries (test::InflaterModeTest), and must behave the same.
#include "hpack/inflater.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "hpack/test_util.h"

namespace hpack {
namespace {

using test::FromHex;
using test::Headers;

class InflaterTest : public test::InflaterModeTest {};

TEST_P(InflaterTest, RepresentationsAndTheTable) {
  Inflater inf;
  // 82: indexed :method GET; 41 8c..: :authority www.example.com, incremental indexing;
  // 04 0c..: :path /sample/path without indexing; 10 08..: never indexed literal name.
  absl::StatusOr<HeaderList> got =
      Decode(inf, FromHex("8241 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff04 0c2f 7361 6d70 6c65 2f70 6174 "
                          "6810 0870 6173 7377 6f72 6406 7365 6372 6574"));
  ASSERT_TRUE(got.ok()) << got.status();
  HeaderList want = Headers({{":method", "GET"},
                             {":authority", "www.example.com"},
                             {":path", "/sample/path"},
                             {"password", "secret"}});
  want[3].never_indexed = true;
  EXPECT_EQ(*got, want);
  EXPECT_FALSE((*got)[2].never_indexed);
  EXPECT_TRUE((*got)[3].never_indexed);
  // Only the incremental-indexing literal entered the table.
  EXPECT_EQ(FormatHdTable(inf.GetHdTable()),
            "[  1] (s =  57) :authority: www.example.com\n      Table size:  57\n");
  // The next block refers to it as index 62.
  got = Decode(inf, FromHex("be"));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, Headers({{":authority", "www.example.com"}}));
}

TEST_P(InflaterTest, OctetsAreNotText) {
  Inflater inf;
  // Literal without indexing, new name "\x00\xff", value "\x80\n\r" (raw, any octet).
  absl::StatusOr<HeaderList> got = Decode(inf, FromHex("0002 00ff 0380 0a0d"));
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].name, std::string("\x00\xff", 2));
  EXPECT_EQ((*got)[0].value, "\x80\n\r");
}

TEST_P(InflaterTest, EmptyBlockAndEmptyStrings) {
  Inflater inf;
  absl::StatusOr<HeaderList> got = Decode(inf, "");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(got->empty());
  got = Decode(inf, FromHex("4000 00"));  // empty name and value, indexed
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, Headers({{"", ""}}));
  EXPECT_EQ(inf.table().size(), 32u);
}

TEST_P(InflaterTest, ReferenceRightAfterEvictionSeesTheNewEntry) {
  InflaterOptions o;
  o.header_table_size = 60;  // room for one 34-octet entry, not two
  Inflater inf(o);
  ASSERT_TRUE(Decode(inf, FromHex("4001 6101 31")).ok());                    // a: 1
  absl::StatusOr<HeaderList> got = Decode(inf, FromHex("4001 6201 32 be"));  // b: 2, then 62
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, Headers({{"b", "2"}, {"b", "2"}}));
  got = Decode(inf, FromHex("bf"));  // a: 1 is gone
  EXPECT_EQ(inf.error(), Error::kIndexOutOfRange);
}

TEST_P(InflaterTest, NameReferenceToTheEntryTheInsertionEvicts) {
  InflaterOptions o;
  o.header_table_size = 40;
  Inflater inf(o);
  ASSERT_TRUE(Decode(inf, FromHex("4006 6e61 6d65 2d61 00")).ok());  // name-a: ""
  // 7e = incremental indexing with name index 62 (name-a), which the insertion evicts.
  absl::StatusOr<HeaderList> got = Decode(inf, FromHex("7e01 76"));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, Headers({{"name-a", "v"}}));
  EXPECT_EQ(FormatHdTable(inf.GetHdTable()), "[  1] (s =  39) name-a: v\n      Table size:  39\n");
}

TEST_P(InflaterTest, SizeUpdateAtStartEvicts) {
  Inflater inf;
  ASSERT_TRUE(Decode(inf, FromHex("4001 6101 31 4001 6201 32")).ok());
  absl::StatusOr<HeaderList> got = Decode(inf, FromHex("3f03 be"));  // size 34, then 62
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, Headers({{"b", "2"}}));
  EXPECT_EQ(inf.table().max_size(), 34u);
  EXPECT_EQ(inf.table().count(), 1u);
}

TEST_P(InflaterTest, LimitDecreaseRequiresAnUpdate) {
  Inflater inf;
  ASSERT_TRUE(Decode(inf, FromHex("4001 6101 31")).ok());
  inf.ChangeTableSize(100);  // below the table's maximum (4096)
  EXPECT_FALSE(Decode(inf, FromHex("82")).ok());
  EXPECT_EQ(inf.error(), Error::kTableSizeUpdateMissing);
}

TEST_P(InflaterTest, LimitDecreaseSatisfiedByUpdateAtOrBelowIt) {
  Inflater inf;
  inf.ChangeTableSize(100);
  absl::StatusOr<HeaderList> got = Decode(inf, FromHex("3f45 82"));  // update to 100
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(inf.table().max_size(), 100u);
  // Next block needs none.
  ASSERT_TRUE(Decode(inf, FromHex("82")).ok());
}

TEST_P(InflaterTest, DownThenUpNeedsTheMinimumFirst) {
  // §4.2: SETTINGS went 4096 -> 0 -> 4096 before the block: the smallest must be signalled.
  Inflater inf;
  ASSERT_TRUE(Decode(inf, FromHex("4001 6101 31")).ok());
  inf.ChangeTableSize(0);
  inf.ChangeTableSize(4096);
  absl::StatusOr<HeaderList> got = Decode(inf, FromHex("203f e11f 82"));  // 0, then 4096
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(inf.table().count(), 0u);  // the update to 0 emptied it
  EXPECT_EQ(inf.table().max_size(), 4096u);

  Inflater bad;
  bad.ChangeTableSize(0);
  bad.ChangeTableSize(4096);
  EXPECT_FALSE(Decode(bad, FromHex("3fe1 1f82")).ok());  // only 4096: the minimum is missing
  EXPECT_EQ(bad.error(), Error::kTableSizeUpdateMissing);
}

TEST_P(InflaterTest, LimitIncreaseNeedsNoUpdateButAllowsOne) {
  Inflater inf;
  inf.ChangeTableSize(8192);
  ASSERT_TRUE(Decode(inf, FromHex("82")).ok());
  EXPECT_EQ(inf.table().max_size(), 4096u);             // unchanged until the encoder says so
  ASSERT_TRUE(Decode(inf, FromHex("3fe1 3f82")).ok());  // update to 8192
  EXPECT_EQ(inf.table().max_size(), 8192u);
}

TEST_P(InflaterTest, SizeUpdateOnlyBlockSatisfiesRequirement) {
  Inflater inf;
  inf.ChangeTableSize(0);
  absl::StatusOr<HeaderList> got = Decode(inf, FromHex("20"));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(got->empty());
  EXPECT_TRUE(Decode(inf, FromHex("82")).ok());
}

TEST_P(InflaterTest, HeaderListSizeLimitCountsThirtyTwoPerField) {
  InflaterOptions o;
  o.max_header_list_size = 3 * (7 + 3 + 32);  // three ":method: GET"
  Inflater inf(o);
  EXPECT_TRUE(Decode(inf, FromHex("8282 82")).ok());
  Inflater inf2(o);
  EXPECT_FALSE(Decode(inf2, FromHex("8282 8282")).ok());
  EXPECT_EQ(inf2.error(), Error::kHeaderListTooLarge);
  EXPECT_EQ(inf2.last_status().code(), absl::StatusCode::kResourceExhausted);
}

TEST_P(InflaterTest, FieldCountLimit) {
  InflaterOptions o;
  o.max_header_fields = 3;
  Inflater inf(o);
  EXPECT_TRUE(Decode(inf, FromHex("8282 82")).ok());
  EXPECT_FALSE(Decode(inf, FromHex("8282 8282")).ok());
  EXPECT_EQ(inf.error(), Error::kTooManyFields);
}

TEST_P(InflaterTest, HugeStringRejectedBeforeItsOctetsArrive) {
  Inflater inf;  // 64 KiB list limit
  // Literal, new name of length 2^20: rejected from the length alone, even though the
  // block is only 6 octets (an attacker never has to send the string).
  absl::StatusOr<HeaderList> got = Decode(inf, FromHex("007f 81ff 3f61"));
  EXPECT_FALSE(got.ok());
  EXPECT_EQ(inf.error(), Error::kHeaderListTooLarge);
  EXPECT_EQ(std::string(got.status().message()),
            "hpack: octet 1 of the header block: a string literal of 1048576 octets would take "
            "the header list past the limit of 65536 octets (name + value + 32 per field) "
            "(RFC 9113 §6.5.2, RFC 7541 §7.3)");
}

TEST_P(InflaterTest, ErrorsAreStickyAndTheFirstIsKept) {
  Inflater inf;
  EXPECT_FALSE(Decode(inf, FromHex("80")).ok());
  EXPECT_EQ(inf.error(), Error::kIndexZero);
  absl::StatusOr<HeaderList> again = Decode(inf, FromHex("82"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(std::string(again.status().message()),
            "hpack: the inflater is unusable after an earlier error (hpack: octet 0 of the "
            "header block: index 0 in an indexed header field representation (RFC 7541 §6.1))");
  EXPECT_EQ(inf.error(), Error::kIndexZero);
}

H2H_INSTANTIATE_FEED_MODES(InflaterTest);

// Streaming specifics (not mode-parameterised).
TEST(InflaterStreaming, FieldsArriveBeforeTheLastFragment) {
  Inflater inf;
  std::vector<std::string> seen;
  auto sink = [&](absl::string_view n, absl::string_view v, bool) {
    seen.push_back(std::string(n) + ": " + std::string(v));
  };
  ASSERT_TRUE(inf.InflateFragment(FromHex("8286 40"), false, sink).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{":method: GET", ":scheme: http"}));
  EXPECT_TRUE(inf.in_block());
  ASSERT_TRUE(inf.InflateFragment(FromHex("0161 01"), false, sink).ok());
  EXPECT_EQ(seen.size(), 2u);  // "a: ?" is incomplete
  ASSERT_TRUE(inf.InflateFragment(FromHex("62"), true, sink).ok());
  EXPECT_EQ(seen.back(), "a: b");
  EXPECT_FALSE(inf.in_block());
}

TEST(InflaterStreaming, TruncatedAtTheFinalFragment) {
  Inflater inf;
  HeaderList out;
  ASSERT_TRUE(inf.InflateFragment(FromHex("8240 0161"), false, &out).ok());
  absl::Status s = inf.InflateFragment(FromHex("05 6162"), true, &out);
  EXPECT_EQ(std::string(s.message()),
            "hpack: octet 4 of the header block: string literal of 5 octets runs past the "
            "end of the block (2 octets left) (RFC 7541 §5, §6)");
}

TEST(InflaterStreaming, ZeroCopySinkMatchesList) {
  Inflater a, b;
  const std::string block = FromHex("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff");
  HeaderList via_sink;
  ASSERT_TRUE(a.Inflate(block, [&](absl::string_view n, absl::string_view v, bool never) {
                 via_sink.emplace_back(std::string(n), std::string(v), never);
               }).ok());
  absl::StatusOr<HeaderList> via_list = b.Inflate(block);
  ASSERT_TRUE(via_list.ok());
  EXPECT_EQ(via_sink, *via_list);
}

}  // namespace
}  // namespace hpack
