// The harness of the HTTP/2 session fuzzers: one http2::Session (server or client role) fed
// with the peer's octets a script (fuzz/http2_script.h) writes, delivered in pieces; its
// output read by a PeerView (fuzz/http2_peer_view.h) — or not, while the peer "does not
// read"; a FakeClock; and an Application (the fuzzer's server handler or client app) that the
// script drives. After every call the session's own accounting is checked against its
// limits (bounded memory), and liveness: with its output drained, Receive() progresses;
// OnTimer() leaves no deadline in the past; Send() with no budget leaves nothing to write.
#ifndef H2HARNESS_FUZZ_HTTP2_SESSION_HARNESS_H_
#define H2HARNESS_FUZZ_HTTP2_SESSION_HARNESS_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "fuzz/fuzz_util.h"
#include "fuzz/http2_peer_view.h"
#include "fuzz/http2_script.h"
#include "http2/options.h"
#include "http2/session.h"
#include "http2/testing.h"
#include "http2/visitor.h"

namespace fuzz {
namespace h2 {

// What the fuzzer's application does when the script says so; a Visitor of the session.
class Application : public http2::Visitor {
 public:
  http2::Session* session = nullptr;
  // A HEADERS record's action octet for its stream (kHeaders).
  virtual void OnScriptHeaders(uint32_t stream_id, uint8_t action) {}
  // kServerAction: the application calls the session.
  virtual void OnAppAction(uint8_t action, uint32_t stream_id) = 0;
  // Bounds: streams the session may hold active (open, half-closed, reserved (remote)), and
  // streams it may remember beyond those and max_closed_streams (e.g. reserved (local)).
  virtual size_t ActiveStreamBound() const = 0;
  virtual size_t ExtraRememberedStreams() const { return 0; }
};

// A session fuzzer's configuration, from the first 8 octets of its input.
struct FuzzConfig {
  http2::SessionOptions options;
  bool clock = true;
};
// Octet i of the config (0 past the end of the input).
inline uint8_t ConfigAt(absl::string_view config, size_t i) {
  return i < config.size() ? static_cast<uint8_t>(config[i]) : 0;
}

// Config octets 2 and 3, the same for both roles: small limits (so that they fire) and
// timers. Octet 3 bit 0x40: no clock at all (timers never fire, buckets never refill).
inline void ApplyCommonConfig(uint8_t limits, uint8_t timing, http2::SessionOptions* o,
                              bool* use_clock) {
  if (limits & 0x01) o->max_continuations = 2;
  if (limits & 0x02) o->max_field_block_bytes = 512;
  if (limits & 0x04) o->max_settings = 4;
  if (limits & 0x08) o->max_outbound_control_frames = 8;
  if (limits & 0x10) {
    o->stream_reset_burst = 4;
    o->stream_reset_rate = 1;
  }
  if (limits & 0x20) {
    o->glitch_burst = 8;
    o->glitch_rate = 1;
  }
  if (limits & 0x40) o->max_closed_streams = 2;
  if (limits & 0x80) o->max_output_buffer = 256;
  static constexpr uint32_t kConnWindows[] = {65535, 65535, 1 << 20, 0x7fffffff};
  o->connection_window_size = kConnWindows[timing & 3];
  if (timing & 0x04) o->stalled_stream_timeout = absl::Seconds(1);
  if (timing & 0x08) o->settings_timeout = absl::Seconds(1);
  if (timing & 0x10) o->graceful_shutdown_delay = absl::Milliseconds(100);
  if (timing & 0x20) o->max_goaway_debug_data = 8;
  *use_clock = (timing & 0x40) == 0;
}

// Config octet 1, the same for both roles: the SETTINGS the session advertises and its
// field section limits.
inline void ApplyCodecConfig(uint8_t c, http2::SessionOptions* o) {
  static constexpr uint32_t kFrameSizes[] = {16384, 16384, 20000, 1 << 20};
  static constexpr uint32_t kTableSizes[] = {4096, 0, 256, 65536};
  static constexpr uint32_t kListSizes[] = {65536, 200, 1000, 1 << 20};
  o->max_frame_size = kFrameSizes[c & 3];
  o->header_table_size = kTableSizes[(c >> 2) & 3];
  o->max_header_list_size = kListSizes[(c >> 4) & 3];
  if (c & 0x40) o->max_header_fields = 4;
  if (c & 0x80) o->max_data_frame_size = 100;
}

// Field validation relaxations (config octet 4 for the server, 3 for the client).
inline void ApplyValidationConfig(uint8_t v, http2::SessionOptions* o) {
  http2::FieldValidationOptions& fv = o->field_validation;
  if (v & 0x01) fv.validate_http_headers = false;
  if (v & 0x02) fv.no_rfc9113_leading_and_trailing_ws_validation = true;
  if (v & 0x04) fv.allow_different_host_and_authority = true;
  if (v & 0x08) fv.require_authority_or_host = true;
  if (v & 0x10) fv.validate_content_length = false;
  if (v & 0x20) fv.allow_non_token_names = true;
  if (v & 0x40) fv.validate_path = false;
  // The application's own field sections are checked too (it then tries malformed ones).
  o->validate_submitted_headers = (v & 0x80) != 0;
}

// The application calls both roles share (kServerAction, action % 12): 0 PING, 1 SETTINGS,
// 2 shutdown notice, 3 GOAWAY, 5 RST_STREAM, 6 trailers, 8 Consume, 11 state queries. Returns
// false for the others (4, 7, 9, 10: the application's own). *max_concurrent grows when the
// session advertises a larger SETTINGS_MAX_CONCURRENT_STREAMS.
inline bool CommonAppAction(http2::Session& s, uint8_t action, uint32_t id,
                            uint32_t* max_concurrent) {
  switch (action % 12) {
    case 0:
      (void)s.SubmitPing(action);
      return true;
    case 1: {
      static constexpr http2::Setting kSettings[] = {
          {http2::kSettingsInitialWindowSize, 0},    {http2::kSettingsInitialWindowSize, 1 << 20},
          {http2::kSettingsMaxConcurrentStreams, 1}, {http2::kSettingsMaxConcurrentStreams, 200},
          {http2::kSettingsHeaderTableSize, 0},      {http2::kSettingsMaxFrameSize, 100},
          {http2::kSettingsMaxFrameSize, 32768},     {http2::kSettingsEnablePush, 1}};
      const http2::Setting st = kSettings[(action >> 4) % 8];
      if (s.SubmitSettings({st}).ok() && st.id == http2::kSettingsMaxConcurrentStreams) {
        *max_concurrent = std::max(*max_concurrent, st.value);
      }
      return true;
    }
    case 2:
      s.SubmitShutdownNotice();
      return true;
    case 3:
      s.SubmitGoAway(static_cast<http2::ErrorCode>((action >> 4) % 3), "bye");
      return true;
    case 5:
      (void)s.SubmitRstStream(id, http2::ErrorCode::kCancel);
      return true;
    case 6:
      (void)s.SubmitTrailers(id, {{"x-late", "1"}});
      return true;
    case 8:
      (void)s.Consume(id, action >> 4);
      Check(!s.Consume(id, size_t{1} << 40).ok() || s.stream_state(id) == http2::StreamState::kClosed ||
                s.stream_state(id) == http2::StreamState::kIdle,
            "Consume() of more than was received succeeded");
      return true;
    case 11: {
      static int user_data;
      if (s.SetStreamUserData(id, &user_data).ok()) {
        Check(s.GetStreamUserData(id) == &user_data, "stream user data lost");
      }
      (void)http2::StreamStateName(s.stream_state(id));
      (void)s.stream_send_window(id);
      (void)s.stream_receive_window(id);
      (void)s.connection_send_window();
      (void)s.connection_receive_window();
      (void)s.WantRead();
      (void)s.last_peer_stream_id();
      (void)s.goaway_sent();
      (void)s.goaway_received();
      (void)s.peer_settings();
      (void)s.local_settings();
      return true;
    }
    default:
      return false;
  }
}

// Config octets 1-4 (codec, limits, timing, validation), the same for both roles.
inline void ApplySharedConfig(absl::string_view config, FuzzConfig* cfg) {
  ApplyCodecConfig(ConfigAt(config, 1), &cfg->options);
  ApplyCommonConfig(ConfigAt(config, 2), ConfigAt(config, 3), &cfg->options, &cfg->clock);
  ApplyValidationConfig(ConfigAt(config, 4), &cfg->options);
}

class SessionHarness : public ScriptListener {
 public:
  // Slack over max_output_buffer that one input frame may add (a response's header blocks,
  // pushes, a GOAWAY with its message) before Receive() stops reading.
  static constexpr size_t kOutputSlack = 16 * 1024;

  SessionHarness(http2::Perspective role, http2::SessionOptions options, bool use_clock,
                 Application* app)
      : options_(std::move(options)), view_(role), input_view_(role, &view_), app_(app) {
    options_.clock = use_clock ? &clock_ : nullptr;
    session_ = std::make_unique<http2::Session>(role, app, options_);
    app_->session = session_.get();
    CheckBounds("construction");
  }

  http2::Session& session() { return *session_; }
  const http2::SessionOptions& options() const { return options_; }

  // Runs the script, then delivers what is left and drains the output.
  void Run(absl::string_view script, size_t max_output) {
    ScriptRunner runner(max_output);
    runner.Run(script, this);
    OnDeliver(0);
    if (reading_) Drain();
    CheckBounds("the end");
    if (Verbose()) {
      const http2::SessionStats st = session_->stats();
      std::fprintf(stderr,
                   "received %llu octets, %llu frames; sent %llu octets, %llu frames; streams "
                   "%llu opened, %llu closed; glitches %llu; %s\n",
                   (unsigned long long)st.bytes_received, (unsigned long long)st.frames_received,
                   (unsigned long long)st.bytes_sent, (unsigned long long)st.frames_sent,
                   (unsigned long long)st.streams_opened, (unsigned long long)st.streams_closed,
                   (unsigned long long)st.glitches,
                   session_->connection_error() ? session_->connection_error()->message.c_str()
                                                : "no connection error");
    }
  }

  // The session must be destroyed before the application's body sources.
  void Destroy() { session_.reset(); }

  // ScriptListener.
  void OnClientBytes(absl::string_view bytes, Op) override {
    pending_.append(bytes.data(), bytes.size());
    if (pending_.size() > 64 * 1024) OnDeliver(0);
  }
  void OnDeliver(size_t piece) override {
    while (!pending_.empty()) {
      // Tiny pieces cost a Receive() call (and checks) per octet: at most 16 KiB of them per
      // run, so that floods stay fast.
      if (piece > 0 && piece < 100) {
        if (tiny_octets_ > 16 * 1024) piece = 1000;
        tiny_octets_ += std::min(pending_.size(), piece);
      }
      const size_t n = std::min(pending_.size(), piece == 0 ? pending_.size() : piece);
      const bool dead_before = session_->connection_error().has_value();
      const size_t used = session_->Receive(absl::string_view(pending_).substr(0, n));
      Check(used <= n, "Receive() consumed more than it was given");
      if (!dead_before) input_view_.OnConsumed(absl::string_view(pending_).substr(0, used));
      pending_.erase(0, used);
      CheckBounds("Receive()");
      if (used == 0) {
        if (!reading_) return;  // the session waits for its peer to read
        Drain();
        const size_t again = session_->Receive(absl::string_view(pending_).substr(0, n));
        if (again == 0) {
          Fail(absl::StrCat("Receive() makes no progress with the output drained (WantRead=",
                            session_->WantRead(), ")"));
        }
        input_view_.OnConsumed(absl::string_view(pending_).substr(0, again));
        pending_.erase(0, again);
        CheckBounds("Receive() after Send()");
      }
    }
  }
  void OnServerSend(size_t budget, bool toggle_reading) override {
    if (toggle_reading) {
      reading_ = !reading_;
      return;
    }
    if (!reading_) return;
    if (budget == 0) {
      Drain();
      return;
    }
    std::string out;
    size_t n;
    if (budget % 2 == 0) {
      // Into an array with lent payloads (what the server does on cleartext): the pieces in
      // order are the output; nothing past the capacity.
      std::string array(budget + 8, '#');
      std::vector<absl::string_view> pieces;
      n = session_->Send(&array[0], budget, &pieces);
      for (absl::string_view p : pieces) out.append(p.data(), p.size());
      Check(array.compare(budget, 8, "########") == 0, "Send(array) wrote past its capacity");
    } else {
      n = session_->Send(&out, budget);
    }
    Check(n == out.size() && n <= budget, "Send() wrote more than its budget");
    view_.OnSessionBytes(out);
    app_allowance_ -= std::min(app_allowance_, n);
    CheckBounds("Send(budget)");
  }
  void OnClock(absl::Duration d) override {
    clock_.Advance(d);
    session_->OnTimer();
    if (options_.clock != nullptr && !session_->connection_error()) {
      Check(session_->NextDeadline() > clock_.Now(), "OnTimer() left a deadline in the past");
    }
    CheckBounds("OnTimer()");
  }
  void OnServerAction(uint8_t action, uint32_t stream_id) override {
    AsApplication([&] { app_->OnAppAction(action, stream_id); });
    CheckBounds("an application call");
  }
  void OnHandlerAction(uint32_t stream_id, uint8_t action) override {
    AsApplication([&] { app_->OnScriptHeaders(stream_id, action); });
  }
  uint32_t ServerHeaderTableSize() override { return options_.header_table_size; }

 private:
  void Drain() {
    std::string out;
    session_->Send(&out);
    view_.OnSessionBytes(out);
    app_allowance_ = 0;
    Check(!session_->WantWrite(), "WantWrite() after Send() took everything");
    CheckBounds("Send()");
  }

  // Runs an application call: what it queues is the application's, not the peer's doing, and
  // is allowed over max_output_buffer until sent.
  template <typename F>
  void AsApplication(F&& call) {
    const size_t before = session_->stats().buffered_output_bytes;
    call();
    const size_t after = session_->stats().buffered_output_bytes;
    if (after > before) app_allowance_ += after - before;
  }

  // The session's accounting against its limits.
  void CheckBounds(const char* where) {
    const http2::SessionStats st = session_->stats();
    const http2::SessionOptions& o = options_;
    auto fail = [&](const std::string& what) { Fail(absl::StrCat("after ", where, ": ", what)); };
    if (st.buffered_output_bytes > o.max_output_buffer + kOutputSlack + app_allowance_) {
      fail(absl::StrCat("the session buffers ", st.buffered_output_bytes,
                        " octets of output (max_output_buffer ", o.max_output_buffer, ")"));
    }
    if (st.queued_control_frames > o.max_outbound_control_frames + 1) {
      fail(absl::StrCat(st.queued_control_frames, " control frames queued (limit ",
                        o.max_outbound_control_frames, ")"));
    }
    if (st.remembered_streams >
        st.active_streams + o.max_closed_streams + app_->ExtraRememberedStreams()) {
      fail(absl::StrCat(st.remembered_streams, " streams remembered with ", st.active_streams,
                        " active (max_closed_streams ", o.max_closed_streams, ")"));
    }
    if (st.field_block_bytes > o.max_header_list_size) {
      fail(absl::StrCat("a field section of ", st.field_block_bytes,
                        " octets held (max_header_list_size ", o.max_header_list_size, ")"));
    }
    if (st.active_streams > app_->ActiveStreamBound()) {
      fail(absl::StrCat(st.active_streams, " streams active, more than the limits allow (",
                        app_->ActiveStreamBound(), ")"));
    }
  }

  http2::FakeClock clock_;
  http2::SessionOptions options_;
  PeerView view_;
  InputView input_view_;
  Application* app_;
  std::unique_ptr<http2::Session> session_;
  std::string pending_;
  bool reading_ = true;
  size_t app_allowance_ = 0;
  size_t tiny_octets_ = 0;
};

}  // namespace h2
}  // namespace fuzz

#endif  // H2HARNESS_FUZZ_HTTP2_SESSION_HARNESS_H_
