#include "fuzz/http2_script.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "http2/frame.h"

namespace fuzz {
namespace h2 {

const std::pair<absl::string_view, absl::string_view> kCommonFields[] = {
    {":method", "GET"},
    {":method", "POST"},
    {":method", "HEAD"},
    {":method", "CONNECT"},
    {":scheme", "https"},
    {":scheme", "http"},
    {":path", "/"},
    {":path", "/index.html?q=1"},
    {":path", "*"},
    {":path", ""},
    {":authority", "example.com"},
    {":authority", "example.com:443"},
    {"host", "example.com"},
    {"host", "other.example"},
    {":protocol", "websocket"},
    {":status", "200"},
    {"content-length", "0"},
    {"content-length", "5"},
    {"content-length", "100"},
    {"content-length", "x"},
    {"te", "trailers"},
    {"te", "gzip"},
    {"connection", "close"},
    {"keep-alive", "1"},
    {"transfer-encoding", "chunked"},
    {"upgrade", "h2c"},
    {"proxy-connection", "x"},
    {"cookie", "a=b"},
    {"cookie", "c=d; e=f"},
    {"user-agent", "h2harness-fuzz"},
    {"accept", "*/*"},
    {"accept-encoding", "gzip, deflate"},
    {"x-Upper", "v"},
    {"x-space", " v"},
    {"x-nul", absl::string_view("a\0b", 3)},
    {"x-empty", ""},
    {"", "empty-name"},
    {":unknown", "x"},
    {"grpc-timeout", "1S"},
    {"priority", "u=1, i"},
    {":status", "100"},
    {":status", "103"},
    {":status", "204"},
    {":status", "304"},
    {":status", "404"},
    {"content-type", "text/html"},
    {"cache-control", "no-store"},
    {":authority", "user@example.com"},
    {":authority", "[::1]:8443"},
    {":authority", "example.com:99999"},
    {":path", "/a%41b"},
    {":path", "/a%zz"},
    {":path", "/a#frag"},
    {":method", "OPTIONS"},
    {":method", "GET "},
    {":scheme", "ftp"},
    {":protocol", "bad protocol"},
    {":status", "101"},
    {":status", "2000"},
    {"content-length", "5, 5"},
    {"content-length", "5, 6"},
    {"content-length", "007"},
    {"x-obs", "caf\xc3\xa9"},
    {"x-ctl", absl::string_view("a\x01b", 3)},
    {"x-tab", "a\tb"},
    {"cookie", "a=b;c=d"},
    {"cookie", ""},
    {"TE", "trailers"},
    {"x-trailing", "v "},
};
const size_t kCommonFieldCount = sizeof(kCommonFields) / sizeof(kCommonFields[0]);

namespace {
// The opaque data of the PING a server sends with its shutdown notice ("h2harnes"): a
// client acknowledging it triggers the second GOAWAY (http2/session.cc).
constexpr uint64_t kShutdownPing = 0x68326861726e6573;
}  // namespace

class ScriptRunner::Reader {
 public:
  explicit Reader(absl::string_view s) : s_(s) {}
  bool done() const { return pos_ >= s_.size(); }
  size_t pos() const { return pos_; }
  uint8_t U8() { return pos_ < s_.size() ? static_cast<uint8_t>(s_[pos_++]) : 0; }
  uint16_t U16() { return static_cast<uint16_t>((U8() << 8) | U8()); }
  uint32_t U24() {
    const uint32_t hi = U16();
    return (hi << 8) | U8();
  }
  uint32_t U32() {
    const uint32_t hi = U16();
    return (hi << 16) | U16();
  }
  // `n` octets (fewer at the end of the input).
  absl::string_view Bytes(size_t n) {
    n = std::min(n, s_.size() - std::min(pos_, s_.size()));
    absl::string_view b = s_.substr(pos_, n);
    pos_ += n;
    return b;
  }

 private:
  absl::string_view s_;
  size_t pos_ = 0;
};

ScriptRunner::ScriptRunner(size_t max_output) : max_output_(max_output) {}

void ScriptRunner::Run(absl::string_view records, ScriptListener* listener) {
  input_ = records;
  Reader r(records);
  while (!r.done() && !Exhausted()) {
    const size_t begin = r.pos();
    RunOne(r, listener, 0, spans_.size());
    spans_.emplace_back(begin, r.pos());
  }
}

uint32_t ScriptRunner::Stream(Reader& r) {
  const uint8_t s = r.U8();
  const uint32_t param = s >> 3;
  const uint32_t highest = highest_ < 0 ? 1 : static_cast<uint32_t>(highest_);
  uint32_t id = 0;
  switch (static_cast<StreamSel>(s & 7)) {
    case kNewStream:
    case kSkipAhead: {
      const int64_t step = (s & 7) == kNewStream ? 2 : 2 * (int64_t{param} + 1);
      const int64_t next = highest_ < 0 ? 1 + step - 2 : highest_ + step;
      id = static_cast<uint32_t>(std::min<int64_t>(next, 0x7fffffff));
      highest_ = id;
      used_.push_back(id);
      if (used_.size() > 64) used_.erase(used_.begin());
      return id;
    }
    case kCurrent:
      return highest;
    case kPrevious:
      return highest >= 3 ? highest - 2 : highest;
    case kRecent:
      return used_.empty() ? highest : used_[used_.size() - 1 - param % used_.size()];
    case kZero:
      return 0;
    case kEven:
      return 2 * (param + 1);
    case kRawId:
      return r.U32();
  }
  return id;
}

// A field list (count octet, kinds), HPACK-encoded with the client's context.
std::string ScriptRunner::Fields(Reader& r) {
  const uint8_t c = r.U8();
  hpack::HeaderList fields;
  size_t n = c % 32;
  if (c & kStandardRequest) {
    fields = {{":method", "GET"}, {":scheme", "https"}, {":authority", "example.com"},
              {":path", "/"}};
    n = c & 0x1f;
  } else if (c & kStandardResponse) {
    fields = {{":status", "200"}};
    n = c & 0x1f;
  }
  for (size_t i = 0; i < n; ++i) {
    const uint8_t kind = r.U8();
    if (kind < kCommonFieldCount) {
      fields.emplace_back(std::string(kCommonFields[kind].first),
                          std::string(kCommonFields[kind].second));
    } else if (kind == 0xfe) {
      // A large value: header list limits.
      fields.emplace_back("x-large", std::string(size_t{r.U8()} * 256, 'v'));
    } else {
      std::string name(r.Bytes(r.U8() % 64));
      std::string value(r.Bytes(r.U8()));
      fields.emplace_back(std::move(name), std::move(value), (kind & 1) != 0);
    }
  }
  std::string block;
  if (!deflater_.Deflate(fields, &block).ok()) block.clear();
  return block;
}

void ScriptRunner::Emit(ScriptListener* l, const std::string& bytes, Op op) {
  output_ += bytes.size();
  if (output_ > max_output_) return;
  l->OnClientBytes(bytes, op);
}

// `index`: the record's place among the top-level records (a repeated kRepeat repeats the
// records before its own place).
void ScriptRunner::RunOne(Reader& r, ScriptListener* l, int depth, size_t index) {
  ++records_;
  const Op op = static_cast<Op>(r.U8() % kOpCount);
  std::string& f = frame_;
  f.clear();
  switch (op) {
    case kPreface:
      f.assign(http2::kClientPreface.data(), http2::kClientPreface.size());
      break;
    case kSettings: {
      const uint8_t flags = r.U8();
      const size_t n = r.U8() % 40;
      std::vector<http2::Setting> settings;
      static constexpr uint16_t kIds[] = {1, 2, 3, 4, 5, 6, 8, 9, 0x0a, 0xffff, 0};
      for (size_t i = 0; i < n; ++i) {
        const uint8_t ids = r.U8();
        const uint16_t id = ids % 12 < 11 ? kIds[ids % 12] : r.U16();
        const uint8_t vs = r.U8();
        static constexpr uint32_t kValues[] = {0,          1,          2,          100,
                                               4096,       16384,      16385,      65535,
                                               65536,      0x7fffffff, 0x80000000, 0xffffff,
                                               0x1000000,  0xffffffff};
        const uint32_t value = vs % 16 < 14 ? kValues[vs % 16] : vs % 16 == 14 ? vs >> 4 : r.U32();
        settings.push_back({id, value});
      }
      if (flags & http2::kFlagAck) {
        if (!settings_acked_ && settings.empty()) {
          settings_acked_ = true;
          deflater_.ChangeTableSize(l->ServerHeaderTableSize());
        }
        // An ACK with entries is malformed (FRAME_SIZE_ERROR): written as such.
      }
      http2::AppendSettings(&f, settings, flags);
      break;
    }
    case kHeaders: {
      const uint32_t sid = Stream(r);
      const uint8_t flags = r.U8();
      http2::PrioritySpec prio;
      if (flags & http2::kFlagPriority) {
        prio.stream_dependency = Stream(r);
        prio.weight = r.U8();
        prio.exclusive = (prio.weight & 1) != 0;
      }
      const std::string block = Fields(r);
      const size_t split = r.U8();
      std::optional<uint8_t> pad;
      if (flags & http2::kFlagPadded) pad = r.U8();
      l->OnHandlerAction(sid, r.U8());
      const size_t first = split == 0 ? block.size() : std::min(block.size(), split);
      const bool last = first == block.size();
      const uint8_t fl = (flags & (http2::kFlagEndStream | 0x2 | 0x10 | 0x80)) |
                         (last && !(flags & kOpenBlock) ? http2::kFlagEndHeaders : 0);
      http2::AppendHeaders(&f, sid, absl::string_view(block).substr(0, first), fl,
                           (flags & http2::kFlagPriority) ? &prio : nullptr, pad);
      for (size_t at = first; at < block.size(); at += split) {
        const size_t n = std::min(split, block.size() - at);
        const bool end = at + n == block.size() && !(flags & kOpenBlock);
        http2::AppendContinuation(&f, sid, absl::string_view(block).substr(at, n),
                                  end ? http2::kFlagEndHeaders : 0);
      }
      break;
    }
    case kContinuation: {
      const uint32_t sid = Stream(r);
      const uint8_t flags = r.U8();
      const std::string fragment =
          (flags & 0x80) ? Fields(r) : std::string(r.Bytes(r.U8()));
      http2::AppendContinuation(&f, sid, fragment, flags & 0x7f);
      break;
    }
    case kData: {
      const uint32_t sid = Stream(r);
      const uint8_t flags = r.U8();
      std::string data;
      if (flags & 0x80) {
        data = std::string(r.Bytes(r.U8()));
      } else {
        size_t n = r.U16();
        if (!(flags & 0x40)) n %= 16385 - 256;  // 0x40: any length, FRAME_SIZE_ERROR likely
        data.assign(n, 'd');
      }
      std::optional<uint8_t> pad;
      if (flags & http2::kFlagPadded) pad = r.U8();
      http2::AppendData(&f, sid, data, flags & (http2::kFlagEndStream | 0x6 | 0x30), pad);
      break;
    }
    case kRstStream: {
      const uint32_t sid = Stream(r);
      http2::AppendRstStream(&f, sid, r.U8() % 16);
      break;
    }
    case kPriority: {
      const uint32_t sid = Stream(r);
      http2::PrioritySpec p;
      p.stream_dependency = Stream(r);
      p.weight = r.U8();
      const uint8_t flags = r.U8();
      p.exclusive = (flags & 1) != 0;
      if (flags & 0x6) {
        // §6.3: a length other than 5 is a stream error.
        http2::AppendRawFrame(&f, static_cast<uint8_t>(http2::FrameType::kPriority), 0, sid,
                              std::string((flags & 0x2) ? 4 : 6, '\0'));
      } else {
        http2::AppendPriority(&f, sid, p);
      }
      break;
    }
    case kPing: {
      const uint8_t flags = r.U8();
      const uint8_t o = r.U8();
      http2::AppendPing(&f, o == 0xff ? kShutdownPing : o, flags);
      break;
    }
    case kGoAway: {
      const uint32_t last = Stream(r);
      const uint32_t code = r.U8() % 16;
      http2::AppendGoAway(&f, last, code, std::string(r.U8(), 'g'));
      break;
    }
    case kWindowUpdate: {
      const uint32_t sid = Stream(r);
      const uint8_t s = r.U8();
      static constexpr uint32_t kIncrements[] = {0, 1, 1000, 65535, 0x7fffffff,
                                                 0x7fffffff - 65535, 0, 1 << 20};
      uint32_t inc = kIncrements[s % 8];
      if (s % 8 == 2) inc = 1000 * (1 + (s >> 3));
      if (s % 8 == 6) inc = r.U32();
      http2::AppendWindowUpdate(&f, sid, inc);
      break;
    }
    case kPushPromise: {
      const uint32_t sid = Stream(r);
      const uint32_t promised = Stream(r);
      http2::AppendPushPromise(&f, sid, promised, Fields(r), http2::kFlagEndHeaders);
      break;
    }
    case kPriorityUpdate: {
      const uint32_t sid = Stream(r);
      http2::AppendPriorityUpdate(&f, sid, r.Bytes(r.U8()));
      break;
    }
    case kUnknownFrame: {
      uint8_t type = static_cast<uint8_t>(0x0a + r.U8() % 0xf6);
      if (type == 0x10) type = 0x11;
      const uint8_t flags = r.U8();
      const uint32_t sid = Stream(r);
      http2::AppendRawFrame(&f, type, flags, sid, r.Bytes(r.U8()));
      break;
    }
    case kJunk:
      f = std::string(r.Bytes(r.U8()));
      break;
    case kRawFrame: {
      const uint32_t length = r.U24();
      const uint8_t type = r.U8();
      const uint8_t flags = r.U8();
      const uint32_t sid = r.U32();
      http2::AppendFrameHeader(&f, length, type, flags, sid);
      const absl::string_view payload = r.Bytes(r.U8());
      f.append(payload.data(), payload.size());
      break;
    }
    case kDeliver: {
      static constexpr size_t kPieces[] = {0, 1, 2, 7, 100, 1000};
      l->OnDeliver(kPieces[r.U8() % 6]);
      return;
    }
    case kServerSend: {
      const uint8_t b = r.U8();
      l->OnServerSend(b < 0x80 ? b : size_t{b - 0x80u} * 512, b == 0xff);
      return;
    }
    case kClock: {
      static constexpr int64_t kMillis[] = {1, 100, 1000, 10000, 31000, 3600000};
      l->OnClock(absl::Milliseconds(kMillis[r.U8() % 6]));
      return;
    }
    case kServerAction: {
      const uint8_t action = r.U8();
      l->OnServerAction(action, Stream(r));
      return;
    }
    case kRepeat: {
      const size_t back = 1 + r.U8() % 4;
      const size_t times = r.U8();
      if (depth >= 2 || index == 0) return;
      const size_t from = index - std::min(back, index);
      for (size_t t = 0; t < times && !Exhausted(); ++t) {
        for (size_t i = from; i < index && !Exhausted(); ++i) {
          Reader again(input_.substr(spans_[i].first, spans_[i].second - spans_[i].first));
          RunOne(again, l, depth + 1, i);
        }
      }
      return;
    }
    case kOpCount:
      return;
  }
  Emit(l, f, op);
}

// --- ScriptWriter ---

uint8_t ScriptWriter::Kind(absl::string_view name, absl::string_view value) {
  for (size_t i = 0; i < kCommonFieldCount; ++i) {
    if (kCommonFields[i].first == name && kCommonFields[i].second == value) {
      return static_cast<uint8_t>(i);
    }
  }
  std::fprintf(stderr, "ScriptWriter::Kind: no common field %s: %s\n", std::string(name).c_str(),
               std::string(value).c_str());
  std::abort();
}

ScriptWriter& ScriptWriter::Settings(std::vector<std::pair<uint8_t, uint8_t>> settings,
                                     uint8_t flags) {
  Op1(kSettings).U8(flags).U8(static_cast<uint8_t>(settings.size()));
  for (const auto& s : settings) U8(s.first).U8(s.second);
  return *this;
}

ScriptWriter& ScriptWriter::Headers(uint8_t stream, uint8_t flags, uint8_t count,
                                    const std::vector<uint8_t>& kinds, uint8_t split,
                                    uint8_t pad, uint8_t action) {
  Op1(kHeaders).U8(stream).U8(flags);
  if (flags & http2::kFlagPriority) U8(Sel(kZero)).U8(15);
  U8(count);
  for (uint8_t k : kinds) U8(k);
  U8(split);
  if (flags & http2::kFlagPadded) U8(pad);
  return U8(action);
}

ScriptWriter& ScriptWriter::Data(uint8_t stream, uint8_t flags, uint16_t length, uint8_t pad) {
  Op1(kData).U8(stream).U8(flags);
  if (flags & 0x80) {
    U8(static_cast<uint8_t>(length));
    out_.append(length & 0xff, 'D');
  } else {
    U8(static_cast<uint8_t>(length >> 8)).U8(static_cast<uint8_t>(length));
  }
  if (flags & http2::kFlagPadded) U8(pad);
  return *this;
}

ScriptWriter& ScriptWriter::RstStream(uint8_t stream, uint8_t code) {
  return Op1(kRstStream).U8(stream).U8(code);
}

ScriptWriter& ScriptWriter::Priority(uint8_t stream, uint8_t dependency, uint8_t weight,
                                     uint8_t flags) {
  return Op1(kPriority).U8(stream).U8(dependency).U8(weight).U8(flags);
}

ScriptWriter& ScriptWriter::Ping(uint8_t flags, uint8_t opaque) {
  return Op1(kPing).U8(flags).U8(opaque);
}

ScriptWriter& ScriptWriter::GoAway(uint8_t last, uint8_t code, uint8_t debug_length) {
  return Op1(kGoAway).U8(last).U8(code).U8(debug_length);
}

ScriptWriter& ScriptWriter::WindowUpdate(uint8_t stream, uint8_t increment) {
  return Op1(kWindowUpdate).U8(stream).U8(increment);
}

ScriptWriter& ScriptWriter::PushPromise(uint8_t stream, uint8_t promised, uint8_t count,
                                        const std::vector<uint8_t>& kinds) {
  Op1(kPushPromise).U8(stream).U8(promised).U8(count);
  for (uint8_t k : kinds) U8(k);
  return *this;
}

ScriptWriter& ScriptWriter::PriorityUpdate(uint8_t stream, absl::string_view value) {
  return Op1(kPriorityUpdate).U8(stream).U8(static_cast<uint8_t>(value.size())).Raw(value);
}

ScriptWriter& ScriptWriter::UnknownFrame(uint8_t type, uint8_t flags, uint8_t stream,
                                         absl::string_view payload) {
  return Op1(kUnknownFrame)
      .U8(type)
      .U8(flags)
      .U8(stream)
      .U8(static_cast<uint8_t>(payload.size()))
      .Raw(payload);
}

ScriptWriter& ScriptWriter::Junk(absl::string_view octets) {
  return Op1(kJunk).U8(static_cast<uint8_t>(octets.size())).Raw(octets);
}

ScriptWriter& ScriptWriter::RawFrame(uint32_t length, uint8_t type, uint8_t flags,
                                     uint32_t stream_id, absl::string_view payload) {
  Op1(kRawFrame)
      .U8(static_cast<uint8_t>(length >> 16))
      .U8(static_cast<uint8_t>(length >> 8))
      .U8(static_cast<uint8_t>(length))
      .U8(type)
      .U8(flags);
  for (int shift = 24; shift >= 0; shift -= 8) U8(static_cast<uint8_t>(stream_id >> shift));
  return U8(static_cast<uint8_t>(payload.size())).Raw(payload);
}

ScriptWriter& ScriptWriter::Continuation(uint8_t stream, uint8_t flags,
                                         absl::string_view raw_fragment) {
  return Op1(kContinuation)
      .U8(stream)
      .U8(flags & 0x7f)
      .U8(static_cast<uint8_t>(raw_fragment.size()))
      .Raw(raw_fragment);
}

}  // namespace h2
}  // namespace fuzz
