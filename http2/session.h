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
// Threading: none; one thread drives a session. Visitor and DataSource callbacks run inside
// Receive(), Send() and OnTimer(), and may call the Submit*, Consume, ResumeData and state
// methods, but not Receive() or Send() (they return 0 there). Destroying a session does not
// call the Visitor.
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
  // The same into the caller's array: writes at most `capacity` octets at `dest` and
  // returns how many. DATA payloads are read by their DataSource straight into `dest` (one
  // copy fewer per octet than appending to a string).
  size_t Send(char* dest, size_t capacity);
  // The same, except that DATA payloads of at least kMinLentPayload octets that their
  // DataSource lends (DataSource::Lend) are not copied: the output, `capacity` octets at
  // most, is the sequence of `pieces` (cleared first), spans of `dest` and of the sources'
  // memory, in order. For writev(): a large body is copied once, by the kernel.
  size_t Send(char* dest, size_t capacity, std::vector<absl::string_view>* pieces);
  // Below this a copy costs less than an iovec more (4 KiB h2c bodies: +7 % req/s lent).
  static constexpr size_t kMinLentPayload = 4096;
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

  struct Stream;
  enum class CloseReason : uint8_t { kNone, kEndStreams, kRstSent, kRstReceived };
  enum class Queue : uint8_t { kNone, kReady, kBlocked };
  // An intrusive list of streams (no allocation per stream or frame).
  struct StreamList {
    Stream* head = nullptr;
    Stream* tail = nullptr;
  };
  // A token bucket refilled by whole seconds of the session clock (like nghttp2's ratelim).
  class TokenBucket {
   public:
    TokenBucket(uint32_t burst, uint32_t rate) : burst_(burst), rate_(rate), tokens_(burst) {}
    bool Take(absl::Time now);

   private:
    uint64_t burst_;
    uint64_t rate_;
    uint64_t tokens_;
    absl::Time last_ = absl::InfinitePast();
  };
  // The field block being received (HEADERS or PUSH_PROMISE, then CONTINUATIONs).
  struct FieldBlock {
    bool active = false;
    bool push_promise = false;
    bool end_stream = false;
    bool discard = false;    // decode for HPACK's sake only (§4.3)
    bool malformed = false;  // validation failed; decode, then reset the stream
    HeadersKind kind = HeadersKind::kRequest;
    uint32_t stream_id = 0;    // stream of the HEADERS / PUSH_PROMISE
    uint32_t promised_id = 0;  // PUSH_PROMISE
    size_t frames = 0;
    size_t wire_bytes = 0;
  };
  struct FieldRef {
    uint32_t name_offset, name_length, value_offset, value_length;
  };

  absl::Time Now() const;
  bool IsPeerStreamId(uint32_t id) const {
    return (id & 1) == (perspective_ == Perspective::kServer ? 1u : 0u);
  }
  bool IsIdle(uint32_t id) const;
  Stream* Find(uint32_t id) const;
  Stream* NewStream(uint32_t id, StreamState state, bool local);
  void SetState(Stream* s, StreamState state);
  void CloseStream(Stream* s, CloseReason why, ErrorCode code);
  void CloseAllStreams(ErrorCode code);
  void TrimClosedStreams();
  bool AtTopLevel() const { return depth_ == 0; }
  void Finish();  // the end of every top-level call

  // Errors.
  void ConnectionError(Error e, std::string message, uint32_t stream_id = 0);
  void ConnectionError(const ProtocolError& error);
  // Resets `s` (or just sends RST_STREAM for an id without a record) because of the peer.
  void StreamError(Stream* s, uint32_t stream_id, Error e, std::string message, bool glitch);
  void StreamError(Stream* s, const ProtocolError& error, bool glitch);
  void Glitch(absl::string_view what);
  std::string FrameContext() const;
  ProtocolError MakeError(Error e, bool connection, uint32_t stream_id, std::string message) const;

  // Output.
  bool OutputBlocked() const { return out_.size() - out_pos_ > options_.max_output_buffer; }
  void CountControlFrame();
  void QueueRstStream(uint32_t stream_id, ErrorCode code);
  void QueueWindowUpdate(uint32_t stream_id, uint32_t increment);
  void QueueGoAway(uint32_t last_stream_id, ErrorCode code, absl::string_view debug);
  absl::Status QueueFieldBlock(uint32_t stream_id, uint32_t promised_id,
                               absl::Span<const Header> headers, bool end_stream);
  // reuse_block: block_ already holds these fields' encoding (see the Header overload).
  absl::Status QueueFieldBlock(uint32_t stream_id, uint32_t promised_id,
                               absl::Span<const hpack::HeaderField> fields, bool end_stream,
                               bool reuse_block = false);
  absl::Status ValidateOutgoing(FieldBlockKind kind, absl::Span<const Header> headers,
                                bool end_stream, bool always = false);
  void SendFinalGoAway(ErrorCode code, absl::string_view debug);
  // Queues the request or final response headers, then the body or END_STREAM.
  absl::Status StartMessage(Stream* s, absl::Span<const Header> headers, DataSource* body);
  void SentEndStream(Stream* s);
  void ReceivedEndStream(Stream* s);
  // DATA scheduling.
  void UpdateQueue(Stream* s);
  void Link(StreamList* list, Stream* s);
  void Unlink(StreamList* list, Stream* s);
  // Where Send() puts frames: appended to a string, or written into a caller's array.
  class Output {
   public:
    explicit Output(std::string* str) : str_(str) {}
    explicit Output(char* buf) : buf_(buf) {}  // room: the budget Send() is given
    Output(char* buf, std::vector<absl::string_view>* pieces) : buf_(buf), pieces_(pieces) {}
    std::string* str() const { return str_; }
    // Octets output so far (lent ones included).
    size_t size() const { return str_ ? str_->size() : size_ + lent_; }
    void Append(const char* p, size_t n);
    // The array's free space (written, then Commit()ed), or null for a string.
    char* Free() const { return buf_ ? buf_ + size_ : nullptr; }
    void Commit(size_t n) { size_ += n; }
    // Payloads may be taken by reference (Lend()).
    bool lending() const { return pieces_ != nullptr; }
    void Lend(const char* p, size_t n);
    // Closes the last piece of the array.
    void Finish();

   private:
    std::string* str_ = nullptr;
    char* buf_ = nullptr;
    size_t size_ = 0;
    std::vector<absl::string_view>* pieces_ = nullptr;
    size_t piece_start_ = 0;  // in buf_: where the current piece began
    size_t lent_ = 0;
  };
  size_t SendTo(Output* out, size_t max_bytes);
  bool WriteDataFrame(Output* out, size_t* budget);
  void ScanStalls();

  // Flow control of received data.
  void ConsumeConnection(size_t n);
  void ConsumeStream(Stream* s, size_t n);

  // Settings.
  std::vector<Setting> InitialSettings() const;
  void ApplyPeerSettings();
  void ApplyAckedSettings(const std::vector<Setting>& settings);
  void SetReceiveInitialWindow(uint32_t value);
  void ArmSettingsTimer();

  // Field blocks.
  void StartFieldBlock(const FrameHeader& h, uint32_t promised_id);
  void BeginHeaders(const FrameHeader& h);
  void OnField(absl::string_view name, absl::string_view value);
  void HpackFailed(const absl::Status& status);
  void FinishFieldBlock();
  void DeliverHeaders(Stream* s, const FieldBlock& fb);

  void EndDataFrame(const FrameHeader& h);
  void EndGoAway();

  const Perspective perspective_;
  Visitor* const visitor_;
  SessionOptions options_;
  FrameParser parser_;
  hpack::Inflater inflater_;
  hpack::Deflater deflater_;
  FieldValidator validator_;       // received field blocks
  FieldValidator send_validator_;  // submitted ones

  Settings peer_settings_;
  Settings local_settings_;  // acknowledged
  std::vector<std::vector<Setting>> pending_local_settings_;
  uint32_t recv_initial_window_;  // stream receive window for new streams
  uint32_t max_concurrent_in_force_;
  SendWindow conn_send_;
  ReceiveWindow conn_recv_;

  absl::flat_hash_map<uint32_t, Stream*> streams_;
  std::vector<std::unique_ptr<Stream>> stream_pool_;
  std::vector<Stream*> free_streams_;
  std::vector<uint32_t> closed_ids_;  // FIFO from closed_head_
  size_t closed_head_ = 0;
  StreamList ready_;        // streams with data to send and window
  StreamList blocked_;      // streams with data to send and no stream window
  size_t active_peer_ = 0;  // peer-initiated streams open or half-closed
  size_t active_local_ = 0;
  size_t reserved_remote_ = 0;
  uint32_t next_local_stream_id_;
  uint32_t last_peer_stream_id_ = 0;
  uint32_t last_processed_stream_id_ = 0;

  // Input state.
  size_t preface_matched_ = 0;
  bool settings_received_ = false;
  bool dead_ = false;  // no more input (connection error or GOAWAY with an error)
  int depth_ = 0;
  FrameHeader frame_;  // the frame being processed
  uint64_t frame_offset_ = 0;
  uint64_t counted_frame_offset_ = ~uint64_t{0};
  // DATA frame in progress.
  Stream* data_stream_ = nullptr;
  bool data_deliver_ = false;
  size_t data_unconsumed_ = 0;  // octets of the frame counted but not yet consumed
  // Field block in progress.
  FieldBlock fb_;
  std::string arena_;  // decoded fields of the block, arena_used_ octets of it
  size_t arena_used_ = 0;
  std::vector<FieldRef> refs_;
  std::vector<Header> views_;
  std::string cookie_;
  // SETTINGS frame in progress.
  std::vector<Setting> settings_in_;
  // GOAWAY / PRIORITY_UPDATE frame in progress.
  uint32_t goaway_in_last_ = 0;
  uint32_t goaway_in_code_ = 0;
  std::string goaway_in_debug_;
  uint32_t priority_update_id_ = 0;
  std::string priority_update_value_;

  // Output state.
  std::string out_;
  size_t out_pos_ = 0;
  size_t pending_control_ = 0;
  std::string block_;                 // HPACK scratch: the last field block encoded
  std::vector<hpack::HeaderField> scratch_fields_;
  // How many of scratch_fields_ block_ encodes; kNoFields when block_ encodes other fields.
  static constexpr size_t kNoFields = ~size_t{0};
  size_t block_fields_ = kNoFields;

  // GOAWAY and shutdown.
  bool goaway_sent_ = false;
  uint32_t goaway_sent_last_ = kMaxStreamId;
  bool goaway_received_ = false;
  uint32_t goaway_received_last_ = kMaxStreamId;
  bool shutdown_ping_pending_ = false;
  absl::Time shutdown_deadline_ = absl::InfiniteFuture();
  std::optional<ProtocolError> connection_error_;

  // Timers and rate limits.
  absl::Time settings_deadline_ = absl::InfiniteFuture();
  absl::Time next_stall_deadline_ = absl::InfiniteFuture();
  TokenBucket reset_bucket_;
  TokenBucket glitch_bucket_;

  SessionStats stats_;
};

}  // namespace http2

#endif  // H2HARNESS_HTTP2_SESSION_H_
