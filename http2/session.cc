#include "http2/session.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "hpack/octets.h"

namespace http2 {

// Per-stream state. Pooled: a session allocates at most (concurrent + remembered closed)
// of them over its life.
struct Session::Stream {
  uint32_t id = 0;
  StreamState state = StreamState::kIdle;
  bool local = false;             // initiated (or promised) by this endpoint
  bool known_to_visitor = false;  // OnStreamClose is owed
  CloseReason closed_by = CloseReason::kNone;
  ErrorCode close_code = ErrorCode::kNoError;
  SendWindow send;
  ReceiveWindow recv;
  void* user_data = nullptr;

  // Sending.
  bool headers_sent = false;                    // the request, or the final response
  DataSource* source = nullptr;                 // body being pulled (null: none, or done)
  bool deferred = false;                        // the source said "nothing now"
  bool window_blocked = false;                  // the stream window is <= 0
  bool awaiting_trailers = false;               // body ended with trailers_follow
  std::unique_ptr<hpack::HeaderList> trailers;  // submitted while the body is sent
  Queue queue = Queue::kNone;
  Stream* prev = nullptr;
  Stream* next = nullptr;
  absl::Time stalled_since = absl::InfiniteFuture();

  // Receiving.
  bool final_received = false;    // client: final response headers arrived
  bool request_head = false;      // client: our request (or the promise) was HEAD
  bool request_connect = false;   // client: our request was CONNECT
  bool headers_received = false;  // server: the request headers arrived
  ContentLengthTracker content;

  // Field by field (cheaper than assigning a fresh Stream: this runs once per stream).
  void Reset(uint32_t stream_id, StreamState st, bool is_local, int64_t send_window,
             int64_t recv_window) {
    id = stream_id;
    state = st;
    local = is_local;
    known_to_visitor = false;
    closed_by = CloseReason::kNone;
    close_code = ErrorCode::kNoError;
    send = SendWindow(send_window);
    recv = ReceiveWindow(recv_window);
    user_data = nullptr;
    headers_sent = false;
    source = nullptr;
    deferred = false;
    window_blocked = false;
    awaiting_trailers = false;
    trailers.reset();
    queue = Queue::kNone;
    prev = next = nullptr;
    stalled_since = absl::InfiniteFuture();
    final_received = false;
    request_head = false;
    request_connect = false;
    headers_received = false;
    content = ContentLengthTracker();
  }
};

namespace {

// The opaque data of the PING sent with a graceful-shutdown notice.
constexpr uint64_t kShutdownPing = 0x68326861726e6573;  // "h2harnes"
constexpr size_t kMaxPriorityFieldValue = 1024;

// Whether the field section's :status is 1xx (interim, §8.1).
bool IsInformational(absl::Span<const Header> headers) {
  for (const Header& h : headers) {
    if (h.name == ":status") return h.value.size() == 3 && h.value[0] == '1';
  }
  return false;
}

bool IsActiveState(StreamState s) {
  return s == StreamState::kOpen || s == StreamState::kHalfClosedLocal ||
         s == StreamState::kHalfClosedRemote;
}
bool CanSend(StreamState s) {
  return s == StreamState::kOpen || s == StreamState::kHalfClosedRemote;
}
bool CanReceive(StreamState s) {
  return s == StreamState::kOpen || s == StreamState::kHalfClosedLocal;
}

}  // namespace

absl::string_view StreamStateName(StreamState state) {
  switch (state) {
    case StreamState::kIdle:
      return "idle";
    case StreamState::kReservedLocal:
      return "reserved (local)";
    case StreamState::kReservedRemote:
      return "reserved (remote)";
    case StreamState::kOpen:
      return "open";
    case StreamState::kHalfClosedLocal:
      return "half-closed (local)";
    case StreamState::kHalfClosedRemote:
      return "half-closed (remote)";
    case StreamState::kClosed:
      return "closed";
  }
  return "unknown";
}

bool Session::TokenBucket::Take(absl::Time now) {
  if (last_ == absl::InfinitePast()) last_ = now;
  if (now > last_) {
    const int64_t seconds = absl::ToInt64Seconds(now - last_);
    if (seconds > 0) {
      tokens_ = std::min(burst_, tokens_ + static_cast<uint64_t>(seconds) * rate_);
      last_ += absl::Seconds(seconds);
    }
  }
  if (tokens_ == 0) return false;
  --tokens_;
  return true;
}

// ---------------------------------------------------------------------------------------
// Construction

namespace {
hpack::InflaterOptions MakeInflaterOptions(const SessionOptions& o) {
  hpack::InflaterOptions io;
  io.max_header_list_size = o.max_header_list_size;
  io.max_header_fields = o.max_header_fields;
  io.header_table_size = kDefaultHeaderTableSize;  // ours applies once acknowledged (§4.3.1)
  return io;
}
FieldValidationOptions MakeValidationOptions(const SessionOptions& o, Perspective p) {
  FieldValidationOptions v = o.field_validation;
  if (p == Perspective::kServer) v.allow_extended_connect = o.enable_connect_protocol;
  return v;
}
FrameParserOptions MakeParserOptions(const SessionOptions& o) {
  FrameParserOptions po;
  // Until our SETTINGS is acknowledged the peer may only use the default, but a larger
  // value we advertise can be used as soon as the peer has it.
  po.max_frame_size = std::max(o.max_frame_size, kDefaultMaxFrameSize);
  return po;
}
}  // namespace

Session::Session(Perspective perspective, Visitor* visitor, const SessionOptions& options)
    : perspective_(perspective),
      visitor_(visitor),
      options_(options),
      parser_(this, MakeParserOptions(options)),
      inflater_(MakeInflaterOptions(options)),
      validator_(MakeValidationOptions(options, perspective)),
      send_validator_(MakeValidationOptions(options, perspective)),
      // A smaller window than the default applies once our SETTINGS is acknowledged
      // (§6.9.3: the peer may send up to the default before it sees it).
      recv_initial_window_(
          std::clamp(options.initial_window_size, kDefaultInitialWindowSize, kMaxWindowSize)),
      max_concurrent_in_force_(options.max_concurrent_streams),
      next_local_stream_id_(perspective == Perspective::kClient ? 1 : 2),
      reset_bucket_(options.stream_reset_burst, options.stream_reset_rate),
      glitch_bucket_(options.glitch_burst, options.glitch_rate) {
  parser_.set_offset(perspective == Perspective::kServer ? kClientPreface.size() : 0);
  // The connection preface (§3.4): the client magic, then SETTINGS from both sides.
  if (perspective_ == Perspective::kClient) {
    out_.append(kClientPreface.data(), kClientPreface.size());
  }
  const std::vector<Setting> initial = InitialSettings();
  AppendSettings(&out_, initial);
  ++stats_.frames_sent;
  pending_local_settings_.push_back(initial);
  ArmSettingsTimer();
  if (options_.connection_window_size > kDefaultInitialWindowSize) {
    const uint32_t inc =
        conn_recv_.Grow(options_.connection_window_size - kDefaultInitialWindowSize);
    if (inc > 0) QueueWindowUpdate(0, inc);
  }
  settings_in_.reserve(std::min<size_t>(options_.max_settings, 64));
}

Session::~Session() = default;

std::vector<Setting> Session::InitialSettings() const {
  std::vector<Setting> s;
  if (options_.header_table_size != kDefaultHeaderTableSize) {
    s.push_back({kSettingsHeaderTableSize, options_.header_table_size});
  }
  if (perspective_ == Perspective::kClient && !options_.enable_push) {
    s.push_back({kSettingsEnablePush, 0});
  }
  s.push_back({kSettingsMaxConcurrentStreams, options_.max_concurrent_streams});
  if (options_.initial_window_size != kDefaultInitialWindowSize) {
    s.push_back(
        {kSettingsInitialWindowSize, std::min(options_.initial_window_size, kMaxWindowSize)});
  }
  if (options_.max_frame_size != kDefaultMaxFrameSize) {
    s.push_back({kSettingsMaxFrameSize,
                 std::clamp(options_.max_frame_size, kDefaultMaxFrameSize, kMaxMaxFrameSize)});
  }
  s.push_back({kSettingsMaxHeaderListSize, options_.max_header_list_size});
  if (perspective_ == Perspective::kServer && options_.enable_connect_protocol) {
    s.push_back({kSettingsEnableConnectProtocol, 1});
  }
  return s;
}

absl::Time Session::Now() const {
  return options_.clock != nullptr ? options_.clock->Now() : absl::UnixEpoch();
}

// ---------------------------------------------------------------------------------------
// Streams

bool Session::IsIdle(uint32_t id) const {
  if (id == 0) return false;
  if (IsPeerStreamId(id)) return id > last_peer_stream_id_;
  return id >= next_local_stream_id_;
}

Session::Stream* Session::Find(uint32_t id) const {
  auto it = streams_.find(id);
  return it == streams_.end() ? nullptr : it->second;
}

Session::Stream* Session::NewStream(uint32_t id, StreamState state, bool local) {
  Stream* s;
  if (!free_streams_.empty()) {
    s = free_streams_.back();
    free_streams_.pop_back();
  } else {
    stream_pool_.push_back(std::make_unique<Stream>());
    s = stream_pool_.back().get();
  }
  s->Reset(id, StreamState::kIdle, local, peer_settings_.initial_window_size, recv_initial_window_);
  streams_[id] = s;
  ++stats_.streams_opened;
  SetState(s, state);
  return s;
}

void Session::SetState(Stream* s, StreamState state) {
  const StreamState old = s->state;
  if (old == state) return;
  const bool peer = !s->local;
  if (IsActiveState(old)) --(peer ? active_peer_ : active_local_);
  if (IsActiveState(state)) ++(peer ? active_peer_ : active_local_);
  if (old == StreamState::kReservedRemote) --reserved_remote_;
  if (state == StreamState::kReservedRemote) ++reserved_remote_;
  s->state = state;
}

void Session::CloseStream(Stream* s, CloseReason why, ErrorCode code) {
  if (s->state == StreamState::kClosed) return;
  SetState(s, StreamState::kClosed);
  if (s == data_stream_) data_deliver_ = false;  // a DATA frame for it may be half-read
  s->closed_by = why;
  s->close_code = code;
  s->source = nullptr;
  s->trailers.reset();
  s->awaiting_trailers = false;
  UpdateQueue(s);
  // Data the application never consumed goes back to the connection window.
  const int64_t unconsumed = s->recv.unconsumed();
  if (unconsumed > 0) ConsumeConnection(static_cast<size_t>(unconsumed));
  ++stats_.streams_closed;
  closed_ids_.push_back(s->id);
  if (s->known_to_visitor) {
    s->known_to_visitor = false;
    visitor_->OnStreamClose(s->id, code);
  }
}

void Session::TrimClosedStreams() {
  while (closed_ids_.size() - closed_head_ > options_.max_closed_streams) {
    const uint32_t id = closed_ids_[closed_head_++];
    auto it = streams_.find(id);
    if (it != streams_.end()) {
      if (it->second == data_stream_) data_stream_ = nullptr;
      // NewStream() reuses it next, and it has not been touched for max_closed_streams
      // closes: start fetching it now rather than miss on it then.
      const char* const bytes = reinterpret_cast<const char*>(it->second);
      for (size_t line = 0; line < sizeof(Stream); line += 64) {
        __builtin_prefetch(bytes + line, /*rw=*/1);
      }
      free_streams_.push_back(it->second);
      streams_.erase(it);
      ++stats_.closed_streams_forgotten;
    }
  }
  if (closed_head_ > 64 && closed_head_ * 2 > closed_ids_.size()) {
    closed_ids_.erase(closed_ids_.begin(), closed_ids_.begin() + closed_head_);
    closed_head_ = 0;
  }
}

void Session::Finish() {
  if (!AtTopLevel()) return;
  TrimClosedStreams();
  ScanStalls();
}

// ---------------------------------------------------------------------------------------
// Errors

std::string Session::FrameContext() const {
  return absl::StrFormat("%s frame on stream %u at octet %u", FrameTypeName(frame_.type),
                         frame_.stream_id, frame_offset_);
}

ProtocolError Session::MakeError(Error e, bool connection, uint32_t stream_id,
                                 std::string message) const {
  ProtocolError err;
  err.error = e;
  err.code = ToErrorCode(e);
  err.connection = connection;
  err.stream_id = stream_id;
  err.frame_type = frame_.type;
  err.offset = frame_offset_;
  err.message = std::move(message);
  return err;
}

void Session::ConnectionError(Error e, std::string message, uint32_t stream_id) {
  ConnectionError(MakeError(e, true, stream_id,
                            absl::StrCat(FrameContext(), ": ", message, " (", ErrorRule(e), ")")));
}

void Session::ConnectionError(const ProtocolError& error) {
  if (dead_) return;
  dead_ = true;
  parser_.Halt();
  connection_error_ = error;
  SendFinalGoAway(error.code, options_.goaway_debug_data ? error.message : "");
  visitor_->OnConnectionError(error);
  CloseAllStreams(error.code);
}

void Session::CloseAllStreams(ErrorCode code) {
  // Every stream ends with the connection, in id order.
  std::vector<uint32_t> ids;
  for (const auto& kv : streams_) {
    if (kv.second->state != StreamState::kClosed) ids.push_back(kv.first);
  }
  std::sort(ids.begin(), ids.end());
  for (uint32_t id : ids) {
    if (Stream* s = Find(id)) CloseStream(s, CloseReason::kRstSent, code);
  }
}

void Session::StreamError(Stream* s, uint32_t stream_id, Error e, std::string message,
                          bool glitch) {
  StreamError(s,
              MakeError(e, false, stream_id,
                        absl::StrCat(FrameContext(), ": ", message, " (", ErrorRule(e), ")")),
              glitch);
}

void Session::StreamError(Stream* s, const ProtocolError& error, bool glitch) {
  if (dead_) return;
  visitor_->OnStreamError(error);
  if (dead_) return;
  if (s == nullptr || s->state != StreamState::kClosed) {
    QueueRstStream(error.stream_id, error.code);
    CountControlFrame();
  }
  if (s != nullptr) CloseStream(s, CloseReason::kRstSent, error.code);
  if (glitch) Glitch(error.message);
}

void Session::Glitch(absl::string_view what) {
  ++stats_.glitches;
  if (glitch_bucket_.Take(Now())) return;
  ++stats_.glitch_limit_exceeded;
  ConnectionError(
      Error::kTooManyGlitches,
      absl::StrFormat("more than %u suspicious frames or provoked stream errors "
                      "(burst %u, %u per second); the last: %s",
                      options_.glitch_burst, options_.glitch_burst, options_.glitch_rate, what));
}

// ---------------------------------------------------------------------------------------
// Output

void Session::CountControlFrame() {
  if (++pending_control_ <= options_.max_outbound_control_frames) return;
  ++stats_.outbound_flood;
  ConnectionError(
      Error::kOutboundQueueFlood,
      absl::StrFormat("more than %u SETTINGS/PING acknowledgements and RST_STREAM frames are "
                      "queued unsent; the peer is not reading",
                      options_.max_outbound_control_frames));
}

void Session::QueueRstStream(uint32_t stream_id, ErrorCode code) {
  AppendRstStream(&out_, stream_id, static_cast<uint32_t>(code));
  ++stats_.frames_sent;
  ++stats_.rst_stream_sent;
}

void Session::QueueWindowUpdate(uint32_t stream_id, uint32_t increment) {
  AppendWindowUpdate(&out_, stream_id, increment);
  ++stats_.frames_sent;
}

void Session::QueueGoAway(uint32_t last_stream_id, ErrorCode code, absl::string_view debug) {
  AppendGoAway(&out_, last_stream_id, static_cast<uint32_t>(code), debug);
  ++stats_.frames_sent;
}

void Session::SendFinalGoAway(ErrorCode code, absl::string_view debug) {
  // §6.8: the last stream we processed, never more than a GOAWAY already sent.
  const uint32_t last = std::min(last_processed_stream_id_, goaway_sent_last_);
  goaway_sent_ = true;
  goaway_sent_last_ = last;
  shutdown_ping_pending_ = false;
  shutdown_deadline_ = absl::InfiniteFuture();
  QueueGoAway(last, code, debug);
}

absl::Status Session::QueueFieldBlock(uint32_t stream_id, uint32_t promised_id,
                                      absl::Span<const Header> headers, bool end_stream) {
  if (scratch_fields_.size() < headers.size()) scratch_fields_.resize(headers.size());
  // Header sets repeat from one message to the next: copy only what changed.
  bool same = headers.size() == block_fields_;
  for (size_t i = 0; i < headers.size(); ++i) {
    hpack::HeaderField& f = scratch_fields_[i];
    if (!hpack::SameOctets(f.name, headers[i].name)) {
      f.name.assign(headers[i].name.data(), headers[i].name.size());
      same = false;
    }
    if (!hpack::SameOctets(f.value, headers[i].value)) {
      f.value.assign(headers[i].value.data(), headers[i].value.size());
      same = false;
    }
  }
  // block_ encodes these very fields, and encoding them left the encoder unchanged: the
  // encoder would write the same octets again (RFC 7541 §6.1 indices only), so send those.
  const bool reuse = same && deflater_.last_block_repeatable();
  absl::Status st =
      QueueFieldBlock(stream_id, promised_id,
                      absl::MakeConstSpan(scratch_fields_.data(), headers.size()), end_stream,
                      reuse);
  block_fields_ = st.ok() ? headers.size() : kNoFields;
  return st;
}

absl::Status Session::QueueFieldBlock(uint32_t stream_id, uint32_t promised_id,
                                      absl::Span<const hpack::HeaderField> fields,
                                      bool end_stream, bool reuse_block) {
  if (!reuse_block) {
    block_fields_ = kNoFields;  // the caller says which fields block_ holds, if any
    block_.clear();
    absl::Status st = deflater_.Deflate(fields, &block_);
    if (!st.ok()) return st;
  }
  // Split at the peer's SETTINGS_MAX_FRAME_SIZE into HEADERS/PUSH_PROMISE + CONTINUATION.
  const size_t max = peer_settings_.max_frame_size;
  absl::string_view rest = block_;
  const size_t first_max = promised_id != 0 ? max - 4 : max;
  const absl::string_view first = rest.substr(0, std::min(rest.size(), first_max));
  rest.remove_prefix(first.size());
  const uint8_t end_headers = rest.empty() ? kFlagEndHeaders : 0;
  if (promised_id != 0) {
    AppendPushPromise(&out_, stream_id, promised_id, first, end_headers);
  } else {
    AppendHeaders(&out_, stream_id, first, end_headers | (end_stream ? kFlagEndStream : 0));
  }
  ++stats_.frames_sent;
  while (!rest.empty()) {
    const absl::string_view piece = rest.substr(0, std::min(rest.size(), max));
    rest.remove_prefix(piece.size());
    AppendContinuation(&out_, stream_id, piece, rest.empty() ? kFlagEndHeaders : 0);
    ++stats_.frames_sent;
  }
  return absl::OkStatus();
}

absl::Status Session::ValidateOutgoing(FieldBlockKind kind, absl::Span<const Header> headers,
                                       bool end_stream, bool always) {
  if (!options_.validate_submitted_headers && !always) return absl::OkStatus();
  send_validator_.StartBlock(kind, end_stream);
  for (const Header& h : headers) {
    if (!send_validator_.OnField(h.name, h.value)) break;
  }
  if (send_validator_.ok()) send_validator_.FinishBlock();
  return send_validator_.error().ToStatus();
}

void Session::SentEndStream(Stream* s) {
  if (s->state == StreamState::kOpen) {
    SetState(s, StreamState::kHalfClosedLocal);
  } else if (s->state == StreamState::kHalfClosedRemote) {
    CloseStream(s, CloseReason::kEndStreams, ErrorCode::kNoError);
  }
}

void Session::ReceivedEndStream(Stream* s) {
  const uint32_t id = s->id;
  if (s->state == StreamState::kOpen) {
    SetState(s, StreamState::kHalfClosedRemote);
    visitor_->OnEndStream(id);
  } else if (s->state == StreamState::kHalfClosedLocal) {
    visitor_->OnEndStream(id);
    if (s->state == StreamState::kHalfClosedLocal) {
      CloseStream(s, CloseReason::kEndStreams, ErrorCode::kNoError);
    }
  }
}

void Session::Link(StreamList* list, Stream* s) {
  s->prev = list->tail;
  s->next = nullptr;
  if (list->tail) {
    list->tail->next = s;
  } else {
    list->head = s;
  }
  list->tail = s;
}

void Session::Unlink(StreamList* list, Stream* s) {
  if (s->prev) {
    s->prev->next = s->next;
  } else {
    list->head = s->next;
  }
  if (s->next) {
    s->next->prev = s->prev;
  } else {
    list->tail = s->prev;
  }
  s->prev = s->next = nullptr;
}

void Session::UpdateQueue(Stream* s) {
  Queue want = Queue::kNone;
  if (s->source != nullptr && !s->deferred && CanSend(s->state)) {
    s->window_blocked = s->send.available() <= 0;
    want = s->window_blocked ? Queue::kBlocked : Queue::kReady;
  }
  if (want == s->queue) return;
  if (s->queue == Queue::kReady) Unlink(&ready_, s);
  if (s->queue == Queue::kBlocked) Unlink(&blocked_, s);
  s->queue = want;
  if (want == Queue::kReady) Link(&ready_, s);
  if (want == Queue::kBlocked) Link(&blocked_, s);
  if (want == Queue::kNone) s->stalled_since = absl::InfiniteFuture();
}

namespace {

// The buffer a DataSource writes a DATA payload into: one per thread, grown to the largest
// frame asked for, so memory does not grow with the connections a thread serves. A Read()
// that drives another session's Send() on the same thread (the buffer is taken) gets a
// buffer of its own.
class DataScratch {
 public:
  explicit DataScratch(size_t size) {
    Buffer& b = buffer();
    if (b.busy) {
      own_.reset(new char[size]);
      data_ = own_.get();
      return;
    }
    if (b.size < size) {
      b.size = std::max(size, 2 * b.size);
      b.bytes.reset(new char[b.size]);
    }
    b.busy = true;
    data_ = b.bytes.get();
  }
  ~DataScratch() {
    if (!own_) buffer().busy = false;
  }
  DataScratch(const DataScratch&) = delete;
  DataScratch& operator=(const DataScratch&) = delete;
  char* data() const { return data_; }

 private:
  struct Buffer {
    std::unique_ptr<char[]> bytes;
    size_t size = 0;
    bool busy = false;
  };
  static Buffer& buffer() {
    thread_local Buffer b;
    return b;
  }
  std::unique_ptr<char[]> own_;
  char* data_ = nullptr;
};

}  // namespace

bool Session::WriteDataFrame(Output* out, size_t* budget) {
  Stream* s = ready_.head;
  if (s == nullptr || conn_send_.available() <= 0 || *budget <= kFrameHeaderSize) return false;
  const int64_t allowance = std::min<int64_t>(
      {s->send.available(), conn_send_.available(),
       static_cast<int64_t>(std::min(peer_settings_.max_frame_size, options_.max_data_frame_size)),
       static_cast<int64_t>(std::min<size_t>(*budget - kFrameHeaderSize, 1 << 30))});
  // The source writes straight after the frame header into the caller's array; for a
  // string, into a buffer shared by the thread's sessions (not one per connection; never
  // zero-filled per frame), then the frame is appended.
  char* const frame = out->Free();
  DataSource* const source = s->source;
  DataSource::Result r;
  // A payload lent by its source goes out by reference (Send with pieces); small ones are
  // copied after all, where a reference would cost more than the copy.
  const char* lent = nullptr;
  std::optional<DataScratch> scratch;
  char* payload = nullptr;
  if (!out->lending() || allowance < static_cast<int64_t>(kMinLentPayload) ||
      !source->Lend(s->id, static_cast<size_t>(allowance), &lent, &r)) {
    lent = nullptr;
    if (frame == nullptr) scratch.emplace(static_cast<size_t>(allowance));
    payload = frame ? frame + kFrameHeaderSize : scratch->data();
    r = source->Read(s->id, payload, static_cast<size_t>(allowance));
  }
  if (s->source != source || s->state == StreamState::kClosed) return true;  // reset in Read
  const size_t n = std::min<size_t>(r.length, static_cast<size_t>(allowance));
  if (r.error) {
    StreamError(s,
                MakeError(Error::kInternal, false, s->id,
                          absl::StrFormat("the DataSource of stream %u failed", s->id)),
                /*glitch=*/false);
    return true;
  }
  if (n == 0 && !r.end) {
    s->deferred = true;
    UpdateQueue(s);
    return true;
  }
  const bool end_stream = r.end && !r.trailers_follow && !s->trailers;
  if (frame != nullptr) {
    WriteFrameHeader(frame, static_cast<uint32_t>(n), static_cast<uint8_t>(FrameType::kData),
                     end_stream ? kFlagEndStream : 0, s->id);
    if (lent == nullptr) {
      out->Commit(kFrameHeaderSize + n);
    } else if (n >= kMinLentPayload) {
      out->Commit(kFrameHeaderSize);
      out->Lend(lent, n);
    } else {
      std::memcpy(frame + kFrameHeaderSize, lent, n);  // the source lent less than asked
      out->Commit(kFrameHeaderSize + n);
    }
  } else {
    std::string* const str = out->str();
    const size_t at = str->size();
    str->resize(at + kFrameHeaderSize);
    WriteFrameHeader(&(*str)[at], static_cast<uint32_t>(n),
                     static_cast<uint8_t>(FrameType::kData), end_stream ? kFlagEndStream : 0,
                     s->id);
    str->append(payload, n);
  }
  *budget -= kFrameHeaderSize + n;
  ++stats_.frames_sent;
  s->send.Consume(n);
  conn_send_.Consume(n);
  s->stalled_since = absl::InfiniteFuture();
  if (r.end) {
    s->source = nullptr;
    UpdateQueue(s);
    if (s->trailers) {
      std::unique_ptr<hpack::HeaderList> trailers = std::move(s->trailers);
      absl::Status st = QueueFieldBlock(s->id, 0, *trailers, /*end_stream=*/true);
      (void)st;  // the deflater fails only on internal limits
      SentEndStream(s);
    } else if (r.trailers_follow) {
      s->awaiting_trailers = true;
    } else {
      SentEndStream(s);
    }
  } else {
    // Round robin: the next frame goes to the next stream.
    UpdateQueue(s);
    if (s->queue == Queue::kReady && ready_.head == s && s->next != nullptr) {
      Unlink(&ready_, s);
      Link(&ready_, s);
    }
  }
  return true;
}

void Session::ScanStalls() {
  next_stall_deadline_ = absl::InfiniteFuture();
  if (options_.clock == nullptr) return;
  const absl::Time now = Now();
  auto scan = [&](StreamList& list, bool stalled) {
    for (Stream* s = list.head; s != nullptr; s = s->next) {
      if (!stalled) {
        s->stalled_since = absl::InfiniteFuture();
        continue;
      }
      if (s->stalled_since == absl::InfiniteFuture()) s->stalled_since = now;
      next_stall_deadline_ =
          std::min(next_stall_deadline_, s->stalled_since + options_.stalled_stream_timeout);
    }
  };
  scan(blocked_, true);
  scan(ready_, conn_send_.available() <= 0);
}

// ---------------------------------------------------------------------------------------
// Bytes in and out

size_t Session::Receive(absl::string_view bytes) {
  if (depth_ > 0) return 0;  // not from a Visitor or DataSource callback
  if (dead_) return bytes.size();
  ++depth_;
  size_t consumed = 0;
  if (perspective_ == Perspective::kServer && preface_matched_ < kClientPreface.size()) {
    const size_t n = std::min(kClientPreface.size() - preface_matched_, bytes.size());
    if (std::memcmp(bytes.data(), kClientPreface.data() + preface_matched_, n) != 0) {
      ProtocolError err;
      err.error = Error::kBadPreface;
      err.code = ToErrorCode(Error::kBadPreface);
      err.message =
          "octets 0-23: not the client connection preface "
          "\"PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n\" (RFC 9113 §3.4)";
      ConnectionError(err);
    } else {
      preface_matched_ += n;
      consumed = n;
    }
  }
  while (!dead_ && consumed < bytes.size()) {
    if (OutputBlocked()) {
      ++stats_.receive_paused;
      break;
    }
    const size_t n = parser_.Parse(bytes.substr(consumed));
    consumed += n;
    if (n == 0) break;
  }
  --depth_;
  Finish();
  if (dead_) consumed = bytes.size();
  stats_.bytes_received += consumed;
  return consumed;
}

void Session::Output::Append(const char* p, size_t n) {
  if (str_) {
    str_->append(p, n);
    return;
  }
  std::memcpy(buf_ + size_, p, n);  // Send()'s budget keeps it within the array
  size_ += n;
}

size_t Session::Send(std::string* out, size_t max_bytes) {
  Output o(out);
  return SendTo(&o, max_bytes);
}

size_t Session::Send(char* dest, size_t capacity) {
  Output o(dest);
  return SendTo(&o, capacity);
}

size_t Session::Send(char* dest, size_t capacity, std::vector<absl::string_view>* pieces) {
  pieces->clear();
  Output o(dest, pieces);
  const size_t n = SendTo(&o, capacity);
  o.Finish();
  return n;
}

void Session::Output::Lend(const char* p, size_t n) {
  if (size_ > piece_start_) pieces_->emplace_back(buf_ + piece_start_, size_ - piece_start_);
  pieces_->emplace_back(p, n);
  piece_start_ = size_;
  lent_ += n;
}

void Session::Output::Finish() {
  if (pieces_ && size_ > piece_start_) {
    pieces_->emplace_back(buf_ + piece_start_, size_ - piece_start_);
    piece_start_ = size_;
  }
}

size_t Session::SendTo(Output* out, size_t max_bytes) {
  if (depth_ > 0) return 0;  // not from a Visitor or DataSource callback
  ++depth_;
  const size_t start = out->size();
  size_t budget = max_bytes;
  std::string* const str = out->str();
  for (;;) {
    if (str && out_pos_ == 0 && str->empty() && !out_.empty() && out_.size() <= budget &&
        str->capacity() <= out_.capacity()) {
      // Everything queued fits: hand the buffer over instead of copying it. Only to a
      // smaller buffer: a caller's big reusable buffer must not move into the session, or
      // every connection would end up holding one.
      budget -= out_.size();
      str->swap(out_);
      out_.clear();
      pending_control_ = 0;
    } else if (out_pos_ < out_.size()) {
      const size_t n = std::min(out_.size() - out_pos_, budget);
      out->Append(out_.data() + out_pos_, n);
      out_pos_ += n;
      budget -= n;
      if (out_pos_ < out_.size()) break;
      out_.clear();
      out_pos_ = 0;
      pending_control_ = 0;
    }
    if (dead_ || !WriteDataFrame(out, &budget)) {
      if (out_pos_ < out_.size()) continue;  // a DataSource submitted something
      break;
    }
  }
  --depth_;
  Finish();
  const size_t n = out->size() - start;
  stats_.bytes_sent += n;
  return n;
}

bool Session::WantRead() const {
  if (dead_ || OutputBlocked()) return false;
  // The connection is done when GOAWAY went either way and no stream is left.
  if ((goaway_sent_ || goaway_received_) && active_peer_ == 0 && active_local_ == 0 &&
      reserved_remote_ == 0) {
    return false;
  }
  return true;
}

bool Session::WantWrite() const {
  if (out_pos_ < out_.size()) return true;
  return !dead_ && ready_.head != nullptr && conn_send_.available() > 0;
}

// ---------------------------------------------------------------------------------------
// Time

void Session::OnTimer() {
  if (options_.clock == nullptr || dead_) return;
  ++depth_;
  const absl::Time now = Now();
  if (now >= settings_deadline_ && !pending_local_settings_.empty()) {
    ++stats_.settings_timeouts;
    frame_ = FrameHeader();
    frame_.type = static_cast<uint8_t>(FrameType::kSettings);
    ConnectionError(
        MakeError(Error::kSettingsTimeout, true, 0,
                  absl::StrFormat("our SETTINGS was not acknowledged within %s (RFC 9113 §6.5.3)",
                                  absl::FormatDuration(options_.settings_timeout))));
  }
  if (!dead_ && shutdown_ping_pending_ && now >= shutdown_deadline_) {
    SendFinalGoAway(ErrorCode::kNoError, "");
  }
  if (!dead_ && now >= next_stall_deadline_) {
    std::vector<Stream*> expired;
    auto collect = [&](StreamList& list) {
      for (Stream* s = list.head; s != nullptr; s = s->next) {
        if (s->stalled_since + options_.stalled_stream_timeout <= now) expired.push_back(s);
      }
    };
    collect(blocked_);
    collect(ready_);
    for (Stream* s : expired) {
      if (s->state == StreamState::kClosed) continue;
      ++stats_.stalled_streams_reset;
      frame_ = FrameHeader();
      frame_.type = static_cast<uint8_t>(FrameType::kData);
      frame_.stream_id = s->id;
      ProtocolError err =
          MakeError(Error::kStalledStream, false, s->id,
                    absl::StrFormat("stream %u: data waited on a flow-control window of %d octets "
                                    "(connection: %d) for %s",
                                    s->id, s->send.available(), conn_send_.available(),
                                    absl::FormatDuration(options_.stalled_stream_timeout)));
      err.frame_type = -1;
      StreamError(s, err, /*glitch=*/false);
    }
  }
  --depth_;
  Finish();
}

absl::Time Session::NextDeadline() const {
  if (options_.clock == nullptr || dead_) return absl::InfiniteFuture();
  absl::Time t = next_stall_deadline_;
  if (!pending_local_settings_.empty()) t = std::min(t, settings_deadline_);
  if (shutdown_ping_pending_) t = std::min(t, shutdown_deadline_);
  return t;
}

void Session::ArmSettingsTimer() {
  settings_deadline_ =
      options_.clock != nullptr ? Now() + options_.settings_timeout : absl::InfiniteFuture();
}

// ---------------------------------------------------------------------------------------
// Submissions

absl::StatusOr<uint32_t> Session::SubmitRequest(absl::Span<const Header> headers, DataSource* body,
                                                void* user_data) {
  if (perspective_ != Perspective::kClient) {
    return absl::FailedPreconditionError("SubmitRequest: only a client sends requests");
  }
  if (dead_ || goaway_received_ || goaway_sent_) {
    return absl::FailedPreconditionError(
        "SubmitRequest: the connection is going away (GOAWAY or connection error)");
  }
  if (next_local_stream_id_ > kMaxStreamId) {
    return absl::UnavailableError("SubmitRequest: stream identifiers are exhausted (§5.1.1)");
  }
  if (active_local_ >= peer_settings_.max_concurrent_streams) {
    return absl::ResourceExhaustedError(absl::StrFormat(
        "SubmitRequest: the server allows %u concurrent streams (SETTINGS_MAX_CONCURRENT_"
        "STREAMS); retry when one closes",
        peer_settings_.max_concurrent_streams));
  }
  absl::Status st = ValidateOutgoing(FieldBlockKind::kRequest, headers, body == nullptr);
  if (!st.ok()) return st;
  const uint32_t id = next_local_stream_id_;
  next_local_stream_id_ += 2;
  Stream* s = NewStream(id, StreamState::kOpen, /*local=*/true);
  s->user_data = user_data;
  s->known_to_visitor = true;
  for (const Header& h : headers) {
    if (h.name == ":method") {
      s->request_head = h.value == "HEAD";
      s->request_connect = h.value == "CONNECT";
    }
  }
  st = StartMessage(s, headers, body);
  if (!st.ok()) return st;
  return id;
}

absl::Status Session::StartMessage(Stream* s, absl::Span<const Header> headers, DataSource* body) {
  s->headers_sent = true;
  absl::Status st = QueueFieldBlock(s->id, 0, headers, body == nullptr);
  if (!st.ok()) return st;
  if (body == nullptr) {
    SentEndStream(s);  // END_STREAM on the HEADERS
  } else {
    s->source = body;  // DATA pulled in Send()
    UpdateQueue(s);
  }
  return absl::OkStatus();
}

absl::Status Session::SubmitResponse(uint32_t stream_id, absl::Span<const Header> headers,
                                     DataSource* body) {
  if (perspective_ != Perspective::kServer) {
    return absl::FailedPreconditionError("SubmitResponse: only a server sends responses");
  }
  if (dead_) return absl::FailedPreconditionError("SubmitResponse: the connection has failed");
  Stream* s = Find(stream_id);
  if (s == nullptr || !(CanSend(s->state) || s->state == StreamState::kReservedLocal)) {
    return absl::FailedPreconditionError(
        absl::StrFormat("SubmitResponse: stream %u is %s", stream_id,
                        StreamStateName(s ? s->state : stream_state(stream_id))));
  }
  if (s->headers_sent) {
    return absl::FailedPreconditionError(
        absl::StrFormat("SubmitResponse: stream %u already has a final response", stream_id));
  }
  absl::Status st = ValidateOutgoing(FieldBlockKind::kResponse, headers, body == nullptr);
  if (st.ok() && IsInformational(headers)) {
    st = absl::InvalidArgumentError("SubmitResponse: a 1xx status; use SubmitInformational");
  }
  if (!st.ok()) return st;
  if (s->state == StreamState::kReservedLocal) {
    // §8.4.2: the pushed response opens the stream, half-closed for the client.
    if (active_local_ >= peer_settings_.max_concurrent_streams) {
      return absl::ResourceExhaustedError(
          "SubmitResponse: the client's SETTINGS_MAX_CONCURRENT_STREAMS is reached");
    }
    SetState(s, StreamState::kHalfClosedRemote);
  }
  st = StartMessage(s, headers, body);
  if (!st.ok()) return st;
  Finish();
  return absl::OkStatus();
}

absl::Status Session::SubmitInformational(uint32_t stream_id, absl::Span<const Header> headers) {
  if (perspective_ != Perspective::kServer) {
    return absl::FailedPreconditionError("SubmitInformational: only a server sends responses");
  }
  Stream* s = Find(stream_id);
  if (dead_ || s == nullptr || !CanSend(s->state) || s->headers_sent) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "SubmitInformational: stream %u cannot take an interim response", stream_id));
  }
  absl::Status st = ValidateOutgoing(FieldBlockKind::kResponse, headers, false);
  if (st.ok() && !IsInformational(headers)) {
    st = absl::InvalidArgumentError("SubmitInformational: the status must be 1xx (§8.1)");
  }
  if (!st.ok()) return st;
  return QueueFieldBlock(stream_id, 0, headers, false);
}

absl::StatusOr<uint32_t> Session::SubmitPushPromise(uint32_t associated_stream_id,
                                                    absl::Span<const Header> request,
                                                    void* user_data) {
  if (perspective_ != Perspective::kServer) {
    return absl::FailedPreconditionError("SubmitPushPromise: only a server pushes (§8.4)");
  }
  if (dead_ || goaway_received_) {
    return absl::FailedPreconditionError("SubmitPushPromise: the connection is going away");
  }
  if (peer_settings_.enable_push == 0) {
    return absl::FailedPreconditionError(
        "SubmitPushPromise: the client disabled push (SETTINGS_ENABLE_PUSH=0, §8.4)");
  }
  Stream* assoc = Find(associated_stream_id);
  if (assoc == nullptr || assoc->local || !CanSend(assoc->state)) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "SubmitPushPromise: stream %u is not a client stream that is open or half-closed "
        "(remote) (§6.6)",
        associated_stream_id));
  }
  if (next_local_stream_id_ > kMaxStreamId) {
    return absl::UnavailableError("SubmitPushPromise: stream identifiers are exhausted");
  }
  // Always checked: a promise is a request the server makes up, and the client must reset
  // an unsafe or malformed one (§8.4.1).
  absl::Status st = ValidateOutgoing(FieldBlockKind::kPushPromise, request, false, true);
  if (!st.ok()) return st;
  const uint32_t id = next_local_stream_id_;
  next_local_stream_id_ += 2;
  Stream* s = NewStream(id, StreamState::kReservedLocal, /*local=*/true);
  s->user_data = user_data;
  s->known_to_visitor = true;
  st = QueueFieldBlock(associated_stream_id, id, request, false);
  if (!st.ok()) return st;
  return id;
}

absl::Status Session::SubmitTrailers(uint32_t stream_id, absl::Span<const Header> trailers) {
  Stream* s = Find(stream_id);
  if (dead_ || s == nullptr || !CanSend(s->state) || !s->headers_sent || s->trailers) {
    return absl::FailedPreconditionError(
        absl::StrFormat("SubmitTrailers: stream %u cannot take trailers", stream_id));
  }
  absl::Status st = ValidateOutgoing(FieldBlockKind::kTrailers, trailers, true);
  if (!st.ok()) return st;
  if (s->source != nullptr) {
    s->trailers = std::make_unique<hpack::HeaderList>();
    for (const Header& h : trailers) {
      s->trailers->emplace_back(std::string(h.name), std::string(h.value));
    }
    return absl::OkStatus();
  }
  s->awaiting_trailers = false;
  st = QueueFieldBlock(stream_id, 0, trailers, /*end_stream=*/true);
  if (!st.ok()) return st;
  SentEndStream(s);
  Finish();
  return absl::OkStatus();
}

absl::Status Session::ResumeData(uint32_t stream_id) {
  Stream* s = Find(stream_id);
  if (s == nullptr || s->source == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrFormat("ResumeData: stream %u has no body being sent", stream_id));
  }
  s->deferred = false;
  UpdateQueue(s);
  return absl::OkStatus();
}

absl::Status Session::SubmitRstStream(uint32_t stream_id, ErrorCode code) {
  Stream* s = Find(stream_id);
  if (dead_ || s == nullptr || s->state == StreamState::kClosed || s->state == StreamState::kIdle) {
    return absl::FailedPreconditionError(
        absl::StrFormat("SubmitRstStream: stream %u is %s", stream_id,
                        StreamStateName(s ? s->state : stream_state(stream_id))));
  }
  QueueRstStream(stream_id, code);
  CloseStream(s, CloseReason::kRstSent, code);
  Finish();
  return absl::OkStatus();
}

absl::Status Session::SubmitPing(uint64_t opaque) {
  if (dead_) return absl::FailedPreconditionError("SubmitPing: the connection has failed");
  AppendPing(&out_, opaque);
  ++stats_.frames_sent;
  return absl::OkStatus();
}

absl::Status Session::SubmitSettings(absl::Span<const Setting> settings) {
  if (dead_) return absl::FailedPreconditionError("SubmitSettings: the connection has failed");
  for (const Setting& st : settings) {
    const Error e = ValidateSetting(st);
    if (e != Error::kNone) {
      return absl::InvalidArgumentError(
          absl::StrFormat("SubmitSettings: %s = %u is out of range (%s)", SettingName(st.id),
                          st.value, ErrorRule(e)));
    }
    if (st.id == kSettingsEnablePush && st.value == 1 && perspective_ == Perspective::kServer) {
      return absl::InvalidArgumentError(
          "SubmitSettings: a server must not set SETTINGS_ENABLE_PUSH to 1 (§6.5.2)");
    }
  }
  // Changes that let the peer send more apply at once, the others when acknowledged (§6.9.3),
  // except a lower SETTINGS_MAX_CONCURRENT_STREAMS: streams over it are refused at once,
  // which is safe to retry (§8.7).
  for (const Setting& st : settings) {
    switch (st.id) {
      case kSettingsInitialWindowSize:
        if (st.value > recv_initial_window_) SetReceiveInitialWindow(st.value);
        break;
      case kSettingsMaxFrameSize:
        if (st.value > parser_.max_frame_size()) parser_.set_max_frame_size(st.value);
        break;
      case kSettingsMaxConcurrentStreams:
        max_concurrent_in_force_ = std::min(max_concurrent_in_force_, st.value);
        break;
      default:
        break;
    }
  }
  AppendSettings(&out_, settings);
  ++stats_.frames_sent;
  if (pending_local_settings_.empty()) ArmSettingsTimer();
  pending_local_settings_.emplace_back(settings.begin(), settings.end());
  return absl::OkStatus();
}

void Session::SubmitShutdownNotice() {
  if (dead_ || goaway_sent_ || shutdown_ping_pending_) return;
  // §6.8: GOAWAY with 2^31-1 announces the shutdown; a PING measures the round trip after
  // which no stream the peer started in time can still be in flight.
  QueueGoAway(kMaxStreamId, ErrorCode::kNoError, "");
  AppendPing(&out_, kShutdownPing);
  ++stats_.frames_sent;
  shutdown_ping_pending_ = true;
  shutdown_deadline_ =
      options_.clock != nullptr ? Now() + options_.graceful_shutdown_delay : absl::InfiniteFuture();
}

void Session::SubmitGoAway(ErrorCode code, absl::string_view debug_data) {
  if (dead_) return;
  SendFinalGoAway(code, debug_data);
  if (code != ErrorCode::kNoError) {
    dead_ = true;
    parser_.Halt();
    CloseAllStreams(code);
    Finish();  // the closed streams are trimmed to max_closed_streams, as after other calls
  }
}

absl::Status Session::Consume(uint32_t stream_id, size_t n) {
  Stream* s = Find(stream_id);
  if (s == nullptr || s->state == StreamState::kClosed) {
    return absl::OkStatus();  // its octets went back to the connection when it closed
  }
  if (static_cast<int64_t>(n) > s->recv.unconsumed()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "Consume: stream %u has %d unconsumed octets, not %u", stream_id, s->recv.unconsumed(), n));
  }
  ConsumeConnection(n);
  ConsumeStream(s, n);
  return absl::OkStatus();
}

void Session::ConsumeConnection(size_t n) {
  const uint32_t inc = conn_recv_.Consume(n);
  if (inc > 0 && !dead_) QueueWindowUpdate(0, inc);
}

void Session::ConsumeStream(Stream* s, size_t n) {
  const uint32_t inc = s->recv.Consume(n);
  // No credit for a stream the peer has finished sending on.
  if (inc > 0 && CanReceive(s->state) && !dead_) QueueWindowUpdate(s->id, inc);
}

absl::Status Session::SetStreamUserData(uint32_t stream_id, void* user_data) {
  Stream* s = Find(stream_id);
  if (s == nullptr) {
    return absl::NotFoundError(absl::StrFormat("stream %u is not known", stream_id));
  }
  s->user_data = user_data;
  return absl::OkStatus();
}

void* Session::GetStreamUserData(uint32_t stream_id) const {
  Stream* s = Find(stream_id);
  return s ? s->user_data : nullptr;
}

StreamState Session::stream_state(uint32_t stream_id) const {
  if (Stream* s = Find(stream_id)) return s->state;
  if (stream_id == 0 || IsIdle(stream_id)) return StreamState::kIdle;
  return StreamState::kClosed;
}

int64_t Session::stream_send_window(uint32_t stream_id) const {
  Stream* s = Find(stream_id);
  return s ? s->send.available() : 0;
}

int64_t Session::stream_receive_window(uint32_t stream_id) const {
  Stream* s = Find(stream_id);
  return s ? s->recv.window() : 0;
}

SessionStats Session::stats() const {
  SessionStats st = stats_;
  st.buffered_output_bytes = out_.size() - out_pos_;
  st.queued_control_frames = pending_control_;
  st.active_streams = active_peer_ + active_local_ + reserved_remote_;
  st.remembered_streams = streams_.size();
  st.field_block_bytes = arena_used_;
  return st;
}

// ---------------------------------------------------------------------------------------
// Frames received (FrameListener)

void Session::OnFrameHeader(const FrameHeader& h) {
  frame_ = h;
  frame_offset_ = parser_.frame_offset();
  counted_frame_offset_ = frame_offset_;
  ++stats_.frames_received;
  if (!settings_received_ && !(h.is(FrameType::kSettings) && !h.has(kFlagAck))) {
    ConnectionError(Error::kPrefaceNotSettings,
                    perspective_ == Perspective::kServer
                        ? "the client preface must continue with a SETTINGS frame"
                        : "the server preface must be a SETTINGS frame");
    return;
  }
  switch (static_cast<FrameType>(h.type)) {
    case FrameType::kData:
    case FrameType::kHeaders:
    case FrameType::kPriority:
    case FrameType::kRstStream:
    case FrameType::kSettings:
    case FrameType::kPushPromise:
    case FrameType::kPing:
    case FrameType::kGoAway:
    case FrameType::kWindowUpdate:
    case FrameType::kContinuation:
    case FrameType::kPriorityUpdate:
      break;
    default:
      // §5.5: ignored, but a flood of them costs only the sender nothing.
      Glitch(absl::StrCat(FrameContext(), ": a frame of unknown type"));
      break;
  }
}

void Session::OnDataStart(const FrameHeader& h) {
  data_stream_ = nullptr;
  data_deliver_ = false;
  data_unconsumed_ = 0;
  const uint32_t id = h.stream_id;
  // §6.9: the whole payload counts against the connection window, even when the frame is
  // discarded or in error.
  if (!conn_recv_.OnData(h.length)) {
    ConnectionError(Error::kWindowExceeded,
                    absl::StrFormat("%u octets exceed the connection receive window of %d",
                                    h.length, conn_recv_.window()));
    return;
  }
  data_unconsumed_ = h.length;
  Stream* s = Find(id);
  if (s == nullptr) {
    if (IsIdle(id)) {
      ConnectionError(Error::kIdleStream, "DATA on an idle stream (RFC 9113 §5.1)", id);
      return;
    }
    // A stream ignored after our GOAWAY, or closed and no longer remembered.
    if (!(goaway_sent_ && IsPeerStreamId(id) && id > goaway_sent_last_)) {
      Glitch(absl::StrCat(FrameContext(), ": DATA on a closed stream"));
    }
    return;
  }
  switch (s->state) {
    case StreamState::kOpen:
    case StreamState::kHalfClosedLocal:
      break;
    case StreamState::kHalfClosedRemote:
      StreamError(s, id, Error::kStreamClosed, "DATA after the peer's END_STREAM", true);
      return;
    case StreamState::kClosed:
      if (s->closed_by == CloseReason::kRstSent) return;  // in flight when we reset it
      ConnectionError(Error::kStreamClosed,
                      s->closed_by == CloseReason::kRstReceived
                          ? "DATA after the peer reset the stream"
                          : "DATA after the peer's END_STREAM on a closed stream",
                      id);
      return;
    case StreamState::kReservedLocal:
    case StreamState::kReservedRemote:
    case StreamState::kIdle:
      ConnectionError(Error::kReservedStream,
                      absl::StrCat("DATA on a stream in state ", StreamStateName(s->state)), id);
      return;
  }
  if (!s->recv.OnData(h.length)) {
    StreamError(s, id, Error::kWindowExceeded,
                absl::StrFormat("%u octets exceed the stream receive window of %d", h.length,
                                s->recv.window()),
                true);
    return;
  }
  if (perspective_ == Perspective::kClient && !s->headers_received) {
    // §8.1: a response starts with HEADERS.
    StreamError(s, id, Error::kMalformedMessage, "DATA before the response's HEADERS", true);
    return;
  }
  data_stream_ = s;
  data_deliver_ = true;
}

void Session::OnDataPayload(absl::string_view data) {
  if (!data_deliver_) return;
  Stream* s = data_stream_;
  if (!s->content.OnData(data.size())) {
    data_deliver_ = false;
    StreamError(s, s->id, Error::kMalformedMessage, s->content.error().message, true);
    return;
  }
  data_unconsumed_ -= data.size();
  visitor_->OnData(s->id, data);
  if (s->state == StreamState::kClosed || dead_) {
    data_deliver_ = false;  // the Visitor reset it
    return;
  }
  if (options_.auto_consume) {
    ConsumeConnection(data.size());
    ConsumeStream(s, data.size());
  }
}

void Session::EndDataFrame(const FrameHeader& h) {
  Stream* s = data_stream_;
  // Padding (and anything not delivered) is consumed here.
  if (data_unconsumed_ > 0) {
    ConsumeConnection(data_unconsumed_);
    if (s != nullptr && data_deliver_) ConsumeStream(s, data_unconsumed_);
  }
  if (h.length == 0 && !h.has(kFlagEndStream)) {
    Glitch(absl::StrCat(FrameContext(), ": an empty DATA frame without END_STREAM"));
  }
  if (s == nullptr || !data_deliver_ || !h.has(kFlagEndStream)) return;
  if (!s->content.OnEndStream()) {
    StreamError(s, s->id, Error::kMalformedMessage, s->content.error().message, true);
    return;
  }
  ReceivedEndStream(s);
}

void Session::StartFieldBlock(const FrameHeader& h, uint32_t promised_id) {
  fb_ = FieldBlock();
  fb_.active = true;
  fb_.stream_id = h.stream_id;
  fb_.promised_id = promised_id;
  fb_.push_promise = promised_id != 0;
  fb_.end_stream = h.has(kFlagEndStream) && !fb_.push_promise;
  fb_.frames = 1;
  arena_used_ = 0;
  refs_.clear();
}

void Session::OnHeadersStart(const FrameHeader& h, const PrioritySpec* priority) {
  // Priority signals are deprecated (§5.3.2) and ignored; a stream depending on itself is
  // no longer an error in RFC 9113.
  StartFieldBlock(h, 0);
  BeginHeaders(h);
  if (!fb_.discard && !dead_)
    validator_.StartBlock(fb_.kind == HeadersKind::kRequest    ? FieldBlockKind::kRequest
                          : fb_.kind == HeadersKind::kTrailers ? FieldBlockKind::kTrailers
                                                               : FieldBlockKind::kResponse,
                          fb_.end_stream);
}

// Decides what the HEADERS frame is for: a new stream, a response, trailers, or nothing
// (discarded after decoding); raises the errors of §5.1 and §5.1.1.
void Session::BeginHeaders(const FrameHeader& h) {
  const uint32_t id = h.stream_id;
  Stream* s = Find(id);
  const bool peer_id = IsPeerStreamId(id);
  if (s == nullptr) {
    if (perspective_ == Perspective::kServer && peer_id && id > last_peer_stream_id_) {
      // A new request (§5.1.1: higher than every stream the client opened).
      last_peer_stream_id_ = id;
      if (goaway_sent_ && id > goaway_sent_last_) {
        fb_.discard = true;  // §6.8: ignored after our GOAWAY
        return;
      }
      if (active_peer_ >= max_concurrent_in_force_) {
        ++stats_.streams_refused;
        Stream* r = NewStream(id, StreamState::kOpen, /*local=*/false);
        fb_.discard = true;
        // Over the limit the peer has acknowledged: suspicious; before, a race.
        StreamError(r,
                    MakeError(Error::kRefusedStream, false, id,
                              absl::StrFormat("%s: the client opened more than %u concurrent "
                                              "streams (RFC 9113 §5.1.2)",
                                              FrameContext(), max_concurrent_in_force_)),
                    /*glitch=*/pending_local_settings_.empty());
        return;
      }
      NewStream(id, StreamState::kOpen, /*local=*/false);
      last_processed_stream_id_ = id;
      fb_.kind = HeadersKind::kRequest;
      return;
    }
    if (IsIdle(id)) {
      ConnectionError(Error::kIdleStream,
                      peer_id ? "HEADERS on an idle stream of the server's; pushed streams "
                                "are opened with PUSH_PROMISE (RFC 9113 §5.1, §8.4)"
                              : "HEADERS on an idle stream this endpoint would open (RFC "
                                "9113 §5.1)",
                      id);
      return;
    }
    if (perspective_ == Perspective::kServer && peer_id) {
      ConnectionError(Error::kBadStreamId,
                      absl::StrFormat("HEADERS opening stream %u, not above stream %u the "
                                      "client already opened (a closed stream)",
                                      id, last_peer_stream_id_),
                      id);
      return;
    }
    // A closed stream we no longer remember: decode and drop.
    fb_.discard = true;
    if (!(goaway_sent_ && peer_id && id > goaway_sent_last_)) {
      Glitch(absl::StrCat(FrameContext(), ": HEADERS on a closed stream"));
    }
    return;
  }
  switch (s->state) {
    case StreamState::kOpen:
    case StreamState::kHalfClosedLocal:
      if (perspective_ == Perspective::kServer) {
        fb_.kind = HeadersKind::kTrailers;
      } else {
        fb_.kind = s->final_received ? HeadersKind::kTrailers : HeadersKind::kResponse;
      }
      return;
    case StreamState::kReservedRemote:
      // §8.4.2: the pushed response.
      fb_.kind = HeadersKind::kResponse;
      return;
    case StreamState::kHalfClosedRemote:
      fb_.discard = true;
      StreamError(s, id, Error::kStreamClosed, "HEADERS after the peer's END_STREAM", true);
      return;
    case StreamState::kClosed:
      fb_.discard = true;
      if (s->closed_by == CloseReason::kRstSent) return;
      ConnectionError(Error::kStreamClosed,
                      s->closed_by == CloseReason::kRstReceived
                          ? "HEADERS after the peer reset the stream"
                          : "HEADERS after the peer's END_STREAM on a closed stream",
                      id);
      return;
    case StreamState::kReservedLocal:
    case StreamState::kIdle:
      ConnectionError(
          Error::kReservedStream,
          absl::StrCat("HEADERS from the client on a stream in state ", StreamStateName(s->state)),
          id);
      return;
  }
}

void Session::OnPushPromiseStart(const FrameHeader& h, uint32_t promised_id) {
  StartFieldBlock(h, promised_id);
  if (perspective_ == Perspective::kServer) {
    ConnectionError(Error::kUnexpectedFrame, "a client cannot push (RFC 9113 §8.4)");
    return;
  }
  if (local_settings_.enable_push == 0) {
    ConnectionError(Error::kPushDisabled,
                    "PUSH_PROMISE after SETTINGS_ENABLE_PUSH=0 was acknowledged");
    return;
  }
  if (!IsPeerStreamId(promised_id) || promised_id <= last_peer_stream_id_) {
    ConnectionError(Error::kBadStreamId,
                    absl::StrFormat("promised stream %u is not a valid new server stream "
                                    "(even, above %u) (RFC 9113 §6.6)",
                                    promised_id, last_peer_stream_id_),
                    h.stream_id);
    return;
  }
  Stream* assoc = Find(h.stream_id);
  const bool assoc_reset = assoc != nullptr && assoc->state == StreamState::kClosed &&
                           assoc->closed_by == CloseReason::kRstSent;
  if (!assoc_reset && (assoc == nullptr || !assoc->local || !CanReceive(assoc->state))) {
    ConnectionError(Error::kBadStreamId,
                    absl::StrFormat("PUSH_PROMISE on stream %u, which is neither open nor "
                                    "half-closed (local) (RFC 9113 §6.6)",
                                    h.stream_id),
                    h.stream_id);
    return;
  }
  last_peer_stream_id_ = promised_id;
  last_processed_stream_id_ = promised_id;
  Stream* p = NewStream(promised_id, StreamState::kReservedRemote, /*local=*/false);
  fb_.kind = HeadersKind::kPushRequest;
  // Refusals: push disabled but not yet acknowledged, the associated stream reset by us,
  // or too many reserved streams (§10.5).
  ErrorCode refuse = ErrorCode::kNoError;
  Error reason = Error::kRefusedStream;
  std::string why;
  if (!options_.enable_push) {
    refuse = ErrorCode::kRefusedStream;
    why = "push is disabled (SETTINGS_ENABLE_PUSH=0 not yet acknowledged)";
  } else if (assoc_reset) {
    refuse = ErrorCode::kCancel;
    why = "the associated stream was reset";
  } else if (reserved_remote_ > options_.max_reserved_remote_streams) {
    ++stats_.reserved_streams_refused;
    reason = Error::kTooManyReservedStreams;
    refuse = ErrorCode::kEnhanceYourCalm;
    why = absl::StrFormat("more than %u pushed streams are reserved",
                          options_.max_reserved_remote_streams);
  }
  if (refuse != ErrorCode::kNoError) {
    fb_.discard = true;
    ProtocolError err = MakeError(
        reason, false, promised_id,
        absl::StrFormat("%s: promised stream %u refused: %s", FrameContext(), promised_id, why));
    err.code = refuse;
    StreamError(p, err, /*glitch=*/reason == Error::kTooManyReservedStreams);
    return;
  }
  validator_.StartBlock(FieldBlockKind::kPushPromise, false);
}

void Session::OnContinuationStart(const FrameHeader& h) {
  ++fb_.frames;
  if (fb_.frames - 1 > options_.max_continuations) {
    ++stats_.continuation_limit_exceeded;
    ConnectionError(Error::kTooManyContinuations,
                    absl::StrFormat("more than %u CONTINUATION frames in one field block",
                                    options_.max_continuations));
    return;
  }
  if (h.length == 0 && !h.has(kFlagEndHeaders)) {
    Glitch(absl::StrCat(FrameContext(), ": an empty CONTINUATION without END_HEADERS"));
  }
}

void Session::OnField(absl::string_view name, absl::string_view value) {
  if (fb_.discard || fb_.malformed) return;
  if (!validator_.OnField(name, value)) {
    fb_.malformed = true;
    return;
  }
  // The arena only grows (amortized); views into it are made once the block is complete.
  const size_t at = arena_used_;
  const size_t need = name.size() + value.size();
  if (at + need > arena_.size()) arena_.resize(std::max(2 * arena_.size(), at + need + 1024));
  char* p = &arena_[at];
  hpack::CopyOctets(p, name.data(), name.size());
  hpack::CopyOctets(p + name.size(), value.data(), value.size());
  arena_used_ = at + need;
  refs_.push_back(FieldRef{static_cast<uint32_t>(at), static_cast<uint32_t>(name.size()),
                           static_cast<uint32_t>(at + name.size()),
                           static_cast<uint32_t>(value.size())});
}

void Session::OnFieldBlockFragment(absl::string_view fragment) {
  if (dead_) return;
  fb_.wire_bytes += fragment.size();
  if (fb_.wire_bytes > options_.max_field_block_bytes) {
    ++stats_.continuation_limit_exceeded;
    ConnectionError(Error::kFieldBlockTooLarge, absl::StrFormat("the field block exceeds %u octets",
                                                                options_.max_field_block_bytes));
    return;
  }
  const absl::Status st = inflater_.InflateFragment(
      fragment, false,
      [this](absl::string_view name, absl::string_view value, bool) { OnField(name, value); });
  if (!st.ok()) HpackFailed(st);
}

void Session::HpackFailed(const absl::Status& status) {
  const bool limit = inflater_.error() == hpack::Error::kHeaderListTooLarge ||
                     inflater_.error() == hpack::Error::kTooManyFields;
  if (limit) ++stats_.header_limit_exceeded;
  ConnectionError(limit ? Error::kHeaderListTooLarge : Error::kCompression,
                  std::string(status.message()), fb_.stream_id);
}

void Session::FinishFieldBlock() {
  const absl::Status st = inflater_.InflateFragment(
      absl::string_view(), true,
      [this](absl::string_view name, absl::string_view value, bool) { OnField(name, value); });
  fb_.active = false;
  if (!st.ok()) {
    HpackFailed(st);
    return;
  }
  if (fb_.discard || dead_) return;
  const uint32_t target_id = fb_.push_promise ? fb_.promised_id : fb_.stream_id;
  Stream* s = Find(target_id);
  if (s == nullptr || s->state == StreamState::kClosed) return;
  if (fb_.malformed || !validator_.FinishBlock()) {
    StreamError(s, target_id, Error::kMalformedMessage, validator_.error().message, true);
    return;
  }
  // The views: the arena no longer grows for this block.
  views_.resize(refs_.size());
  cookie_.clear();
  for (size_t i = 0; i < refs_.size(); ++i) {
    const FieldRef& r = refs_[i];
    views_[i].name = absl::string_view(arena_.data() + r.name_offset, r.name_length);
    views_[i].value = absl::string_view(arena_.data() + r.value_offset, r.value_length);
    if (views_[i].name == "cookie") AppendCookieCrumb(&cookie_, views_[i].value);
  }
  DeliverHeaders(s, fb_);
}

void Session::DeliverHeaders(Stream* s, const FieldBlock& fb) {
  ReceivedHeaders rh;
  rh.stream_id = s->id;
  rh.kind = fb.kind;
  rh.end_stream = fb.end_stream;
  rh.fields = views_;
  rh.method = validator_.method();
  rh.scheme = validator_.scheme();
  rh.authority = validator_.authority();
  rh.path = validator_.path();
  rh.protocol = validator_.protocol();
  rh.status = validator_.status();
  rh.content_length = validator_.content_length();
  rh.cookie = cookie_;
  const uint32_t id = s->id;
  switch (fb.kind) {
    case HeadersKind::kRequest:
      s->headers_received = true;
      s->content = ContentLengthTracker::ForRequest(validator_);
      if (fb.end_stream && !s->content.OnEndStream()) {
        // Malformed (content-length with no content): the Visitor never learns of it, so
        // no OnStreamClose either.
        StreamError(s, id, Error::kMalformedMessage, s->content.error().message, true);
        return;
      }
      s->known_to_visitor = true;
      visitor_->OnHeaders(rh);
      break;
    case HeadersKind::kResponse:
    case HeadersKind::kInformational: {
      if (s->state == StreamState::kReservedRemote) {
        // §8.4.2: the pushed response; the stream counts toward our concurrency limit.
        if (active_peer_ >= max_concurrent_in_force_) {
          ++stats_.streams_refused;
          StreamError(s, id, Error::kRefusedStream,
                      "a pushed response beyond our SETTINGS_MAX_CONCURRENT_STREAMS", true);
          return;
        }
        SetState(s, StreamState::kHalfClosedLocal);
      }
      s->headers_received = true;
      s->content =
          ContentLengthTracker::ForResponse(validator_, s->request_head, s->request_connect);
      if (validator_.is_informational()) {
        rh.kind = HeadersKind::kInformational;
      } else {
        s->final_received = true;
        if (fb.end_stream && !s->content.OnEndStream()) {
          StreamError(s, id, Error::kMalformedMessage, s->content.error().message, true);
          return;
        }
      }
      visitor_->OnHeaders(rh);
      break;
    }
    case HeadersKind::kTrailers:
      if (!s->content.OnEndStream()) {
        StreamError(s, id, Error::kMalformedMessage, s->content.error().message, true);
        return;
      }
      visitor_->OnHeaders(rh);
      break;
    case HeadersKind::kPushRequest:
      s->known_to_visitor = true;
      s->request_head = validator_.is_head();
      visitor_->OnPushPromise(fb.stream_id, id, rh);
      return;
  }
  if (fb.end_stream && s->state != StreamState::kClosed && !dead_) ReceivedEndStream(s);
}

void Session::OnPriority(const FrameHeader& h, const PrioritySpec& priority) {
  // Deprecated signalling (§5.3.2): validated by the parser, otherwise ignored, in any
  // stream state (§6.3).
}

void Session::OnRstStream(const FrameHeader& h, uint32_t error_code) {
  const uint32_t id = h.stream_id;
  ++stats_.rst_stream_received;
  if (IsIdle(id)) {
    ConnectionError(Error::kIdleStream, "RST_STREAM on an idle stream (RFC 9113 §6.4)", id);
    return;
  }
  if (perspective_ == Perspective::kServer && !goaway_sent_ && !reset_bucket_.Take(Now())) {
    ++stats_.rapid_reset_limit_exceeded;
    ConnectionError(Error::kRapidReset,
                    absl::StrFormat("more than %u RST_STREAM frames (burst %u, %u per second)",
                                    options_.stream_reset_burst, options_.stream_reset_burst,
                                    options_.stream_reset_rate),
                    id);
    return;
  }
  Stream* s = Find(id);
  if (s == nullptr || s->state == StreamState::kClosed) return;
  CloseStream(s, CloseReason::kRstReceived, static_cast<ErrorCode>(error_code));
}

void Session::OnSettingsStart(const FrameHeader& h) {
  settings_received_ = true;
  settings_in_.clear();
}

void Session::OnSetting(const Setting& setting) {
  if (settings_in_.size() >= options_.max_settings) {
    ++stats_.settings_limit_exceeded;
    ConnectionError(
        Error::kTooManySettings,
        absl::StrFormat("more than %u entries in one SETTINGS frame", options_.max_settings));
    return;
  }
  settings_in_.push_back(setting);
}

void Session::ApplyPeerSettings() {
  for (const Setting& st : settings_in_) {
    switch (st.id) {
      case kSettingsHeaderTableSize:
        deflater_.ChangeTableSize(st.value);
        break;
      case kSettingsEnablePush:
        if (perspective_ == Perspective::kClient && st.value == 1) {
          ConnectionError(Error::kUnexpectedFrame,
                          "a server must not set SETTINGS_ENABLE_PUSH to 1 (RFC 9113 §6.5.2)");
          return;
        }
        break;
      case kSettingsInitialWindowSize: {
        // §6.9.2: every stream window moves by the difference, possibly below zero.
        const int64_t delta = static_cast<int64_t>(st.value) - peer_settings_.initial_window_size;
        for (const auto& kv : streams_) {
          Stream* s = kv.second;
          if (s->state == StreamState::kClosed) continue;
          if (!s->send.Adjust(delta)) {
            ConnectionError(Error::kInitialWindowOverflow,
                            absl::StrFormat("SETTINGS_INITIAL_WINDOW_SIZE %u takes the window "
                                            "of stream %u past 2^31-1",
                                            st.value, s->id));
            return;
          }
          UpdateQueue(s);
        }
        break;
      }
      case kSettingsEnableConnectProtocol:
        if (peer_settings_.enable_connect_protocol == 1 && st.value == 0) {
          ConnectionError(Error::kInvalidSettingValue,
                          "SETTINGS_ENABLE_CONNECT_PROTOCOL went from 1 to 0 (RFC 8441 §3)");
          return;
        }
        break;
      default:
        break;
    }
    peer_settings_.Apply(st);
  }
  // §6.5.3: acknowledge at once.
  AppendSettingsAck(&out_);
  ++stats_.frames_sent;
  CountControlFrame();
  if (dead_) return;
  visitor_->OnSettings(settings_in_);
}

void Session::OnSettingsAck(const FrameHeader& h) {
  if (pending_local_settings_.empty()) {
    Glitch(absl::StrCat(FrameContext(), ": a SETTINGS ACK for no SETTINGS"));
    return;
  }
  std::vector<Setting> acked = std::move(pending_local_settings_.front());
  pending_local_settings_.erase(pending_local_settings_.begin());
  ApplyAckedSettings(acked);
  settings_deadline_ = absl::InfiniteFuture();
  if (!pending_local_settings_.empty()) ArmSettingsTimer();
  visitor_->OnSettingsAck();
}

void Session::ApplyAckedSettings(const std::vector<Setting>& settings) {
  for (const Setting& st : settings) {
    switch (st.id) {
      case kSettingsHeaderTableSize:
        inflater_.ChangeTableSize(st.value);  // §4.3.1: from the acknowledgement on
        break;
      case kSettingsInitialWindowSize:
        if (st.value < recv_initial_window_) SetReceiveInitialWindow(st.value);
        break;
      case kSettingsMaxFrameSize:
        parser_.set_max_frame_size(st.value);
        break;
      case kSettingsMaxConcurrentStreams:
        max_concurrent_in_force_ = st.value;
        break;
      default:
        break;
    }
    local_settings_.Apply(st);
  }
}

void Session::SetReceiveInitialWindow(uint32_t value) {
  // §6.9.2: the change moves the window of every stream that still receives.
  const int64_t delta = static_cast<int64_t>(value) - recv_initial_window_;
  for (const auto& kv : streams_) {
    if (CanReceive(kv.second->state)) kv.second->recv.AdjustTarget(delta);
  }
  recv_initial_window_ = value;
}

void Session::OnPing(const FrameHeader& h, uint64_t opaque) {
  if (h.has(kFlagAck)) {
    if (shutdown_ping_pending_ && opaque == kShutdownPing) {
      SendFinalGoAway(ErrorCode::kNoError, "");
    }
    visitor_->OnPing(opaque, true);
    return;
  }
  AppendPing(&out_, opaque, kFlagAck);
  ++stats_.frames_sent;
  CountControlFrame();
  if (dead_) return;
  visitor_->OnPing(opaque, false);
}

void Session::OnGoAwayStart(const FrameHeader& h, uint32_t last_stream_id, uint32_t error_code) {
  goaway_in_last_ = last_stream_id;
  goaway_in_code_ = error_code;
  goaway_in_debug_.clear();
}

void Session::OnGoAwayDebugData(absl::string_view data) {
  const size_t room = options_.max_goaway_debug_data - goaway_in_debug_.size();
  goaway_in_debug_.append(data.data(), std::min(room, data.size()));
}

void Session::EndGoAway() {
  if (goaway_received_ && goaway_in_last_ > goaway_received_last_) {
    ConnectionError(Error::kGoAwayIncreased,
                    absl::StrFormat("last-stream-id %u is above %u sent in an earlier GOAWAY",
                                    goaway_in_last_, goaway_received_last_));
    return;
  }
  goaway_received_ = true;
  goaway_received_last_ = goaway_in_last_;
  visitor_->OnGoAway(goaway_in_last_, static_cast<ErrorCode>(goaway_in_code_), goaway_in_debug_);
  // §6.8, §8.7: our streams above last-stream-id were not processed; safe to retry.
  std::vector<uint32_t> ids;
  for (const auto& kv : streams_) {
    const Stream* s = kv.second;
    if (s->local && s->id > goaway_in_last_ && s->state != StreamState::kClosed) {
      ids.push_back(s->id);
    }
  }
  std::sort(ids.begin(), ids.end());
  for (uint32_t id : ids) {
    if (Stream* s = Find(id)) CloseStream(s, CloseReason::kRstSent, ErrorCode::kRefusedStream);
  }
}

void Session::OnWindowUpdate(const FrameHeader& h, uint32_t increment) {
  const uint32_t id = h.stream_id;
  if (id == 0) {
    if (!conn_send_.Increase(increment)) {
      ConnectionError(
          Error::kWindowOverflow,
          absl::StrFormat("increment %u takes the connection window past 2^31-1", increment));
      return;
    }
    visitor_->OnWindowUpdate(0, increment);
    return;
  }
  if (IsIdle(id)) {
    ConnectionError(Error::kIdleStream, "WINDOW_UPDATE on an idle stream (RFC 9113 §5.1)", id);
    return;
  }
  Stream* s = Find(id);
  if (s == nullptr || s->state == StreamState::kClosed) return;  // §6.9: not an error
  if (s->state == StreamState::kReservedRemote) {
    ConnectionError(Error::kReservedStream,
                    "WINDOW_UPDATE on a reserved (remote) stream (RFC 9113 §5.1)", id);
    return;
  }
  if (!s->send.Increase(increment)) {
    StreamError(s, id, Error::kWindowOverflow,
                absl::StrFormat("increment %u takes the stream window past 2^31-1", increment),
                true);
    return;
  }
  UpdateQueue(s);
  visitor_->OnWindowUpdate(id, increment);
}

void Session::OnPriorityUpdateStart(const FrameHeader& h, uint32_t prioritized_stream_id) {
  if (perspective_ == Perspective::kClient) {
    ConnectionError(Error::kUnexpectedFrame,
                    "a server must not send PRIORITY_UPDATE (RFC 9218 §7.1)");
    return;
  }
  priority_update_id_ = prioritized_stream_id;
  priority_update_value_.clear();
}

void Session::OnPriorityFieldValue(absl::string_view value) {
  const size_t room =
      kMaxPriorityFieldValue - std::min(kMaxPriorityFieldValue, priority_update_value_.size());
  priority_update_value_.append(value.data(), std::min(room, value.size()));
}

void Session::OnUnknownPayload(absl::string_view payload) {}

void Session::OnFrameEnd(const FrameHeader& h) {
  switch (static_cast<FrameType>(h.type)) {
    case FrameType::kData:
      EndDataFrame(h);
      break;
    case FrameType::kHeaders:
    case FrameType::kPushPromise:
    case FrameType::kContinuation:
      if (h.has(kFlagEndHeaders) && fb_.active) FinishFieldBlock();
      break;
    case FrameType::kSettings:
      if (!h.has(kFlagAck)) ApplyPeerSettings();
      break;
    case FrameType::kGoAway:
      EndGoAway();
      break;
    case FrameType::kPriorityUpdate:
      visitor_->OnPriorityUpdate(priority_update_id_, priority_update_value_);
      break;
    default:
      break;
  }
  data_stream_ = nullptr;
  data_deliver_ = false;
  if (!dead_ && OutputBlocked()) parser_.Pause();
}

void Session::OnFrameError(const ProtocolError& error) {
  // Frames failing their header checks never reached OnFrameHeader: count them here.
  if (error.offset != counted_frame_offset_) {
    ++stats_.frames_received;
    counted_frame_offset_ = error.offset;
  }
  frame_offset_ = error.offset;
  if (error.connection) {
    ConnectionError(error);
    return;
  }
  // Stream errors the parser found: PRIORITY with a bad length, WINDOW_UPDATE increment 0.
  const uint32_t id = error.stream_id;
  frame_.type = static_cast<uint8_t>(error.frame_type);
  frame_.stream_id = id;
  if (IsIdle(id)) {
    // §5.1 forbids WINDOW_UPDATE on an idle stream, and RST_STREAM cannot be sent for one
    // (§6.4): the connection goes instead (§5.4.1 allows it).
    ProtocolError conn = error;
    conn.connection = true;
    if (error.frame_type == static_cast<int>(FrameType::kWindowUpdate)) {
      conn.error = Error::kIdleStream;
      conn.code = ToErrorCode(Error::kIdleStream);
      conn.message = absl::StrCat(error.message, "; and the stream is idle (RFC 9113 §5.1)");
    }
    ConnectionError(conn);
    return;
  }
  Stream* s = Find(id);
  if (s == nullptr || s->state == StreamState::kClosed) {
    Glitch(error.message);  // no RST_STREAM on a closed stream (§5.1)
    return;
  }
  if (s->state == StreamState::kReservedRemote &&
      error.frame_type == static_cast<int>(FrameType::kWindowUpdate)) {
    ProtocolError conn = error;
    conn.connection = true;
    conn.error = Error::kReservedStream;
    conn.code = ToErrorCode(Error::kReservedStream);
    ConnectionError(conn);
    return;
  }
  StreamError(s, error, /*glitch=*/true);
}

}  // namespace http2
