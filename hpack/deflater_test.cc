// The Deflater's strategy: which representation each field gets, and why.
#include "hpack/deflater.h"

#include <string>

#include "gtest/gtest.h"
#include "hpack/inflater.h"
#include "hpack/test_util.h"

namespace hpack {
namespace {

using test::FromHex;
using test::Headers;
using test::ToHex;

std::string Deflate(Deflater& d, const HeaderList& h) {
  absl::StatusOr<std::string> out = d.Deflate(h);
  EXPECT_TRUE(out.ok()) << out.status();
  return out.ok() ? *out : "";
}

TEST(Deflater, StaticFieldIsOneOctet) {
  Deflater d;
  EXPECT_EQ(ToHex(Deflate(d, Headers({{":method", "GET"}, {":status", "404"}}))), "828d");
}

TEST(Deflater, RepeatedFieldBecomesAnIndex) {
  Deflater d;
  const HeaderList h = Headers({{"user-agent", "h2harness/1.0"}});
  const std::string first = Deflate(d, h);
  EXPECT_EQ(static_cast<uint8_t>(first[0]), 0x40 | 58);  // indexed literal, static name 58
  EXPECT_EQ(ToHex(Deflate(d, h)), "be");                 // then index 62
}

TEST(Deflater, NameFromStaticTableEvenWhenAlsoDynamic) {
  Deflater d;
  Deflate(d, Headers({{"accept", "a"}}));
  const std::string out = Deflate(d, Headers({{"accept", "b"}}));
  EXPECT_EQ(static_cast<uint8_t>(out[0]), 0x40 | 19);  // static "accept", not 62
}

TEST(Deflater, NameFromDynamicTableWhenNotStatic) {
  Deflater d;
  Deflate(d, Headers({{"x-custom", "1"}}));
  const std::string out = Deflate(d, Headers({{"x-custom", "2"}}));
  EXPECT_EQ(static_cast<uint8_t>(out[0]), 0x40 | 62);
}

TEST(Deflater, SensitiveFieldsAreNeverIndexed) {
  Deflater d;
  HeaderList h = Headers({{"authorization", "Bearer abc"},
                          {"proxy-authorization", "Basic xyz"},
                          {"cookie", "sid=short"},                 // < 20 octets
                          {"cookie", "sid=0123456789abcdefghij"},  // long: indexed
                          {"x-secret", "marked"}});
  h[4].never_indexed = true;
  const std::string out = Deflate(d, h);
  Inflater inf;
  absl::StatusOr<HeaderList> back = inf.Inflate(out);
  ASSERT_TRUE(back.ok()) << back.status();
  HeaderList want = h;  // the Deflater marks credentials and short cookies of its own accord
  want[0].never_indexed = want[1].never_indexed = want[2].never_indexed = true;
  EXPECT_EQ(*back, want);
  EXPECT_TRUE((*back)[0].never_indexed);
  EXPECT_TRUE((*back)[1].never_indexed);
  EXPECT_TRUE((*back)[2].never_indexed);
  EXPECT_FALSE((*back)[3].never_indexed);
  EXPECT_TRUE((*back)[4].never_indexed);
  // Only the long cookie entered the table; a sensitive field never does, even repeated.
  EXPECT_EQ(d.table().count(), 1u);
  EXPECT_EQ(d.table().Get(0).value, "sid=0123456789abcdefghij");
  Deflate(d, h);
  EXPECT_EQ(d.table().count(), 1u);
}

TEST(Deflater, ValuesThatWouldFlushTheTableAreNotIndexed) {
  Deflater d;
  Deflate(d, Headers({{"a", "1"}}));
  Deflate(d, Headers({{"x-big", std::string(3036, 'x')}}));  // entry 3073 > 3072 = 3/4
  EXPECT_EQ(d.table().count(), 1u);
  EXPECT_EQ(d.table().Get(0).name, "a");                     // not flushed
  Deflate(d, Headers({{"x-big", std::string(3035, 'x')}}));  // entry 3072: indexed
  EXPECT_EQ(d.table().count(), 2u);
}

TEST(Deflater, RarelyRepeatedValuesAreNotIndexed) {
  Deflater d;
  Deflate(d, Headers({{":path", "/a/b/c?x=1"}, {"content-length", "1234"}, {"etag", "\"x\""}}));
  EXPECT_EQ(d.table().count(), 0u);
  DeflaterOptions all;
  all.indexing = IndexingPolicy::kAll;
  Deflater e(all);
  Deflate(e, Headers({{":path", "/a/b/c?x=1"}}));
  EXPECT_EQ(e.table().count(), 1u);
}

TEST(Deflater, LeftOutFieldIsIndexedOnItsSecondSighting) {
  Deflater d;
  const HeaderList h = Headers({{":path", "/same/again"}});
  const std::string first = Deflate(d, h);
  EXPECT_EQ(static_cast<uint8_t>(first[0]), 0x04);  // without indexing, static name 4
  EXPECT_EQ(d.table().count(), 0u);
  const std::string second = Deflate(d, h);
  EXPECT_EQ(static_cast<uint8_t>(second[0]), 0x44);  // it repeats after all: indexed
  EXPECT_EQ(ToHex(Deflate(d, h)), "be");             // and referenced from then on
  // Sensitive fields never are, however often they repeat.
  const HeaderList auth = Headers({{"authorization", "Bearer x"}});
  for (int i = 0; i < 3; ++i) EXPECT_EQ(static_cast<uint8_t>(Deflate(d, auth)[0]), 0x1f);
}

TEST(Deflater, HuffmanOnlyWhenShorter) {
  Deflater d;
  // "www.example.com": 12 octets Huffman < 15 raw.
  std::string out = Deflate(d, Headers({{":authority", "www.example.com"}}));
  EXPECT_EQ(ToHex(out), "418c f1e3 c2e5 f23a 6ba0 ab90 f4ff");
  // "{}<>": 15-bit codes: Huffman (8 octets) is longer than raw (4).
  out = Deflate(d, Headers({{"x", "{}<>"}}));
  EXPECT_EQ(ToHex(out), "4001 7804 7b7d 3c3e");  // name "x" raw too (1 octet either way)
  DeflaterOptions never;
  never.huffman = HuffmanMode::kNever;
  Deflater n(never);
  EXPECT_EQ(ToHex(Deflate(n, Headers({{":authority", "www.example.com"}}))),
            "410f 7777 772e 6578 616d 706c 652e 636f 6d");
}

TEST(Deflater, ChangeTableSizeSignalsMinimumThenFinal) {
  Deflater d(8192);  // may grow to 8192 if the peer allows
  Deflate(d, Headers({{"a", "1"}}));
  d.ChangeTableSize(0);
  EXPECT_EQ(d.table().count(), 0u);  // evicted at once
  d.ChangeTableSize(6000);
  // 20 = size 0; 3f d1 2e = size 6000; then the field.
  EXPECT_EQ(ToHex(Deflate(d, Headers({{":method", "GET"}}))), "203f d12e 82");
  EXPECT_EQ(ToHex(Deflate(d, Headers({{":method", "GET"}}))), "82");  // once only
}

TEST(Deflater, ChangeTableSizeIsClampedToTheCap) {
  Deflater d;  // cap 4096
  d.ChangeTableSize(65536);
  EXPECT_EQ(ToHex(Deflate(d, Headers({}))), "3fe1 1f");  // 4096
  EXPECT_EQ(d.table().max_size(), 4096u);
}

TEST(Deflater, SmallCapIsSignalledInTheFirstBlock) {
  Deflater d(256);
  EXPECT_EQ(ToHex(Deflate(d, Headers({{":method", "GET"}}))), "3fe1 0182");
  EXPECT_EQ(d.GetHdTable().max_size, 256u);
}

TEST(Deflater, ZeroSizeTableStillEncodesEverything) {
  Deflater d(0);
  const HeaderList h = Headers({{"x-a", "1"}, {"x-a", "1"}});
  const std::string out = Deflate(d, h);
  EXPECT_EQ(d.table().count(), 0u);
  Inflater inf;
  absl::StatusOr<HeaderList> back = inf.Inflate(out);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, h);
}

// last_block_repeatable(): only a block of indices, with no size update, leaves the encoder
// as it was; then the same fields encode to the same octets.
TEST(Deflater, OnlyABlockOfIndicesIsRepeatable) {
  Deflater d;
  EXPECT_FALSE(d.last_block_repeatable());
  const HeaderList h = Headers({{":status", "200"}, {"server", "h2harness"}});
  Deflate(d, h);  // "server" inserted
  EXPECT_FALSE(d.last_block_repeatable());
  const std::string second = Deflate(d, h);
  EXPECT_EQ(ToHex(second), "88be");
  EXPECT_TRUE(d.last_block_repeatable());
  EXPECT_EQ(Deflate(d, h), second);
  EXPECT_TRUE(d.last_block_repeatable());

  // A size update is due: the next block starts with it, so the last one is not its copy.
  d.ChangeTableSize(4096);
  EXPECT_FALSE(d.last_block_repeatable());
  EXPECT_EQ(ToHex(Deflate(d, h)), "3fe1 1f88 be");  // §6.3: size 4096, then the same indices
  EXPECT_FALSE(d.last_block_repeatable());
  EXPECT_TRUE((Deflate(d, h), d.last_block_repeatable()));

  // A literal left out of the table is remembered (the second-sighting rule changes the
  // next encoding), and a sensitive one is a literal every time.
  const HeaderList path = Headers({{":path", "/same/again"}});
  Deflate(d, path);
  EXPECT_FALSE(d.last_block_repeatable());
  const HeaderList auth = Headers({{":status", "200"}, {"authorization", "Bearer x"}});
  for (int i = 0; i < 3; ++i) {
    Deflate(d, auth);
    EXPECT_FALSE(d.last_block_repeatable());
  }
}

TEST(Deflater, AppendsToTheOutputBuffer) {
  Deflater d;
  std::string out = "prefix";
  ASSERT_TRUE(d.Deflate(Headers({{":method", "GET"}}), &out).ok());
  EXPECT_EQ(out, "prefix\x82");
}

}  // namespace
}  // namespace hpack
