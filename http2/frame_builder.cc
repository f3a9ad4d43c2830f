#include "http2/frame_builder.h"

#include <algorithm>

#include "absl/status/status.h"

namespace http2 {

FieldList::FieldList(
    std::initializer_list<std::pair<absl::string_view, absl::string_view>> fields) {
  fields_.reserve(fields.size());
  for (const auto& f : fields) fields_.emplace_back(std::string(f.first), std::string(f.second));
}

FrameSequence& FrameSequence::Preface() {
  bytes_.append(kClientPreface.data(), kClientPreface.size());
  return *this;
}

FrameSequence& FrameSequence::ClientPreface(absl::Span<const Setting> settings) {
  Preface();
  return Settings(settings);
}

FrameSequence& FrameSequence::Settings(absl::Span<const Setting> settings, uint8_t flags) {
  AppendSettings(&bytes_, settings, flags);
  return *this;
}

FrameSequence& FrameSequence::SettingsAck() {
  AppendSettingsAck(&bytes_);
  return *this;
}

std::string FrameSequence::EncodeBlock(const FieldList& fields) {
  std::string block;
  // The deflater only fails on internal limits far beyond anything a test builds.
  const absl::Status s = deflater_.Deflate(fields.fields(), &block);
  (void)s;
  return block;
}

FrameSequence& FrameSequence::FieldBlock(FrameType type, uint32_t stream_id, uint32_t promised,
                                         const FieldList& fields, uint8_t flags,
                                         const HeadersOptions& options) {
  const std::string block = EncodeBlock(fields);
  absl::string_view rest = block;
  const size_t first_len =
      options.max_fragment == 0 ? rest.size() : std::min(rest.size(), options.max_fragment);
  const absl::string_view first = rest.substr(0, first_len);
  rest.remove_prefix(first_len);
  const bool last = rest.empty();
  const uint8_t first_flags = flags | ((last && options.end_headers) ? kFlagEndHeaders : 0);
  if (type == FrameType::kHeaders) {
    AppendHeaders(&bytes_, stream_id, first, first_flags,
                  options.priority ? &*options.priority : nullptr, options.pad_length);
  } else {
    AppendPushPromise(&bytes_, stream_id, promised, first, first_flags, options.pad_length);
  }
  while (!rest.empty()) {
    const size_t n = std::min(rest.size(), options.max_fragment);
    const absl::string_view piece = rest.substr(0, n);
    rest.remove_prefix(n);
    AppendContinuation(&bytes_, stream_id, piece,
                       (rest.empty() && options.end_headers) ? kFlagEndHeaders : 0);
  }
  return *this;
}

FrameSequence& FrameSequence::Headers(uint32_t stream_id, const FieldList& fields, uint8_t flags,
                                      const HeadersOptions& options) {
  return FieldBlock(FrameType::kHeaders, stream_id, 0, fields, flags, options);
}

FrameSequence& FrameSequence::HeadersFragment(uint32_t stream_id, absl::string_view fragment,
                                              uint8_t flags, const PrioritySpec* priority,
                                              std::optional<uint8_t> pad_length) {
  AppendHeaders(&bytes_, stream_id, fragment, flags, priority, pad_length);
  return *this;
}

FrameSequence& FrameSequence::Continuation(uint32_t stream_id, absl::string_view fragment,
                                           uint8_t flags) {
  AppendContinuation(&bytes_, stream_id, fragment, flags);
  return *this;
}

FrameSequence& FrameSequence::PushPromise(uint32_t stream_id, uint32_t promised_stream_id,
                                          const FieldList& fields, uint8_t flags,
                                          const HeadersOptions& options) {
  return FieldBlock(FrameType::kPushPromise, stream_id, promised_stream_id, fields, flags, options);
}

FrameSequence& FrameSequence::Data(uint32_t stream_id, absl::string_view data, uint8_t flags,
                                   std::optional<uint8_t> pad_length) {
  AppendData(&bytes_, stream_id, data, flags, pad_length);
  return *this;
}

FrameSequence& FrameSequence::Priority(uint32_t stream_id, uint32_t depends_on, uint8_t weight,
                                       bool exclusive) {
  PrioritySpec spec;
  spec.stream_dependency = depends_on;
  spec.weight = weight;
  spec.exclusive = exclusive;
  AppendPriority(&bytes_, stream_id, spec);
  return *this;
}

FrameSequence& FrameSequence::RstStream(uint32_t stream_id, ErrorCode code) {
  return RstStream(stream_id, static_cast<uint32_t>(code));
}

FrameSequence& FrameSequence::RstStream(uint32_t stream_id, uint32_t code) {
  AppendRstStream(&bytes_, stream_id, code);
  return *this;
}

FrameSequence& FrameSequence::Ping(uint64_t opaque, uint8_t flags) {
  AppendPing(&bytes_, opaque, flags);
  return *this;
}

FrameSequence& FrameSequence::GoAway(uint32_t last_stream_id, ErrorCode code,
                                     absl::string_view debug) {
  AppendGoAway(&bytes_, last_stream_id, static_cast<uint32_t>(code), debug);
  return *this;
}

FrameSequence& FrameSequence::WindowUpdate(uint32_t stream_id, uint32_t increment) {
  AppendWindowUpdate(&bytes_, stream_id, increment);
  return *this;
}

FrameSequence& FrameSequence::PriorityUpdate(uint32_t prioritized_stream_id,
                                             absl::string_view value) {
  AppendPriorityUpdate(&bytes_, prioritized_stream_id, value);
  return *this;
}

FrameSequence& FrameSequence::Raw(uint8_t type, uint8_t flags, uint32_t stream_id,
                                  absl::string_view payload) {
  AppendRawFrame(&bytes_, type, flags, stream_id, payload);
  return *this;
}

FrameSequence& FrameSequence::RawHeader(uint32_t length, uint8_t type, uint8_t flags,
                                        uint32_t stream_id) {
  AppendFrameHeader(&bytes_, length, type, flags, stream_id);
  return *this;
}

FrameSequence& FrameSequence::Bytes(absl::string_view bytes) {
  bytes_.append(bytes.data(), bytes.size());
  return *this;
}

}  // namespace http2
