#include "conformance/probe/conn.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "http2/error_code.h"

namespace probe {
namespace {

using http2::FrameType;

// Flags each type defines (§6); the others must be sent as 0 (§4.1).
uint8_t DefinedFlags(uint8_t type) {
  switch (static_cast<FrameType>(type)) {
    case FrameType::kData: return 0x09;
    case FrameType::kHeaders: return 0x2d;
    case FrameType::kSettings: return 0x01;
    case FrameType::kPushPromise: return 0x0c;
    case FrameType::kPing: return 0x01;
    case FrameType::kContinuation: return 0x04;
    case FrameType::kPriority:
    case FrameType::kRstStream:
    case FrameType::kGoAway:
    case FrameType::kWindowUpdate:
    case FrameType::kPriorityUpdate: return 0;
  }
  return 0xff;  // unknown types: any flags
}

uint32_t Be32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{u[0]} << 24) | (uint32_t{u[1]} << 16) | (uint32_t{u[2]} << 8) | u[3];
}

// One line for a frame we send, from its octets alone (it may be malformed on purpose).
std::string DescribeRaw(absl::string_view f) {
  const auto* u = reinterpret_cast<const unsigned char*>(f.data());
  const uint32_t length = (uint32_t{u[0]} << 16) | (uint32_t{u[1]} << 8) | u[2];
  const uint8_t type = u[3], flags = u[4];
  const uint32_t sid_word = Be32(f.data() + 5);
  absl::string_view p = f.substr(9);
  std::string s = absl::StrCat(http2::FrameTypeName(type), " stream=", sid_word & 0x7fffffff);
  if (sid_word & 0x80000000u) absl::StrAppend(&s, "(R)");
  const std::string fl = http2::FrameFlagsToString(type, flags);
  if (!fl.empty()) absl::StrAppend(&s, " flags=", fl);
  absl::StrAppend(&s, " length=", length);
  switch (static_cast<FrameType>(type)) {
    case FrameType::kRstStream:
      if (p.size() == 4) absl::StrAppend(&s, " error=", http2::ErrorCodeToString(Be32(p.data())));
      break;
    case FrameType::kGoAway:
      if (p.size() >= 8) {
        absl::StrAppend(&s, " last_stream=", Be32(p.data()) & 0x7fffffff,
                        " error=", http2::ErrorCodeToString(Be32(p.data() + 4)));
      }
      break;
    case FrameType::kWindowUpdate:
      if (p.size() == 4) absl::StrAppend(&s, " increment=", Be32(p.data()) & 0x7fffffff);
      break;
    case FrameType::kSettings:
      if (p.size() % 6 == 0) {
        for (size_t i = 0; i + 6 <= p.size(); i += 6) {
          const uint16_t id = static_cast<uint16_t>((uint8_t(p[i]) << 8) | uint8_t(p[i + 1]));
          absl::StrAppend(&s, " ", http2::SettingName(id), "=", Be32(p.data() + i + 2));
        }
      }
      break;
    case FrameType::kPing:
      if (p.size() == 8) {
        absl::StrAppendFormat(&s, " data=%08x%08x", Be32(p.data()), Be32(p.data() + 4));
      }
      break;
    case FrameType::kPriority:
      if (p.size() == 5) {
        absl::StrAppend(&s, " dependency=", Be32(p.data()) & 0x7fffffff,
                        (uint8_t(p[0]) & 0x80) ? "(exclusive)" : "", " weight=", uint8_t(p[4]) + 1);
      }
      break;
    default:
      break;
  }
  return s;
}

bool IsConnectionSpecific(absl::string_view name) {
  return name == "connection" || name == "proxy-connection" || name == "keep-alive" ||
         name == "transfer-encoding" || name == "upgrade";
}

// §8.2.1's minimal checks; "" when the field passes.
std::string FieldProblem(absl::string_view name, absl::string_view value) {
  if (name.empty()) return "empty field name";
  const size_t start = name[0] == ':' ? 1 : 0;
  for (size_t i = start; i < name.size(); ++i) {
    const unsigned char c = name[i];
    if (c <= 0x20 || (c >= 0x41 && c <= 0x5a) || c >= 0x7f || c == ':') {
      return absl::StrFormat("field name \"%s\" contains 0x%02x", absl::CHexEscape(name), c);
    }
  }
  for (unsigned char c : value) {
    if (c == 0 || c == '\r' || c == '\n') {
      return absl::StrFormat("value of \"%s\" contains 0x%02x", name, c);
    }
  }
  if (!value.empty() && (value.front() == ' ' || value.front() == '\t' || value.back() == ' ' ||
                         value.back() == '\t')) {
    return absl::StrFormat("value of \"%s\" starts or ends with whitespace", name);
  }
  return "";
}

std::string FieldsText(const hpack::HeaderList& fields) {
  std::vector<std::string> parts;
  for (const hpack::HeaderField& f : fields) {
    parts.push_back(absl::StrCat(hpack::EscapeBytes(f.name), ": ", hpack::EscapeBytes(f.value)));
  }
  std::string s = absl::StrJoin(parts, ", ");
  if (s.size() > 300) s = s.substr(0, 300) + "...";
  return s;
}

}  // namespace

std::string MalformedRequestReason(const hpack::HeaderList& fields) {
  bool regular = false;
  std::set<std::string> pseudo;
  std::string method, path;
  for (const hpack::HeaderField& f : fields) {
    const std::string problem = FieldProblem(f.name, f.value);
    if (!problem.empty()) return absl::StrCat(problem, " (§8.2.1)");
    if (!f.name.empty() && f.name[0] == ':') {
      if (regular) return absl::StrCat(f.name, " after a regular field (§8.3)");
      if (f.name != ":method" && f.name != ":scheme" && f.name != ":authority" && f.name != ":path") {
        return absl::StrCat("pseudo-header ", f.name, " in a request (§8.3)");
      }
      if (!pseudo.insert(f.name).second) return absl::StrCat(f.name, " twice (§8.3)");
      if (f.name == ":method") method = f.value;
      if (f.name == ":path") path = f.value;
      continue;
    }
    regular = true;
    if (IsConnectionSpecific(f.name)) return absl::StrCat("connection-specific field ", f.name, " (§8.2.2)");
    if (f.name == "te" && f.value != "trailers") return "te other than \"trailers\" (§8.2.2)";
  }
  if (method == "CONNECT") return "";
  for (const char* p : {":method", ":scheme", ":path"}) {
    if (!pseudo.count(p)) return absl::StrCat("no ", p, " (§8.3.1)");
  }
  if (path.empty()) return "empty :path (§8.3.1)";
  return "";
}

std::string FormatTrace(const std::vector<TraceLine>& trace) {
  std::string out;
  for (const TraceLine& t : trace) {
    absl::StrAppendFormat(&out, "  %8.3fms %s %s\n", absl::ToDoubleMilliseconds(t.at),
                          t.note ? "  " : (t.sent ? "->" : "<-"), t.text);
  }
  return out;
}

const GoAwayObs* Observation::goaway() const {
  for (const GoAwayObs& g : goaways) {
    if (g.code != 0) return &g;
  }
  return goaways.empty() ? nullptr : &goaways.front();
}

Conn::Conn(std::unique_ptr<Transport> transport, ConnOptions options)
    : transport_(std::move(transport)),
      options_(std::move(options)),
      start_(absl::Now()),
      parser_(this, http2::FrameParserOptions{}),
      inflater_(hpack::InflaterOptions{1 << 22, 1 << 16, hpack::kDefaultHeaderTableSize}) {
}

Conn::~Conn() { Close(); }

void Conn::Close() {
  if (transport_) transport_->Close();
}

void Conn::Trace(bool sent, std::string text) {
  obs_.trace.push_back(TraceLine{Elapsed(), sent, false, std::move(text)});
}

void Conn::Note(const std::string& text) {
  obs_.trace.push_back(TraceLine{Elapsed(), false, true, text});
}

void Conn::Violation(std::string what) {
  Note("violation: " + what);
  obs_.violations.push_back(std::move(what));
}

void Conn::TraceOutgoing(absl::string_view bytes) {
  out_pending_.append(bytes.data(), bytes.size());
  absl::string_view rest = out_pending_;
  if (preface_pending_) {
    if (rest.size() < http2::kClientPreface.size() &&
        http2::kClientPreface.substr(0, rest.size()) == rest) {
      return;  // wait for the rest of the preface
    }
    preface_pending_ = false;
    if (absl::StartsWith(rest, http2::kClientPreface)) {
      Trace(true, "client connection preface (24 octets)");
      rest.remove_prefix(http2::kClientPreface.size());
    }
  }
  while (rest.size() >= 9) {
    const auto* u = reinterpret_cast<const unsigned char*>(rest.data());
    const size_t length = (size_t{u[0]} << 16) | (size_t{u[1]} << 8) | u[2];
    // A server may answer a frame before its last octet arrives (RST_STREAM for a field
    // block it already knows to be malformed): its stream counts from the frame header on.
    const uint32_t sid = Be32(rest.data() + 5) & 0x7fffffff;
    if (sid != 0) touched_.insert(sid);
    if (rest.size() < 9 + length) break;
    Trace(true, DescribeRaw(rest.substr(0, 9 + length)));
    TrackOutgoing(rest.substr(0, 9 + length));
    rest.remove_prefix(9 + length);
  }
  out_pending_ = std::string(rest);
}

// What our own frames change: our settings (applied when acknowledged), streams we open or
// reset, PINGs whose ACK we expect.
void Conn::TrackOutgoing(absl::string_view frame) {
  const auto* u = reinterpret_cast<const unsigned char*>(frame.data());
  const uint8_t type = u[3], flags = u[4];
  const uint32_t sid = Be32(frame.data() + 5) & 0x7fffffff;
  absl::string_view payload = frame.substr(9);
  // The server may answer any frame we sent on a stream (RST_STREAM STREAM_CLOSED, §6.1).
  if (sid != 0) touched_.insert(sid);
  switch (static_cast<FrameType>(type)) {
    case FrameType::kSettings:
      if (!(flags & http2::kFlagAck) && payload.size() % 6 == 0 && sid == 0) {
        std::vector<http2::Setting> v;
        for (size_t i = 0; i < payload.size(); i += 6) {
          const uint16_t id = static_cast<uint16_t>((uint8_t(payload[i]) << 8) | uint8_t(payload[i + 1]));
          const uint32_t value = Be32(payload.data() + i + 2);
          v.push_back({id, value});
          if (id == http2::kSettingsEnablePush) push_disabled_ = value == 0;
          if (id == http2::kSettingsInitialWindowSize) {
            if (obs_.streams.empty()) {
              our_initial_window_ = value;
            } else {
              recv_windows_known_ = false;  // stream windows change under our feet: stop checking
            }
          }
        }
        our_unacked_.push_back(std::move(v));
      }
      break;
    case FrameType::kRstStream:
      if (sid != 0) NoteReset(sid);
      break;
    case FrameType::kWindowUpdate:
      // Credit the windows we give (§6.9), except the updates the auto-update path below
      // queued and credited at once.
      if (payload.size() == 4) {
        const uint32_t increment = Be32(payload.data()) & 0x7fffffff;
        auto self = self_credited_.find({sid, increment});
        if (self != self_credited_.end()) {
          self_credited_.erase(self);
        } else if (sid == 0) {
          conn_recv_window_ += increment;
        } else {
          recv_window_.try_emplace(sid, our_initial_window_).first->second += increment;
        }
      }
      break;
    case FrameType::kPing:
      if (!(flags & http2::kFlagAck) && payload.size() == 8) {
        sent_pings_.push_back((uint64_t{Be32(payload.data())} << 32) | Be32(payload.data() + 4));
      }
      break;
    case FrameType::kHeaders:
      if (sid % 2 == 1) NoteRequest(sid, (flags & http2::kFlagEndStream) != 0);
      break;
    case FrameType::kData:
      if (sid != 0 && (flags & http2::kFlagEndStream)) NoteRequestEnd(sid);
      break;
    default:
      break;
  }
}

absl::Status Conn::Write(absl::string_view bytes, absl::Time deadline) {
  if (bytes.empty()) return absl::OkStatus();
  TraceOutgoing(bytes);
  absl::Status s = transport_->Write(bytes, deadline);
  if (!s.ok()) Note(absl::StrCat("write failed: ", s.message()));
  return s;
}

absl::Status Conn::Flush(absl::Time deadline) {
  std::string bytes = out_.Take();
  return Write(bytes, deadline);
}

absl::Status Conn::SendPreface() {
  out_.ClientPreface(options_.settings);
  return Flush(absl::Now() + absl::Seconds(5));
}

absl::Status Conn::Handshake(absl::Time deadline) {
  absl::Status s = SendPreface();
  if (!s.ok()) return s;
  WaitFor([&] { return !obs_.frames.empty() || obs_.unparsable; }, deadline);
  if (obs_.frames.empty()) {
    if (obs_.unparsable) {
      return absl::FailedPreconditionError(absl::StrCat("the server's preface is not valid: ",
                                                        obs_.violations.front()));
    }
    if (obs_.closed) {
      return absl::UnavailableError(absl::StrCat("the server closed the connection before its SETTINGS (",
                                                 obs_.close_detail, ")"));
    }
    return absl::DeadlineExceededError(absl::StrFormat(
        "no SETTINGS from the server within %.0f ms", absl::ToDoubleMilliseconds(Elapsed())));
  }
  if (!obs_.first_frame_was_settings) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the server's first frame is ", http2::FrameTypeName(obs_.frames[0].header.type),
        ", not SETTINGS (RFC 9113 §3.4: \"The server connection preface consists of a "
        "potentially empty SETTINGS frame (Section 6.5) that MUST be the first frame the server "
        "sends\")"));
  }
  return absl::OkStatus();
}

bool Conn::ReadSome(absl::Time deadline) {
  if (obs_.closed) return false;
  ReadResult r = transport_->Read(deadline);
  switch (r.kind) {
    case ReadResult::kTimeout:
      return false;
    case ReadResult::kClosed:
      MarkClosed(false, "closed by the server (EOF)");
      return false;
    case ReadResult::kReset:
      MarkClosed(true, absl::StrCat("reset: ", r.error));
      return false;
    case ReadResult::kData:
      break;
  }
  if (!obs_.unparsable) parser_.Parse(r.data);
  // Acknowledge PINGs/SETTINGS and give back window as a client does, but never in the middle
  // of a frame the caller is writing in pieces.
  if (!out_.bytes().empty() && !obs_.closed && out_pending_.empty() && !preface_pending_) {
    Flush(absl::Now() + absl::Seconds(1)).IgnoreError();
  }
  return true;
}

void Conn::MarkClosed(bool reset, std::string detail) {
  if (obs_.closed) return;
  obs_.closed = true;
  obs_.reset = reset;
  obs_.close_detail = detail;
  obs_.closed_at = Elapsed();
  Note(detail);
}

bool Conn::WaitFor(const std::function<bool()>& done, absl::Time deadline) {
  while (!done()) {
    if (obs_.closed) return done();
    if (absl::Now() >= deadline) return done();
    ReadSome(deadline);
  }
  return true;
}

uint64_t Conn::SendPing(absl::Time deadline) {
  const uint64_t opaque = next_ping_++;
  out_.Ping(opaque);
  Flush(deadline).IgnoreError();
  return opaque;
}

bool Conn::Sync(absl::Time deadline) {
  for (int i = 0; i < 2; ++i) {
    const uint64_t p = SendPing(deadline);
    if (!WaitFor([&] { return PingAcked(p); }, deadline)) return false;
  }
  return true;
}

void Conn::NoteRequest(uint32_t stream, bool end_stream) {
  StreamObs& s = obs_.streams[stream];
  s.opened_by_us = true;
  s.request_ended |= end_stream;
  if (!recv_window_.count(stream)) recv_window_[stream] = our_initial_window_;
}

void Conn::NoteRequestEnd(uint32_t stream) { obs_.streams[stream].request_ended = true; }

void Conn::NoteReset(uint32_t stream) {
  auto it = obs_.streams.find(stream);
  if (it != obs_.streams.end()) it->second.we_reset = true;
  if (!reset_ping_.count(stream)) reset_ping_[stream] = next_ping_;  // the next ping we send
}

int64_t Conn::SendWindow(uint32_t stream) const {
  auto it = send_window_delta_.find(stream);
  return int64_t{server_.initial_window_size} + (it == send_window_delta_.end() ? 0 : it->second);
}

void Conn::ConsumeSendWindow(uint32_t stream, size_t n) {
  conn_send_window_ -= n;
  send_window_delta_[stream] -= n;
}

// --- incoming frames ---

void Conn::OnFrameHeader(const http2::FrameHeader& h) {
  cur_ = http2::Frame();
  cur_.header = h;
  if (h.is(FrameType::kContinuation)) {
    // Continues the block started by HEADERS or PUSH_PROMISE (the parser checks the order).
  }
}

void Conn::OnDataPayload(absl::string_view data) { cur_.payload.append(data.data(), data.size()); }

void Conn::OnHeadersStart(const http2::FrameHeader& h, const http2::PrioritySpec* priority) {
  cur_.header = h;
  if (priority) cur_.priority = *priority;
  block_.clear();
  block_stream_ = h.stream_id;
  block_push_ = false;
  block_end_stream_ = h.has(http2::kFlagEndStream);
  block_open_ = true;
}

void Conn::OnPushPromiseStart(const http2::FrameHeader& h, uint32_t promised) {
  cur_.header = h;
  cur_.promised_stream_id = promised;
  block_.clear();
  block_stream_ = promised;
  block_push_ = true;
  block_end_stream_ = false;
  block_open_ = true;
}

void Conn::OnFieldBlockFragment(absl::string_view fragment) {
  cur_.payload.append(fragment.data(), fragment.size());
  block_.append(fragment.data(), fragment.size());
}

void Conn::OnPriority(const http2::FrameHeader& h, const http2::PrioritySpec& p) {
  cur_.header = h;
  cur_.priority = p;
}
void Conn::OnRstStream(const http2::FrameHeader& h, uint32_t code) {
  cur_.header = h;
  cur_.error_code = code;
}
void Conn::OnSetting(const http2::Setting& s) { cur_.settings.push_back(s); }
void Conn::OnPing(const http2::FrameHeader& h, uint64_t opaque) {
  cur_.header = h;
  cur_.ping_data = opaque;
}
void Conn::OnGoAwayStart(const http2::FrameHeader& h, uint32_t last, uint32_t code) {
  cur_.header = h;
  cur_.last_stream_id = last;
  cur_.error_code = code;
}
void Conn::OnGoAwayDebugData(absl::string_view d) { cur_.payload.append(d.data(), d.size()); }
void Conn::OnWindowUpdate(const http2::FrameHeader& h, uint32_t inc) {
  cur_.header = h;
  cur_.window_increment = inc;
}
void Conn::OnPriorityUpdateStart(const http2::FrameHeader& h, uint32_t p) {
  cur_.header = h;
  cur_.prioritized_stream_id = p;
}
void Conn::OnPriorityFieldValue(absl::string_view v) { cur_.payload.append(v.data(), v.size()); }
void Conn::OnUnknownPayload(absl::string_view p) { cur_.payload.append(p.data(), p.size()); }
void Conn::OnPadding(absl::string_view p) { cur_.padding.append(p.data(), p.size()); }

void Conn::OnFrameError(const http2::ProtocolError& e) {
  obs_.unparsable = true;
  Violation(absl::StrCat("the server sent a frame the frame layer rejects: ", e.message));
}

void Conn::OnFrameEnd(const http2::FrameHeader& h) {
  cur_.header = h;
  HandleFrame(cur_);
}

void Conn::HandleFrame(const http2::Frame& f) {
  const http2::FrameHeader& h = f.header;
  const bool first = obs_.frames.empty();
  obs_.frames.push_back(f);
  Trace(false, http2::DescribeFrame(f));
  if (first) obs_.first_frame_was_settings = h.is(FrameType::kSettings) && !h.has(http2::kFlagAck);

  if (h.reserved & http2::kReservedStreamIdBit) {
    Violation(absl::StrCat(http2::FrameTypeName(h.type),
                           " with the reserved bit set (RFC 9113 §4.1: \"the bit MUST remain unset "
                           "(0x00) when sending\")"));
  }
  const uint8_t unused = h.flags & ~DefinedFlags(h.type);
  if (unused) {
    Violation(absl::StrFormat("%s with undefined flags 0x%02x (RFC 9113 §4.1: \"Unused flags ... "
                              "MUST be left unset (0x00) when sending\")",
                              http2::FrameTypeName(h.type), unused));
  }
  // Frames the server sends on a stream it knows we reset (§6.4: "the receiver MUST NOT send
  // additional frames for that stream, except for PRIORITY").
  if (h.stream_id != 0 && reset_known_.count(h.stream_id) && !h.is(FrameType::kPriority)) {
    Violation(absl::StrCat(http2::FrameTypeName(h.type), " on stream ", h.stream_id,
                           " after the server acknowledged a PING sent after our RST_STREAM "
                           "(RFC 9113 §6.4: \"After receiving a RST_STREAM on a stream, the "
                           "receiver MUST NOT send additional frames for that stream, except for "
                           "PRIORITY\")"));
  }
  if (h.stream_id != 0 && h.stream_id % 2 == 1 && !h.is(FrameType::kPriority) &&
      !touched_.count(h.stream_id) && !obs_.streams.count(h.stream_id)) {
    Violation(absl::StrCat(http2::FrameTypeName(h.type), " on stream ", h.stream_id,
                           ", which the probe never opened (RFC 9113 §5.1: idle stream)"));
  }

  switch (f.type()) {
    case FrameType::kSettings:
      if (h.has(http2::kFlagAck)) {
        ++obs_.settings_acks;
        if (!our_unacked_.empty()) {
          for (const http2::Setting& s : our_unacked_.front()) {
            if (s.id == http2::kSettingsHeaderTableSize) inflater_.ChangeTableSize(s.value);
            if (s.id == http2::kSettingsMaxFrameSize && s.value >= 16384) parser_.set_max_frame_size(s.value);
          }
          our_unacked_.pop_front();
        }
      } else {
        if (!server_settings_seen_) obs_.server_settings = f.settings;
        server_settings_seen_ = true;
        for (const http2::Setting& s : f.settings) {
          if (s.id == http2::kSettingsInitialWindowSize) {
            // §6.9.2: the change applies to every stream window.
            server_.initial_window_size = s.value;
          }
          if (s.id == http2::kSettingsEnablePush && s.value == 1) {
            Violation("SETTINGS_ENABLE_PUSH=1 from a server (RFC 9113 §6.5.2: \"A server MUST NOT "
                      "explicitly set this value to 1\")");
          }
          if (s.id == http2::kSettingsHeaderTableSize) out_.deflater().ChangeTableSize(s.value);
          server_.Apply(s);
        }
        out_.SettingsAck();
      }
      break;
    case FrameType::kPing:
      if (h.has(http2::kFlagAck)) {
        obs_.pings_acked.insert(f.ping_data);
        if (std::find(sent_pings_.begin(), sent_pings_.end(), f.ping_data) == sent_pings_.end()) {
          Violation(absl::StrFormat(
              "PING ACK with data %016x that no PING carried (RFC 9113 §6.7: \"a PING frame with "
              "the ACK flag set in response, with an identical frame payload\")",
              f.ping_data));
        }
        for (const auto& [stream, ping] : reset_ping_) {
          if (f.ping_data >= ping && f.ping_data < next_ping_) reset_known_.insert(stream);
        }
      } else {
        out_.PingAck(f.ping_data);
      }
      break;
    case FrameType::kGoAway: {
      if (f.last_stream_id > last_goaway_id_) {
        Violation(absl::StrCat("GOAWAY last stream id rose from ", last_goaway_id_, " to ",
                               f.last_stream_id,
                               " (RFC 9113 §6.8: \"Endpoints MUST NOT increase the value they "
                               "send in the last stream identifier\")"));
      }
      last_goaway_id_ = f.last_stream_id;
      obs_.goaways.push_back(GoAwayObs{f.last_stream_id, f.error_code, f.payload, Elapsed()});
      break;
    }
    case FrameType::kWindowUpdate:
      if (h.stream_id == 0) {
        conn_send_window_ += f.window_increment;
      } else {
        send_window_delta_[h.stream_id] += f.window_increment;
      }
      break;
    case FrameType::kRstStream: {
      StreamObs& s = obs_.streams[h.stream_id];
      if (!s.rst) s.rst = f.error_code;
      if (s.first_at == absl::InfiniteDuration()) s.first_at = Elapsed();
      s.end_at = std::min(s.end_at, Elapsed());
      break;
    }
    case FrameType::kData: {
      StreamObs& s = obs_.streams[h.stream_id];
      if (s.first_at == absl::InfiniteDuration()) s.first_at = Elapsed();
      s.data_bytes += f.payload.size();
      s.flow_bytes += h.length;
      s.data_frame_sizes.push_back(h.length);
      if (s.body.size() < 65536) s.body.append(f.payload.substr(0, 65536 - s.body.size()));
      if (s.status == 0 && !s.rst) {
        Violation(absl::StrCat("DATA on stream ", h.stream_id,
                               " before a final response HEADERS (RFC 9113 §8.1)"));
      }
      if (h.length > 0) {
        conn_recv_window_ -= h.length;
        int64_t& w = recv_window_.try_emplace(h.stream_id, our_initial_window_).first->second;
        w -= h.length;
        if (recv_windows_known_ && (conn_recv_window_ < 0 || w < 0)) {
          Violation(absl::StrCat("DATA of ", h.length, " octets on stream ", h.stream_id,
                                 " exceeds the flow-control window the probe gave (RFC 9113 "
                                 "§6.9.1: \"The sender MUST NOT send a flow-controlled frame with "
                                 "a length that exceeds the space available\")"));
        }
        if (options_.auto_window_update) {
          out_.WindowUpdate(0, h.length);
          conn_recv_window_ += h.length;
          self_credited_.insert({0, h.length});
          if (!h.has(http2::kFlagEndStream)) {
            out_.WindowUpdate(h.stream_id, h.length);
            w += h.length;
            self_credited_.insert({h.stream_id, h.length});
          }
        }
      }
      if (h.has(http2::kFlagEndStream)) {
        s.end_stream = true;
        s.end_at = std::min(s.end_at, Elapsed());
      }
      if (s.end_stream && s.status >= 200) {
        for (const hpack::HeaderField& fld : s.response) {
          uint64_t cl = 0;
          if (fld.name == "content-length" && absl::SimpleAtoi(fld.value, &cl) && cl != s.data_bytes &&
              s.status != 204 && s.status != 304 && s.data_bytes != 0) {
            Violation(absl::StrCat("response on stream ", h.stream_id, " has content-length ", cl,
                                   " but ", s.data_bytes, " octets of DATA (RFC 9113 §8.1.1)"));
          }
        }
      }
      break;
    }
    default:
      break;
  }
  if ((f.type() == FrameType::kHeaders || f.type() == FrameType::kContinuation ||
       f.type() == FrameType::kPushPromise) &&
      h.has(http2::kFlagEndHeaders) && block_open_) {
    HandleFieldBlock(block_stream_, block_push_, block_end_stream_);
  }
}

void Conn::HandleFieldBlock(uint32_t stream, bool push, bool end_stream) {
  block_open_ = false;
  absl::StatusOr<hpack::HeaderList> fields = inflater_.Inflate(block_);
  if (!fields.ok()) {
    obs_.unparsable = true;
    Violation(absl::StrCat("the server's field block on stream ", stream,
                           " does not decode: ", fields.status().message()));
    return;
  }
  if (options_.verbose_trace) Note(absl::StrCat("   fields: ", FieldsText(*fields)));
  if (push) {
    if (push_disabled_) {
      Violation("PUSH_PROMISE after the probe sent SETTINGS_ENABLE_PUSH=0 (RFC 9113 §6.5.2: \"A "
                "server MUST NOT send a PUSH_PROMISE frame if it receives this parameter set to a "
                "value of 0\")");
    }
    obs_.streams[stream].opened_by_us = false;
    return;
  }
  StreamObs& s = obs_.streams[stream];
  if (s.first_at == absl::InfiniteDuration()) s.first_at = Elapsed();
  if (s.status == 0) {
    int status = 0;
    for (const hpack::HeaderField& f : *fields) {
      if (f.name == ":status") {
        if (status != 0 || !absl::SimpleAtoi(f.value, &status) || f.value.size() != 3) {
          status = -1;
        }
      }
    }
    if (status <= 0) {
      Violation(absl::StrCat("response on stream ", stream,
                             " without exactly one valid :status (RFC 9113 §8.3.2: \"This "
                             "pseudo-header field MUST be included in all responses\")"));
      status = 999;
    }
    if (status >= 100 && status < 200) {
      s.interim.push_back(status);
      if (end_stream) {
        Violation(absl::StrCat("interim response ", status, " with END_STREAM on stream ", stream,
                               " (RFC 9113 §8.1: \"A HEADERS frame with the END_STREAM flag set "
                               "that carries an informational status code is malformed\")"));
      }
    } else {
      s.status = status;
      s.response = *fields;
    }
    CheckResponseFields(stream, *fields, false, end_stream);
  } else {
    s.has_trailers = true;
    s.trailers = *fields;
    if (!end_stream) {
      Violation(absl::StrCat("HEADERS without END_STREAM after the final response on stream ", stream,
                             " (RFC 9113 §8.1)"));
    }
    CheckResponseFields(stream, *fields, true, end_stream);
  }
  if (end_stream) {
    s.end_stream = true;
    s.end_at = std::min(s.end_at, Elapsed());
  }
}

void Conn::CheckResponseFields(uint32_t stream, const hpack::HeaderList& fields, bool trailers,
                               bool end_stream) {
  bool regular_seen = false;
  for (const hpack::HeaderField& f : fields) {
    const std::string where = absl::StrCat(" in the response on stream ", stream);
    if (!f.name.empty() && f.name[0] == ':') {
      if (trailers) {
        Violation(absl::StrCat("pseudo-header ", f.name, " in trailers", where,
                               " (RFC 9113 §8.1: \"Trailers MUST NOT include pseudo-header "
                               "fields\")"));
      } else if (f.name != ":status") {
        Violation(absl::StrCat("pseudo-header ", f.name, where,
                               " (RFC 9113 §8.3: \"pseudo-header fields defined for requests "
                               "MUST NOT appear in responses\")"));
      }
      if (regular_seen) {
        Violation(absl::StrCat("pseudo-header ", f.name, " after a regular field", where,
                               " (RFC 9113 §8.3: \"All pseudo-header fields MUST appear in a "
                               "field block before all regular field lines\")"));
      }
      continue;
    }
    regular_seen = true;
    if (IsConnectionSpecific(f.name)) {
      Violation(absl::StrCat("connection-specific field \"", f.name, "\"", where,
                             " (RFC 9113 §8.2.2: \"An endpoint MUST NOT generate an HTTP/2 "
                             "message containing connection-specific header fields\")"));
    }
    const std::string problem = FieldProblem(f.name, f.value);
    if (!problem.empty()) {
      Violation(absl::StrCat(problem, where, " (RFC 9113 §8.2.1)"));
    }
  }
}

}  // namespace probe
