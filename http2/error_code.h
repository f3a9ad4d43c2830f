// HTTP/2 error codes (RFC 9113 §7) and h2harness's internal errors: every rule a peer can
// break and every limit it can exceed, each mapped to the one wire code it is reported with
// (ToErrorCode, nghttp2 style) and the rule it rests on (ErrorRule).
//
// Whether an error is a stream error (§5.4.2, RST_STREAM) or a connection error (§5.4.1,
// GOAWAY) is decided where it is detected (the same rule can be either: WINDOW_UPDATE with
// increment 0 is a stream error on a stream and a connection error on stream 0), so it is
// carried by ProtocolError, not by the Error value.
#ifndef H2HARNESS_HTTP2_ERROR_CODE_H_
#define H2HARNESS_HTTP2_ERROR_CODE_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace http2 {

// RFC 9113 §7. Values outside this list can appear on the wire; they are carried as
// uint32_t and treated like INTERNAL_ERROR where a meaning is needed (§7, last paragraph).
enum class ErrorCode : uint32_t {
  kNoError = 0x0,
  kProtocolError = 0x1,
  kInternalError = 0x2,
  kFlowControlError = 0x3,
  kSettingsTimeout = 0x4,
  kStreamClosed = 0x5,
  kFrameSizeError = 0x6,
  kRefusedStream = 0x7,
  kCancel = 0x8,
  kCompressionError = 0x9,
  kConnectError = 0xa,
  kEnhanceYourCalm = 0xb,
  kInadequateSecurity = 0xc,
  kHttp11Required = 0xd,
};

// "PROTOCOL_ERROR"; "UNKNOWN" for codes not in §7.
absl::string_view ErrorCodeName(ErrorCode code);
// "PROTOCOL_ERROR (0x1)", or "0x1234 (unknown)".
std::string ErrorCodeToString(uint32_t code);

// Internal errors. The comment gives the wire code ToErrorCode() maps each one to.
enum class Error {
  kNone = 0,
  // --- Frame layer (found by the FrameParser) ---
  kFrameTooLarge,         // FRAME_SIZE_ERROR: length > our SETTINGS_MAX_FRAME_SIZE (§4.2)
  kBadFrameLength,        // FRAME_SIZE_ERROR: length other than the type requires
                          // (PRIORITY §6.3, RST_STREAM §6.4, SETTINGS §6.5, PING §6.7,
                          // WINDOW_UPDATE §6.9)
  kFrameTooShort,         // FRAME_SIZE_ERROR: too short for its mandatory fields: Pad Length,
                          // priority fields, Promised Stream ID, GOAWAY fields (§4.2)
  kPaddingTooLong,        // PROTOCOL_ERROR: padding >= what is left of the payload
                          // (§6.1, §6.2, §6.6)
  kStreamIdRequired,      // PROTOCOL_ERROR: stream 0 on a stream frame (§6.1-§6.4, §6.6, §6.10)
  kStreamIdNotZero,       // PROTOCOL_ERROR: a connection frame on a stream
                          // (SETTINGS §6.5, PING §6.7, GOAWAY §6.8; RFC 9218 §7.1)
  kExpectedContinuation,  // PROTOCOL_ERROR: another frame inside a field block (§4.3, §6.10)
  kUnexpectedContinuation,    // PROTOCOL_ERROR: CONTINUATION outside a field block (§6.10)
  kInvalidSettingValue,       // PROTOCOL_ERROR: ENABLE_PUSH, MAX_FRAME_SIZE out of range
                              // (§6.5.2), ENABLE_CONNECT_PROTOCOL (RFC 8441 §3),
                              // NO_RFC7540_PRIORITIES (RFC 9218 §2.1)
  kInitialWindowTooLarge,     // FLOW_CONTROL_ERROR: SETTINGS_INITIAL_WINDOW_SIZE > 2^31-1 (§6.5.2)
  kZeroWindowIncrement,       // PROTOCOL_ERROR: WINDOW_UPDATE increment 0 (§6.9)
  kPriorityUpdateStreamZero,  // PROTOCOL_ERROR: PRIORITY_UPDATE for stream 0 (RFC 9218 §7.1)
  // --- Connection and stream state (found by the Session) ---
  kBadPreface,             // PROTOCOL_ERROR: not the client connection preface (§3.4)
  kPrefaceNotSettings,     // PROTOCOL_ERROR: first frame is not SETTINGS (§3.4)
  kIdleStream,             // PROTOCOL_ERROR: frame other than HEADERS/PRIORITY on an idle
                           // stream, or HEADERS on an idle stream the receiver would open (§5.1)
  kReservedStream,         // PROTOCOL_ERROR: frame not allowed on a reserved stream (§5.1)
  kBadStreamId,            // PROTOCOL_ERROR: wrong parity, not increasing, or a closed stream
                           // reopened (§5.1.1)
  kStreamClosed,           // STREAM_CLOSED: frame on a half-closed (remote) or closed stream
                           // (§5.1, §6.1)
  kRefusedStream,          // REFUSED_STREAM: over SETTINGS_MAX_CONCURRENT_STREAMS (§5.1.2)
  kWindowExceeded,         // FLOW_CONTROL_ERROR: DATA beyond the receive window (§6.9.1)
  kWindowOverflow,         // FLOW_CONTROL_ERROR: WINDOW_UPDATE past 2^31-1 (§6.9.1)
  kInitialWindowOverflow,  // FLOW_CONTROL_ERROR: INITIAL_WINDOW_SIZE change takes a window
                           // past 2^31-1 (§6.9.2)
  kCompression,            // COMPRESSION_ERROR: field block decoding failed (§4.3)
  kMalformedMessage,       // PROTOCOL_ERROR: malformed request or response (§8.1.1)
  kPushDisabled,           // PROTOCOL_ERROR: PUSH_PROMISE after ENABLE_PUSH=0 acked (§6.6)
  kUnexpectedFrame,        // PROTOCOL_ERROR: a frame this role never receives: PUSH_PROMISE
                           // to a server (§8.4), PRIORITY_UPDATE to a client (RFC 9218 §7.1),
                           // ENABLE_PUSH=1 to a client (§6.5.2)
  kGoAwayIncreased,        // PROTOCOL_ERROR: GOAWAY last-stream-id raised (§6.8 MUST NOT)
  kSettingsTimeout,        // SETTINGS_TIMEOUT: our SETTINGS not acknowledged in time (§6.5.3)
  // --- Limits against abuse (§10.5: "MAY treat ... as ENHANCE_YOUR_CALM") ---
  kHeaderListTooLarge,      // COMPRESSION_ERROR: field section over max_header_list_size or
                            // max_header_fields: decoding stops mid-block, so the HPACK
                            // context is lost (§4.3, §10.5.1)
  kTooManyContinuations,    // ENHANCE_YOUR_CALM: CONTINUATION frames per field block
  kFieldBlockTooLarge,      // ENHANCE_YOUR_CALM: field block wire octets
  kTooManySettings,         // ENHANCE_YOUR_CALM: entries in one SETTINGS frame
  kOutboundQueueFlood,      // ENHANCE_YOUR_CALM: too many ACKs/RST_STREAMs queued unsent
  kRapidReset,              // ENHANCE_YOUR_CALM: RST_STREAM rate (CVE-2023-44487)
  kTooManyGlitches,         // ENHANCE_YOUR_CALM: suspicious frames and provoked stream errors
                            // (CVE-2025-8671 "MadeYouReset" and kin)
  kTooManyReservedStreams,  // ENHANCE_YOUR_CALM (stream): pushed streams beyond
                            // max_reserved_remote_streams (§10.5)
  kStalledStream,           // CANCEL (stream): our data stalled at a zero window too long
  kInternal,                // INTERNAL_ERROR: a DataSource failed, or another local failure
};

// The wire code for `e` (kNone -> NO_ERROR).
ErrorCode ToErrorCode(Error e);
// Stable identifier, e.g. "frame_too_large".
absl::string_view ErrorName(Error e);
// The rule, e.g. "RFC 9113 §4.2"; for limits, the section that allows them.
absl::string_view ErrorRule(Error e);

// One detected violation, with what a log line or a probe verdict needs.
struct ProtocolError {
  Error error = Error::kNone;
  ErrorCode code = ErrorCode::kNoError;  // ToErrorCode(error)
  bool connection = true;                // §5.4.1 connection error, else §5.4.2 stream error
  uint32_t stream_id = 0;                // the stream of the frame (0 for connection frames)
  int frame_type = -1;                   // type of the offending frame (0-255); -1: none
  uint64_t offset = 0;                   // input octet where that frame starts
  // e.g. "DATA frame on stream 1 at octet 120: padding of 200 octets ... (RFC 9113 §6.1)"
  std::string message;
};

}  // namespace http2

#endif  // H2HARNESS_HTTP2_ERROR_CODE_H_
