// A session under test, fed raw octets built with FrameSequence; what it sends back is
// parsed with a FrameParser, so tests can look at exact frames.
#ifndef H2HARNESS_HTTP2_SESSION_TEST_UTIL_H_
#define H2HARNESS_HTTP2_SESSION_TEST_UTIL_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "http2/error_code.h"
#include "http2/frame.h"
#include "http2/frame_builder.h"
#include "http2/frame_parser.h"
#include "http2/options.h"
#include "http2/session.h"
#include "http2/testing.h"

namespace http2 {
namespace test {

class RawPeer {
 public:
  explicit RawPeer(Perspective perspective, SessionOptions options = {});

  // Feeds `bytes` (Send() is called whenever the session stops reading) and returns the
  // frames the session sent meanwhile and right after.
  std::vector<Frame> Feed(absl::string_view bytes);
  std::vector<Frame> Feed(FrameSequence& seq) { return Feed(seq.Take()); }
  // What the session sends now.
  std::vector<Frame> Drain();
  // Server: client preface + SETTINGS + the ACK of the server's SETTINGS. Client: server
  // SETTINGS + ACK. Returns what the session sent (its preface included).
  std::vector<Frame> Handshake(std::initializer_list<Setting> settings = {});

  FakeClock clock;
  RecordingVisitor visitor;
  Session session;
  // The remote side's builder: one HPACK context for the whole test.
  FrameSequence peer;
  // Every frame the session sent, and parse errors in its output (there should be none).
  std::vector<Frame> sent;
  std::vector<ProtocolError> output_errors;

 private:
  FrameCollector collector_;
  FrameParser parser_;
  bool preface_skipped_;
  std::string out_;
};

// The first frame of `type` (on `stream_id`, unless kAnyStream) in `frames`, or null.
inline constexpr uint32_t kAnyStream = 0xffffffff;
const Frame* FindFrame(const std::vector<Frame>& frames, FrameType type,
                       uint32_t stream_id = kAnyStream);
// "SETTINGS+ACK, RST_STREAM(1, PROTOCOL_ERROR), ..." for failure messages.
std::string Summary(const std::vector<Frame>& frames);

// The request fields most tests use.
FieldList Get(absl::string_view path = "/");

// Expectations on what a session sent (gtest failures, not fatal).
// A GOAWAY with `code` and `last_stream_id` is among `frames`.
void ExpectGoAway(const std::vector<Frame>& frames, ErrorCode code, uint32_t last_stream_id);
// The session ended the connection: it sent GOAWAY with `code` and reports `error`.
void ExpectConnectionError(const RawPeer& peer, ErrorCode code, Error error);
// A RST_STREAM with `code` on `stream_id`, and no GOAWAY, is among `frames`.
void ExpectRst(const std::vector<Frame>& frames, uint32_t stream_id, ErrorCode code);

}  // namespace test
}  // namespace http2

#endif  // H2HARNESS_HTTP2_SESSION_TEST_UTIL_H_
