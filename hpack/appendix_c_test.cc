// RFC 7541 Appendix C, C.2 to C.6, byte for byte in both directions, with the dynamic table
// after each header block written as the RFC prints it.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "hpack/deflater.h"
#include "hpack/inflater.h"
#include "hpack/test_util.h"

namespace hpack {
namespace {

using test::FromHex;
using test::Headers;
using test::ToHex;

struct Example {
  const char* section;
  std::string wire;    // hex, as printed in the RFC
  HeaderList headers;  // the decoded header list
  std::string table;   // "Dynamic Table (after decoding)", in the RFC's notation
};

struct Sequence {
  const char* name;
  uint32_t table_size;  // SETTINGS_HEADER_TABLE_SIZE for the whole sequence
  HuffmanMode huffman;  // the RFC's encoder: "without" or "with Huffman coding"
  IndexingPolicy indexing;
  std::vector<Example> examples;  // share one compression context
};

const char kDate21[] = "Mon, 21 Oct 2013 20:13:21 GMT";
const char kDate22[] = "Mon, 21 Oct 2013 20:13:22 GMT";
const char kCookie[] = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";

std::vector<Example> Requests(bool huffman) {
  return {
      {huffman ? "C.4.1" : "C.3.1",
       huffman ? "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff"
               : "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
       Headers({{":method", "GET"},
                {":scheme", "http"},
                {":path", "/"},
                {":authority", "www.example.com"}}),
       "[  1] (s =  57) :authority: www.example.com\n"
       "      Table size:  57\n"},
      {huffman ? "C.4.2" : "C.3.2",
       huffman ? "8286 84be 5886 a8eb 1064 9cbf" : "8286 84be 5808 6e6f 2d63 6163 6865",
       Headers({{":method", "GET"},
                {":scheme", "http"},
                {":path", "/"},
                {":authority", "www.example.com"},
                {"cache-control", "no-cache"}}),
       "[  1] (s =  53) cache-control: no-cache\n"
       "[  2] (s =  57) :authority: www.example.com\n"
       "      Table size: 110\n"},
      {huffman ? "C.4.3" : "C.3.3",
       huffman ? "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"
               : "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65",
       Headers({{":method", "GET"},
                {":scheme", "https"},
                {":path", "/index.html"},
                {":authority", "www.example.com"},
                {"custom-key", "custom-value"}}),
       "[  1] (s =  54) custom-key: custom-value\n"
       "[  2] (s =  53) cache-control: no-cache\n"
       "[  3] (s =  57) :authority: www.example.com\n"
       "      Table size: 164\n"},
  };
}

std::vector<Example> Responses(bool huffman) {
  return {
      {huffman ? "C.6.1" : "C.5.1",
       huffman ? "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 "
                 "82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3"
               : "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 "
                 "3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 "
                 "7861 6d70 6c65 2e63 6f6d",
       Headers({{":status", "302"},
                {"cache-control", "private"},
                {"date", kDate21},
                {"location", "https://www.example.com"}}),
       "[  1] (s =  63) location: https://www.example.com\n"
       "[  2] (s =  65) date: Mon, 21 Oct 2013 20:13:21 GMT\n"
       "[  3] (s =  52) cache-control: private\n"
       "[  4] (s =  42) :status: 302\n"
       "      Table size: 222\n"},
      {huffman ? "C.6.2" : "C.5.2", huffman ? "4883 640e ffc1 c0bf" : "4803 3330 37c1 c0bf",
       Headers({{":status", "307"},
                {"cache-control", "private"},
                {"date", kDate21},
                {"location", "https://www.example.com"}}),
       "[  1] (s =  42) :status: 307\n"
       "[  2] (s =  63) location: https://www.example.com\n"
       "[  3] (s =  65) date: Mon, 21 Oct 2013 20:13:21 GMT\n"
       "[  4] (s =  52) cache-control: private\n"
       "      Table size: 222\n"},
      {huffman ? "C.6.3" : "C.5.3",
       huffman ? "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b "
                 "d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 "
                 "0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07"
               : "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 "
                 "474d 54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 "
                 "454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 "
                 "6572 7369 6f6e 3d31",
       Headers({{":status", "200"},
                {"cache-control", "private"},
                {"date", kDate22},
                {"location", "https://www.example.com"},
                {"content-encoding", "gzip"},
                {"set-cookie", kCookie}}),
       "[  1] (s =  98) set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; "
       "version=1\n"
       "[  2] (s =  52) content-encoding: gzip\n"
       "[  3] (s =  65) date: Mon, 21 Oct 2013 20:13:22 GMT\n"
       "      Table size: 215\n"},
  };
}

const char kEmptyTable[] = "      Table size:   0\n";

std::vector<Sequence> AllSequences() {
  HeaderList never = Headers({{"password", "secret"}});
  never[0].never_indexed = true;
  return {
      // C.2: one representation each, each with a fresh context.
      {"C21",
       4096,
       HuffmanMode::kNever,
       IndexingPolicy::kSelective,
       {{"C.2.1", "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572",
         Headers({{"custom-key", "custom-header"}}),
         "[  1] (s =  55) custom-key: custom-header\n"
         "      Table size:  55\n"}}},
      {"C22",
       4096,
       HuffmanMode::kNever,
       IndexingPolicy::kSelective,
       {{"C.2.2", "040c 2f73 616d 706c 652f 7061 7468", Headers({{":path", "/sample/path"}}),
         kEmptyTable}}},
      {"C23",
       4096,
       HuffmanMode::kNever,
       IndexingPolicy::kSelective,
       {{"C.2.3", "1008 7061 7373 776f 7264 0673 6563 7265 74", never, kEmptyTable}}},
      {"C24",
       4096,
       HuffmanMode::kNever,
       IndexingPolicy::kSelective,
       {{"C.2.4", "82", Headers({{":method", "GET"}}), kEmptyTable}}},
      {"C3", 4096, HuffmanMode::kNever, IndexingPolicy::kSelective, Requests(false)},
      {"C4", 4096, HuffmanMode::kAlways, IndexingPolicy::kSelective, Requests(true)},
      {"C5", 256, HuffmanMode::kNever, IndexingPolicy::kAll, Responses(false)},
      {"C6", 256, HuffmanMode::kAlways, IndexingPolicy::kAll, Responses(true)},
  };
}

class AppendixCDecode : public test::InflaterModeTest {};

TEST_P(AppendixCDecode, AllSequences) {
  for (const Sequence& seq : AllSequences()) {
    InflaterOptions options;
    options.header_table_size = seq.table_size;
    Inflater inflater(options);
    for (const Example& ex : seq.examples) {
      SCOPED_TRACE(ex.section);
      absl::StatusOr<HeaderList> got = Decode(inflater, FromHex(ex.wire));
      ASSERT_TRUE(got.ok()) << got.status();
      EXPECT_EQ(*got, ex.headers);
      for (size_t i = 0; i < got->size(); ++i) {
        EXPECT_EQ((*got)[i].never_indexed, ex.headers[i].never_indexed) << "field " << i;
      }
      EXPECT_EQ(FormatHdTable(inflater.GetHdTable()), ex.table);
    }
  }
}
H2H_INSTANTIATE_FEED_MODES(AppendixCDecode);

TEST(AppendixCEncode, AllSequences) {
  for (const Sequence& seq : AllSequences()) {
    DeflaterOptions options;
    options.header_table_size = seq.table_size;
    options.huffman = seq.huffman;
    options.indexing = seq.indexing;
    Deflater deflater(options);
    for (const Example& ex : seq.examples) {
      SCOPED_TRACE(ex.section);
      absl::StatusOr<std::string> wire = deflater.Deflate(ex.headers);
      ASSERT_TRUE(wire.ok()) << wire.status();
      EXPECT_EQ(ToHex(*wire), ToHex(FromHex(ex.wire)));
      EXPECT_EQ(FormatHdTable(deflater.GetHdTable()), ex.table);
    }
  }
}

// The sizes the RFC prints, checked through the API as well as the dump.
TEST(AppendixCEncode, TableSizesAfterEachResponse) {
  DeflaterOptions options;
  options.header_table_size = 256;
  options.indexing = IndexingPolicy::kAll;
  Deflater deflater(options);
  std::vector<size_t> sizes;
  for (const Example& ex : Responses(true)) {
    ASSERT_TRUE(deflater.Deflate(ex.headers).ok());
    sizes.push_back(deflater.GetHdTable().size);
  }
  EXPECT_EQ(sizes, (std::vector<size_t>{222, 222, 215}));
  EXPECT_EQ(deflater.GetHdTable().max_size, 256u);
}

}  // namespace
}  // namespace hpack
