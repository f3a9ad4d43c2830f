// http2::Session: one HTTP/2 connection (RFC 9113) as a state machine over memory buffers,
// for either role. It never touches sockets (like nghttp2's session with mem_recv/mem_send):
//
//   bytes in   Receive(bytes) -> octets consumed; events go to the Visitor
//   bytes out  Send(&buffer) appends frames; WantWrite()/WantRead() say whether to call
//   time       OnTimer() when NextDeadline() passes (the clock comes from SessionOptions)
//   calls      SubmitRequest/SubmitResponse/SubmitTrailers/... queue frames
//
// A client session queues its connection preface at construction; a server session queues
// its SETTINGS and expects the client preface first (§3.4). Bodies are pulled from
// DataSources during Send() as flow control allows. Streams are scheduled round robin
// (RFC 7540 priorities are deprecated, §5.3.2; PRIORITY frames are validated and ignored).
//
// Errors (§5.4): a stream error resets the stream (RST_STREAM) and is reported with
// Visitor::OnStreamError; a connection error queues GOAWAY with the last stream we
// processed and the error code, is reported with Visitor::OnConnectionError, and the
// session accepts no more input (Receive() discards it, WantRead() is false).
//
// Threading: none; one thread drives a session. Visitor callbacks run inside Receive(),
// Send() and OnTimer(), and may call back into the session.
#ifndef H2HARNESS_HTTP2_SESSION_H_
#define H2HARNESS_HTTP2_SESSION_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "hpack/deflater.h"
#include "hpack/inflater.h"
#include "http2/error_code.h"
#include "http2/field_validation.h"
#include "http2/flow_control.h"
#include "http2/frame.h"
#include "http2/frame_parser.h"
#include "http2/options.h"
#include "http2/settings.h"
#include "http2/visitor.h"

namespace http2 {

enum class Perspective { kClient, kServer };

// §5.1. Streams the session no longer remembers read as kClosed (ids it used) or kIdle.
enum class StreamState : uint8_t {
  kIdle,
  kReservedLocal,
  kReservedRemote,
  kOpen,
  kHalfClosedLocal,
  kHalfClosedRemote,
  kClosed,
};
absl::string_view StreamStateName(StreamState state);

class Session : private FrameListener {
 public:
  Session(Perspective perspective, Visitor* visitor, const SessionOptions& options = {});
  ~Session() override;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  Perspective perspective() const { return perspective_; }
  const SessionOptions& options() const { return options_; }

  // ---- Bytes in and out ----

  // Processes the peer's octets. Returns how many were consumed: fewer than given while
  // the output queued for Send() exceeds max_output_buffer (keep the rest, Send(), and
  // call again). After a connection error input is discarded (returns bytes.size()).
  size_t Receive(absl::string_view bytes);
  // Appends frames to *out: queued control frames and header blocks, then DATA pulled from
  // DataSources as flow control allows, at most `max_bytes` octets in all. Returns the
  // octets appended.
  size_t Send(std::string* out, size_t max_bytes = std::numeric_limits<size_t>::max());
  // Receive() would process input: no connection error, not paused by output, and the
  // connection is not finished (both sides' GOAWAY handled and no streams left).
  bool WantRead() const;
  // Send() would append something now.
  bool WantWrite() const;

  // ---- Time (SessionOptions::clock) ----

  // Runs the timers that are due: SETTINGS timeout, stalled streams, the graceful-shutdown
  // second GOAWAY.
  void OnTimer();
  // When OnTimer() next has work; absl::InfiniteFuture() when none (or no clock).
  absl::Time NextDeadline() const;

  // ---- Client ----

  // Opens a stream with `headers` (pseudo-header fields first). Without `body` the HEADERS
  // carries END_STREAM; otherwise the body is pulled from it (it must outlive the stream
  // or its end). Fails after GOAWAY, when stream ids run out, or at the peer's
  // SETTINGS_MAX_CONCURRENT_STREAMS (FailedPrecondition / Unavailable / ResourceExhausted).
  absl::StatusOr<uint32_t> SubmitRequest(absl::Span<const Header> headers,
                                         DataSource* body = nullptr, void* user_data = nullptr);

  // ---- Server ----

  // The final response on a stream the peer opened (or a promised stream).
  absl::Status SubmitResponse(uint32_t stream_id, absl::Span<const Header> headers,
                              DataSource* body = nullptr);
  // A 1xx response before the final one (§8.1).
  absl::Status SubmitInformational(uint32_t stream_id, absl::Span<const Header> headers);
  // PUSH_PROMISE on `associated_stream_id` (open or half-closed (remote) there, §6.6) with
  // the promised request; returns the promised stream id, then answer it with
  // SubmitResponse(). Fails when the client disabled push (ENABLE_PUSH=0, §8.4).
  absl::StatusOr<uint32_t> SubmitPushPromise(uint32_t associated_stream_id,
                                             absl::Span<const Header> request,
                                             void* user_data = nullptr);

  // ---- Either side ----

  // A trailer section (no pseudo-header fields) ending the stream: sent after the body
  // when a DataSource is still delivering it, at once otherwise.
  absl::Status SubmitTrailers(uint32_t stream_id, absl::Span<const Header> trailers);
  // The stream's DataSource has data again after returning "nothing now".
  absl::Status ResumeData(uint32_t stream_id);
  absl::Status SubmitRstStream(uint32_t stream_id, ErrorCode code);
  absl::Status SubmitPing(uint64_t opaque);
  // Changes our settings; they apply when the peer acknowledges them (§6.5.3).
  absl::Status SubmitSettings(absl::Span<const Setting> settings);
  // Graceful shutdown, step 1 (§6.8): GOAWAY with last-stream-id 2^31-1 and NO_ERROR plus a
  // PING; step 2, the GOAWAY with the real last stream id, follows on the PING's ACK or
  // after graceful_shutdown_delay. Streams already open finish.
  void SubmitShutdownNotice();
  // GOAWAY now with the last stream processed; new streams are refused from then on.
  // With an error code other than NO_ERROR the session stops reading.
  void SubmitGoAway(ErrorCode code, absl::string_view debug_data = {});
  // The application has processed `n` octets of the stream's DATA (auto_consume == false):
  // the stream and connection windows reopen (WINDOW_UPDATE when worth it).
  absl::Status Consume(uint32_t stream_id, size_t n);

  absl::Status SetStreamUserData(uint32_t stream_id, void* user_data);
  void* GetStreamUserData(uint32_t stream_id) const;

  // ---- State ----

  StreamState stream_state(uint32_t stream_id) const;
  // The peer's settings in force, and ours as the peer has acknowledged them.
  const Settings& peer_settings() const { return peer_settings_; }
  const Settings& local_settings() const { return local_settings_; }
  int64_t connection_send_window() const { return conn_send_.available(); }
  int64_t connection_receive_window() const { return conn_recv_.window(); }
  // 0 for streams the session does not know.
  int64_t stream_send_window(uint32_t stream_id) const;
  int64_t stream_receive_window(uint32_t stream_id) const;
  // Highest stream id the peer opened (and we processed).
  uint32_t last_peer_stream_id() const { return last_peer_stream_id_; }
  bool goaway_sent() const { return goaway_sent_; }
  bool goaway_received() const { return goaway_received_; }
  // The connection error, if one happened (ours or the peer's GOAWAY with an error code is
  // not one: see goaway_received()).
  const std::optional<ProtocolError>& connection_error() const { return connection_error_; }
  SessionStats stats() const;

 private:
  // FrameListener.
  void OnFrameHeader(const FrameHeader& h) override;
  void OnDataStart(const FrameHeader& h) override;
  void OnDataPayload(absl::string_view data) override;
  void OnHeadersStart(const FrameHeader& h, const PrioritySpec* priority) override;
  void OnPushPromiseStart(const FrameHeader& h, uint32_t promised_stream_id) override;
  void OnContinuationStart(const FrameHeader& h) override;
  void OnFieldBlockFragment(absl::string_view fragment) override;
  void OnPriority(const FrameHeader& h, const PrioritySpec& priority) override;
  void OnRstStream(const FrameHeader& h, uint32_t error_code) override;
  void OnSettingsStart(const FrameHeader& h) override;
  void OnSetting(const Setting& setting) override;
  void OnSettingsAck(const FrameHeader& h) override;
  void OnPing(const FrameHeader& h, uint64_t opaque) override;
  void OnGoAwayStart(const FrameHeader& h, uint32_t last_stream_id, uint32_t error_code) override;
  void OnGoAwayDebugData(absl::string_view data) override;
  void OnWindowUpdate(const FrameHeader& h, uint32_t increment) override;
  void OnPriorityUpdateStart(const FrameHeader& h, uint32_t prioritized_stream_id) override;
  void OnPriorityFieldValue(absl::string_view value) override;
  void OnUnknownPayload(absl::string_view payload) override;
  void OnFrameEnd(const FrameHeader& h) override;
  void OnFrameError(const ProtocolError& error) override;

  const Perspective perspective_;
  Visitor* const visitor_;
  SessionOptions options_;
  Settings peer_settings_;
  Settings local_settings_;
  SendWindow conn_send_;
  ReceiveWindow conn_recv_;
  uint32_t last_peer_stream_id_ = 0;
  bool goaway_sent_ = false;
  bool goaway_received_ = false;
  std::optional<ProtocolError> connection_error_;
};

}  // namespace http2

#endif  // H2HARNESS_HTTP2_SESSION_H_
