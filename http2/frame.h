// HTTP/2 frames (RFC 9113 §4.1, §6; PRIORITY_UPDATE from RFC 9218 §7.1): types, flags,
// the frame header, and a serializer that appends frames to a caller-owned buffer.
//
// The serializer writes what it is told, so it can also produce malformed frames (for
// tests and the conformance probe): flags are written as given (PADDED and PRIORITY are
// added when padding or priority fields are supplied), 31-bit identifiers are written as
// 32-bit words (so bit 31, the reserved bit, can be set), and AppendRawFrame /
// AppendFrameHeader write any type, flags, length and payload. Frame is the parsed form
// (see frame_parser.h), and SerializeFrame writes a parsed frame back octet for octet.
#ifndef H2HARNESS_HTTP2_FRAME_H_
#define H2HARNESS_HTTP2_FRAME_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "http2/settings.h"

namespace http2 {

enum class FrameType : uint8_t {
  kData = 0x0,
  kHeaders = 0x1,
  kPriority = 0x2,
  kRstStream = 0x3,
  kSettings = 0x4,
  kPushPromise = 0x5,
  kPing = 0x6,
  kGoAway = 0x7,
  kWindowUpdate = 0x8,
  kContinuation = 0x9,
  kPriorityUpdate = 0x10,  // RFC 9218 §7.1
};

// Flags (§6). The same bit means different things for different types.
inline constexpr uint8_t kFlagEndStream = 0x1;   // DATA, HEADERS
inline constexpr uint8_t kFlagAck = 0x1;         // SETTINGS, PING
inline constexpr uint8_t kFlagEndHeaders = 0x4;  // HEADERS, PUSH_PROMISE, CONTINUATION
inline constexpr uint8_t kFlagPadded = 0x8;      // DATA, HEADERS, PUSH_PROMISE
inline constexpr uint8_t kFlagPriority = 0x20;   // HEADERS

inline constexpr size_t kFrameHeaderSize = 9;
inline constexpr uint32_t kMaxStreamId = 0x7fffffff;
inline constexpr uint32_t kReservedBit = 0x80000000;

// The 24 octets every client sends first (§3.4).
inline constexpr absl::string_view kClientPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

// "DATA", "HEADERS", ... ; "UNKNOWN(0xNN)" for other types.
std::string FrameTypeName(uint8_t type);
// Names of the flags defined for `type`, "|"-joined ("END_STREAM|END_HEADERS"), with
// undefined bits as hex ("ACK|0x6"); "" when none.
std::string FrameFlagsToString(uint8_t type, uint8_t flags);

struct FrameHeader {
  uint32_t length = 0;  // 24 bits
  uint8_t type = 0;
  uint8_t flags = 0;
  uint32_t stream_id = 0;  // 31 bits; the reserved bit is in `reserved`
  // Reserved bits as received (they are ignored, §4.1): kReservedStreamIdBit for the frame
  // header's, kReservedPayloadBit for the one in front of a 31-bit payload field (Promised
  // Stream ID, Last-Stream-ID, Window Size Increment, Prioritized Stream ID), set by the
  // parser before the type's callback.
  uint8_t reserved = 0;

  bool has(uint8_t flag) const { return (flags & flag) != 0; }
  bool is(FrameType t) const { return type == static_cast<uint8_t>(t); }
};
inline constexpr uint8_t kReservedStreamIdBit = 0x1;
inline constexpr uint8_t kReservedPayloadBit = 0x2;

// Priority fields of HEADERS and PRIORITY (§6.2, §6.3; deprecated signalling, §5.3.2).
struct PrioritySpec {
  uint32_t stream_dependency = 0;  // written as given, so bit 31 may be set
  bool exclusive = false;
  uint8_t weight = 15;  // wire value; the weight is this plus one
  friend bool operator==(const PrioritySpec& a, const PrioritySpec& b) {
    return a.stream_dependency == b.stream_dependency && a.exclusive == b.exclusive &&
           a.weight == b.weight;
  }
};

// --- Serializer: each function appends one frame to *out. ---
// `pad_length`: when set, the PADDED flag, the Pad Length octet and that many zero octets.

// A frame header exactly as given: length (low 24 bits), type, flags, and the stream
// identifier word (bit 31 is the reserved bit). WriteFrameHeader writes the 9 octets at
// `dest`.
void WriteFrameHeader(char* dest, uint32_t length, uint8_t type, uint8_t flags, uint32_t stream_id);
void AppendFrameHeader(std::string* out, uint32_t length, uint8_t type, uint8_t flags,
                       uint32_t stream_id);
// Any frame: the header with length = payload.size(), then the payload.
void AppendRawFrame(std::string* out, uint8_t type, uint8_t flags, uint32_t stream_id,
                    absl::string_view payload);

void AppendData(std::string* out, uint32_t stream_id, absl::string_view data, uint8_t flags = 0,
                std::optional<uint8_t> pad_length = std::nullopt);
// `priority`: when non-null, the PRIORITY flag and the 5 priority octets.
void AppendHeaders(std::string* out, uint32_t stream_id, absl::string_view fragment, uint8_t flags,
                   const PrioritySpec* priority = nullptr,
                   std::optional<uint8_t> pad_length = std::nullopt);
void AppendPriority(std::string* out, uint32_t stream_id, const PrioritySpec& priority);
void AppendRstStream(std::string* out, uint32_t stream_id, uint32_t error_code);
void AppendSettings(std::string* out, absl::Span<const Setting> settings, uint8_t flags = 0);
void AppendSettingsAck(std::string* out);
void AppendPushPromise(std::string* out, uint32_t stream_id, uint32_t promised_stream_id,
                       absl::string_view fragment, uint8_t flags,
                       std::optional<uint8_t> pad_length = std::nullopt);
// `opaque` is written big-endian: the frame's 8 octets read as one number.
void AppendPing(std::string* out, uint64_t opaque, uint8_t flags = 0);
void AppendGoAway(std::string* out, uint32_t last_stream_id, uint32_t error_code,
                  absl::string_view debug_data = {});
void AppendWindowUpdate(std::string* out, uint32_t stream_id, uint32_t increment);
void AppendContinuation(std::string* out, uint32_t stream_id, absl::string_view fragment,
                        uint8_t flags);
void AppendPriorityUpdate(std::string* out, uint32_t prioritized_stream_id,
                          absl::string_view field_value);

// A parsed frame with its fields decoded and copied (see ParseFrames in frame_parser.h).
struct Frame {
  FrameHeader header;
  std::optional<uint8_t> pad_length;     // PADDED DATA, HEADERS, PUSH_PROMISE
  std::string padding;                   // the padding octets as received
  std::optional<PrioritySpec> priority;  // HEADERS with PRIORITY; PRIORITY
  uint32_t promised_stream_id = 0;       // PUSH_PROMISE (31 bits)
  uint32_t error_code = 0;               // RST_STREAM, GOAWAY
  uint32_t last_stream_id = 0;           // GOAWAY (31 bits)
  uint32_t window_increment = 0;         // WINDOW_UPDATE (31 bits)
  uint64_t ping_data = 0;                // PING
  uint32_t prioritized_stream_id = 0;    // PRIORITY_UPDATE (31 bits)
  std::vector<Setting> settings;         // SETTINGS
  // DATA: data; HEADERS, PUSH_PROMISE, CONTINUATION: field block fragment; GOAWAY: debug
  // data; PRIORITY_UPDATE: field value; other types: the whole payload.
  std::string payload;

  FrameType type() const { return static_cast<FrameType>(header.type); }
};

// Writes `frame` back as it was received (header fields, reserved bits, padding octets).
void SerializeFrame(const Frame& frame, std::string* out);
// One line for logs and test failures, e.g.
// "HEADERS stream=1 flags=END_STREAM|END_HEADERS length=14 fragment=14 octets".
std::string DescribeFrame(const Frame& frame);

}  // namespace http2

#endif  // H2HARNESS_HTTP2_FRAME_H_
