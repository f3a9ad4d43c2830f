// hpack::Inflater: decodes header blocks (RFC 7541 §3), whole or in fragments.
//
// Errors are sticky: the first one is kept (error(), last_status()) and every later call
// fails with Error::kDead, as the shared compression context is lost (RFC 9113 §4.3).
#ifndef H2HARNESS_HPACK_INFLATER_H_
#define H2HARNESS_HPACK_INFLATER_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/base/attributes.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "hpack/dynamic_table.h"
#include "hpack/error.h"
#include "hpack/header.h"

namespace hpack {

// Against HPACK bombs: the decoded list counts name + value + 32 per field (the same
// accounting as SETTINGS_MAX_HEADER_LIST_SIZE, RFC 9113 §6.5.2).
inline constexpr size_t kDefaultMaxHeaderListSize = 64 * 1024;
// Against bombs of tiny fields (each indexed field costs one wire octet).
inline constexpr size_t kDefaultMaxHeaderFields = 1024;

struct InflaterOptions {
  size_t max_header_list_size = kDefaultMaxHeaderListSize;
  size_t max_header_fields = kDefaultMaxHeaderFields;
  // The SETTINGS_HEADER_TABLE_SIZE this endpoint advertises at the start.
  uint32_t header_table_size = kDefaultHeaderTableSize;
};

class Inflater {
 public:
  // Receives each field as soon as it is decoded. The views are valid only during the call.
  using Sink =
      absl::FunctionRef<void(absl::string_view name, absl::string_view value, bool never_indexed)>;

  Inflater() : Inflater(InflaterOptions()) {}
  explicit Inflater(const InflaterOptions& options);

  // Decodes one complete header block (the same as InflateFragment(block, true): after
  // fragments it supplies the last one).
  absl::StatusOr<HeaderList> Inflate(absl::string_view block);
  absl::Status Inflate(absl::string_view block, Sink sink);

  // Streaming form: feed a block in fragments (HEADERS + CONTINUATION payloads), `final`
  // on the last. Fields are delivered as soon as they are complete; the result equals one
  // Inflate() of the concatenation. Memory held between calls is at most one incomplete
  // representation, which the limits bound.
  absl::Status InflateFragment(absl::string_view fragment, bool final, HeaderList* out);
  absl::Status InflateFragment(absl::string_view fragment, bool final, Sink sink);

  // The peer must now keep its table within `settings_header_table_size` (our
  // SETTINGS_HEADER_TABLE_SIZE, once acknowledged). If that is below the current maximum,
  // the next block must start with a dynamic table size update no larger (§4.2). Applies
  // from the next header block.
  void ChangeTableSize(uint32_t settings_header_table_size);

  HdTable GetHdTable() const { return table_.Snapshot(); }
  const DynamicTable& table() const { return table_; }
  uint32_t table_size_limit() const { return limit_; }

  Error error() const { return error_; }
  const absl::Status& last_status() const { return error_status_; }
  bool in_block() const { return in_block_; }

 private:
  enum class Step { kDone, kNeedMore, kFailed };

  // Decodes representations from [p, end), where p is at block offset block_offset_.
  // Sets *consumed to the octets of complete representations.
  absl::Status DecodeSpan(const uint8_t* p, const uint8_t* end, bool final, Sink sink,
                          size_t* consumed);
  ABSL_ATTRIBUTE_ALWAYS_INLINE Step DecodeOne(const uint8_t* start, const uint8_t* end,
                                             const uint8_t** next, Sink sink);
  ABSL_ATTRIBUTE_ALWAYS_INLINE Step ReadString(const uint8_t* start, const uint8_t** p,
                                               const uint8_t* end, bool is_name, size_t name_len,
                                               absl::string_view* out);
  ABSL_ATTRIBUTE_ALWAYS_INLINE Step ReadInteger(const uint8_t* start, const uint8_t** p,
                                                const uint8_t* end, int prefix_bits,
                                                uint32_t* value);
  ABSL_ATTRIBUTE_ALWAYS_INLINE Step StartField(const uint8_t* start);
  // Errors are rare: their message formatting stays out of the hot functions' frames.
  [[gnu::cold, gnu::noinline]] Step Fail(Error e, const uint8_t* at, absl::string_view what);
  template <typename F>
  [[gnu::cold, gnu::noinline]] Step FailWith(Error e, const uint8_t* at, F&& what);
  absl::Status FinishBlock(const uint8_t* p);

  InflaterOptions options_;
  DynamicTable table_;
  uint32_t limit_;              // SETTINGS_HEADER_TABLE_SIZE in force
  uint32_t pending_min_limit_;  // smallest limit since the last block's field section
  bool size_update_required_ = false;

  // Per-block state.
  bool in_block_ = false;
  bool fields_started_ = false;
  size_t block_offset_ = 0;              // block offset of the first octet not yet consumed
  const uint8_t* span_begin_ = nullptr;  // where block_offset_ points in the current span
  size_t list_size_ = 0;
  size_t field_count_ = 0;
  std::string pending_;  // an incomplete representation carried across fragments
  size_t need_ = 0;      // pending_ must reach this size before retrying
  bool final_ = false;   // the span being decoded ends the block

  // Huffman output, grown as needed and never shrunk (no steady-state allocation).
  std::string name_buf_;
  std::string value_buf_;

  Error error_ = Error::kOk;
  absl::Status error_status_;
};

}  // namespace hpack

#endif  // H2HARNESS_HPACK_INFLATER_H_
