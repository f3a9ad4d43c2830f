#include "http2/error_code.h"

#include <cstddef>

#include "absl/strings/str_format.h"

namespace http2 {
namespace {

// RFC 9113 §7, indexed by code.
constexpr absl::string_view kCodeNames[] = {
    "NO_ERROR",
    "PROTOCOL_ERROR",
    "INTERNAL_ERROR",
    "FLOW_CONTROL_ERROR",
    "SETTINGS_TIMEOUT",
    "STREAM_CLOSED",
    "FRAME_SIZE_ERROR",
    "REFUSED_STREAM",
    "CANCEL",
    "COMPRESSION_ERROR",
    "CONNECT_ERROR",
    "ENHANCE_YOUR_CALM",
    "INADEQUATE_SECURITY",
    "HTTP_1_1_REQUIRED",
};

struct ErrorInfo {
  Error error;
  absl::string_view name;
  ErrorCode code;
  absl::string_view rule;
};

// Every internal error: its name, the one wire code it is reported with, and its rule.
constexpr ErrorInfo kErrors[] = {
    {Error::kNone, "none", ErrorCode::kNoError, ""},
    {Error::kFrameTooLarge, "frame_too_large", ErrorCode::kFrameSizeError, "RFC 9113 §4.2"},
    {Error::kBadFrameLength, "bad_frame_length", ErrorCode::kFrameSizeError, "RFC 9113 §4.2, §6"},
    {Error::kFrameTooShort, "frame_too_short", ErrorCode::kFrameSizeError, "RFC 9113 §4.2"},
    {Error::kPaddingTooLong, "padding_too_long", ErrorCode::kProtocolError,
     "RFC 9113 §6.1, §6.2, §6.6"},
    {Error::kStreamIdRequired, "stream_id_required", ErrorCode::kProtocolError, "RFC 9113 §6"},
    {Error::kStreamIdNotZero, "stream_id_not_zero", ErrorCode::kProtocolError, "RFC 9113 §6"},
    {Error::kExpectedContinuation, "expected_continuation", ErrorCode::kProtocolError,
     "RFC 9113 §4.3, §6.10"},
    {Error::kUnexpectedContinuation, "unexpected_continuation", ErrorCode::kProtocolError,
     "RFC 9113 §6.10"},
    {Error::kInvalidSettingValue, "invalid_setting_value", ErrorCode::kProtocolError,
     "RFC 9113 §6.5.2"},
    {Error::kInitialWindowTooLarge, "initial_window_too_large", ErrorCode::kFlowControlError,
     "RFC 9113 §6.5.2"},
    {Error::kZeroWindowIncrement, "zero_window_increment", ErrorCode::kProtocolError,
     "RFC 9113 §6.9"},
    {Error::kPriorityUpdateStreamZero, "priority_update_stream_zero", ErrorCode::kProtocolError,
     "RFC 9218 §7.1"},
    {Error::kBadPreface, "bad_preface", ErrorCode::kProtocolError, "RFC 9113 §3.4"},
    {Error::kPrefaceNotSettings, "preface_not_settings", ErrorCode::kProtocolError,
     "RFC 9113 §3.4"},
    {Error::kIdleStream, "idle_stream", ErrorCode::kProtocolError, "RFC 9113 §5.1"},
    {Error::kReservedStream, "reserved_stream", ErrorCode::kProtocolError, "RFC 9113 §5.1"},
    {Error::kBadStreamId, "bad_stream_id", ErrorCode::kProtocolError, "RFC 9113 §5.1.1"},
    {Error::kStreamClosed, "stream_closed", ErrorCode::kStreamClosed, "RFC 9113 §5.1"},
    {Error::kRefusedStream, "refused_stream", ErrorCode::kRefusedStream, "RFC 9113 §5.1.2"},
    {Error::kWindowExceeded, "window_exceeded", ErrorCode::kFlowControlError, "RFC 9113 §6.9.1"},
    {Error::kWindowOverflow, "window_overflow", ErrorCode::kFlowControlError, "RFC 9113 §6.9.1"},
    {Error::kInitialWindowOverflow, "initial_window_overflow", ErrorCode::kFlowControlError,
     "RFC 9113 §6.9.2"},
    {Error::kCompression, "compression", ErrorCode::kCompressionError, "RFC 9113 §4.3"},
    {Error::kMalformedMessage, "malformed_message", ErrorCode::kProtocolError, "RFC 9113 §8.1.1"},
    {Error::kPushDisabled, "push_disabled", ErrorCode::kProtocolError, "RFC 9113 §6.5.2, §6.6"},
    {Error::kUnexpectedFrame, "unexpected_frame", ErrorCode::kProtocolError,
     "RFC 9113 §8.4, §6.5.2; RFC 9218 §7.1"},
    {Error::kGoAwayIncreased, "goaway_increased", ErrorCode::kProtocolError, "RFC 9113 §6.8"},
    {Error::kSettingsTimeout, "settings_timeout", ErrorCode::kSettingsTimeout, "RFC 9113 §6.5.3"},
    {Error::kHeaderListTooLarge, "header_list_too_large", ErrorCode::kCompressionError,
     "RFC 9113 §4.3, §10.5.1"},
    {Error::kTooManyContinuations, "too_many_continuations", ErrorCode::kEnhanceYourCalm,
     "RFC 9113 §10.5 (limit)"},
    {Error::kFieldBlockTooLarge, "field_block_too_large", ErrorCode::kEnhanceYourCalm,
     "RFC 9113 §10.5 (limit)"},
    {Error::kTooManySettings, "too_many_settings", ErrorCode::kEnhanceYourCalm,
     "RFC 9113 §10.5 (limit)"},
    {Error::kOutboundQueueFlood, "outbound_queue_flood", ErrorCode::kEnhanceYourCalm,
     "RFC 9113 §10.5 (limit)"},
    {Error::kRapidReset, "rapid_reset", ErrorCode::kEnhanceYourCalm, "RFC 9113 §10.5 (limit)"},
    {Error::kTooManyGlitches, "too_many_glitches", ErrorCode::kEnhanceYourCalm,
     "RFC 9113 §10.5 (limit)"},
    {Error::kTooManyReservedStreams, "too_many_reserved_streams", ErrorCode::kEnhanceYourCalm,
     "RFC 9113 §10.5 (limit)"},
    {Error::kStalledStream, "stalled_stream", ErrorCode::kCancel, "RFC 9113 §10.5 (limit)"},
    {Error::kInternal, "internal", ErrorCode::kInternalError, "RFC 9113 §7"},
};
constexpr size_t kErrorCount = sizeof(kErrors) / sizeof(kErrors[0]);

constexpr bool TableInEnumOrder() {
  for (size_t i = 0; i < kErrorCount; ++i) {
    if (static_cast<size_t>(kErrors[i].error) != i) return false;
  }
  return static_cast<size_t>(Error::kInternal) + 1 == kErrorCount;
}
static_assert(TableInEnumOrder(), "kErrors must list every Error in declaration order");

const ErrorInfo& Info(Error e) {
  static constexpr ErrorInfo kUnknown = {Error::kInternal, "unknown", ErrorCode::kInternalError,
                                         ""};
  const size_t i = static_cast<size_t>(e);
  return i < kErrorCount ? kErrors[i] : kUnknown;
}

}  // namespace

absl::string_view ErrorCodeName(ErrorCode code) {
  const uint32_t i = static_cast<uint32_t>(code);
  return i < sizeof(kCodeNames) / sizeof(kCodeNames[0]) ? kCodeNames[i] : "UNKNOWN";
}

std::string ErrorCodeToString(uint32_t code) {
  if (code <= static_cast<uint32_t>(ErrorCode::kHttp11Required)) {
    return absl::StrFormat("%s (0x%x)", ErrorCodeName(static_cast<ErrorCode>(code)), code);
  }
  return absl::StrFormat("0x%x (unknown)", code);
}

ErrorCode ToErrorCode(Error e) { return Info(e).code; }
absl::string_view ErrorName(Error e) { return Info(e).name; }
absl::string_view ErrorRule(Error e) { return Info(e).rule; }

}  // namespace http2
