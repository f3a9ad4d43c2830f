#include "http2/frame_parser.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/str_format.h"

namespace http2 {
namespace {

inline uint32_t Get24(const char* p) {
  const auto* u = reinterpret_cast<const uint8_t*>(p);
  return (uint32_t{u[0]} << 16) | (uint32_t{u[1]} << 8) | u[2];
}
inline uint32_t Get32(const char* p) {
  const auto* u = reinterpret_cast<const uint8_t*>(p);
  return (uint32_t{u[0]} << 24) | (uint32_t{u[1]} << 16) | (uint32_t{u[2]} << 8) | u[3];
}

inline bool IsPaddable(uint8_t type) {
  return type == static_cast<uint8_t>(FrameType::kData) ||
         type == static_cast<uint8_t>(FrameType::kHeaders) ||
         type == static_cast<uint8_t>(FrameType::kPushPromise);
}

// Octets of fixed fields after Pad Length.
inline size_t FixedSize(const FrameHeader& h) {
  switch (static_cast<FrameType>(h.type)) {
    case FrameType::kHeaders:
      return h.has(kFlagPriority) ? 5 : 0;
    case FrameType::kPriority:
      return 5;
    case FrameType::kPushPromise:
    case FrameType::kRstStream:
    case FrameType::kWindowUpdate:
    case FrameType::kPriorityUpdate:
      return 4;
    case FrameType::kPing:
    case FrameType::kGoAway:
      return 8;
    default:
      return 0;
  }
}

}  // namespace

FrameParser::FrameParser(FrameListener* listener, const FrameParserOptions& options)
    : listener_(listener), options_(options) {}

const char* FrameParser::Take(const char*& p, const char* end, size_t n) {
  if (have_ == 0 && static_cast<size_t>(end - p) >= n) {
    const char* r = p;
    p += n;
    return r;
  }
  const size_t k = std::min(n - have_, static_cast<size_t>(end - p));
  std::memcpy(buf_ + have_, p, k);
  have_ += k;
  p += k;
  if (have_ < n) return nullptr;
  have_ = 0;
  return buf_;
}

size_t FrameParser::Parse(absl::string_view input) {
  const char* const begin = input.data();
  const char* p = begin;
  const char* const end = p + input.size();
  paused_ = false;
  while (!paused_ && !halted_) {
    switch (state_) {
      case State::kHeader: {
        if (p == end) goto done;
        if (have_ == 0) frame_start_ = offset_ + (p - begin);
        const char* h = Take(p, end, kFrameHeaderSize);
        if (h == nullptr) goto done;
        StartFrame(h);
        break;
      }
      case State::kPadLength: {
        if (p == end) goto done;
        const uint8_t pad = static_cast<uint8_t>(*p++);
        AfterPadLength(pad);
        break;
      }
      case State::kFixed: {
        if (p == end) goto done;
        const char* f = Take(p, end, fixed_size_);
        if (f == nullptr) goto done;
        AfterFixed(f);
        break;
      }
      case State::kStart:
        CallStart();
        break;
      case State::kSettingEntry: {
        if (left_ == 0) {
          state_ = State::kPadding;
          break;
        }
        if (p == end) goto done;
        const char* f = Take(p, end, 6);
        if (f == nullptr) goto done;
        left_ -= 6;
        const Setting s{
            static_cast<uint16_t>((static_cast<uint8_t>(f[0]) << 8) | static_cast<uint8_t>(f[1])),
            Get32(f + 2)};
        const Error e = options_.validate_setting_values ? ValidateSetting(s) : Error::kNone;
        if (e != Error::kNone) {
          FailWith(e, true, "RFC 9113 §6.5.2", [&] {
            return absl::StrFormat("%s value %u is out of range", SettingName(s.id), s.value);
          });
          break;
        }
        listener_->OnSetting(s);
        break;
      }
      case State::kPayload: {
        if (body_left_ == 0) {
          state_ = State::kPadding;
          break;
        }
        if (p == end) goto done;
        const size_t n = std::min<size_t>(body_left_, end - p);
        body_left_ -= static_cast<uint32_t>(n);
        left_ -= static_cast<uint32_t>(n);
        const absl::string_view chunk(p, n);
        p += n;
        DeliverPayload(chunk);
        break;
      }
      case State::kPadding: {
        if (left_ == 0) {
          FinishFrame();
          break;
        }
        if (p == end) goto done;
        const size_t n = std::min<size_t>(left_, end - p);
        left_ -= static_cast<uint32_t>(n);
        const absl::string_view chunk(p, n);
        p += n;
        listener_->OnPadding(chunk);
        break;
      }
      case State::kSkip: {
        if (left_ == 0) {
          state_ = State::kHeader;
          break;
        }
        if (p == end) goto done;
        const size_t n = std::min<size_t>(left_, end - p);
        left_ -= static_cast<uint32_t>(n);
        p += n;
        break;
      }
      case State::kHalted:
        halted_ = true;
        break;
    }
  }
done:
  const size_t consumed = p - begin;
  offset_ += consumed;
  return consumed;
}

void FrameParser::StartFrame(const char* h) {
  hdr_.length = Get24(h);
  hdr_.type = static_cast<uint8_t>(h[3]);
  hdr_.flags = static_cast<uint8_t>(h[4]);
  const uint32_t sid = Get32(h + 5);
  hdr_.stream_id = sid & kMaxStreamId;
  hdr_.reserved = (sid & kReservedBit) ? kReservedStreamIdBit : 0;
  left_ = hdr_.length;
  pad_length_ = 0;
  has_priority_ = false;
  const FrameType type = static_cast<FrameType>(hdr_.type);
  const uint32_t sid31 = hdr_.stream_id;

  // §4.3, §6.10: inside a field block only a CONTINUATION on the same stream may come.
  if (in_field_block_ && (type != FrameType::kContinuation || sid31 != field_block_stream_)) {
    FailWith(Error::kExpectedContinuation, true, "RFC 9113 §4.3, §6.10", [&] {
      return absl::StrFormat(
          "a CONTINUATION frame on stream %u must follow a HEADERS or PUSH_PROMISE frame "
          "without END_HEADERS",
          field_block_stream_);
    });
    return;
  }
  if (hdr_.length > options_.max_frame_size) {
    FailWith(Error::kFrameTooLarge, true, "RFC 9113 §4.2", [&] {
      return absl::StrFormat("length %u exceeds SETTINGS_MAX_FRAME_SIZE %u", hdr_.length,
                             options_.max_frame_size);
    });
    return;
  }

  // Stream identifier rules.
  switch (type) {
    case FrameType::kData:
    case FrameType::kHeaders:
    case FrameType::kPriority:
    case FrameType::kRstStream:
    case FrameType::kPushPromise:
    case FrameType::kContinuation:
      if (sid31 == 0) {
        static constexpr const char* kRules[] = {"RFC 9113 §6.1",
                                                 "RFC 9113 §6.2",
                                                 "RFC 9113 §6.3",
                                                 "RFC 9113 §6.4",
                                                 "",
                                                 "RFC 9113 §6.6",
                                                 "",
                                                 "",
                                                 "",
                                                 "RFC 9113 §6.10"};
        Fail(Error::kStreamIdRequired, true, "the frame must be on a stream, not stream 0",
             kRules[hdr_.type]);
        return;
      }
      break;
    case FrameType::kSettings:
    case FrameType::kPing:
    case FrameType::kGoAway:
    case FrameType::kPriorityUpdate:
      if (sid31 != 0) {
        const char* rule = type == FrameType::kSettings ? "RFC 9113 §6.5"
                           : type == FrameType::kPing   ? "RFC 9113 §6.7"
                           : type == FrameType::kGoAway ? "RFC 9113 §6.8"
                                                        : "RFC 9218 §7.1";
        Fail(Error::kStreamIdNotZero, true, "the frame must be on stream 0", rule);
        return;
      }
      break;
    default:
      break;
  }

  // Length rules.
  const bool padded = IsPaddable(hdr_.type) && hdr_.has(kFlagPadded);
  switch (type) {
    case FrameType::kData:
    case FrameType::kHeaders:
    case FrameType::kPushPromise: {
      const size_t min = (padded ? 1 : 0) + FixedSize(hdr_);
      if (hdr_.length < min) {
        FailWith(Error::kFrameTooShort, true, "RFC 9113 §4.2", [&] {
          return absl::StrFormat("length %u is too short for its %s%s%s (%u octets)", hdr_.length,
                                 padded ? "Pad Length" : "",
                                 padded && FixedSize(hdr_) ? " and " : "",
                                 FixedSize(hdr_) == 0              ? ""
                                 : type == FrameType::kHeaders     ? "priority fields"
                                                                   : "Promised Stream ID",
                                 min);
        });
        return;
      }
      break;
    }
    case FrameType::kPriority:
      if (hdr_.length != 5) {
        // §6.3: a stream error; the session escalates it where RST_STREAM cannot be sent.
        FailWith(Error::kBadFrameLength, false, "RFC 9113 §6.3",
                 [&] { return absl::StrFormat("length %u, must be 5", hdr_.length); });
        return;
      }
      break;
    case FrameType::kRstStream:
    case FrameType::kWindowUpdate:
      if (hdr_.length != 4) {
        FailWith(Error::kBadFrameLength, true,
                 type == FrameType::kRstStream ? "RFC 9113 §6.4" : "RFC 9113 §6.9",
                 [&] { return absl::StrFormat("length %u, must be 4", hdr_.length); });
        return;
      }
      break;
    case FrameType::kSettings:
      if (hdr_.has(kFlagAck) && hdr_.length != 0) {
        FailWith(Error::kBadFrameLength, true, "RFC 9113 §6.5", [&] {
          return absl::StrFormat("SETTINGS with ACK has length %u, must be 0", hdr_.length);
        });
        return;
      }
      if (hdr_.length % 6 != 0) {
        FailWith(Error::kBadFrameLength, true, "RFC 9113 §6.5",
                 [&] { return absl::StrFormat("length %u is not a multiple of 6", hdr_.length); });
        return;
      }
      break;
    case FrameType::kPing:
      if (hdr_.length != 8) {
        FailWith(Error::kBadFrameLength, true, "RFC 9113 §6.7",
                 [&] { return absl::StrFormat("length %u, must be 8", hdr_.length); });
        return;
      }
      break;
    case FrameType::kGoAway:
      if (hdr_.length < 8) {
        FailWith(Error::kFrameTooShort, true, "RFC 9113 §4.2, §6.8", [&] {
          return absl::StrFormat(
              "length %u is shorter than the 8 octets of Last-Stream-ID "
              "and Error Code",
              hdr_.length);
        });
        return;
      }
      break;
    case FrameType::kContinuation:
      if (!in_field_block_) {
        Fail(Error::kUnexpectedContinuation, true,
             "no HEADERS or PUSH_PROMISE frame without END_HEADERS precedes it", "RFC 9113 §6.10");
        return;
      }
      break;
    case FrameType::kPriorityUpdate:
      if (hdr_.length < 4) {
        FailWith(Error::kFrameTooShort, true, "RFC 9113 §4.2, RFC 9218 §7.1", [&] {
          return absl::StrFormat("length %u is shorter than the Prioritized Stream ID",
                                 hdr_.length);
        });
        return;
      }
      break;
    default:
      break;
  }

  fixed_size_ = FixedSize(hdr_);
  state_ = padded ? State::kPadLength : (fixed_size_ ? State::kFixed : State::kStart);
  listener_->OnFrameHeader(hdr_);
}

void FrameParser::AfterPadLength(uint8_t pad) {
  left_ -= 1;
  pad_length_ = pad;
  // §6.1, §6.2, §6.6: the padding must leave room for the fixed fields.
  if (pad > left_ - fixed_size_) {
    FailWith(Error::kPaddingTooLong, true,
             hdr_.is(FrameType::kData)      ? "RFC 9113 §6.1"
             : hdr_.is(FrameType::kHeaders) ? "RFC 9113 §6.2"
                                            : "RFC 9113 §6.6",
             [&] {
               return absl::StrFormat(
                   "Pad Length %u exceeds the %u octets of payload left after the Pad "
                   "Length%s",
                   pad, left_ - fixed_size_, fixed_size_ ? " and fixed fields" : "");
             });
    return;
  }
  state_ = fixed_size_ ? State::kFixed : State::kStart;
}

void FrameParser::AfterFixed(const char* f) {
  left_ -= static_cast<uint32_t>(fixed_size_);
  switch (static_cast<FrameType>(hdr_.type)) {
    case FrameType::kHeaders:
    case FrameType::kPriority: {
      const uint32_t dep = Get32(f);
      priority_.exclusive = (dep & kReservedBit) != 0;
      priority_.stream_dependency = dep & kMaxStreamId;
      priority_.weight = static_cast<uint8_t>(f[4]);
      has_priority_ = true;
      break;
    }
    case FrameType::kPing: {
      ping_ = (uint64_t{Get32(f)} << 32) | Get32(f + 4);
      break;
    }
    case FrameType::kGoAway:
      word_ = Get32(f);
      word2_ = Get32(f + 4);
      break;
    default:
      word_ = Get32(f);
      break;
  }
  // The reserved bit in front of a 31-bit payload field (§6.6, §6.8, §6.9; RFC 9218).
  switch (static_cast<FrameType>(hdr_.type)) {
    case FrameType::kPushPromise:
    case FrameType::kGoAway:
    case FrameType::kWindowUpdate:
    case FrameType::kPriorityUpdate:
      if (word_ & kReservedBit) hdr_.reserved |= kReservedPayloadBit;
      word_ &= kMaxStreamId;
      break;
    default:
      break;
  }
  state_ = State::kStart;
}

void FrameParser::CallStart() {
  body_left_ = left_ - pad_length_;
  state_ = State::kPayload;
  switch (static_cast<FrameType>(hdr_.type)) {
    case FrameType::kData:
      listener_->OnDataStart(hdr_);
      break;
    case FrameType::kHeaders:
      listener_->OnHeadersStart(hdr_, has_priority_ ? &priority_ : nullptr);
      break;
    case FrameType::kPriority:
      listener_->OnPriority(hdr_, priority_);
      break;
    case FrameType::kRstStream:
      listener_->OnRstStream(hdr_, word_);
      break;
    case FrameType::kSettings:
      body_left_ = 0;
      if (hdr_.has(kFlagAck)) {
        listener_->OnSettingsAck(hdr_);
      } else {
        state_ = State::kSettingEntry;
        listener_->OnSettingsStart(hdr_);
      }
      break;
    case FrameType::kPushPromise:
      listener_->OnPushPromiseStart(hdr_, word_);
      break;
    case FrameType::kPing:
      listener_->OnPing(hdr_, ping_);
      break;
    case FrameType::kGoAway:
      listener_->OnGoAwayStart(hdr_, word_, word2_);
      break;
    case FrameType::kWindowUpdate:
      if (word_ == 0) {
        const bool conn = hdr_.stream_id == 0;
        Fail(Error::kZeroWindowIncrement, conn,
             conn ? "window increment 0 on the connection" : "window increment 0 on a stream",
             "RFC 9113 §6.9");
        break;
      }
      listener_->OnWindowUpdate(hdr_, word_);
      break;
    case FrameType::kContinuation:
      listener_->OnContinuationStart(hdr_);
      break;
    case FrameType::kPriorityUpdate:
      if (word_ == 0) {
        Fail(Error::kPriorityUpdateStreamZero, true, "Prioritized Stream ID is 0", "RFC 9218 §7.1");
        break;
      }
      listener_->OnPriorityUpdateStart(hdr_, word_);
      break;
    default:
      break;  // unknown type: OnFrameHeader was its start
  }
}

void FrameParser::DeliverPayload(absl::string_view chunk) {
  switch (static_cast<FrameType>(hdr_.type)) {
    case FrameType::kData:
      listener_->OnDataPayload(chunk);
      break;
    case FrameType::kHeaders:
    case FrameType::kPushPromise:
    case FrameType::kContinuation:
      listener_->OnFieldBlockFragment(chunk);
      break;
    case FrameType::kGoAway:
      listener_->OnGoAwayDebugData(chunk);
      break;
    case FrameType::kPriorityUpdate:
      listener_->OnPriorityFieldValue(chunk);
      break;
    default:
      listener_->OnUnknownPayload(chunk);
      break;
  }
}

void FrameParser::FinishFrame() {
  switch (static_cast<FrameType>(hdr_.type)) {
    case FrameType::kHeaders:
    case FrameType::kPushPromise:
      in_field_block_ = !hdr_.has(kFlagEndHeaders);
      field_block_stream_ = hdr_.stream_id;
      break;
    case FrameType::kContinuation:
      in_field_block_ = !hdr_.has(kFlagEndHeaders);
      break;
    default:
      break;
  }
  state_ = State::kHeader;
  listener_->OnFrameEnd(hdr_);
}

void FrameParser::Fail(Error e, bool connection, absl::string_view what, absl::string_view rule) {
  ProtocolError err;
  err.error = e;
  err.code = ToErrorCode(e);
  err.connection = connection;
  err.stream_id = hdr_.stream_id;
  err.frame_type = hdr_.type;
  err.offset = frame_start_;
  err.message = absl::StrFormat("%s frame on stream %u at octet %u: %s (%s)",
                                FrameTypeName(hdr_.type), hdr_.stream_id, frame_start_, what, rule);
  if (connection) {
    state_ = State::kHalted;
    halted_ = true;
  } else {
    state_ = State::kSkip;
  }
  listener_->OnFrameError(err);
}

template <typename F>
void FrameParser::FailWith(Error e, bool connection, absl::string_view rule, F&& what) {
  Fail(e, connection, what(), rule);
}

// --- FrameCollector / ParseFrames ---

void FrameCollector::OnFrameHeader(const FrameHeader& h) {
  cur_ = Frame();
  cur_.header = h;
}

void FrameCollector::OnHeadersStart(const FrameHeader& h, const PrioritySpec* priority) {
  cur_.header = h;
  if (priority != nullptr) cur_.priority = *priority;
}

void FrameCollector::OnPushPromiseStart(const FrameHeader& h, uint32_t promised_stream_id) {
  cur_.header = h;
  cur_.promised_stream_id = promised_stream_id;
}

void FrameCollector::OnPriority(const FrameHeader& h, const PrioritySpec& priority) {
  cur_.priority = priority;
}

void FrameCollector::OnRstStream(const FrameHeader& h, uint32_t error_code) {
  cur_.error_code = error_code;
}

void FrameCollector::OnGoAwayStart(const FrameHeader& h, uint32_t last_stream_id,
                                   uint32_t error_code) {
  cur_.header = h;
  cur_.last_stream_id = last_stream_id;
  cur_.error_code = error_code;
}

void FrameCollector::OnWindowUpdate(const FrameHeader& h, uint32_t increment) {
  cur_.header = h;
  cur_.window_increment = increment;
}

void FrameCollector::OnPriorityUpdateStart(const FrameHeader& h, uint32_t prioritized_stream_id) {
  cur_.header = h;
  cur_.prioritized_stream_id = prioritized_stream_id;
}

void FrameCollector::OnFrameEnd(const FrameHeader& h) {
  cur_.header = h;
  if (IsPaddable(h.type) && h.has(kFlagPadded)) {
    cur_.pad_length = static_cast<uint8_t>(cur_.padding.size());
  }
  frames.push_back(std::move(cur_));
  cur_ = Frame();
}

ParsedFrames ParseFrames(absl::string_view bytes, const FrameParserOptions& options) {
  FrameCollector collector;
  FrameParser parser(&collector, options);
  ParsedFrames out;
  out.consumed = parser.Parse(bytes);
  out.complete = parser.at_frame_boundary() && !parser.halted();
  out.frames = std::move(collector.frames);
  out.errors = std::move(collector.errors);
  return out;
}

}  // namespace http2
