// Session options: the SETTINGS a session advertises, its behaviour, and every limit it
// enforces against abuse (RFC 9113 §10.5), each with a constexpr default, a field here and
// a counter in SessionStats that says how often it fired.
//
// Names and defaults follow nghttp2 (nghttp2_option_set_*) and quiche where they have one.
#ifndef H2HARNESS_HTTP2_OPTIONS_H_
#define H2HARNESS_HTTP2_OPTIONS_H_

#include <cstddef>
#include <cstdint>

#include "absl/time/time.h"
#include "hpack/inflater.h"
#include "http2/clock.h"
#include "http2/field_validation.h"
#include "http2/settings.h"

namespace http2 {

// --- Defaults of the advertised SETTINGS ---
// RFC 9113 §6.5.2 recommends at least 100; nghttpd and h2o use 100.
inline constexpr uint32_t kDefaultMaxConcurrentStreams = 100;

// --- Defaults of the limits (see SessionOptions for what each defends against) ---
inline constexpr uint32_t kDefaultMaxHeaderListSize = hpack::kDefaultMaxHeaderListSize;  // 64 KiB
inline constexpr size_t kDefaultMaxHeaderFields = hpack::kDefaultMaxHeaderFields;        // 1024
inline constexpr size_t kDefaultMaxContinuations = 8;  // nghttp2 max_continuations
inline constexpr size_t kDefaultMaxFieldBlockBytes = 128 * 1024;
inline constexpr size_t kDefaultMaxSettings = 32;                 // nghttp2 max_settings
inline constexpr size_t kDefaultMaxOutboundControlFrames = 1000;  // nghttp2 max_outbound_ack
inline constexpr uint32_t kDefaultStreamResetBurst = 1000;        // nghttp2 stream_reset_rate_limit
inline constexpr uint32_t kDefaultStreamResetRate = 33;           //   (per second)
inline constexpr uint32_t kDefaultGlitchBurst = 1000;             // nghttp2 glitch_rate_limit
inline constexpr uint32_t kDefaultGlitchRate = 33;                //   (per second)
inline constexpr size_t kDefaultMaxClosedStreams = 128;
inline constexpr size_t kDefaultMaxReservedRemoteStreams = 200;  // nghttp2
inline constexpr size_t kDefaultMaxOutputBuffer = 64 * 1024;
inline constexpr absl::Duration kDefaultStalledStreamTimeout = absl::Seconds(30);
inline constexpr absl::Duration kDefaultSettingsTimeout = absl::Seconds(10);
inline constexpr absl::Duration kDefaultGracefulShutdownDelay = absl::Seconds(1);
inline constexpr size_t kDefaultMaxGoAwayDebugData = 1024;

struct SessionOptions {
  // --- SETTINGS this endpoint advertises (§6.5.2) ---
  uint32_t header_table_size = kDefaultHeaderTableSize;
  // Client only: advertise SETTINGS_ENABLE_PUSH=1 and accept pushes (a server never sends
  // ENABLE_PUSH). Default off, as browsers do.
  bool enable_push = false;
  uint32_t max_concurrent_streams = kDefaultMaxConcurrentStreams;
  // Our stream receive window (SETTINGS_INITIAL_WINDOW_SIZE).
  uint32_t initial_window_size = kDefaultInitialWindowSize;
  uint32_t max_frame_size = kDefaultMaxFrameSize;
  // Also the HPACK bomb limit: a field section decoding past it (name + value + 32 per
  // field) ends the connection with COMPRESSION_ERROR (decoding stops, so the HPACK context
  // is lost; §4.3, §10.5.1 allow closing the connection). Advertised as
  // SETTINGS_MAX_HEADER_LIST_SIZE.
  uint32_t max_header_list_size = kDefaultMaxHeaderListSize;
  // Server only: SETTINGS_ENABLE_CONNECT_PROTOCOL=1 (RFC 8441): extended CONNECT accepted.
  bool enable_connect_protocol = false;

  // --- Behaviour ---
  // The connection receive window; above 65,535 it is opened with a WINDOW_UPDATE on
  // stream 0 right after the preface (§6.9.2: SETTINGS cannot change it).
  uint32_t connection_window_size = kDefaultInitialWindowSize;
  // DATA counts as consumed as soon as the Visitor has it (WINDOW_UPDATEs follow by
  // themselves). false: the application calls Session::Consume() when it has processed it.
  bool auto_consume = true;
  // Largest DATA payload this session sends (also capped by the peer's MAX_FRAME_SIZE).
  uint32_t max_data_frame_size = kDefaultMaxFrameSize;
  // Put the error message in GOAWAY's Additional Debug Data (§6.8).
  bool goaway_debug_data = true;
  // Check the field sections this endpoint submits with the same rules (Submit* fails
  // with InvalidArgument instead of sending a malformed message). Off by default, as in
  // nghttp2: the application is trusted, and the check would double the cost of fields.
  bool validate_submitted_headers = false;
  // Field validation (§8.1-§8.3); `allow_extended_connect` is forced to
  // `enable_connect_protocol` on servers.
  FieldValidationOptions field_validation;
  // Time source for the timers and rate limits below. null: time stands still (timers
  // never fire; the token buckets never refill, so their bursts become totals).
  const Clock* clock = nullptr;

  // --- Limits (RFC 9113 §10.5). Counter in SessionStats given after each. ---
  // HPACK "tiny field" bomb: fields per field section -> COMPRESSION_ERROR.
  // [header_limit_exceeded]
  size_t max_header_fields = kDefaultMaxHeaderFields;
  // CONTINUATION flood (CVE-2024-27316 and kin): CONTINUATION frames per field block ->
  // GOAWAY ENHANCE_YOUR_CALM. [continuation_limit_exceeded]
  size_t max_continuations = kDefaultMaxContinuations;
  // ... and wire octets per field block (HEADERS/PUSH_PROMISE + CONTINUATION payloads).
  // [continuation_limit_exceeded]
  size_t max_field_block_bytes = kDefaultMaxFieldBlockBytes;
  // SETTINGS with too many entries (CVE-2019-9515 kin): entries per SETTINGS frame ->
  // ENHANCE_YOUR_CALM. [settings_limit_exceeded]
  size_t max_settings = kDefaultMaxSettings;
  // SETTINGS / PING / reset floods (CVE-2019-9512, -9515, -9514): ACKs and RST_STREAMs
  // queued but not yet taken by Send() -> ENHANCE_YOUR_CALM. [outbound_flood]
  size_t max_outbound_control_frames = kDefaultMaxOutboundControlFrames;
  // Rapid Reset (CVE-2023-44487), server only: token bucket of RST_STREAMs received, `burst`
  // tokens refilled at `rate` per second -> ENHANCE_YOUR_CALM. [rapid_reset_limit_exceeded]
  uint32_t stream_reset_burst = kDefaultStreamResetBurst;
  uint32_t stream_reset_rate = kDefaultStreamResetRate;
  // MadeYouReset (CVE-2025-8671) and other suspicious traffic: a token bucket of
  // "glitches" — stream errors the peer provokes (WINDOW_UPDATE 0 or overflow on a stream,
  // frames on half-closed streams, bad PRIORITY length, malformed messages, refused
  // streams), frames on closed streams we no longer remember, empty DATA without
  // END_STREAM, empty CONTINUATION without END_HEADERS, unknown frames, unsolicited ACKs
  // -> ENHANCE_YOUR_CALM. [glitches, glitch_limit_exceeded]
  uint32_t glitch_burst = kDefaultGlitchBurst;
  uint32_t glitch_rate = kDefaultGlitchRate;
  // Closed streams remembered (to tell late frames from protocol errors, §5.1); older ones
  // are forgotten. Bounds memory. [closed_streams_forgotten]
  size_t max_closed_streams = kDefaultMaxClosedStreams;
  // Client only: pushed streams in "reserved (remote)"; more are reset with
  // ENHANCE_YOUR_CALM (§10.5). [reserved_streams_refused]
  size_t max_reserved_remote_streams = kDefaultMaxReservedRemoteStreams;
  // Output queued for Send(): past this, Receive() stops consuming input until Send()
  // drains it, so a peer that does not read cannot make us buffer (§10.5). DATA is never
  // queued: it is pulled from DataSources during Send(). [receive_paused]
  size_t max_output_buffer = kDefaultMaxOutputBuffer;
  // Zero-window stalls: a stream whose data waits on a window of 0 or less for this long is
  // reset with CANCEL. Needs a clock. [stalled_streams_reset]
  absl::Duration stalled_stream_timeout = kDefaultStalledStreamTimeout;
  // Our SETTINGS not acknowledged in this time: SETTINGS_TIMEOUT (§6.5.3). Needs a clock.
  // [settings_timeouts]
  absl::Duration settings_timeout = kDefaultSettingsTimeout;
  // Graceful shutdown (§6.8): the second GOAWAY goes out when the PING sent with the first
  // is acknowledged, or after this delay.
  absl::Duration graceful_shutdown_delay = kDefaultGracefulShutdownDelay;
  // GOAWAY debug data kept for the Visitor; the rest is dropped.
  size_t max_goaway_debug_data = kDefaultMaxGoAwayDebugData;
};

// Counters and the session's own accounting of what it holds. Returned by
// Session::stats().
struct SessionStats {
  // Traffic.
  uint64_t bytes_received = 0;
  uint64_t bytes_sent = 0;
  uint64_t frames_received = 0;
  uint64_t frames_sent = 0;
  uint64_t streams_opened = 0;  // by either side, including refused ones
  uint64_t streams_closed = 0;
  uint64_t rst_stream_sent = 0;
  uint64_t rst_stream_received = 0;

  // How often each limit fired (connection errors end the session, so at most 1).
  uint64_t header_limit_exceeded = 0;
  uint64_t continuation_limit_exceeded = 0;
  uint64_t settings_limit_exceeded = 0;
  uint64_t outbound_flood = 0;
  uint64_t rapid_reset_limit_exceeded = 0;
  uint64_t glitches = 0;
  uint64_t glitch_limit_exceeded = 0;
  uint64_t streams_refused = 0;  // over our SETTINGS_MAX_CONCURRENT_STREAMS
  uint64_t reserved_streams_refused = 0;
  uint64_t closed_streams_forgotten = 0;
  uint64_t receive_paused = 0;
  uint64_t stalled_streams_reset = 0;
  uint64_t settings_timeouts = 0;

  // What the session holds now (memory bounds).
  size_t buffered_output_bytes = 0;  // frames queued for Send()
  size_t queued_control_frames = 0;  // ACKs and RST_STREAMs among them
  size_t active_streams = 0;         // open, half-closed or reserved
  size_t remembered_streams = 0;     // all stream records, closed ones included
  size_t field_block_bytes = 0;      // decoded field section being assembled
};

}  // namespace http2

#endif  // H2HARNESS_HTTP2_OPTIONS_H_
