// One probe connection to an HTTP/2 server: writes the frames a case builds, parses what the
// server sends with the core's FrameParser, decodes its field blocks with its own
// hpack::Inflater, and keeps an Observation (per-stream outcomes, GOAWAY, PING ACKs, close)
// plus a timed trace of both directions. Nothing here shares state with the server under
// test: verdicts are judged from the frames alone.
//
// It also checks, on every frame the server sends, the rules a server must follow whatever
// the case (reserved bits, unused flags, :status, lowercase names, flow-control windows,
// no PUSH_PROMISE after SETTINGS_ENABLE_PUSH=0, no frames on a stream it knows we reset,
// GOAWAY's last stream id never rising, ...): breaches go to Observation::violations.
#ifndef H2HARNESS_CONFORMANCE_PROBE_CONN_H_
#define H2HARNESS_CONFORMANCE_PROBE_CONN_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "conformance/probe/transport.h"
#include "hpack/header.h"
#include "hpack/inflater.h"
#include "http2/frame.h"
#include "http2/frame_builder.h"
#include "http2/frame_parser.h"
#include "http2/settings.h"

namespace probe {

// One line of a trace: "  3.2ms -> HEADERS stream=1 flags=END_STREAM|END_HEADERS ...".
struct TraceLine {
  absl::Duration at;
  bool sent = false;  // -> probe to server; <- server to probe; notes have neither
  bool note = false;
  std::string text;
};
std::string FormatTrace(const std::vector<TraceLine>& trace);

// Why a request with these fields is malformed under RFC 9113 §8.2 and §8.3 (field
// characters, uppercase, connection-specific fields, pseudo-header rules), or "" when it is
// well-formed. The probe's own reading of the RFC, independent of any implementation.
std::string MalformedRequestReason(const hpack::HeaderList& fields);

// What the server did on one stream.
struct StreamObs {
  bool opened_by_us = false;
  bool request_ended = false;      // we sent END_STREAM
  bool we_reset = false;
  std::vector<int> interim;        // 1xx statuses
  int status = 0;                  // final status, 0 before the response HEADERS
  hpack::HeaderList response;      // the final response's fields
  hpack::HeaderList trailers;
  bool has_trailers = false;
  bool end_stream = false;         // the server ended the stream
  std::optional<uint32_t> rst;     // RST_STREAM code from the server
  uint64_t data_bytes = 0;         // DATA payload octets (padding excluded)
  uint64_t flow_bytes = 0;         // flow-controlled octets (with padding)
  std::string body;                // the first 64 KiB
  std::vector<uint32_t> data_frame_sizes;
  absl::Duration first_at = absl::InfiniteDuration();
  absl::Duration end_at = absl::InfiniteDuration();
  bool decided() const { return rst.has_value() || end_stream; }
};

struct GoAwayObs {
  uint32_t last_stream_id = 0;
  uint32_t code = 0;
  std::string debug;
  absl::Duration at;
};

struct Observation {
  std::vector<http2::Setting> server_settings;  // the server's first SETTINGS frame
  bool first_frame_was_settings = false;
  std::map<uint32_t, StreamObs> streams;
  std::vector<GoAwayObs> goaways;
  std::vector<http2::Frame> frames;   // every frame received, in order
  std::set<uint64_t> pings_acked;     // opaque data of PING ACKs received
  int settings_acks = 0;
  bool closed = false;                // EOF or reset
  bool reset = false;                 // reset (RST), not a clean EOF
  std::string close_detail;
  absl::Duration closed_at = absl::InfiniteDuration();
  bool unparsable = false;            // the server sent something the frame layer rejects
  std::vector<std::string> violations;  // rules the server broke while sending
  std::vector<TraceLine> trace;

  const StreamObs* stream(uint32_t id) const {
    auto it = streams.find(id);
    return it == streams.end() ? nullptr : &it->second;
  }
  // The first GOAWAY with an error code (or the first GOAWAY if all are NO_ERROR).
  const GoAwayObs* goaway() const;
};

struct ConnOptions {
  // Settings sent in the client preface. Default: SETTINGS_ENABLE_PUSH=0.
  std::vector<http2::Setting> settings = {{http2::kSettingsEnablePush, 0}};
  // Send WINDOW_UPDATE for every DATA frame received (connection and stream), so responses
  // are never stalled by the probe's own windows.
  bool auto_window_update = true;
  // Log frame payload details in the trace (header fields, data sizes).
  bool verbose_trace = true;
};

class Conn : public http2::FrameListener {
 public:
  Conn(std::unique_ptr<Transport> transport, ConnOptions options = {});
  ~Conn() override;

  // Sends the client preface (magic + SETTINGS from options) and waits for the server's
  // SETTINGS, which must be its first frame (§3.4), then acknowledges it.
  absl::Status Handshake(absl::Time deadline);
  // Only the magic and SETTINGS, without waiting (for preface cases).
  absl::Status SendPreface();

  // The frame builder: HPACK context for our field blocks (client -> server).
  http2::FrameSequence& out() { return out_; }
  // Writes what out() holds (and records it in the trace).
  absl::Status Flush(absl::Time deadline);
  // Writes raw octets, as they are.
  absl::Status Write(absl::string_view bytes, absl::Time deadline);

  // Reads once (up to `deadline`) and processes what came. False when nothing came before
  // the deadline or the connection is closed.
  bool ReadSome(absl::Time deadline);
  // Reads until `done()` holds, the connection closes, or `deadline`. Returns done().
  bool WaitFor(const std::function<bool()>& done, absl::Time deadline);

  // Sends a PING with fresh opaque data (flushing out() first) and returns the data.
  uint64_t SendPing(absl::Time deadline);
  bool PingAcked(uint64_t opaque) const { return obs_.pings_acked.count(opaque) > 0; }
  // PING, wait for its ACK, then a second PING and its ACK: everything the server did in
  // reaction to frames sent before the first PING has been sent before the second ACK.
  bool Sync(absl::Time deadline);

  // Marks `stream` as a request we opened (and ended, when end_stream).
  void NoteRequest(uint32_t stream, bool end_stream);
  void NoteRequestEnd(uint32_t stream);
  void NoteReset(uint32_t stream);
  void Note(const std::string& text);

  const Observation& obs() const { return obs_; }
  Observation& mutable_obs() { return obs_; }
  absl::Duration Elapsed() const { return absl::Now() - start_; }
  Transport* transport() { return transport_.get(); }
  void Close();

  // The server's settings in force (from its SETTINGS frames).
  const http2::Settings& server_settings() const { return server_; }
  // Flow-control credit the server gave us for `stream` and the connection.
  int64_t SendWindow(uint32_t stream) const;
  int64_t ConnSendWindow() const { return conn_send_window_; }
  void ConsumeSendWindow(uint32_t stream, size_t n);
  bool closed() const { return obs_.closed; }
  void set_auto_window_update(bool on) { options_.auto_window_update = on; }

  // --- http2::FrameListener ---
  void OnFrameHeader(const http2::FrameHeader& h) override;
  void OnDataPayload(absl::string_view data) override;
  void OnHeadersStart(const http2::FrameHeader& h, const http2::PrioritySpec* priority) override;
  void OnPushPromiseStart(const http2::FrameHeader& h, uint32_t promised) override;
  void OnFieldBlockFragment(absl::string_view fragment) override;
  void OnPriority(const http2::FrameHeader& h, const http2::PrioritySpec& p) override;
  void OnRstStream(const http2::FrameHeader& h, uint32_t error_code) override;
  void OnSetting(const http2::Setting& setting) override;
  void OnPing(const http2::FrameHeader& h, uint64_t opaque) override;
  void OnGoAwayStart(const http2::FrameHeader& h, uint32_t last, uint32_t code) override;
  void OnGoAwayDebugData(absl::string_view data) override;
  void OnWindowUpdate(const http2::FrameHeader& h, uint32_t increment) override;
  void OnPriorityUpdateStart(const http2::FrameHeader& h, uint32_t prioritized) override;
  void OnPriorityFieldValue(absl::string_view value) override;
  void OnUnknownPayload(absl::string_view payload) override;
  void OnPadding(absl::string_view padding) override;
  void OnFrameEnd(const http2::FrameHeader& h) override;
  void OnFrameError(const http2::ProtocolError& error) override;

 private:
  void Trace(bool sent, std::string text);
  void TraceOutgoing(absl::string_view bytes);
  void TrackOutgoing(absl::string_view frame);
  void Violation(std::string what);
  void HandleFrame(const http2::Frame& f);
  void HandleFieldBlock(uint32_t stream, bool push, bool end_stream);
  void CheckResponseFields(uint32_t stream, const hpack::HeaderList& fields, bool trailers,
                           bool end_stream);
  void MarkClosed(bool reset, std::string detail);

  std::unique_ptr<Transport> transport_;
  ConnOptions options_;
  absl::Time start_;
  http2::FrameParser parser_;
  http2::FrameSequence out_;
  hpack::Inflater inflater_;
  Observation obs_;

  http2::Frame cur_;           // frame being received
  std::string block_;          // field block being reassembled
  uint32_t block_stream_ = 0;
  bool block_push_ = false;
  bool block_end_stream_ = false;
  bool block_open_ = false;

  // Outgoing trace: octets of an incomplete frame carried to the next write.
  std::string out_pending_;
  bool preface_pending_ = true;

  http2::Settings server_;
  bool server_settings_seen_ = false;
  // Our SETTINGS frames not yet acknowledged: header_table_size and max_frame_size values.
  std::deque<std::vector<http2::Setting>> our_unacked_;
  int64_t conn_send_window_ = http2::kDefaultInitialWindowSize;
  std::map<uint32_t, int64_t> send_window_delta_;  // per stream, relative to the initial size
  int64_t conn_recv_window_ = http2::kDefaultInitialWindowSize;
  uint32_t our_initial_window_ = http2::kDefaultInitialWindowSize;
  std::map<uint32_t, int64_t> recv_window_;
  uint64_t next_ping_ = 0x6832686172000001ull;  // "h2har..." counting up
  // Streams we reset, with the ping sent after the reset; once that ping is acknowledged the
  // server has seen the reset.
  std::map<uint32_t, uint64_t> reset_ping_;
  std::set<uint32_t> reset_known_;
  uint32_t last_goaway_id_ = http2::kMaxStreamId;
  std::vector<uint64_t> sent_pings_;
  bool push_disabled_ = false;
  std::set<uint32_t> touched_;  // streams we sent any frame on
  bool recv_windows_known_ = true;
  // (stream, increment) of WINDOW_UPDATEs queued by the auto-update path and already
  // credited, so TrackOutgoing does not credit them twice when they are written.
  std::multiset<std::pair<uint32_t, uint32_t>> self_credited_;
};

}  // namespace probe

#endif  // H2HARNESS_CONFORMANCE_PROBE_CONN_H_
