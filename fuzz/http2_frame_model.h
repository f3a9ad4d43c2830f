// An independent model of the frame-layer rules of RFC 9113 §4 and §6 (and RFC 9218 §7.1),
// written from the RFC text without looking at http2/frame_parser.cc: for a frame (or the
// part of it available), every rule it breaks, with that rule's error code and scope. The
// frame fuzzer checks the parser against it; the differential fuzzer uses it to recognise
// frames that break several rules at once (where implementations may report any one).
#ifndef H2HARNESS_FUZZ_HTTP2_FRAME_MODEL_H_
#define H2HARNESS_FUZZ_HTTP2_FRAME_MODEL_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"
#include "http2/error_code.h"
#include "http2/frame.h"

namespace fuzz {
namespace h2 {

using http2::Error;
using http2::ErrorCode;
using http2::FrameType;

inline uint32_t Get32(absl::string_view s, size_t at) {
  return (uint32_t{static_cast<uint8_t>(s[at])} << 24) |
         (uint32_t{static_cast<uint8_t>(s[at + 1])} << 16) |
         (uint32_t{static_cast<uint8_t>(s[at + 2])} << 8) | static_cast<uint8_t>(s[at + 3]);
}

// One rule a frame breaks, as the RFC states it: the error, its wire code and its scope.
struct Violation {
  Error error;
  ErrorCode code;
  bool connection;
};

// The model: which rules the frame starting at `f` breaks, judging only from the octets
// available (a parser must report a violation as soon as the octets showing it arrive).
// Written from the RFC text, independently of frame_parser.cc.
class Model {
 public:
  Model(uint32_t max_frame_size, bool validate_settings)
      : max_frame_size_(max_frame_size), validate_settings_(validate_settings) {}

  std::vector<Violation> Judge(absl::string_view f) const {
    std::vector<Violation> v;
    const uint32_t length = (uint32_t{static_cast<uint8_t>(f[0])} << 16) |
                            (uint32_t{static_cast<uint8_t>(f[1])} << 8) |
                            static_cast<uint8_t>(f[2]);
    const uint8_t type = static_cast<uint8_t>(f[3]);
    const uint8_t flags = static_cast<uint8_t>(f[4]);
    const uint32_t sid = Get32(f, 5) & 0x7fffffff;  // §4.1: the reserved bit is ignored
    const absl::string_view payload = f.substr(9);  // what is available of it
    auto add = [&v](Error e, ErrorCode c, bool conn) { v.push_back({e, c, conn}); };
    const auto t = static_cast<FrameType>(type);
    const bool known = type <= 0x9 || type == 0x10;
    // §4.3, §6.10: a field block is a contiguous sequence of frames.
    if (in_block_ && (t != FrameType::kContinuation || sid != block_stream_)) {
      add(Error::kExpectedContinuation, ErrorCode::kProtocolError, true);
    }
    // §4.2: "An endpoint MUST send an error code of FRAME_SIZE_ERROR if a frame exceeds
    // the size defined in SETTINGS_MAX_FRAME_SIZE".
    if (length > max_frame_size_) add(Error::kFrameTooLarge, ErrorCode::kFrameSizeError, true);
    if (!known) return v;  // §5.5: unknown types are ignored (given the rules above)
    const bool stream_frame = t == FrameType::kData || t == FrameType::kHeaders ||
                              t == FrameType::kPriority || t == FrameType::kRstStream ||
                              t == FrameType::kPushPromise || t == FrameType::kContinuation;
    if (stream_frame && sid == 0) add(Error::kStreamIdRequired, ErrorCode::kProtocolError, true);
    if (!stream_frame && t != FrameType::kWindowUpdate && sid != 0) {
      add(Error::kStreamIdNotZero, ErrorCode::kProtocolError, true);
    }
    const bool paddable =
        t == FrameType::kData || t == FrameType::kHeaders || t == FrameType::kPushPromise;
    const bool padded = paddable && (flags & 0x8);
    size_t fixed = 0;
    if (t == FrameType::kHeaders && (flags & 0x20)) fixed = 5;
    if (t == FrameType::kPushPromise) fixed = 4;
    switch (t) {
      case FrameType::kData:
      case FrameType::kHeaders:
      case FrameType::kPushPromise:
        // §4.2: "a frame that contains insufficient data to fill its mandatory fields".
        if (length < (padded ? 1 : 0) + fixed) {
          add(Error::kFrameTooShort, ErrorCode::kFrameSizeError, true);
        } else if (padded && !payload.empty()) {
          // §6.1/§6.2/§6.6: "If the length of the padding is the length of the frame payload
          // or greater, the recipient MUST treat this as a connection error" — the payload
          // after the Pad Length field and the fixed fields.
          const uint8_t pad = static_cast<uint8_t>(payload[0]);
          if (pad > length - 1 - fixed) {
            add(Error::kPaddingTooLong, ErrorCode::kProtocolError, true);
          }
        }
        break;
      case FrameType::kPriority:
        // §6.3: "a stream error (Section 5.4.2) of type FRAME_SIZE_ERROR".
        if (length != 5) add(Error::kBadFrameLength, ErrorCode::kFrameSizeError, false);
        break;
      case FrameType::kRstStream:
        if (length != 4) add(Error::kBadFrameLength, ErrorCode::kFrameSizeError, true);
        break;
      case FrameType::kSettings:
        if ((flags & 0x1) && length != 0) {
          add(Error::kBadFrameLength, ErrorCode::kFrameSizeError, true);
        }
        if (length % 6 != 0) add(Error::kBadFrameLength, ErrorCode::kFrameSizeError, true);
        if (!(flags & 0x1) && validate_settings_) {
          for (size_t at = 0; at + 6 <= payload.size() && at + 6 <= length; at += 6) {
            const uint16_t id = static_cast<uint16_t>((static_cast<uint8_t>(payload[at]) << 8) |
                                                      static_cast<uint8_t>(payload[at + 1]));
            const uint32_t value = Get32(payload, at + 2);
            // §6.5.2 (and RFC 8441 §3, RFC 9218 §2.1 for the 0-or-1 settings).
            if ((id == 0x2 || id == 0x8 || id == 0x9) && value > 1) {
              add(Error::kInvalidSettingValue, ErrorCode::kProtocolError, true);
            } else if (id == 0x4 && value > 0x7fffffff) {
              add(Error::kInitialWindowTooLarge, ErrorCode::kFlowControlError, true);
            } else if (id == 0x5 && (value < 16384 || value > 16777215)) {
              add(Error::kInvalidSettingValue, ErrorCode::kProtocolError, true);
            }
          }
        }
        break;
      case FrameType::kPing:
        if (length != 8) add(Error::kBadFrameLength, ErrorCode::kFrameSizeError, true);
        break;
      case FrameType::kGoAway:
        if (length < 8) add(Error::kFrameTooShort, ErrorCode::kFrameSizeError, true);
        break;
      case FrameType::kWindowUpdate:
        if (length != 4) {
          add(Error::kBadFrameLength, ErrorCode::kFrameSizeError, true);
        } else if (payload.size() >= 4 && (Get32(payload, 0) & 0x7fffffff) == 0) {
          // §6.9: "a stream error ... or a connection error if on the connection flow-control
          // window".
          add(Error::kZeroWindowIncrement, ErrorCode::kProtocolError, sid == 0);
        }
        break;
      case FrameType::kContinuation:
        if (!in_block_) add(Error::kUnexpectedContinuation, ErrorCode::kProtocolError, true);
        break;
      case FrameType::kPriorityUpdate:
        // RFC 9218 §7.1: stream 0, a Prioritized Stream ID that is not 0.
        if (length < 4) {
          add(Error::kFrameTooShort, ErrorCode::kFrameSizeError, true);
        } else if (payload.size() >= 4 && (Get32(payload, 0) & 0x7fffffff) == 0) {
          add(Error::kPriorityUpdateStreamZero, ErrorCode::kProtocolError, true);
        }
        break;
    }
    return v;
  }

  // A frame was delivered whole.
  void Accepted(uint8_t type, uint8_t flags, uint32_t sid) {
    const auto t = static_cast<FrameType>(type);
    if (t == FrameType::kHeaders || t == FrameType::kPushPromise) {
      in_block_ = !(flags & 0x4);
      block_stream_ = sid;
    } else if (t == FrameType::kContinuation) {
      in_block_ = !(flags & 0x4);
    }
  }

 private:
  uint32_t max_frame_size_;
  bool validate_settings_;
  bool in_block_ = false;
  uint32_t block_stream_ = 0;
};

}  // namespace h2
}  // namespace fuzz

#endif  // H2HARNESS_FUZZ_HTTP2_FRAME_MODEL_H_
