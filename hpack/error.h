// Decoding errors (RFC 7541 §2-§6 rules plus h2harness's anti-abuse limits). Every error is
// a connection error of type COMPRESSION_ERROR in HTTP/2 (RFC 9113 §4.3), except the limits,
// which a server may instead answer with 431 or a stream reset.
#ifndef H2HARNESS_HPACK_ERROR_H_
#define H2HARNESS_HPACK_ERROR_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace hpack {

enum class Error {
  kOk = 0,
  kTruncated,                  // the block ends inside a representation or string (§5, §6)
  kIntegerOverflow,            // integer above 2^32-1 (§5.1, see integer.h)
  kIntegerTooLong,             // more continuation octets than any 32-bit value needs (§5.1)
  kIndexZero,                  // index 0 in an indexed representation (§6.1)
  kIndexOutOfRange,            // index past the static + dynamic table (§2.3.3)
  kHuffmanEos,                 // EOS inside a Huffman string (§5.2)
  kHuffmanPaddingTooLong,      // more than 7 bits of padding (§5.2)
  kHuffmanPaddingNotOnes,      // padding that is not a prefix of EOS (§5.2)
  kTableSizeUpdateTooLarge,    // above SETTINGS_HEADER_TABLE_SIZE (§6.3)
  kTableSizeUpdateNotAtStart,  // after a field representation (§4.2)
  kTableSizeUpdateMissing,     // none after the limit dropped below the table size (§4.2)
  kHeaderListTooLarge,         // over the max header list size (RFC 9113 §6.5.2; limit)
  kTooManyFields,              // over the max number of fields (limit)
  kDead,                       // used after an earlier error (the connection is dead)
};

// Stable identifier, e.g. "index_out_of_range"; negative stories name errors this way.
absl::string_view ErrorName(Error e);
// The inverse of ErrorName; kOk when unknown.
Error ErrorFromName(absl::string_view name);
// The rule broken, e.g. "RFC 7541 §6.1".
absl::string_view ErrorRule(Error e);
// Whether `e` enforces one of h2harness's own limits (RFC 7541 §5.1, §7.3 let each decoder
// choose its own) rather than a rule every decoder must follow: integer_too_long,
// header_list_too_large, too_many_fields.
bool IsImplementationLimit(Error e);
// Status code used for `e`: kResourceExhausted for limits, kFailedPrecondition for kDead,
// kInvalidArgument for everything else.
absl::StatusCode ErrorStatusCode(Error e);

// Every error kind that a decoder can report (excludes kOk and kDead).
inline constexpr Error kAllDecodingErrors[] = {
    Error::kTruncated,
    Error::kIntegerOverflow,
    Error::kIntegerTooLong,
    Error::kIndexZero,
    Error::kIndexOutOfRange,
    Error::kHuffmanEos,
    Error::kHuffmanPaddingTooLong,
    Error::kHuffmanPaddingNotOnes,
    Error::kTableSizeUpdateTooLarge,
    Error::kTableSizeUpdateNotAtStart,
    Error::kTableSizeUpdateMissing,
    Error::kHeaderListTooLarge,
    Error::kTooManyFields,
};

}  // namespace hpack

#endif  // H2HARNESS_HPACK_ERROR_H_
