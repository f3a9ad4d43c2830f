// Writes the seed corpora of the HTTP/2 fuzz targets into DIR/<target>/<sha256>, existing
// files kept (tools/fuzz merges what the fuzzers find):
//   bazel run //fuzz:http2_make_seeds -- $PWD/corpora
//
//  http2_frame_fuzzer           frame sequences (FrameSequence) covering every frame type,
//                               flag and error of the frame layer, with the target's
//                               parameters appended (they are read from the input's end)
//  http2_server_session_fuzzer  scripts (fuzz/http2_script.h) after 8 config octets: plain
//                               requests, bodies, trailers, pushes, flow control, and each
//                               attack the session defends against, with small limits
//  http2_client_session_fuzzer  scripts of the server's octets after 8 config octets
//  http2_differential_fuzzer    the server scripts without config octets
#include <openssl/evp.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "fuzz/http2_script.h"
#include "http2/error_code.h"
#include "http2/frame.h"
#include "http2/frame_builder.h"
#include "http2/settings.h"

namespace {

namespace fs = std::filesystem;
using fuzz::h2::ScriptWriter;
using fuzz::h2::Sel;
using namespace fuzz::h2;  // NOLINT: ops and selectors

std::string Sha256Hex(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), md, &n, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < n; ++i) absl::StrAppend(&hex, absl::Hex(md[i], absl::kZeroPad2));
  return hex;
}

int written = 0;
void Write(const fs::path& dir, const std::string& target, const std::string& data) {
  const fs::path d = dir / target;
  fs::create_directories(d);
  const fs::path p = d / Sha256Hex(data);
  if (fs::exists(p)) return;
  std::ofstream(p, std::ios::binary) << data;
  ++written;
}

// --- http2_frame_fuzzer ---

// Parameters read from the end: split seed (4 octets), mode (non-zero: parse), validation
// (non-zero: on), frame size selector (0: 16384).
std::string FrameInput(const std::string& frames, uint8_t frame_size = 0) {
  return frames + std::string("\x12\x34\x56\x78\x01\x01", 6) + static_cast<char>(frame_size);
}

std::vector<std::string> FrameSeeds() {
  using http2::FrameSequence;
  using http2::kFlagEndHeaders;
  using http2::kFlagEndStream;
  const http2::FieldList get = {{":method", "GET"}, {":scheme", "https"},
                                {":authority", "example.com"}, {":path", "/"}};
  std::vector<std::string> s;
  http2::HeadersOptions split, padded, open;
  split.max_fragment = 5;
  padded.pad_length = 3;
  padded.priority = http2::PrioritySpec{1, true, 200};
  open.end_headers = false;
  // A connection's worth of valid frames.
  FrameSequence a;
  a.Settings({{http2::kSettingsMaxConcurrentStreams, 100},
              {http2::kSettingsInitialWindowSize, 1 << 20},
              {http2::kSettingsMaxFrameSize, 20000},
              {http2::kSettingsEnablePush, 0},
              {0x99, 7}})
      .SettingsAck()
      .Headers(1, get, kFlagEndStream)
      .Headers(3, get, 0, split)
      .Data(3, "hello", 0, 4)
      .Data(3, "", kFlagEndStream)
      .Headers(5, get, 0, padded)
      .Priority(5, 3, 31, true)
      .RstStream(5, http2::ErrorCode::kCancel)
      .Ping(0x0102030405060708)
      .PingAck(42)
      .WindowUpdate(0, 1000)
      .WindowUpdate(3, 0x7fffffff)
      .PushPromise(1, 2, get)
      .PriorityUpdate(3, "u=1, i")
      .Raw(0x21, 0xff, 7, "unknown")
      .GoAway(5, http2::ErrorCode::kNoError, "bye");
  s.push_back(FrameInput(a.Take()));
  // Reserved bits set everywhere they can be.
  FrameSequence r;
  r.RawHeader(4, http2::FrameType::kWindowUpdate, 0, 0x80000001).Bytes("\x80\x00\x01\x00");
  r.RawHeader(8, http2::FrameType::kGoAway, 0, 0x80000000).Bytes(std::string("\x80\0\0\x03\0\0\0\x02", 8));
  s.push_back(FrameInput(r.Take()));
  // One malformed frame each (after a valid prefix).
  auto bad = [&s](FrameSequence& f) { s.push_back(FrameInput(f.Take())); };
  {
    FrameSequence f;
    f.Settings({}).RawHeader(16385, http2::FrameType::kData, 0, 1);
    bad(f);  // FRAME_SIZE_ERROR: too large
  }
  {
    FrameSequence f;
    f.Raw(http2::FrameType::kData, http2::kFlagPadded, 1, "\x05xy");
    bad(f);  // padding too long
  }
  {
    FrameSequence f;
    f.Raw(http2::FrameType::kHeaders, http2::kFlagPriority, 1, "\0\0");
    bad(f);  // too short for priority fields
  }
  {
    FrameSequence f;
    f.Raw(http2::FrameType::kData, 0, 0, "x");
    bad(f);  // DATA on stream 0
  }
  {
    FrameSequence f;
    f.Raw(http2::FrameType::kPing, 0, 1, "12345678");
    bad(f);  // PING on a stream
  }
  {
    FrameSequence f;
    f.Raw(http2::FrameType::kPriority, 0, 1, "1234").Ping(1);
    bad(f);  // PRIORITY of 4 octets: a stream error, parsing goes on
  }
  {
    FrameSequence f;
    f.Raw(http2::FrameType::kRstStream, 0, 1, "123");
    bad(f);
  }
  {
    FrameSequence f;
    f.Raw(http2::FrameType::kSettings, http2::kFlagAck, 0, "123456");
    bad(f);
  }
  {
    FrameSequence f;
    f.Raw(http2::FrameType::kSettings, 0, 0, "12345");
    bad(f);
  }
  {
    FrameSequence f;
    f.Settings({{http2::kSettingsEnablePush, 2}});
    bad(f);
  }
  {
    FrameSequence f;
    f.Settings({{http2::kSettingsInitialWindowSize, 0x80000000}});
    bad(f);
  }
  {
    FrameSequence f;
    f.Settings({{http2::kSettingsMaxFrameSize, 100}});
    bad(f);
  }
  {
    FrameSequence f;
    f.Raw(http2::FrameType::kPing, 0, 0, "1234567");
    bad(f);
  }
  {
    FrameSequence f;
    f.Raw(http2::FrameType::kGoAway, 0, 0, "1234567");
    bad(f);
  }
  {
    FrameSequence f;
    f.WindowUpdate(1, 0).WindowUpdate(0, 0);
    bad(f);  // a stream error, then a connection error
  }
  {
    FrameSequence f;
    f.Continuation(1, "x");
    bad(f);
  }
  {
    FrameSequence f;
    f.Headers(1, get, 0, open).Ping(1);
    bad(f);  // a frame inside a field block
  }
  {
    FrameSequence f;
    f.Raw(http2::FrameType::kPriorityUpdate, 0, 0, "12");
    bad(f);
  }
  {
    FrameSequence f;
    f.PriorityUpdate(0, "u=1");
    bad(f);
  }
  {
    FrameSequence f;
    f.Raw(http2::FrameType::kPushPromise, http2::kFlagPadded, 1, "\x01\0\0\0\x02");
    bad(f);
  }
  // A tiny frame size limit, and the serializer mode (mode octet 0).
  {
    FrameSequence f;
    f.Data(1, std::string(100, 'x'));
    s.push_back(FrameInput(f.Take(), 10));  // max_frame_size 64
  }
  s.push_back(std::string(200, '\x5a') + std::string("\0\0\0\0\0\0\0", 7));
  s.push_back(std::string("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f", 15) +
              std::string(100, '\xa5') + std::string("\0\0\0\0\0\x01\0", 7));
  return s;
}

// --- session scripts ---

// Config octets of the session fuzzer (see MakeConfig there).
struct Cfg {
  uint8_t b[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  std::string str() const { return std::string(reinterpret_cast<const char*>(b), 8); }
};

ScriptWriter Start() {
  ScriptWriter w;
  w.Preface().Settings({}).SettingsAck();
  return w;
}

// Standard request fields + extra kinds.
constexpr uint8_t kGet = kStandardRequest;

struct Scenario {
  Cfg cfg;
  std::string script;
};

std::vector<Scenario> Scenarios() {
  std::vector<Scenario> v;
  auto add = [&v](Cfg c, const ScriptWriter& w) { v.push_back({c, w.bytes()}); };
  const uint8_t kNew = Sel(kNewStream), kCur = Sel(kCurrent), kZ = Sel(kZero);
  {
    ScriptWriter w = Start();  // a GET answered at once
    w.Headers(kNew, http2::kFlagEndStream, kGet, {}, 0, 0, 0x00).Deliver(0).ServerSend(0);
    add({}, w);
  }
  {
    ScriptWriter w = Start();  // POST with a body and trailers; response on end of stream
    w.Headers(kNew, 0, kGet | 2, {17, 20}, 0, 0, 0x01)  // content-length: 5, te: trailers
        .Data(kCur, 0x80, 5)
        .Headers(kCur, http2::kFlagEndStream, 1, {29})
        .Deliver(1)
        .ServerSend(0);
    add({}, w);
  }
  {
    ScriptWriter w = Start();  // a large response body and the client's WINDOW_UPDATEs
    w.Headers(kNew, http2::kFlagEndStream, kGet, {}, 0, 0, 0x08)
        .ServerSend(0)
        .WindowUpdate(kZ, 3)
        .WindowUpdate(kCur, 3)
        .Settings({{3, 8}})  // INITIAL_WINDOW_SIZE 65536
        .Deliver(0)
        .ServerSend(0x84)
        .ServerSend(0);
    add({}, w);
  }
  {
    ScriptWriter w = Start();  // 1xx, push, trailers, deferred body resumed
    w.Headers(kNew, http2::kFlagEndStream, kGet | 1, {29}, 0, 0, 0x20 | 0x40 | 0x10 | 0x0c)
        .ServerSend(0)
        .ServerAction(4, kCur)
        .ServerSend(0)
        .ServerAction(4, kCur)
        .ServerSend(0);
    add({}, w);
  }
  {
    ScriptWriter w = Start();  // field block in CONTINUATIONs, padding, priority, delivered in pieces
    w.Headers(kNew, http2::kFlagEndStream | http2::kFlagPadded | http2::kFlagPriority, kGet | 3,
              {29, 30, 31}, 4, 7, 0)
        .Priority(kCur, kZ, 200, 1)
        .Deliver(2)
        .ServerSend(0);
    add({}, w);
  }
  {
    ScriptWriter w = Start();  // Rapid Reset: HEADERS + RST_STREAM, over and over
    w.Headers(kNew, 0, kGet, {}, 0, 0, 3).RstStream(kCur, 8).Repeat(2, 255).Repeat(1, 4);
    Cfg c;
    c.b[2] = 0x10;  // small reset budget
    add(c, w);
    add({}, w);
  }
  {
    ScriptWriter w = Start();  // PING flood while the client does not read
    w.ServerSend(0xff).Ping(0, 1).Repeat(1, 255).Repeat(1, 255).Repeat(1, 255).Repeat(1, 255).Deliver(0);
    Cfg c;
    c.b[2] = 0x08 | 0x80;  // few control frames, small output buffer
    add(c, w);
    add({}, w);
  }
  {
    ScriptWriter w = Start();  // SETTINGS with too many entries; SETTINGS flood
    // Valid entries (header table 4096, MAX_CONCURRENT_STREAMS 100, unknown ids ...).
    w.Settings({{0, 4}, {2, 3}, {5, 4}, {8, 1}, {9, 2}, {10, 3}, {0, 5}, {2, 4}, {5, 7}, {8, 8}})
        .Settings({{2, 3}})
        .Repeat(1, 255)
        .Repeat(1, 255);
    Cfg c;
    c.b[2] = 0x04;
    add(c, w);
    add({}, w);
  }
  {
    ScriptWriter w = Start();  // CONTINUATION flood
    w.Headers(kNew, kOpenBlock, kGet, {}, 0, 0, 0).Continuation(kCur, 0, "").Repeat(1, 20);
    add({}, w);
    Cfg c;
    c.b[2] = 0x01;
    add(c, w);
  }
  {
    ScriptWriter w = Start();  // HPACK bomb: a large field indexed, then referenced often
    w.Headers(kNew, http2::kFlagEndStream, kGet | 1, {0xfe, 60}, 0, 0, 0)
        .Headers(kNew, http2::kFlagEndStream, kGet | 4, {0xfe, 60, 0xfe, 60, 0xfe, 60, 0xfe, 60}, 0, 0, 0)
        .Repeat(1, 8);
    add({}, w);
    Cfg c;
    c.b[1] = 0x10 | 0x40;  // max_header_list_size 200, 4 fields
    add(c, w);
  }
  {
    ScriptWriter w;  // not HTTP/2
    w.Junk("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n");
    add({}, w);
  }
  {
    ScriptWriter w;  // preface, then not SETTINGS
    w.Preface().Ping(0, 3);
    add({}, w);
  }
  {
    ScriptWriter w = Start();  // graceful shutdown: notice, PING ACK, final GOAWAY
    w.Headers(kNew, 0, kGet, {}, 0, 0, 3)
        .ServerAction(2, kZ)
        .ServerSend(0)
        .Ping(1, 0xff)
        .Headers(kNew, http2::kFlagEndStream, kGet, {}, 0, 0, 0)
        .Data(Sel(kPrevious), http2::kFlagEndStream, 0)
        .Deliver(0)
        .Clock(2)
        .ServerSend(0);
    add({}, w);
  }
  {
    ScriptWriter w = Start();  // zero window: the response stalls, then the stream is reset
    w.Settings({{3, 0}})  // INITIAL_WINDOW_SIZE 0
        .Headers(kNew, http2::kFlagEndStream, kGet, {}, 0, 0, 0x04)
        .ServerSend(0)
        .Clock(3)
        .Clock(4)
        .ServerSend(0);
    Cfg c;
    c.b[3] = 0x04;  // stalled stream timeout 1 s
    add(c, w);
  }
  {
    ScriptWriter w;  // no SETTINGS ACK: SETTINGS_TIMEOUT
    w.Preface().Settings({}).Clock(3).Clock(4);
    Cfg c;
    c.b[3] = 0x08;
    add(c, w);
  }
  {
    ScriptWriter w = Start();  // MadeYouReset: stream errors the client provokes
    w.Headers(kNew, 0, kGet, {}, 0, 0, 3)
        .WindowUpdate(kCur, 0)
        .Headers(kNew, http2::kFlagEndStream, kGet, {}, 0, 0, 3)
        .Data(kCur, 0, 10)
        .Priority(kCur, kZ, 0, 2)
        .Repeat(4, 255);
    Cfg c;
    c.b[2] = 0x20;
    add(c, w);
    add({}, w);
  }
  {
    ScriptWriter w = Start();  // protocol errors, one per connection
    ScriptWriter a = w, b = w, c = w, d = w, e = w, f = w, g = w;
    a.Data(kNew, 0, 5);                                       // DATA on an idle stream
    b.Headers(Sel(kEven), http2::kFlagEndStream, kGet, {}, 0, 0, 0);  // even stream
    c.Headers(kNew, http2::kFlagEndStream, kGet, {}, 0, 0, 3)
        .Headers(Sel(kPrevious), 0, kGet, {});                 // a closed stream reopened
    d.PushPromise(Sel(kCurrent), Sel(kEven), kGet, {});        // a client cannot push
    e.UnknownFrame(0x42, 0, kZ, "xyz").PriorityUpdate(Sel(kCurrent), "u=3").GoAway(kZ, 0, 4);
    f.RawFrame(3, 8, 0, 1, "abc");                             // WINDOW_UPDATE too short
    g.Continuation(kCur, 4, "\x82");                           // CONTINUATION out of place
    for (const ScriptWriter* x : {&a, &b, &c, &d, &e, &f, &g}) add({}, *x);
  }
  {
    ScriptWriter w = Start();  // malformed requests: stream errors
    w.Headers(kNew, http2::kFlagEndStream, 2, {0, 6})                 // no :scheme
        .Headers(kNew, http2::kFlagEndStream, kGet | 1, {32})          // uppercase name
        .Headers(kNew, http2::kFlagEndStream, kGet | 1, {22})          // connection:
        .Headers(kNew, http2::kFlagEndStream, kGet | 1, {33})          // leading space
        .Headers(kNew, 0, kGet | 1, {17})                              // content-length 5...
        .Data(kCur, http2::kFlagEndStream, 3)                          // ...but 3 octets
        .Headers(kNew, http2::kFlagEndStream, kGet | 1, {34})          // NUL in a value
        .Headers(kNew, http2::kFlagEndStream, 5, {3, 10, 14, 4, 6});   // extended CONNECT
    add({}, w);
    Cfg c;
    c.b[0] = 0x20;  // ENABLE_CONNECT_PROTOCOL
    add(c, w);
  }
  {
    ScriptWriter w = Start();  // over MAX_CONCURRENT_STREAMS
    w.Headers(kNew, 0, kGet, {}, 0, 0, 3)
        .Headers(kNew, 0, kGet, {}, 0, 0, 3)
        .Headers(kNew, 0, kGet, {}, 0, 0, 3)
        .Deliver(0)
        .ServerSend(0);
    Cfg c;
    c.b[0] = 0x01;  // 1 concurrent stream
    add(c, w);
  }
  {
    ScriptWriter w = Start();  // flow control errors
    ScriptWriter a = w, b = w, c = w;
    a.Headers(kNew, 0, kGet, {}, 0, 0, 3).Data(kCur, 0, 16000).Repeat(1, 5);
    b.WindowUpdate(kZ, 4).WindowUpdate(kZ, 4);
    c.Headers(kNew, 0, kGet, {}, 0, 0, 0x08).Settings({{3, 9}}).Settings({{3, 15}});
    add({}, a);
    add({}, b);
    add({}, c);
  }
  {
    ScriptWriter w = Start();  // the client's SETTINGS: table size, frame size, push off
    w.Settings({{0, 0}, {4, 6}, {1, 0}})
        .Headers(kNew, http2::kFlagEndStream, kGet | 1, {29}, 0, 0, 0x40 | 0x04)
        .Deliver(0)
        .ServerSend(0);
    add({}, w);
    Cfg c;
    c.b[1] = 0x04;  // server header table size 0
    add(c, w);
  }
  {
    ScriptWriter w = Start();  // a failing DataSource; trailers submitted after the body
    w.Headers(kNew, http2::kFlagEndStream, kGet, {}, 0, 0, 0x84)
        .Headers(kNew, http2::kFlagEndStream, kGet, {}, 0, 0, 0x94)
        .Deliver(0)
        .ServerSend(0)
        .ServerAction(6, kCur)
        .ServerSend(0);
    add({}, w);
  }
  {
    ScriptWriter w = Start();  // the handler resets a request while its body arrives
    w.Headers(kNew, 0, kGet | 1, {17}, 0, 0, 0xc3).Data(kCur, 0x80, 5).Deliver(0).ServerSend(0);
    add({}, w);
  }
  {
    ScriptWriter w = Start();  // more than the connection window while nothing is consumed
    w.Headers(kNew, 0, kGet, {}, 0, 0, 3)
        .Headers(kNew, 0, kGet, {}, 0, 0, 3)
        .Data(kCur, 0, 16000)
        .Repeat(1, 3)
        .Headers(Sel(kSkipAhead, 2), 0, kGet, {}, 0, 0, 3)
        .Data(kCur, 0, 16000)
        .Deliver(0);
    Cfg c;
    c.b[0] = 0x40;  // no auto_consume
    add(c, w);
  }
  {
    ScriptWriter w = Start();  // the RST_STREAM budget refills with time
    w.Headers(kNew, 0, kGet, {}, 0, 0, 3).RstStream(kCur, 8).Repeat(2, 3).Clock(2)
        .Headers(kNew, 0, kGet, {}, 0, 0, 3).RstStream(kCur, 8).Repeat(2, 3);
    Cfg c;
    c.b[2] = 0x10 | 0x20;  // small reset and glitch budgets
    add(c, w);
  }
  {
    ScriptWriter w;  // pushes while the client allows no concurrent stream: DATA and HEADERS
    w.Preface()      // on a stream still reserved (local)
        .Settings({{2, 0}})  // MAX_CONCURRENT_STREAMS 0
        .SettingsAck()
        .Headers(kNew, 0, kGet, {}, 0, 0, 0x40)
        .Deliver(0)
        .ServerSend(0);
    ScriptWriter a = w, b = w;
    a.Data(Sel(kEven), 0, 3);
    b.Headers(Sel(kEven), 0, kGet, {});
    add({}, a);
    add({}, b);
  }
  {
    ScriptWriter w = Start();  // requests with unusual fields
    for (absl::string_view f : {":authority|user@example.com", ":authority|[::1]:8443",
                                ":authority|example.com:99999", ":path|/a%41b", ":path|/a%zz",
                                ":path|/a#frag", "content-length|5, 5", "content-length|5, 6",
                                "x-obs|caf\xc3\xa9", "cookie|a=b;c=d", "TE|trailers"}) {
      const size_t bar = f.find('|');
      w.Headers(kNew, http2::kFlagEndStream, kGet | 1,
                {ScriptWriter::Kind(f.substr(0, bar), f.substr(bar + 1))});
    }
    w.Headers(kNew, http2::kFlagEndStream, 4,
              {ScriptWriter::Kind(":method", "OPTIONS"), ScriptWriter::Kind(":scheme", "https"),
               ScriptWriter::Kind(":path", "*"), ScriptWriter::Kind(":authority", "example.com")});
    w.Headers(kNew, http2::kFlagEndStream, 4,
              {ScriptWriter::Kind(":method", "CONNECT"), ScriptWriter::Kind(":scheme", "https"),
               ScriptWriter::Kind(":path", "/"), ScriptWriter::Kind(":authority", "example.com:443")});
    w.Headers(kNew, http2::kFlagEndStream, 3,
              {ScriptWriter::Kind(":method", "GET"), ScriptWriter::Kind(":scheme", "https"),
               ScriptWriter::Kind(":path", "/")});  // no authority
    add({}, w);
    Cfg c;
    c.b[4] = 0x08 | 0x40 | 0x20;  // require an authority, no path check, non-token names
    add(c, w);
  }
  {
    ScriptWriter w = Start();  // the server application's calls
    w.Headers(kNew, 0, kGet, {}, 0, 0, 3);
    for (uint8_t a = 0; a < 12; ++a) w.ServerAction(a | 0x10, kCur);
    w.ServerAction(1, kZ).ServerAction(0x31, kZ).ServerAction(3 | 0x10, kZ).ServerSend(0);
    add({}, w);
    Cfg c;
    c.b[0] = 0x40;  // no auto_consume
    add(c, w);
  }
  return v;
}

// Scripts for the client session fuzzer: the server's octets (no client magic). A HEADERS
// record on a new client stream makes the client submit that request first (the action
// octet chooses it: method, body, trailers).
std::vector<Scenario> ClientScenarios() {
  std::vector<Scenario> v;
  auto add = [&v](Cfg c, const ScriptWriter& w) { v.push_back({c, w.bytes()}); };
  const uint8_t kNew = Sel(kNewStream), kCur = Sel(kCurrent), kZ = Sel(kZero);
  const uint8_t k103 = ScriptWriter::Kind(":status", "103");
  const uint8_t k204 = ScriptWriter::Kind(":status", "204");
  const uint8_t kLen5 = ScriptWriter::Kind("content-length", "5");
  const uint8_t kAgent = ScriptWriter::Kind("user-agent", "h2harness-fuzz");
  auto start = [] {
    ScriptWriter w;
    w.Settings({{2, 3}}).SettingsAck();  // MAX_CONCURRENT_STREAMS 100
    return w;
  };
  {
    ScriptWriter w = start();  // GET, 200 without a body
    w.Headers(kNew, http2::kFlagEndStream, kStandardResponse, {}, 0, 0, 0).Deliver(0).ServerSend(0);
    add({}, w);
  }
  {
    ScriptWriter w = start();  // 103, then 200 with a body, then trailers
    w.Headers(kNew, 0, 1, {k103}, 0, 0, 0)
        .Headers(kCur, 0, kStandardResponse | 1, {kLen5}, 0, 0, 0)
        .Data(kCur, 0x80, 5)
        .Headers(kCur, http2::kFlagEndStream, 1, {kAgent})
        .Deliver(1)
        .ServerSend(0);
    add({}, w);
  }
  {
    ScriptWriter w = start();  // POST with a large body: the server opens the windows
    w.Headers(kNew, 0, kStandardResponse, {}, 0, 0, 0x09)
        .ServerSend(0)
        .WindowUpdate(kZ, 4)
        .WindowUpdate(kCur, 4)
        .Settings({{3, 9}})  // INITIAL_WINDOW_SIZE 2^31-1
        .Deliver(0)
        .ServerSend(0x84)
        .ServerSend(0)
        .Data(kCur, http2::kFlagEndStream, 10);
    add({}, w);
  }
  {
    ScriptWriter w = start();  // a push: PUSH_PROMISE, the pushed response, the response
    w.Headers(kNew, 0, kStandardResponse, {}, 0, 0, 0)
        .PushPromise(kCur, Sel(kEven), kStandardRequest, {})
        .Headers(Sel(kEven), http2::kFlagEndStream, kStandardResponse, {})
        .Data(kCur, http2::kFlagEndStream | 0x80, 3)
        .Deliver(0)
        .ServerSend(0);
    Cfg c;
    c.b[0] = 0x01;  // enable_push
    add(c, w);
    add({}, w);  // push disabled: PROTOCOL_ERROR once acknowledged
  }
  {
    ScriptWriter w = start();  // 204, HEAD, several requests, a reset, GOAWAY
    w.Headers(kNew, http2::kFlagEndStream, 1, {k204}, 0, 0, 0)
        .Headers(kNew, http2::kFlagEndStream, kStandardResponse, {}, 0, 0, 0x02)
        .Headers(Sel(kSkipAhead, 2), 0, kStandardResponse, {}, 0, 0, 0x0c)
        .RstStream(kCur, 8)
        .GoAway(Sel(kPrevious), 0, 3)
        .ServerAction(7, kZ)
        .Deliver(0)
        .ServerSend(0);
    add({}, w);
  }
  {
    ScriptWriter w = start();  // the server's errors the client must catch
    ScriptWriter a = w, b = w, c = w, d = w, e = w;
    a.Data(kNew, 0, 5);                                                // DATA on an idle stream
    b.Headers(Sel(kEven), http2::kFlagEndStream, kStandardResponse, {});  // HEADERS, no promise
    c.Headers(kNew, 0, 1, {kAgent}, 0, 0, 0);                          // no :status
    d.PriorityUpdate(kCur, "u=1");                                     // PRIORITY_UPDATE
    e.Settings({{1, 1}});                                              // ENABLE_PUSH=1 from a server
    for (const ScriptWriter* x : {&a, &b, &c, &d, &e}) add({}, *x);
  }
  {
    ScriptWriter w;  // not SETTINGS first; then a PING flood while the client does not read
    w.Ping(0, 1);
    add({}, w);
    ScriptWriter f = start();
    f.ServerSend(0xff).Ping(0, 1).Repeat(1, 255).Repeat(1, 8).Deliver(0);
    Cfg c;
    c.b[2] = 0x08 | 0x80;
    add(c, f);
  }
  {
    ScriptWriter w = start();  // a response with END_STREAM whose content-length says 5
    w.Headers(kNew, http2::kFlagEndStream, kStandardResponse | 1, {kLen5}).Deliver(0);
    add({}, w);
  }
  {
    ScriptWriter w = start();  // pushes: reserved (remote) streams and their limits
    w.Headers(kNew, 0, kStandardResponse, {}, 0, 0, 0)
        .PushPromise(kCur, Sel(kEven, 0), kStandardRequest, {})
        .PushPromise(kCur, Sel(kEven, 1), kStandardRequest, {})
        .PushPromise(kCur, Sel(kEven, 2), kStandardRequest, {})
        .PushPromise(kCur, Sel(kEven, 3), kStandardRequest, {});
    ScriptWriter a = w, b = w, c = w;
    a.WindowUpdate(Sel(kEven, 0), 3);                                      // on reserved (remote)
    b.WindowUpdate(Sel(kEven, 0), 0);                                      // increment 0 there
    c.Headers(Sel(kEven, 0), 0, kStandardResponse, {}).Headers(Sel(kEven, 1), 0, kStandardResponse, {});
    Cfg push;
    push.b[0] = 0x01 | 0x80 | 0x20;  // push on, 2 reserved streams at most, MAX_CONCURRENT 0
    for (const ScriptWriter* x : {&a, &b, &c}) add(push, *x);
  }
  {
    ScriptWriter w = start();  // a push on a request the client reset
    w.Headers(kNew, 0, kStandardResponse, {}, 0, 0, 0x20)
        .PushPromise(kCur, Sel(kEven, 0), kStandardRequest, {})
        .Deliver(0);
    Cfg push;
    push.b[0] = 0x01;
    add(push, w);
  }
  {
    ScriptWriter w = start();  // a request larger than a frame (CONTINUATION)
    w.Headers(kNew, http2::kFlagEndStream, kStandardResponse, {}, 0, 0, 0x40).Deliver(0).ServerSend(0);
    add({}, w);
  }
  {
    ScriptWriter w = start();  // the application's calls
    w.Headers(kNew, 0, kStandardResponse, {}, 0, 0, 0x0d);
    for (uint8_t a = 0; a < 12; ++a) {
      if (a != 3) w.ServerAction(a | 0x10, kCur);
    }
    w.Deliver(0).ServerSend(0).Clock(4).ServerAction(3, kZ).ServerSend(0);
    add({}, w);
    Cfg c;
    c.b[0] = 0x02;  // no auto_consume
    c.b[4] = 0x80;  // validate submitted headers
    add(c, w);
  }
  return v;
}

// Scripts for the differential fuzzer that show one known difference each (see kDifferences
// there), so that every tolerance is exercised by the replay test.
std::vector<std::string> DifferentialScenarios() {
  std::vector<std::string> v;
  const uint8_t kNew = Sel(kNewStream), kCur = Sel(kCurrent);
  const uint8_t kGet = kStandardRequest;
  auto start = [] {
    ScriptWriter w;
    w.Preface().Settings({}).SettingsAck();
    return w;
  };
  {  // an unknown frame type above SETTINGS_MAX_FRAME_SIZE (both: FRAME_SIZE_ERROR)
    ScriptWriter w = start();
    w.RawFrame(20000, 0x21, 0, 1, "xyz");
    v.push_back(w.bytes());
  }
  {  // D23: INITIAL_WINDOW_SIZE takes an open stream's window past 2^31-1
    ScriptWriter w = start();
    w.Headers(kNew, 0, kGet, {}).WindowUpdate(kCur, 5).Settings({{3, 8}});
    v.push_back(w.bytes());
  }
  {  // D25: the client's ENABLE_CONNECT_PROTOCOL from 1 to 0
    ScriptWriter w = start();
    w.Settings({{6, 1}}).Settings({{6, 0}});
    v.push_back(w.bytes());
  }
  {  // D26: two host fields
    ScriptWriter w = start();
    w.Headers(kNew, http2::kFlagEndStream, kGet | 2,
              {ScriptWriter::Kind("host", "example.com"), ScriptWriter::Kind("host", "example.com")});
    v.push_back(w.bytes());
  }
  {  // D27: host differs from :authority
    ScriptWriter w = start();
    w.Headers(kNew, http2::kFlagEndStream, kGet | 1, {ScriptWriter::Kind("host", "other.example")});
    v.push_back(w.bytes());
  }
  {  // D28: a PADDED HEADERS too short for its Pad Length
    ScriptWriter w = start();
    w.RawFrame(0, 0x1, http2::kFlagPadded | http2::kFlagEndHeaders, 1, "");
    v.push_back(w.bytes());
  }
  {  // D29: PRIORITY on stream 0 after SETTINGS_NO_RFC7540_PRIORITIES=1
    ScriptWriter w;
    w.Preface().Settings({{7, 1}}).SettingsAck().RawFrame(5, 0x2, 0, 0, std::string(5, '\0'));
    v.push_back(w.bytes());
  }
  {  // D30: CONNECT whose :authority has no port
    ScriptWriter w = start();
    w.Headers(kNew, 0, 2, {ScriptWriter::Kind(":method", "CONNECT"),
                           ScriptWriter::Kind(":authority", "example.com")});
    v.push_back(w.bytes());
  }
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: http2_make_seeds CORPORA_DIR\n");
    return 2;
  }
  const fs::path dir = argv[1];
  for (const std::string& s : FrameSeeds()) Write(dir, "http2_frame_fuzzer", s);
  for (const Scenario& s : Scenarios()) {
    Write(dir, "http2_server_session_fuzzer", s.cfg.str() + s.script);
    Write(dir, "http2_differential_fuzzer", s.script);
  }
  for (const std::string& s : DifferentialScenarios()) Write(dir, "http2_differential_fuzzer", s);
  for (const Scenario& s : ClientScenarios()) {
    Write(dir, "http2_client_session_fuzzer", s.cfg.str() + s.script);
  }
  std::printf("%d new seed files under %s\n", written, dir.c_str());
  return 0;
}
