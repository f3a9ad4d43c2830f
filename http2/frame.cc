#include "http2/frame.h"

#include <cstring>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "http2/error_code.h"

namespace http2 {
namespace {

inline char* Put8(char* p, uint8_t v) {
  *p = static_cast<char>(v);
  return p + 1;
}
inline char* Put24(char* p, uint32_t v) {
  p[0] = static_cast<char>(v >> 16);
  p[1] = static_cast<char>(v >> 8);
  p[2] = static_cast<char>(v);
  return p + 3;
}
inline char* Put32(char* p, uint32_t v) {
  p[0] = static_cast<char>(v >> 24);
  p[1] = static_cast<char>(v >> 16);
  p[2] = static_cast<char>(v >> 8);
  p[3] = static_cast<char>(v);
  return p + 4;
}
inline char* PutBytes(char* p, absl::string_view s) {
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

// Grows *out by `n` octets and returns where they start.
inline char* Grow(std::string* out, size_t n) {
  const size_t old = out->size();
  out->resize(old + n);
  return &(*out)[old];
}

inline char* PutHeader(char* p, uint32_t length, uint8_t type, uint8_t flags, uint32_t stream_id) {
  p = Put24(p, length & 0xffffff);
  p = Put8(p, type);
  p = Put8(p, flags);
  return Put32(p, stream_id);
}

inline char* PutPriority(char* p, const PrioritySpec& spec) {
  p = Put32(p, spec.stream_dependency | (spec.exclusive ? kReservedBit : 0));
  return Put8(p, spec.weight);
}

// A frame whose payload is [Pad Length] fixed `fixed` field-block-or-data [Padding].
// `fixed_len` octets are written by `put_fixed`.
template <typename PutFixed>
void AppendPadded(std::string* out, uint8_t type, uint8_t flags, uint32_t stream_id,
                  size_t fixed_len, PutFixed&& put_fixed, absl::string_view body,
                  std::optional<uint8_t> pad_length) {
  const size_t pad_total = pad_length ? 1 + *pad_length : 0;
  const size_t length = pad_total + fixed_len + body.size();
  if (pad_length) flags |= kFlagPadded;
  char* p = Grow(out, kFrameHeaderSize + length);
  p = PutHeader(p, static_cast<uint32_t>(length), type, flags, stream_id);
  if (pad_length) p = Put8(p, *pad_length);
  p = put_fixed(p);
  p = PutBytes(p, body);
  if (pad_length && *pad_length > 0) std::memset(p, 0, *pad_length);
}

}  // namespace

std::string FrameTypeName(uint8_t type) {
  switch (static_cast<FrameType>(type)) {
    case FrameType::kData:
      return "DATA";
    case FrameType::kHeaders:
      return "HEADERS";
    case FrameType::kPriority:
      return "PRIORITY";
    case FrameType::kRstStream:
      return "RST_STREAM";
    case FrameType::kSettings:
      return "SETTINGS";
    case FrameType::kPushPromise:
      return "PUSH_PROMISE";
    case FrameType::kPing:
      return "PING";
    case FrameType::kGoAway:
      return "GOAWAY";
    case FrameType::kWindowUpdate:
      return "WINDOW_UPDATE";
    case FrameType::kContinuation:
      return "CONTINUATION";
    case FrameType::kPriorityUpdate:
      return "PRIORITY_UPDATE";
  }
  return absl::StrFormat("UNKNOWN(0x%02x)", type);
}

std::string FrameFlagsToString(uint8_t type, uint8_t flags) {
  std::vector<std::string> names;
  uint8_t known = 0;
  auto add = [&](uint8_t bit, const char* name) {
    known |= bit;
    if (flags & bit) names.push_back(name);
  };
  switch (static_cast<FrameType>(type)) {
    case FrameType::kData:
      add(kFlagEndStream, "END_STREAM");
      add(kFlagPadded, "PADDED");
      break;
    case FrameType::kHeaders:
      add(kFlagEndStream, "END_STREAM");
      add(kFlagEndHeaders, "END_HEADERS");
      add(kFlagPadded, "PADDED");
      add(kFlagPriority, "PRIORITY");
      break;
    case FrameType::kSettings:
    case FrameType::kPing:
      add(kFlagAck, "ACK");
      break;
    case FrameType::kPushPromise:
      add(kFlagEndHeaders, "END_HEADERS");
      add(kFlagPadded, "PADDED");
      break;
    case FrameType::kContinuation:
      add(kFlagEndHeaders, "END_HEADERS");
      break;
    default:
      break;
  }
  if (flags & ~known) names.push_back(absl::StrFormat("0x%x", flags & ~known));
  return absl::StrJoin(names, "|");
}

void WriteFrameHeader(char* dest, uint32_t length, uint8_t type, uint8_t flags,
                      uint32_t stream_id) {
  PutHeader(dest, length, type, flags, stream_id);
}

void AppendFrameHeader(std::string* out, uint32_t length, uint8_t type, uint8_t flags,
                       uint32_t stream_id) {
  PutHeader(Grow(out, kFrameHeaderSize), length, type, flags, stream_id);
}

void AppendRawFrame(std::string* out, uint8_t type, uint8_t flags, uint32_t stream_id,
                    absl::string_view payload) {
  char* p = Grow(out, kFrameHeaderSize + payload.size());
  p = PutHeader(p, static_cast<uint32_t>(payload.size()), type, flags, stream_id);
  PutBytes(p, payload);
}

void AppendData(std::string* out, uint32_t stream_id, absl::string_view data, uint8_t flags,
                std::optional<uint8_t> pad_length) {
  AppendPadded(
      out, static_cast<uint8_t>(FrameType::kData), flags, stream_id, 0, [](char* p) { return p; },
      data, pad_length);
}

void AppendHeaders(std::string* out, uint32_t stream_id, absl::string_view fragment, uint8_t flags,
                   const PrioritySpec* priority, std::optional<uint8_t> pad_length) {
  if (priority != nullptr) flags |= kFlagPriority;
  AppendPadded(
      out, static_cast<uint8_t>(FrameType::kHeaders), flags, stream_id, priority ? 5 : 0,
      [priority](char* p) { return priority ? PutPriority(p, *priority) : p; }, fragment,
      pad_length);
}

void AppendPriority(std::string* out, uint32_t stream_id, const PrioritySpec& priority) {
  char* p = Grow(out, kFrameHeaderSize + 5);
  p = PutHeader(p, 5, static_cast<uint8_t>(FrameType::kPriority), 0, stream_id);
  PutPriority(p, priority);
}

void AppendRstStream(std::string* out, uint32_t stream_id, uint32_t error_code) {
  char* p = Grow(out, kFrameHeaderSize + 4);
  p = PutHeader(p, 4, static_cast<uint8_t>(FrameType::kRstStream), 0, stream_id);
  Put32(p, error_code);
}

void AppendSettings(std::string* out, absl::Span<const Setting> settings, uint8_t flags) {
  const size_t length = 6 * settings.size();
  char* p = Grow(out, kFrameHeaderSize + length);
  p = PutHeader(p, static_cast<uint32_t>(length), static_cast<uint8_t>(FrameType::kSettings), flags,
                0);
  for (const Setting& s : settings) {
    p = Put8(p, static_cast<uint8_t>(s.id >> 8));
    p = Put8(p, static_cast<uint8_t>(s.id));
    p = Put32(p, s.value);
  }
}

void AppendSettingsAck(std::string* out) { AppendSettings(out, {}, kFlagAck); }

void AppendPushPromise(std::string* out, uint32_t stream_id, uint32_t promised_stream_id,
                       absl::string_view fragment, uint8_t flags,
                       std::optional<uint8_t> pad_length) {
  AppendPadded(
      out, static_cast<uint8_t>(FrameType::kPushPromise), flags, stream_id, 4,
      [promised_stream_id](char* p) { return Put32(p, promised_stream_id); }, fragment, pad_length);
}

void AppendPing(std::string* out, uint64_t opaque, uint8_t flags) {
  char* p = Grow(out, kFrameHeaderSize + 8);
  p = PutHeader(p, 8, static_cast<uint8_t>(FrameType::kPing), flags, 0);
  p = Put32(p, static_cast<uint32_t>(opaque >> 32));
  Put32(p, static_cast<uint32_t>(opaque));
}

void AppendGoAway(std::string* out, uint32_t last_stream_id, uint32_t error_code,
                  absl::string_view debug_data) {
  const size_t length = 8 + debug_data.size();
  char* p = Grow(out, kFrameHeaderSize + length);
  p = PutHeader(p, static_cast<uint32_t>(length), static_cast<uint8_t>(FrameType::kGoAway), 0, 0);
  p = Put32(p, last_stream_id);
  p = Put32(p, error_code);
  PutBytes(p, debug_data);
}

void AppendWindowUpdate(std::string* out, uint32_t stream_id, uint32_t increment) {
  char* p = Grow(out, kFrameHeaderSize + 4);
  p = PutHeader(p, 4, static_cast<uint8_t>(FrameType::kWindowUpdate), 0, stream_id);
  Put32(p, increment);
}

void AppendContinuation(std::string* out, uint32_t stream_id, absl::string_view fragment,
                        uint8_t flags) {
  AppendRawFrame(out, static_cast<uint8_t>(FrameType::kContinuation), flags, stream_id, fragment);
}

void AppendPriorityUpdate(std::string* out, uint32_t prioritized_stream_id,
                          absl::string_view field_value) {
  const size_t length = 4 + field_value.size();
  char* p = Grow(out, kFrameHeaderSize + length);
  p = PutHeader(p, static_cast<uint32_t>(length), static_cast<uint8_t>(FrameType::kPriorityUpdate),
                0, 0);
  p = Put32(p, prioritized_stream_id);
  PutBytes(p, field_value);
}

void SerializeFrame(const Frame& f, std::string* out) {
  const FrameHeader& h = f.header;
  const uint32_t sid = h.stream_id | ((h.reserved & kReservedStreamIdBit) ? kReservedBit : 0);
  const uint32_t r = (h.reserved & kReservedPayloadBit) ? kReservedBit : 0;
  AppendFrameHeader(out, h.length, h.type, h.flags, sid);
  char word[8];
  if (f.pad_length) out->push_back(static_cast<char>(*f.pad_length));
  switch (f.type()) {
    case FrameType::kHeaders:
    case FrameType::kPriority:
      if (f.priority) {
        PutPriority(word, *f.priority);
        out->append(word, 5);
      }
      break;
    case FrameType::kPushPromise:
      Put32(word, f.promised_stream_id | r);
      out->append(word, 4);
      break;
    case FrameType::kRstStream:
      Put32(word, f.error_code);
      out->append(word, 4);
      break;
    case FrameType::kSettings:
      for (const Setting& s : f.settings) {
        out->push_back(static_cast<char>(s.id >> 8));
        out->push_back(static_cast<char>(s.id));
        Put32(word, s.value);
        out->append(word, 4);
      }
      break;
    case FrameType::kPing:
      Put32(Put32(word, static_cast<uint32_t>(f.ping_data >> 32)),
            static_cast<uint32_t>(f.ping_data));
      out->append(word, 8);
      break;
    case FrameType::kGoAway:
      Put32(Put32(word, f.last_stream_id | r), f.error_code);
      out->append(word, 8);
      break;
    case FrameType::kWindowUpdate:
      Put32(word, f.window_increment | r);
      out->append(word, 4);
      break;
    case FrameType::kPriorityUpdate:
      Put32(word, f.prioritized_stream_id | r);
      out->append(word, 4);
      break;
    default:
      break;
  }
  out->append(f.payload);
  out->append(f.padding);
}

std::string DescribeFrame(const Frame& f) {
  const FrameHeader& h = f.header;
  std::string s = absl::StrFormat("%s stream=%d", FrameTypeName(h.type), h.stream_id);
  const std::string flags = FrameFlagsToString(h.type, h.flags);
  if (!flags.empty()) absl::StrAppend(&s, " flags=", flags);
  absl::StrAppend(&s, " length=", h.length);
  if (f.pad_length) absl::StrAppend(&s, " pad=", *f.pad_length);
  if (f.priority) {
    absl::StrAppendFormat(&s, " dependency=%d%s weight=%d", f.priority->stream_dependency,
                          f.priority->exclusive ? "(exclusive)" : "", f.priority->weight + 1);
  }
  switch (f.type()) {
    case FrameType::kData:
      absl::StrAppend(&s, " data=", f.payload.size(), " octets");
      break;
    case FrameType::kHeaders:
    case FrameType::kContinuation:
      absl::StrAppend(&s, " fragment=", f.payload.size(), " octets");
      break;
    case FrameType::kPushPromise:
      absl::StrAppend(&s, " promised=", f.promised_stream_id, " fragment=", f.payload.size(),
                      " octets");
      break;
    case FrameType::kRstStream:
      absl::StrAppend(&s, " error=", ErrorCodeToString(f.error_code));
      break;
    case FrameType::kSettings:
      for (const Setting& st : f.settings) {
        absl::StrAppend(&s, " ", SettingName(st.id), "=", st.value);
      }
      break;
    case FrameType::kPing:
      absl::StrAppendFormat(&s, " data=%016x", f.ping_data);
      break;
    case FrameType::kGoAway:
      absl::StrAppend(&s, " last_stream=", f.last_stream_id,
                      " error=", ErrorCodeToString(f.error_code));
      if (!f.payload.empty()) absl::StrAppend(&s, " debug=\"", absl::CHexEscape(f.payload), "\"");
      break;
    case FrameType::kWindowUpdate:
      absl::StrAppend(&s, " increment=", f.window_increment);
      break;
    case FrameType::kPriorityUpdate:
      absl::StrAppend(&s, " prioritized=", f.prioritized_stream_id, " value=\"",
                      absl::CHexEscape(f.payload), "\"");
      break;
    default:
      absl::StrAppend(&s, " payload=", f.payload.size(), " octets");
      break;
  }
  return s;
}

}  // namespace http2
