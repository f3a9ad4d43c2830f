// Helpers for driving sessions without sockets: a fake clock, a Visitor that records
// everything, and a client and a server session wired together in memory. Used by the
// tests, and usable by fuzz targets and benchmarks (nothing here reads a real clock).
#ifndef H2HARNESS_HTTP2_TESTING_H_
#define H2HARNESS_HTTP2_TESTING_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "hpack/header.h"
#include "http2/clock.h"
#include "http2/error_code.h"
#include "http2/options.h"
#include "http2/session.h"
#include "http2/visitor.h"

namespace http2 {

// Time that moves only when told to.
class FakeClock : public Clock {
 public:
  absl::Time Now() const override { return now_; }
  void Advance(absl::Duration d) { now_ += d; }
  void Set(absl::Time t) { now_ = t; }

 private:
  absl::Time now_ = absl::UnixEpoch() + absl::Hours(24);
};

// A field section as received, copied.
struct RecordedHeaders {
  uint32_t stream_id = 0;
  HeadersKind kind = HeadersKind::kRequest;
  bool end_stream = false;
  hpack::HeaderList fields;
  std::string method, scheme, authority, path, protocol, cookie;
  int status = 0;
  std::optional<uint64_t> content_length;
  uint32_t associated_stream_id = 0;  // kPushRequest
};

// Records every event: as one line each in `events` (for exact expectations) and in
// structured form. Hooks let a test or a toy server answer from inside the callbacks.
class RecordingVisitor : public Visitor {
 public:
  std::vector<std::string> events;
  std::vector<RecordedHeaders> headers;    // OnHeaders and OnPushPromise, in order
  std::map<uint32_t, std::string> bodies;  // DATA per stream
  std::vector<uint32_t> ended;             // OnEndStream
  std::vector<std::pair<uint32_t, ErrorCode>> closed;
  std::vector<ProtocolError> stream_errors;
  std::optional<ProtocolError> connection_error;
  std::vector<std::vector<Setting>> settings;
  int settings_acks = 0;
  std::vector<uint64_t> pings, ping_acks;
  struct GoAway {
    uint32_t last_stream_id;
    ErrorCode code;
    std::string debug;
  };
  std::vector<GoAway> goaways;

  std::function<void(const ReceivedHeaders&)> on_headers;
  std::function<void(uint32_t)> on_end_stream;
  std::function<void(uint32_t, absl::string_view)> on_data;
  std::function<void(uint32_t, ErrorCode)> on_close;

  // The recorded headers of `stream_id` (the last ones), or null.
  const RecordedHeaders* HeadersFor(uint32_t stream_id) const;
  bool IsClosed(uint32_t stream_id) const;

  void OnHeaders(const ReceivedHeaders& h) override;
  void OnData(uint32_t stream_id, absl::string_view data) override;
  void OnEndStream(uint32_t stream_id) override;
  void OnStreamClose(uint32_t stream_id, ErrorCode code) override;
  void OnStreamError(const ProtocolError& error) override;
  void OnSettings(absl::Span<const Setting> settings) override;
  void OnSettingsAck() override;
  void OnPing(uint64_t opaque, bool ack) override;
  void OnGoAway(uint32_t last_stream_id, ErrorCode code, absl::string_view debug) override;
  void OnPushPromise(uint32_t associated_stream_id, uint32_t promised_stream_id,
                     const ReceivedHeaders& request) override;
  void OnPriorityUpdate(uint32_t stream_id, absl::string_view value) override;
  void OnWindowUpdate(uint32_t stream_id, uint32_t increment) override;
  void OnConnectionError(const ProtocolError& error) override;
};

RecordedHeaders CopyHeaders(const ReceivedHeaders& h);
absl::string_view HeadersKindName(HeadersKind kind);

// A client and a server session talking through memory. Options without a clock get the
// pair's FakeClock.
class SessionPair {
 public:
  explicit SessionPair(SessionOptions client_options = {}, SessionOptions server_options = {});

  // Moves bytes both ways until neither side has anything left to send or deliver, at
  // most `max_rounds` round trips. Returns the rounds used.
  int Exchange(int max_rounds = 10000);
  // One direction, once: what the sender's Send() gives (at most `max` octets), into the
  // receiver. Returns the octets the receiver consumed.
  size_t ClientToServer(size_t max = static_cast<size_t>(-1));
  size_t ServerToClient(size_t max = static_cast<size_t>(-1));

  FakeClock clock;
  RecordingVisitor client_visitor;
  RecordingVisitor server_visitor;
  Session client;
  Session server;
  // Octets moved each way so far.
  uint64_t client_sent = 0;
  uint64_t server_sent = 0;

 private:
  static SessionOptions WithClock(SessionOptions o, const Clock* clock);
  size_t Move(Session& from, std::string& pending, Session& to, size_t max, uint64_t* counter);
  std::string c2s_;  // sent by the client, not yet consumed by the server
  std::string s2c_;
};

}  // namespace http2

#endif  // H2HARNESS_HTTP2_TESTING_H_
