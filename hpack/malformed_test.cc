// One malformed input per decoding rule, with the exact error each gives — the same whether
// the block arrives whole or in fragments.
#include <optional>
#include <string>

#include "gtest/gtest.h"
#include "hpack/inflater.h"
#include "hpack/test_util.h"

namespace hpack {
namespace {

using test::FromHex;

struct Malformed {
  const char* what;
  const char* prior;                 // a block decoded first (hex), or ""
  std::optional<uint32_t> settings;  // ChangeTableSize before the block
  const char* block;                 // hex
  Error error;
  const char* message;
};

const Malformed kCases[] = {
    {"indexed field with index 0",
     "",
     {},
     "80",
     Error::kIndexZero,
     "hpack: octet 0 of the header block: index 0 in an indexed header field representation "
     "(RFC 7541 §6.1)"},
    {"index past the static table (dynamic table empty)",
     "",
     {},
     "82be",
     Error::kIndexOutOfRange,
     "hpack: octet 1 of the header block: field index 62 is past the end of the table (61 "
     "static + 0 dynamic entries) (RFC 7541 §2.3.3)"},
    {"index one past the dynamic table",
     "4001 6101 62",
     {},
     "bf",
     Error::kIndexOutOfRange,
     "hpack: octet 0 of the header block: field index 63 is past the end of the table (61 "
     "static + 1 dynamic entries) (RFC 7541 §2.3.3)"},
    {"name index past the table",
     "",
     {},
     "7e01 61",
     Error::kIndexOutOfRange,
     "hpack: octet 0 of the header block: name index 62 is past the end of the table (61 "
     "static + 0 dynamic entries) (RFC 7541 §2.3.3)"},
    {"reference to an entry the previous insertion evicted",
     "3f03 4001 6101 62 4001 6301 64",
     {},
     "bf",
     Error::kIndexOutOfRange,
     "hpack: octet 0 of the header block: field index 63 is past the end of the table (61 "
     "static + 1 dynamic entries) (RFC 7541 §2.3.3)"},
    {"integer above 2^32-1",
     "",
     {},
     "ff80 ffff ff7f",
     Error::kIntegerOverflow,
     "hpack: octet 5 of the header block: integer value exceeds 2^32-1 (RFC 7541 §5.1)"},
    {"integer with a sixth continuation octet",
     "",
     {},
     "ff80 8080 8080 00",
     Error::kIntegerTooLong,
     "hpack: octet 5 of the header block: integer has more than 5 continuation octets (RFC "
     "7541 §5.1)"},
    {"string length above 2^32-1",
     "",
     {},
     "007f ffff ffff 0f",
     Error::kIntegerOverflow,
     "hpack: octet 6 of the header block: integer value exceeds 2^32-1 (RFC 7541 §5.1)"},
    {"block ends inside an integer",
     "",
     {},
     "82ff",
     Error::kTruncated,
     "hpack: octet 1 of the header block: the block ends inside an integer (RFC 7541 §5, §6)"},
    {"block ends inside a multi-octet integer",
     "",
     {},
     "ff80",
     Error::kTruncated,
     "hpack: octet 0 of the header block: the block ends inside an integer (RFC 7541 §5, §6)"},
    {"block ends before the name string",
     "",
     {},
     "8200",
     Error::kTruncated,
     "hpack: octet 2 of the header block: the block ends before a string literal (RFC 7541 "
     "§5, §6)"},
    {"block ends before the value string",
     "",
     {},
     "8241",
     Error::kTruncated,
     "hpack: octet 2 of the header block: the block ends before a string literal (RFC 7541 "
     "§5, §6)"},
    {"string longer than the rest of the block",
     "",
     {},
     "0005 6162",
     Error::kTruncated,
     "hpack: octet 1 of the header block: string literal of 5 octets runs past the end of "
     "the block (2 octets left) (RFC 7541 §5, §6)"},
    {"Huffman string containing EOS",
     "",
     {},
     "0084 ffff ffff 0161",
     Error::kHuffmanEos,
     "hpack: octet 2 of the header block: Huffman string contains EOS in the name string "
     "literal (RFC 7541 §5.2)"},
    {"Huffman padding of 8 bits",
     "",
     {},
     "0001 6182 07ff",
     Error::kHuffmanPaddingTooLong,
     "hpack: octet 4 of the header block: Huffman padding longer than 7 bits in the value "
     "string literal (RFC 7541 §5.2)"},
    {"Huffman padding of zeros",
     "",
     {},
     "0001 6181 00",
     Error::kHuffmanPaddingNotOnes,
     "hpack: octet 4 of the header block: Huffman padding is not all ones in the value "
     "string literal (RFC 7541 §5.2)"},
    {"size update above SETTINGS_HEADER_TABLE_SIZE",
     "",
     {},
     "3fe2 1f",
     Error::kTableSizeUpdateTooLarge,
     "hpack: octet 0 of the header block: dynamic table size update to 4097 exceeds the "
     "limit 4096 (SETTINGS_HEADER_TABLE_SIZE) (RFC 7541 §6.3)"},
    {"size update above a lowered limit", "", 100, "3f46", Error::kTableSizeUpdateTooLarge,
     "hpack: octet 0 of the header block: dynamic table size update to 101 exceeds the "
     "limit 100 (SETTINGS_HEADER_TABLE_SIZE) (RFC 7541 §6.3)"},
    {"size update after a field",
     "",
     {},
     "823f e11f",
     Error::kTableSizeUpdateNotAtStart,
     "hpack: octet 1 of the header block: dynamic table size update after a header field "
     "representation (RFC 7541 §4.2)"},
    {"no size update after the limit dropped", "", 100, "82", Error::kTableSizeUpdateMissing,
     "hpack: octet 0 of the header block: the limit dropped to 100, below the table maximum "
     "4096, but the block does not start with a dynamic table size update to at most 100 "
     "(RFC 7541 §4.2)"},
    {"only an empty block after the limit dropped", "", 0, "", Error::kTableSizeUpdateMissing,
     "hpack: octet 0 of the header block: the block ends without the dynamic table size "
     "update to at most 0 required since the limit dropped below the table maximum 4096 "
     "(RFC 7541 §4.2)"},
};

class MalformedTest : public test::InflaterModeTest {};

TEST_P(MalformedTest, EachRuleGivesItsError) {
  for (const Malformed& m : kCases) {
    SCOPED_TRACE(m.what);
    Inflater inf;
    if (*m.prior) {
      ASSERT_TRUE(inf.Inflate(FromHex(m.prior)).ok()) << m.prior;
    }
    if (m.settings) inf.ChangeTableSize(*m.settings);
    absl::StatusOr<HeaderList> got = Decode(inf, FromHex(m.block));
    ASSERT_FALSE(got.ok()) << m.block;
    EXPECT_EQ(inf.error(), m.error) << ErrorName(inf.error());
    EXPECT_EQ(std::string(got.status().message()), m.message);
    EXPECT_EQ(got.status().code(), ErrorStatusCode(m.error));
  }
}

// An HPACK bomb: one ~4 KiB entry inserted once, then referenced by one-octet indices.
TEST_P(MalformedTest, BombOfIndexedReferencesHitsTheListLimit) {
  Inflater inf;
  const std::string value(4000, 'x');
  std::string insert = FromHex("4001 61 7f a11e");  // a: <4000 octets>, length 127 + 3873
  insert += value;
  ASSERT_TRUE(inf.Inflate(insert).ok());
  std::string bomb(20, '\xbe');  // 20 x index 62: 20 * 4033 octets > 64 KiB
  absl::StatusOr<HeaderList> got = Decode(inf, bomb);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(inf.error(), Error::kHeaderListTooLarge);
  EXPECT_EQ(std::string(got.status().message()),
            "hpack: octet 16 of the header block: header list size 68561 exceeds the limit of "
            "65536 octets (name + value + 32 per field) (RFC 9113 §6.5.2, RFC 7541 §7.3)");
}

TEST_P(MalformedTest, BombOfTinyFieldsHitsTheFieldLimit) {
  Inflater inf;
  std::string bomb(1025, '\x82');  // 1025 x ":method: GET", 43 octets each: under 64 KiB
  absl::StatusOr<HeaderList> got = Decode(inf, bomb);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(inf.error(), Error::kTooManyFields);
  EXPECT_EQ(std::string(got.status().message()),
            "hpack: octet 1024 of the header block: more than 1024 header fields in one block "
            "(RFC 7541 §7.3)");
}

H2H_INSTANTIATE_FEED_MODES(MalformedTest);

// Every error kind has a stable name that maps back (negative stories use the names).
TEST(ErrorNames, RoundTrip) {
  for (Error e : kAllDecodingErrors) {
    EXPECT_EQ(ErrorFromName(ErrorName(e)), e);
    EXPECT_FALSE(ErrorRule(e).empty());
  }
  EXPECT_EQ(ErrorFromName("no_such_rule"), Error::kOk);
}

}  // namespace
}  // namespace hpack
