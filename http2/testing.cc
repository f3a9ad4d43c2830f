#include "http2/testing.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace http2 {

absl::string_view HeadersKindName(HeadersKind kind) {
  switch (kind) {
    case HeadersKind::kRequest:
      return "request";
    case HeadersKind::kInformational:
      return "informational";
    case HeadersKind::kResponse:
      return "response";
    case HeadersKind::kTrailers:
      return "trailers";
    case HeadersKind::kPushRequest:
      return "push_request";
  }
  return "unknown";
}

RecordedHeaders CopyHeaders(const ReceivedHeaders& h) {
  RecordedHeaders r;
  r.stream_id = h.stream_id;
  r.kind = h.kind;
  r.end_stream = h.end_stream;
  for (const Header& f : h.fields) r.fields.emplace_back(std::string(f.name), std::string(f.value));
  r.method = std::string(h.method);
  r.scheme = std::string(h.scheme);
  r.authority = std::string(h.authority);
  r.path = std::string(h.path);
  r.protocol = std::string(h.protocol);
  r.cookie = std::string(h.cookie);
  r.status = h.status;
  r.content_length = h.content_length;
  return r;
}

const RecordedHeaders* RecordingVisitor::HeadersFor(uint32_t stream_id) const {
  for (auto it = headers.rbegin(); it != headers.rend(); ++it) {
    if (it->stream_id == stream_id) return &*it;
  }
  return nullptr;
}

bool RecordingVisitor::IsClosed(uint32_t stream_id) const {
  return std::any_of(closed.begin(), closed.end(),
                     [stream_id](const auto& c) { return c.first == stream_id; });
}

void RecordingVisitor::OnHeaders(const ReceivedHeaders& h) {
  std::vector<std::string> f;
  for (const Header& x : h.fields) f.push_back(absl::StrCat(x.name, ": ", x.value));
  events.push_back(absl::StrCat("headers ", h.stream_id, " ", HeadersKindName(h.kind),
                                h.end_stream ? " end_stream" : "", " [", absl::StrJoin(f, ", "),
                                "]"));
  headers.push_back(CopyHeaders(h));
  if (on_headers) on_headers(h);
}

void RecordingVisitor::OnData(uint32_t stream_id, absl::string_view data) {
  events.push_back(absl::StrCat("data ", stream_id, " ", data.size()));
  bodies[stream_id].append(data.data(), data.size());
  if (on_data) on_data(stream_id, data);
}

void RecordingVisitor::OnEndStream(uint32_t stream_id) {
  events.push_back(absl::StrCat("end_stream ", stream_id));
  ended.push_back(stream_id);
  if (on_end_stream) on_end_stream(stream_id);
}

void RecordingVisitor::OnStreamClose(uint32_t stream_id, ErrorCode code) {
  events.push_back(absl::StrCat("close ", stream_id, " ", ErrorCodeName(code)));
  closed.emplace_back(stream_id, code);
  if (on_close) on_close(stream_id, code);
}

void RecordingVisitor::OnStreamError(const ProtocolError& error) {
  events.push_back(absl::StrCat("stream_error ", error.stream_id, " ", ErrorCodeName(error.code),
                                " ", ErrorName(error.error)));
  stream_errors.push_back(error);
}

void RecordingVisitor::OnSettings(absl::Span<const Setting> s) {
  std::vector<std::string> f;
  for (const Setting& x : s) f.push_back(absl::StrCat(SettingName(x.id), "=", x.value));
  events.push_back(absl::StrCat("settings [", absl::StrJoin(f, ", "), "]"));
  settings.emplace_back(s.begin(), s.end());
}

void RecordingVisitor::OnSettingsAck() {
  events.push_back("settings_ack");
  ++settings_acks;
}

void RecordingVisitor::OnPing(uint64_t opaque, bool ack) {
  events.push_back(absl::StrCat(ack ? "ping_ack " : "ping ", opaque));
  (ack ? ping_acks : pings).push_back(opaque);
}

void RecordingVisitor::OnGoAway(uint32_t last_stream_id, ErrorCode code, absl::string_view debug) {
  events.push_back(absl::StrCat("goaway ", last_stream_id, " ", ErrorCodeName(code),
                                debug.empty() ? "" : " ", absl::CHexEscape(debug)));
  goaways.push_back({last_stream_id, code, std::string(debug)});
}

void RecordingVisitor::OnPushPromise(uint32_t associated_stream_id, uint32_t promised_stream_id,
                                     const ReceivedHeaders& request) {
  events.push_back(absl::StrCat("push_promise ", associated_stream_id, " ", promised_stream_id, " ",
                                request.method, " ", request.path));
  headers.push_back(CopyHeaders(request));
  headers.back().associated_stream_id = associated_stream_id;
}

void RecordingVisitor::OnPriorityUpdate(uint32_t stream_id, absl::string_view value) {
  events.push_back(absl::StrCat("priority_update ", stream_id, " ", value));
}

void RecordingVisitor::OnWindowUpdate(uint32_t stream_id, uint32_t increment) {
  events.push_back(absl::StrCat("window_update ", stream_id, " ", increment));
}

void RecordingVisitor::OnConnectionError(const ProtocolError& error) {
  events.push_back(
      absl::StrCat("connection_error ", ErrorCodeName(error.code), " ", ErrorName(error.error)));
  connection_error = error;
}

SessionOptions SessionPair::WithClock(SessionOptions o, const Clock* clock) {
  if (o.clock == nullptr) o.clock = clock;
  return o;
}

SessionPair::SessionPair(SessionOptions client_options, SessionOptions server_options)
    : client(Perspective::kClient, &client_visitor, WithClock(client_options, &clock)),
      server(Perspective::kServer, &server_visitor, WithClock(server_options, &clock)) {}

size_t SessionPair::Move(Session& from, std::string& pending, Session& to, size_t max,
                         uint64_t* counter) {
  *counter += from.Send(&pending, max);
  if (pending.empty()) return 0;
  const size_t n = to.Receive(pending);
  pending.erase(0, n);
  return n;
}

size_t SessionPair::ClientToServer(size_t max) {
  return Move(client, c2s_, server, max, &client_sent);
}

size_t SessionPair::ServerToClient(size_t max) {
  return Move(server, s2c_, client, max, &server_sent);
}

int SessionPair::Exchange(int max_rounds) {
  for (int round = 0; round < max_rounds; ++round) {
    const uint64_t before = client_sent + server_sent;
    const size_t a = ClientToServer();
    const size_t b = ServerToClient();
    if (a == 0 && b == 0 && client_sent + server_sent == before) return round;
  }
  return max_rounds;
}

}  // namespace http2
