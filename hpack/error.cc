#include "hpack/error.h"

namespace hpack {

absl::string_view ErrorName(Error e) {
  switch (e) {
    case Error::kOk:
      return "ok";
    case Error::kTruncated:
      return "truncated";
    case Error::kIntegerOverflow:
      return "integer_overflow";
    case Error::kIntegerTooLong:
      return "integer_too_long";
    case Error::kIndexZero:
      return "index_zero";
    case Error::kIndexOutOfRange:
      return "index_out_of_range";
    case Error::kHuffmanEos:
      return "huffman_eos";
    case Error::kHuffmanPaddingTooLong:
      return "huffman_padding_too_long";
    case Error::kHuffmanPaddingNotOnes:
      return "huffman_padding_not_ones";
    case Error::kTableSizeUpdateTooLarge:
      return "table_size_update_too_large";
    case Error::kTableSizeUpdateNotAtStart:
      return "table_size_update_not_at_start";
    case Error::kTableSizeUpdateMissing:
      return "table_size_update_missing";
    case Error::kHeaderListTooLarge:
      return "header_list_too_large";
    case Error::kTooManyFields:
      return "too_many_fields";
    case Error::kDead:
      return "dead";
  }
  return "unknown";
}

Error ErrorFromName(absl::string_view name) {
  for (Error e : kAllDecodingErrors) {
    if (ErrorName(e) == name) return e;
  }
  return Error::kOk;
}

absl::string_view ErrorRule(Error e) {
  switch (e) {
    case Error::kTruncated:
      return "RFC 7541 §5, §6";
    case Error::kIntegerOverflow:
    case Error::kIntegerTooLong:
      return "RFC 7541 §5.1";
    case Error::kIndexZero:
      return "RFC 7541 §6.1";
    case Error::kIndexOutOfRange:
      return "RFC 7541 §2.3.3";
    case Error::kHuffmanEos:
    case Error::kHuffmanPaddingTooLong:
    case Error::kHuffmanPaddingNotOnes:
      return "RFC 7541 §5.2";
    case Error::kTableSizeUpdateTooLarge:
      return "RFC 7541 §6.3";
    case Error::kTableSizeUpdateNotAtStart:
    case Error::kTableSizeUpdateMissing:
      return "RFC 7541 §4.2";
    case Error::kHeaderListTooLarge:
      return "RFC 9113 §6.5.2, RFC 7541 §7.3";
    case Error::kTooManyFields:
      return "RFC 7541 §7.3";
    case Error::kOk:
    case Error::kDead:
      break;
  }
  return "";
}

bool IsImplementationLimit(Error e) {
  return e == Error::kIntegerTooLong || e == Error::kHeaderListTooLarge ||
         e == Error::kTooManyFields;
}

absl::StatusCode ErrorStatusCode(Error e) {
  switch (e) {
    case Error::kOk:
      return absl::StatusCode::kOk;
    case Error::kHeaderListTooLarge:
    case Error::kTooManyFields:
      return absl::StatusCode::kResourceExhausted;
    case Error::kDead:
      return absl::StatusCode::kFailedPrecondition;
    default:
      return absl::StatusCode::kInvalidArgument;
  }
}

}  // namespace hpack
