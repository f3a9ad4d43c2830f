// Incremental HTTP/2 frame parser (RFC 9113 §4, §6; PRIORITY_UPDATE, RFC 9218 §7.1).
//
// Parse() takes the connection's octets (after the client preface) in pieces of any size
// and reports each frame to a FrameListener as its parts arrive: fixed fields once
// complete, variable parts (DATA, field block fragments, GOAWAY debug data, ...) as chunks
// pointing into the input, so a frame that is complete in the input is parsed in place and
// nothing is copied; a large DATA frame is delivered as it arrives. Memory held between
// calls is at most one frame header or fixed field (16 octets).
//
// Every rule the frame layer can check is checked here, with the exact error code and
// scope (§5.4): frame size (SETTINGS_MAX_FRAME_SIZE, per-type lengths, fields that do not
// fit, padding), stream identifier 0 or not 0, CONTINUATION sequencing (§4.3, §6.10),
// SETTINGS values (§6.5.2), WINDOW_UPDATE increment 0 (§6.9). Unknown frame types and
// unknown settings are delivered as such and otherwise ignored (§5.5); unused flags and
// reserved bits are ignored (§4.1). Stream-state rules are the Session's.
//
// After a connection error the parser stops for good; after a stream error it skips the
// rest of that frame and goes on.
#ifndef H2HARNESS_HTTP2_FRAME_PARSER_H_
#define H2HARNESS_HTTP2_FRAME_PARSER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "http2/error_code.h"
#include "http2/frame.h"
#include "http2/settings.h"

namespace http2 {

// Receives a frame's parts in order: OnFrameHeader, the type's start callback (fixed fields
// decoded), payload chunks, padding chunks, OnFrameEnd. A frame that fails gets
// OnFrameError instead of its remaining callbacks (and no OnFrameEnd). String views point
// into the input (or the parser's small buffer) and are valid only during the call.
class FrameListener {
 public:
  virtual ~FrameListener() = default;

  virtual void OnFrameHeader(const FrameHeader& h) {}
  virtual void OnDataStart(const FrameHeader& h) {}
  virtual void OnDataPayload(absl::string_view data) {}
  // `priority` is null without the PRIORITY flag.
  virtual void OnHeadersStart(const FrameHeader& h, const PrioritySpec* priority) {}
  virtual void OnPushPromiseStart(const FrameHeader& h, uint32_t promised_stream_id) {}
  virtual void OnContinuationStart(const FrameHeader& h) {}
  // HEADERS, PUSH_PROMISE and CONTINUATION payloads.
  virtual void OnFieldBlockFragment(absl::string_view fragment) {}
  virtual void OnPriority(const FrameHeader& h, const PrioritySpec& priority) {}
  virtual void OnRstStream(const FrameHeader& h, uint32_t error_code) {}
  virtual void OnSettingsStart(const FrameHeader& h) {}
  virtual void OnSetting(const Setting& setting) {}
  virtual void OnSettingsAck(const FrameHeader& h) {}
  virtual void OnPing(const FrameHeader& h, uint64_t opaque) {}
  virtual void OnGoAwayStart(const FrameHeader& h, uint32_t last_stream_id, uint32_t error_code) {}
  virtual void OnGoAwayDebugData(absl::string_view data) {}
  virtual void OnWindowUpdate(const FrameHeader& h, uint32_t increment) {}
  virtual void OnPriorityUpdateStart(const FrameHeader& h, uint32_t prioritized_stream_id) {}
  virtual void OnPriorityFieldValue(absl::string_view value) {}
  // Payload of a frame of unknown type (§5.5: to be ignored).
  virtual void OnUnknownPayload(absl::string_view payload) {}
  // Padding octets of DATA, HEADERS, PUSH_PROMISE (not checked to be zero: §6.1 allows it).
  virtual void OnPadding(absl::string_view padding) {}
  virtual void OnFrameEnd(const FrameHeader& h) {}
  virtual void OnFrameError(const ProtocolError& error) {}
};

struct FrameParserOptions {
  // Our SETTINGS_MAX_FRAME_SIZE: longer frames are FRAME_SIZE_ERROR (§4.2).
  uint32_t max_frame_size = kDefaultMaxFrameSize;
  // Check SETTINGS values against §6.5.2 (off: any value is delivered).
  bool validate_setting_values = true;
};

class FrameParser {
 public:
  explicit FrameParser(FrameListener* listener, const FrameParserOptions& options = {});

  // Parses `input`, continuing the frame left unfinished by the previous call. Returns the
  // octets consumed: all of them, unless Pause() or Halt() was called from a callback or a
  // connection error stopped the parser.
  size_t Parse(absl::string_view input);

  // From a callback: return from Parse() after it; the next Parse() resumes there.
  void Pause() { paused_ = true; }
  // For good: no more callbacks, Parse() consumes nothing. (Connection errors do this.)
  void Halt() { halted_ = true; }
  bool halted() const { return halted_; }

  void set_max_frame_size(uint32_t n) { options_.max_frame_size = n; }
  uint32_t max_frame_size() const { return options_.max_frame_size; }

  // Octets consumed so far, plus the starting offset (set_offset: the session starts at 24,
  // after the client preface), so error messages count from the start of the connection.
  uint64_t offset() const { return offset_; }
  void set_offset(uint64_t offset) { offset_ = offset; }
  // Where the frame being parsed (or the last one) starts.
  uint64_t frame_offset() const { return frame_start_; }
  const FrameHeader& current_header() const { return hdr_; }
  // Between frames (no partial frame buffered or pending).
  bool at_frame_boundary() const { return state_ == State::kHeader && have_ == 0; }
  // Inside a field block: the next frame must be a CONTINUATION on this stream.
  bool in_field_block() const { return in_field_block_; }

 private:
  enum class State {
    kHeader,        // reading the 9-octet frame header
    kPadLength,     // reading Pad Length
    kFixed,         // reading the type's fixed fields (fixed_size_ octets)
    kStart,         // calling the type's start callback
    kSettingEntry,  // reading 6-octet settings
    kPayload,       // delivering the variable part
    kPadding,       // delivering padding
    kSkip,          // skipping the rest of a frame after a stream error
    kHalted,
  };

  // Returns `n` contiguous octets once available (in place when possible), else nullptr
  // after buffering what there is.
  const char* Take(const char*& p, const char* end, size_t n);
  void StartFrame(const char* h);
  void AfterPadLength(uint8_t pad_length);
  void AfterFixed(const char* f);
  void CallStart();
  void DeliverPayload(absl::string_view chunk);
  void FinishFrame();
  // Reports the current frame as failing `rule`. Connection errors halt the parser; stream
  // errors skip the rest of the frame.
  void Fail(Error e, bool connection, absl::string_view what, absl::string_view rule);
  template <typename F>
  void FailWith(Error e, bool connection, absl::string_view rule, F&& what);

  FrameListener* listener_;
  FrameParserOptions options_;
  State state_ = State::kHeader;
  bool paused_ = false;
  bool halted_ = false;

  uint64_t offset_ = 0;       // absolute offset of the next octet Parse() reads
  uint64_t frame_start_ = 0;  // absolute offset of the current frame
  FrameHeader hdr_;
  char buf_[16];
  size_t have_ = 0;         // octets of the current field in buf_
  uint32_t left_ = 0;       // payload octets not yet consumed
  uint32_t body_left_ = 0;  // of which in the variable part
  uint8_t pad_length_ = 0;
  size_t fixed_size_ = 0;

  // Decoded fixed fields of the current frame.
  PrioritySpec priority_;
  bool has_priority_ = false;
  uint32_t word_ = 0;   // promised id, RST code, increment, prioritized id, last-stream-id
  uint32_t word2_ = 0;  // GOAWAY error code
  uint64_t ping_ = 0;

  bool in_field_block_ = false;
  uint32_t field_block_stream_ = 0;
};

// Every frame of `bytes` (no client preface), parsed with a fresh parser and copied.
struct ParsedFrames {
  std::vector<Frame> frames;
  // At most one connection error (parsing stopped there) and any stream errors.
  std::vector<ProtocolError> errors;
  size_t consumed = 0;
  // The input ended between frames (no partial frame left over).
  bool complete = true;
};
ParsedFrames ParseFrames(absl::string_view bytes, const FrameParserOptions& options = {});

// A FrameListener that stores frames as Frame values (for tests and the probe).
class FrameCollector : public FrameListener {
 public:
  std::vector<Frame> frames;
  std::vector<ProtocolError> errors;

  void OnFrameHeader(const FrameHeader& h) override;
  void OnDataPayload(absl::string_view data) override {
    cur_.payload.append(data.data(), data.size());
  }
  void OnHeadersStart(const FrameHeader& h, const PrioritySpec* priority) override;
  void OnPushPromiseStart(const FrameHeader& h, uint32_t promised_stream_id) override;
  void OnFieldBlockFragment(absl::string_view fragment) override {
    cur_.payload.append(fragment.data(), fragment.size());
  }
  void OnPriority(const FrameHeader& h, const PrioritySpec& priority) override;
  void OnRstStream(const FrameHeader& h, uint32_t error_code) override;
  void OnSetting(const Setting& setting) override { cur_.settings.push_back(setting); }
  void OnPing(const FrameHeader& h, uint64_t opaque) override { cur_.ping_data = opaque; }
  void OnGoAwayStart(const FrameHeader& h, uint32_t last_stream_id, uint32_t error_code) override;
  void OnGoAwayDebugData(absl::string_view data) override {
    cur_.payload.append(data.data(), data.size());
  }
  void OnWindowUpdate(const FrameHeader& h, uint32_t increment) override;
  void OnPriorityUpdateStart(const FrameHeader& h, uint32_t prioritized_stream_id) override;
  void OnPriorityFieldValue(absl::string_view value) override {
    cur_.payload.append(value.data(), value.size());
  }
  void OnUnknownPayload(absl::string_view payload) override {
    cur_.payload.append(payload.data(), payload.size());
  }
  void OnPadding(absl::string_view padding) override {
    cur_.padding.append(padding.data(), padding.size());
  }
  void OnFrameEnd(const FrameHeader& h) override;
  void OnFrameError(const ProtocolError& error) override { errors.push_back(error); }

 private:
  Frame cur_;
};

}  // namespace http2

#endif  // H2HARNESS_HTTP2_FRAME_PARSER_H_
