// Huffman coding (RFC 7541 §5.2). For every input:
//  - encoding round-trips, the length matches HuffmanEncodedLength, and the bounded encoder
//    refuses any bound below it;
//  - the input as a Huffman string decodes exactly as a naive bit-by-bit decoder over the
//    RFC's code table does: the same octets, or the same error at the same octet — so no
//    padding or EOS violation is ever accepted.
#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "fuzz/fuzz_util.h"
#include "hpack/huffman.h"

namespace {

struct HuffmanCode {
  uint32_t code;
  uint8_t bits;
};
#include "hpack/huffman_tables.inc"

struct Reference {
  hpack::HuffmanError error = hpack::HuffmanError::kOk;
  size_t error_offset = 0;
  std::string out;
};

Reference NaiveDecode(const std::string& in) {
  static const auto* codes = [] {
    auto* m = new std::map<std::pair<int, uint32_t>, int>();
    for (int s = 0; s <= 256; ++s) (*m)[{kHuffmanCodes[s].bits, kHuffmanCodes[s].code}] = s;
    return m;
  }();
  Reference r;
  uint32_t code = 0;
  int len = 0;
  size_t start = 0;  // bit where the current code began
  for (size_t bit = 0; bit < in.size() * 8; ++bit) {
    if (len == 0) start = bit;
    code = (code << 1) | ((static_cast<uint8_t>(in[bit / 8]) >> (7 - bit % 8)) & 1);
    ++len;
    auto it = codes->find({len, code});
    if (it == codes->end()) continue;
    if (it->second == 256) {
      r.error = hpack::HuffmanError::kEos;
      r.error_offset = start / 8;
      return r;
    }
    r.out.push_back(static_cast<char>(it->second));
    code = 0;
    len = 0;
  }
  if (len > 0) {
    const bool ones = code == (1u << len) - 1;
    if (!ones) {
      r.error = hpack::HuffmanError::kPaddingNotOnes;
    } else if (len > 7) {
      r.error = hpack::HuffmanError::kPaddingTooLong;
    }
    r.error_offset = start / 8;
  }
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);

  std::string encoded;
  hpack::HuffmanEncode(in, &encoded);
  fuzz::Check(encoded.size() == hpack::HuffmanEncodedLength(in), "encoded length mismatch");
  std::string decoded;
  fuzz::Check(hpack::HuffmanDecode(encoded, &decoded) == hpack::HuffmanError::kOk,
              "our own encoding does not decode");
  fuzz::Check(decoded == in, "round trip changed the octets");
  if (!encoded.empty()) {
    std::string room(encoded.size() + hpack::kHuffmanEncodeSlack, '\0');
    fuzz::Check(hpack::HuffmanEncodeBounded(in, &room[0], encoded.size() - 1) == encoded.size(),
                "bounded encoder accepted a bound below the length");
    fuzz::Check(hpack::HuffmanEncodeBounded(in, &room[0], encoded.size()) == encoded.size(),
                "bounded encoder refused the exact length");
    fuzz::Check(room.compare(0, encoded.size(), encoded) == 0,
                "bounded encoder wrote other octets");
  }

  size_t offset = 0;
  const hpack::HuffmanError e = hpack::HuffmanDecode(in, &decoded, &offset);
  const Reference ref = NaiveDecode(in);
  if (e != ref.error) {
    fuzz::Fail(std::string("decoder says ") + hpack::HuffmanErrorName(e) + ", reference says " +
               hpack::HuffmanErrorName(ref.error));
  }
  if (e == hpack::HuffmanError::kOk) {
    fuzz::Check(decoded == ref.out, "decoder and reference decode to different octets");
  } else {
    fuzz::Check(offset == ref.error_offset, "decoder and reference report different offsets");
  }
  return 0;
}
