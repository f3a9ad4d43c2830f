// hpack::Deflater: encodes header lists into header blocks (RFC 7541 §3, §6).
//
// Strategy (what users may rely on):
//  - a field in the static or dynamic table is sent as one index (§6.1);
//  - otherwise its name is referenced by index when possible (the static table first: its
//    indices are never longer) and the value sent as a literal, Huffman-coded only when
//    that is shorter (§5.2);
//  - sensitive fields are never indexed (§6.2.3, §7.1.3): fields marked never_indexed,
//    authorization, proxy-authorization, and cookie values shorter than 20 octets;
//  - fields whose entry would take more than 3/4 of the table are not indexed (they would
//    flush it), nor are fields whose values rarely repeat (see kNotIndexedNames in
//    deflater.cc) — until the same field is sent again: a field seen again among recent
//    literals is indexed on its second sighting, if its entry is at most 1/8 of the table;
//  - after ChangeTableSize() the next block starts with dynamic table size updates: the
//    smallest size since the last block, then the final one if larger (§4.2).
#ifndef H2HARNESS_HPACK_DEFLATER_H_
#define H2HARNESS_HPACK_DEFLATER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/attributes.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "hpack/dynamic_table.h"
#include "hpack/header.h"
#include "hpack/table_index.h"

namespace hpack {

enum class HuffmanMode {
  kAuto,    // Huffman when shorter
  kNever,   // always raw octets
  kAlways,  // always Huffman
};

enum class IndexingPolicy {
  kSelective,  // the strategy above (default)
  kAll,        // index every field that fits the table, as RFC 7541 Appendix C does
};

struct DeflaterOptions {
  // The largest dynamic table this encoder will use, whatever the peer allows
  // (nghttp2's deflate_hd_table_bufsize_max).
  uint32_t max_table_size = kDeflateMaxHeaderTableSize;
  HuffmanMode huffman = HuffmanMode::kAuto;
  IndexingPolicy indexing = IndexingPolicy::kSelective;
  // The peer's SETTINGS_HEADER_TABLE_SIZE at the start. The table starts at
  // min(header_table_size, max_table_size); a smaller value is signalled in the first block.
  uint32_t header_table_size = kDefaultHeaderTableSize;
};

class Deflater {
 public:
  explicit Deflater(uint32_t hd_table_bufsize_max = kDeflateMaxHeaderTableSize)
      : Deflater(MakeOptions(hd_table_bufsize_max)) {}
  explicit Deflater(const DeflaterOptions& options);

  // Encodes one header block.
  absl::StatusOr<std::string> Deflate(absl::Span<const HeaderField> headers);
  // Appends one header block to *out (reuse *out to stay allocation-free).
  absl::Status Deflate(absl::Span<const HeaderField> headers, std::string* out);

  // The peer's SETTINGS_HEADER_TABLE_SIZE changed: the table becomes min(size, cap) and the
  // next block signals it.
  void ChangeTableSize(uint32_t settings_header_table_size);

  void set_huffman_mode(HuffmanMode mode) { options_.huffman = mode; }
  HuffmanMode huffman_mode() const { return options_.huffman; }

  // Whether the last block left this encoder as it found it: every field went out as an
  // index (§6.1; no insertion, nothing remembered for the second-sighting rule) and no
  // table size update was due. Until the next Deflate() or ChangeTableSize(), the same
  // fields would encode to the same octets, so a caller holding that block may send it
  // again instead (a server's repeated response headers).
  bool last_block_repeatable() const { return last_block_repeatable_; }

  HdTable GetHdTable() const { return table_.Snapshot(); }
  const DynamicTable& table() const { return table_; }

 private:
  static DeflaterOptions MakeOptions(uint32_t max_table_size) {
    DeflaterOptions o;
    o.max_table_size = max_table_size;
    return o;
  }
  // Write at `p` (room reserved by Deflate) and return the end.
  // (Inlined into Deflate's loop: no call and register spills per field.)
  ABSL_ATTRIBUTE_ALWAYS_INLINE char* EncodeField(absl::string_view name, absl::string_view value,
                                                 bool sensitive, char* p);
  char* EncodeString(absl::string_view s, char* p) const;
  void AddToTable(absl::string_view name, absl::string_view value, uint64_t name_key);
  void ForgetEvicted(size_t evicted);
  // Whether this field was recently sent as a literal that was not indexed; remembers it.
  bool SeenRecently(uint64_t field_hash);

  DeflaterOptions options_;
  DynamicTable table_;
  bool size_update_pending_ = false;
  bool last_block_repeatable_ = false;
  uint64_t literals_sent_ = 0;  // fields not sent as an index, ever (see Deflate)
  uint32_t min_size_since_block_ = 0;

  TableIndex index_;  // name -> the entries holding it, newest first
  // Hashes of recent fields sent as literals without indexing (not sensitive ones).
  std::array<uint64_t, 128> recent_literals_{};
  std::unique_ptr<char[]> scratch_;  // where blocks are built (grows, never shrinks)
  size_t scratch_size_ = 0;
};

}  // namespace hpack

#endif  // H2HARNESS_HPACK_DEFLATER_H_
