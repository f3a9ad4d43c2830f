// FrameSequence: a fluent builder of HTTP/2 octet sequences, for tests, fuzz seeds and the
// conformance probe:
//
//   std::string wire = FrameSequence()
//                          .Preface()
//                          .Settings({{kSettingsMaxConcurrentStreams, 100}})
//                          .Headers(1, {{":method", "GET"}, {":scheme", "https"},
//                                       {":authority", "example.org"}, {":path", "/"}},
//                                   kFlagEndStream)
//                          .Take();
//
// Field sections are HPACK-encoded by the builder's own Deflater (one compression context
// for the whole sequence, as on a connection). Headers() and PushPromise() set END_HEADERS
// themselves (unless HeadersOptions says otherwise); every other frame is written with
// exactly the flags given. Malformed sequences are built with the raw forms (Raw,
// RawHeader, Bytes, HeadersFragment) or the options (wrong padding, split blocks, ...).
#ifndef H2HARNESS_HTTP2_FRAME_BUILDER_H_
#define H2HARNESS_HTTP2_FRAME_BUILDER_H_

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "hpack/deflater.h"
#include "hpack/header.h"
#include "http2/error_code.h"
#include "http2/frame.h"
#include "http2/settings.h"

namespace http2 {

// A field section in order: from a braced list of {name, value} pairs or an
// hpack::HeaderList.
class FieldList {
 public:
  FieldList(std::initializer_list<std::pair<absl::string_view, absl::string_view>> fields);
  FieldList(const hpack::HeaderList& fields) : fields_(fields) {}  // NOLINT(implicit)
  const hpack::HeaderList& fields() const { return fields_; }

 private:
  hpack::HeaderList fields_;
};

struct HeadersOptions {
  // Split the field block: the first `max_fragment` octets in HEADERS (or PUSH_PROMISE),
  // the rest in CONTINUATION frames of at most `max_fragment` octets. 0: one frame.
  size_t max_fragment = 0;
  // Set END_HEADERS on the last frame (false: the block stays open for the caller's
  // Continuation()).
  bool end_headers = true;
  std::optional<uint8_t> pad_length;     // PADDED with this Pad Length (first frame)
  std::optional<PrioritySpec> priority;  // PRIORITY flag and fields (HEADERS only)
};

class FrameSequence {
 public:
  FrameSequence() = default;
  explicit FrameSequence(const hpack::DeflaterOptions& options) : deflater_(options) {}

  // The 24-octet client connection preface magic (§3.4), without SETTINGS.
  FrameSequence& Preface();
  // The magic followed by a SETTINGS frame with `settings`.
  FrameSequence& ClientPreface(absl::Span<const Setting> settings = {});
  FrameSequence& Settings(absl::Span<const Setting> settings, uint8_t flags = 0);
  FrameSequence& Settings(std::initializer_list<Setting> settings, uint8_t flags = 0) {
    return Settings(absl::MakeConstSpan(settings.begin(), settings.size()), flags);
  }
  FrameSequence& SettingsAck();

  // HEADERS carrying `fields` (HPACK-encoded now), flags | END_HEADERS.
  FrameSequence& Headers(uint32_t stream_id, const FieldList& fields, uint8_t flags = 0,
                         const HeadersOptions& options = {});
  // HEADERS with a raw fragment and exactly these flags.
  FrameSequence& HeadersFragment(uint32_t stream_id, absl::string_view fragment, uint8_t flags,
                                 const PrioritySpec* priority = nullptr,
                                 std::optional<uint8_t> pad_length = std::nullopt);
  FrameSequence& Continuation(uint32_t stream_id, absl::string_view fragment,
                              uint8_t flags = kFlagEndHeaders);
  FrameSequence& PushPromise(uint32_t stream_id, uint32_t promised_stream_id,
                             const FieldList& fields, uint8_t flags = 0,
                             const HeadersOptions& options = {});
  FrameSequence& Data(uint32_t stream_id, absl::string_view data, uint8_t flags = 0,
                      std::optional<uint8_t> pad_length = std::nullopt);
  FrameSequence& Priority(uint32_t stream_id, uint32_t depends_on, uint8_t weight = 15,
                          bool exclusive = false);
  FrameSequence& RstStream(uint32_t stream_id, ErrorCode code);
  FrameSequence& RstStream(uint32_t stream_id, uint32_t code);
  FrameSequence& Ping(uint64_t opaque, uint8_t flags = 0);
  FrameSequence& PingAck(uint64_t opaque) { return Ping(opaque, kFlagAck); }
  FrameSequence& GoAway(uint32_t last_stream_id, ErrorCode code, absl::string_view debug = {});
  FrameSequence& WindowUpdate(uint32_t stream_id, uint32_t increment);
  FrameSequence& PriorityUpdate(uint32_t prioritized_stream_id, absl::string_view value);

  // Any frame: header with length = payload size, then payload.
  FrameSequence& Raw(uint8_t type, uint8_t flags, uint32_t stream_id, absl::string_view payload);
  FrameSequence& Raw(FrameType type, uint8_t flags, uint32_t stream_id, absl::string_view payload) {
    return Raw(static_cast<uint8_t>(type), flags, stream_id, payload);
  }
  // A frame header with any length field; add the payload (or not) with Bytes().
  FrameSequence& RawHeader(uint32_t length, uint8_t type, uint8_t flags, uint32_t stream_id);
  FrameSequence& RawHeader(uint32_t length, FrameType type, uint8_t flags, uint32_t stream_id) {
    return RawHeader(length, static_cast<uint8_t>(type), flags, stream_id);
  }
  FrameSequence& Bytes(absl::string_view bytes);

  // HPACK-encodes `fields` with the sequence's context (for hand-made field blocks).
  std::string EncodeBlock(const FieldList& fields);
  hpack::Deflater& deflater() { return deflater_; }

  const std::string& bytes() const { return bytes_; }
  size_t size() const { return bytes_.size(); }
  // The octets so far; the sequence continues empty (with the same HPACK context).
  std::string Take() {
    std::string out = std::move(bytes_);
    bytes_.clear();
    return out;
  }
  operator absl::string_view() const { return bytes_; }  // NOLINT(implicit)

 private:
  FrameSequence& FieldBlock(FrameType type, uint32_t stream_id, uint32_t promised,
                            const FieldList& fields, uint8_t flags, const HeadersOptions& options);

  hpack::Deflater deflater_;
  std::string bytes_;
};

}  // namespace http2

#endif  // H2HARNESS_HTTP2_FRAME_BUILDER_H_
