#include "http2/error_code.h"

#include "absl/strings/str_format.h"

namespace http2 {

absl::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNoError:
      return "NO_ERROR";
    case ErrorCode::kProtocolError:
      return "PROTOCOL_ERROR";
    case ErrorCode::kInternalError:
      return "INTERNAL_ERROR";
    case ErrorCode::kFlowControlError:
      return "FLOW_CONTROL_ERROR";
    case ErrorCode::kSettingsTimeout:
      return "SETTINGS_TIMEOUT";
    case ErrorCode::kStreamClosed:
      return "STREAM_CLOSED";
    case ErrorCode::kFrameSizeError:
      return "FRAME_SIZE_ERROR";
    case ErrorCode::kRefusedStream:
      return "REFUSED_STREAM";
    case ErrorCode::kCancel:
      return "CANCEL";
    case ErrorCode::kCompressionError:
      return "COMPRESSION_ERROR";
    case ErrorCode::kConnectError:
      return "CONNECT_ERROR";
    case ErrorCode::kEnhanceYourCalm:
      return "ENHANCE_YOUR_CALM";
    case ErrorCode::kInadequateSecurity:
      return "INADEQUATE_SECURITY";
    case ErrorCode::kHttp11Required:
      return "HTTP_1_1_REQUIRED";
  }
  return "UNKNOWN";
}

std::string ErrorCodeToString(uint32_t code) {
  if (code <= static_cast<uint32_t>(ErrorCode::kHttp11Required)) {
    return absl::StrFormat("%s (0x%x)", ErrorCodeName(static_cast<ErrorCode>(code)), code);
  }
  return absl::StrFormat("0x%x (unknown)", code);
}

ErrorCode ToErrorCode(Error e) {
  switch (e) {
    case Error::kNone:
      return ErrorCode::kNoError;
    case Error::kFrameTooLarge:
    case Error::kBadFrameLength:
    case Error::kFrameTooShort:
      return ErrorCode::kFrameSizeError;
    case Error::kInitialWindowTooLarge:
    case Error::kWindowExceeded:
    case Error::kWindowOverflow:
    case Error::kInitialWindowOverflow:
      return ErrorCode::kFlowControlError;
    case Error::kStreamClosed:
      return ErrorCode::kStreamClosed;
    case Error::kRefusedStream:
      return ErrorCode::kRefusedStream;
    case Error::kCompression:
    case Error::kHeaderListTooLarge:
      return ErrorCode::kCompressionError;
    case Error::kSettingsTimeout:
      return ErrorCode::kSettingsTimeout;
    case Error::kTooManyContinuations:
    case Error::kFieldBlockTooLarge:
    case Error::kTooManySettings:
    case Error::kOutboundQueueFlood:
    case Error::kRapidReset:
    case Error::kTooManyGlitches:
    case Error::kTooManyReservedStreams:
      return ErrorCode::kEnhanceYourCalm;
    case Error::kStalledStream:
      return ErrorCode::kCancel;
    case Error::kInternal:
      return ErrorCode::kInternalError;
    case Error::kPaddingTooLong:
    case Error::kStreamIdRequired:
    case Error::kStreamIdNotZero:
    case Error::kExpectedContinuation:
    case Error::kUnexpectedContinuation:
    case Error::kInvalidSettingValue:
    case Error::kZeroWindowIncrement:
    case Error::kPriorityUpdateStreamZero:
    case Error::kBadPreface:
    case Error::kPrefaceNotSettings:
    case Error::kIdleStream:
    case Error::kReservedStream:
    case Error::kBadStreamId:
    case Error::kMalformedMessage:
    case Error::kPushDisabled:
    case Error::kUnexpectedFrame:
    case Error::kGoAwayIncreased:
      return ErrorCode::kProtocolError;
  }
  return ErrorCode::kInternalError;
}

absl::string_view ErrorName(Error e) {
  switch (e) {
    case Error::kNone:
      return "none";
    case Error::kFrameTooLarge:
      return "frame_too_large";
    case Error::kBadFrameLength:
      return "bad_frame_length";
    case Error::kFrameTooShort:
      return "frame_too_short";
    case Error::kPaddingTooLong:
      return "padding_too_long";
    case Error::kStreamIdRequired:
      return "stream_id_required";
    case Error::kStreamIdNotZero:
      return "stream_id_not_zero";
    case Error::kExpectedContinuation:
      return "expected_continuation";
    case Error::kUnexpectedContinuation:
      return "unexpected_continuation";
    case Error::kInvalidSettingValue:
      return "invalid_setting_value";
    case Error::kInitialWindowTooLarge:
      return "initial_window_too_large";
    case Error::kZeroWindowIncrement:
      return "zero_window_increment";
    case Error::kPriorityUpdateStreamZero:
      return "priority_update_stream_zero";
    case Error::kBadPreface:
      return "bad_preface";
    case Error::kPrefaceNotSettings:
      return "preface_not_settings";
    case Error::kIdleStream:
      return "idle_stream";
    case Error::kReservedStream:
      return "reserved_stream";
    case Error::kBadStreamId:
      return "bad_stream_id";
    case Error::kStreamClosed:
      return "stream_closed";
    case Error::kRefusedStream:
      return "refused_stream";
    case Error::kWindowExceeded:
      return "window_exceeded";
    case Error::kWindowOverflow:
      return "window_overflow";
    case Error::kInitialWindowOverflow:
      return "initial_window_overflow";
    case Error::kCompression:
      return "compression";
    case Error::kMalformedMessage:
      return "malformed_message";
    case Error::kPushDisabled:
      return "push_disabled";
    case Error::kUnexpectedFrame:
      return "unexpected_frame";
    case Error::kGoAwayIncreased:
      return "goaway_increased";
    case Error::kSettingsTimeout:
      return "settings_timeout";
    case Error::kHeaderListTooLarge:
      return "header_list_too_large";
    case Error::kTooManyContinuations:
      return "too_many_continuations";
    case Error::kFieldBlockTooLarge:
      return "field_block_too_large";
    case Error::kTooManySettings:
      return "too_many_settings";
    case Error::kOutboundQueueFlood:
      return "outbound_queue_flood";
    case Error::kRapidReset:
      return "rapid_reset";
    case Error::kTooManyGlitches:
      return "too_many_glitches";
    case Error::kTooManyReservedStreams:
      return "too_many_reserved_streams";
    case Error::kStalledStream:
      return "stalled_stream";
    case Error::kInternal:
      return "internal";
  }
  return "unknown";
}

absl::string_view ErrorRule(Error e) {
  switch (e) {
    case Error::kNone:
      return "";
    case Error::kFrameTooLarge:
    case Error::kFrameTooShort:
      return "RFC 9113 §4.2";
    case Error::kBadFrameLength:
      return "RFC 9113 §4.2, §6";
    case Error::kPaddingTooLong:
      return "RFC 9113 §6.1, §6.2, §6.6";
    case Error::kStreamIdRequired:
    case Error::kStreamIdNotZero:
      return "RFC 9113 §6";
    case Error::kExpectedContinuation:
      return "RFC 9113 §4.3, §6.10";
    case Error::kUnexpectedContinuation:
      return "RFC 9113 §6.10";
    case Error::kInvalidSettingValue:
    case Error::kInitialWindowTooLarge:
      return "RFC 9113 §6.5.2";
    case Error::kZeroWindowIncrement:
      return "RFC 9113 §6.9";
    case Error::kPriorityUpdateStreamZero:
      return "RFC 9218 §7.1";
    case Error::kBadPreface:
    case Error::kPrefaceNotSettings:
      return "RFC 9113 §3.4";
    case Error::kIdleStream:
    case Error::kReservedStream:
    case Error::kStreamClosed:
      return "RFC 9113 §5.1";
    case Error::kBadStreamId:
      return "RFC 9113 §5.1.1";
    case Error::kRefusedStream:
      return "RFC 9113 §5.1.2";
    case Error::kWindowExceeded:
    case Error::kWindowOverflow:
      return "RFC 9113 §6.9.1";
    case Error::kInitialWindowOverflow:
      return "RFC 9113 §6.9.2";
    case Error::kCompression:
      return "RFC 9113 §4.3";
    case Error::kMalformedMessage:
      return "RFC 9113 §8.1.1";
    case Error::kPushDisabled:
      return "RFC 9113 §6.5.2, §6.6";
    case Error::kUnexpectedFrame:
      return "RFC 9113 §8.4, §6.5.2; RFC 9218 §7.1";
    case Error::kGoAwayIncreased:
      return "RFC 9113 §6.8";
    case Error::kSettingsTimeout:
      return "RFC 9113 §6.5.3";
    case Error::kHeaderListTooLarge:
      return "RFC 9113 §4.3, §10.5.1";
    case Error::kTooManyContinuations:
    case Error::kFieldBlockTooLarge:
    case Error::kTooManySettings:
    case Error::kOutboundQueueFlood:
    case Error::kRapidReset:
    case Error::kTooManyGlitches:
    case Error::kTooManyReservedStreams:
      return "RFC 9113 §10.5 (limit)";
    case Error::kStalledStream:
      return "RFC 9113 §10.5 (limit)";
    case Error::kInternal:
      return "RFC 9113 §7";
  }
  return "";
}

}  // namespace http2
