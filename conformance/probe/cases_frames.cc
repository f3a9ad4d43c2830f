// RFC 9113 §3 - §7: the connection preface, frames, streams, flow control, errors.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "conformance/probe/cases.h"
#include "conformance/probe/engine.h"
#include "hpack/integer.h"

namespace probe {
namespace {

using http2::ErrorCode;
using http2::FrameType;
using http2::kFlagAck;
using http2::kFlagEndHeaders;
using http2::kFlagEndStream;
using http2::kFlagPadded;
using http2::kFlagPriority;
using internal::Add;
using internal::LiteralField;
using internal::LiteralRequestBlock;

constexpr uint8_t kUnknownType = 0x20;

std::string U32(uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[i] = static_cast<char>(v >> (24 - 8 * i));
  return s;
}


// A field block of exactly `size` octets: a literal request padded with literal fields.
std::string BlockOfSize(const Exchange& ex, size_t size) {
  std::string block = LiteralRequestBlock(ex);
  for (int extra = 0; extra < 3 && block.size() < size; ++extra) {
    const size_t need = size - block.size();
    for (size_t n = need; n-- > 0;) {
      if (7 + hpack::EncodedIntegerLength(n, 7) + n == need) return block + LiteralField("x-pad", std::string(n, 'a'));
    }
    block += LiteralField("x-p", "y");  // 7 octets; try again
  }
  return block;
}

// Waits until `n` SETTINGS ACKs arrived.
bool WaitAcks(Exchange& ex, int n) {
  ex.Flush().IgnoreError();
  return ex.conn().WaitFor([&] { return ex.conn().obs().settings_acks >= n; }, ex.deadline());
}

}  // namespace

void AddFrameLayerCases(std::vector<Case>* v) {
  // --- §3.4 Connection preface ---
  Add(v, "9113/3.4/1", Level::kMust,
      "The server connection preface consists of a potentially empty SETTINGS frame (Section "
      "6.5) that MUST be the first frame the server sends in the HTTP/2 connection.",
      "client preface; read the server's first frame", Custom(), [](Exchange& ex) {
        // Handshake() already failed the case if the first frame was not SETTINGS.
        ex.Pass(absl::StrCat("first frame: ", http2::DescribeFrame(ex.conn().obs().frames.front())));
      });
  Add(v, "9113/3.4/2", Level::kMust,
      "The SETTINGS frames received from a peer as part of the connection preface MUST be "
      "acknowledged (see Section 6.5.3) after sending the connection preface.",
      "client preface with SETTINGS_ENABLE_PUSH=0; wait for SETTINGS ACK", Custom(), [](Exchange& ex) {
        if (WaitAcks(ex, 1)) {
          ex.Pass();
        } else {
          ex.Fail(absl::StrFormat("no SETTINGS ACK within %.0f ms",
                                  absl::ToDoubleMilliseconds(ex.conn().Elapsed())));
        }
      });
  {
    Expectation e;
    e.exact = {GoAway(ErrorCode::kProtocolError), Closed()};
    Add(v, "9113/3.4/3", Level::kMust,
        "Clients and servers MUST treat an invalid connection preface as a connection error "
        "(Section 5.4.1) of type PROTOCOL_ERROR. A GOAWAY frame (Section 6.8) MAY be omitted in "
        "this case",
        "\"PRI * HTTP/2.0\\r\\n\\r\\nXX\\r\\n\\r\\n\" then SETTINGS", e, [](Exchange& ex) {
          ex.conn().Write("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n", ex.deadline()).IgnoreError();
          ex.f().Settings({});
        })
        .handshake = false;
    Add(v, "9113/3.4/4", Level::kMust,
        "That is, the connection preface starts with the string \"PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n"
        "\\r\\n\". This sequence MUST be followed by a SETTINGS frame",
        "client preface magic, then PING instead of SETTINGS", e, [](Exchange& ex) {
          ex.f().Preface().Ping(1);
        })
        .handshake = false;
  }
  Add(v, "9113/3.4/5", Level::kMust,
      "This sequence MUST be followed by a SETTINGS frame (Section 6.5), which MAY be empty.",
      "client preface with an empty SETTINGS; GET", Accepted(), [](Exchange& ex) { ex.Get(); })
      .settings = {};
  Add(v, "9113/3.4/6", Level::kMay,
      "clients are permitted to send additional frames to the server immediately after sending "
      "the client connection preface, without waiting to receive the server connection preface",
      "client preface and GET in one write, before the server's SETTINGS", Accepted(),
      [](Exchange& ex) {
        ex.f().ClientPreface({{http2::kSettingsEnablePush, 0}});
        ex.Get();
      })
      .handshake = false;
  Add(v, "9113/3.4/7", Level::kMust,
      "The client sends the client connection preface as the first application data octets of a "
      "connection. (Octets may arrive in any number of TCP segments.)",
      "client preface, SETTINGS and GET written one octet at a time", Accepted(), [](Exchange& ex) {
        ex.f().ClientPreface({{http2::kSettingsEnablePush, 0}});
        ex.Get();
        const std::string all = ex.f().Take();
        for (char c : all) ex.conn().Write(std::string(1, c), ex.deadline()).IgnoreError();
      })
      .handshake = false;

  // --- §4.1 Frame format ---
  Add(v, "9113/4.1/1", Level::kMust,
      "Implementations MUST ignore and discard frames of unknown types.",
      "frame of unknown type 0x20 on stream 0 with 8 octets", NoError(),
      [](Exchange& ex) { ex.f().Raw(kUnknownType, 0, 0, "01234567"); });
  Add(v, "9113/4.1/2", Level::kMust,
      "Implementations MUST ignore and discard frames of unknown types. (The stream state rules "
      "only apply to frames defined in this document, §5.1.)",
      "frame of unknown type 0x20 on idle stream 1", NoError(),
      [](Exchange& ex) { ex.f().Raw(kUnknownType, 0, 1, "payload"); });
  Add(v, "9113/4.1/3", Level::kMust,
      "Implementations MUST ignore and discard frames of unknown types.",
      "frame of unknown type 0xff with every flag set and a 16384-octet payload", NoError(),
      [](Exchange& ex) { ex.f().Raw(0xff, 0xff, 0, std::string(16384, 'u')); });
  Add(v, "9113/4.1/4", Level::kMust,
      "Unused flags MUST be ignored on receipt and MUST be left unset (0x00) when sending.",
      "PING with every undefined flag set (0xfe)", Custom(), [](Exchange& ex) {
        ex.f().Ping(0x0102030405060708ull, 0xfe);
        ex.Flush().IgnoreError();
        if (ex.conn().WaitFor([&] { return ex.conn().PingAcked(0x0102030405060708ull); }, ex.deadline())) {
          ex.Pass();
        } else {
          ex.Fail("the PING with undefined flags was not acknowledged");
        }
      });
  Add(v, "9113/4.1/5", Level::kMust, "Unused flags MUST be ignored on receipt",
      "GET in HEADERS with undefined flags 0x02|0x10|0x40|0x80 set", Accepted(), [](Exchange& ex) {
        const uint32_t id = ex.NextStream();
        ex.f().HeadersFragment(id, ex.f().EncodeBlock(ex.Request()),
                               kFlagEndStream | kFlagEndHeaders | 0xd2);
        ex.Opened(id, true);
      });
  Add(v, "9113/4.1/6", Level::kMust, "Unused flags MUST be ignored on receipt",
      "POST; DATA \"probe\" with END_STREAM and undefined flags 0xf6", Accepted(), [](Exchange& ex) {
        const uint32_t id = ex.Post(5);
        ex.f().Data(id, "probe", kFlagEndStream | 0xf6);
      });
  Add(v, "9113/4.1/7", Level::kMust, "Unused flags MUST be ignored on receipt",
      "SETTINGS (not ACK) with undefined flags 0xfe", Custom(), [](Exchange& ex) {
        WaitAcks(ex, 1);
        ex.f().Settings({{http2::kSettingsMaxConcurrentStreams, 100}}, 0xfe);
        if (WaitAcks(ex, 2)) {
          ex.Pass();
        } else {
          ex.Fail("the SETTINGS frame with undefined flags was not acknowledged");
        }
      });
  Add(v, "9113/4.1/8", Level::kMust,
      "Reserved: A reserved 1-bit field. The semantics of this bit are undefined, and the bit MUST "
      "remain unset (0x00) when sending and MUST be ignored when receiving.",
      "GET in HEADERS whose stream identifier has the reserved bit set (0x80000001)", Accepted(),
      [](Exchange& ex) {
        const uint32_t id = ex.NextStream();
        ex.f().Raw(FrameType::kHeaders, kFlagEndStream | kFlagEndHeaders, 0x80000000u | id,
                   ex.f().EncodeBlock(ex.Request()));
        ex.Opened(id, true);
      });
  Add(v, "9113/4.1/9", Level::kMust,
      "the bit MUST remain unset (0x00) when sending and MUST be ignored when receiving (here the "
      "reserved bit before WINDOW_UPDATE's Window Size Increment, §6.9)",
      "WINDOW_UPDATE on stream 0 with payload 0x80000001 (increment 1, reserved bit set)",
      NoError(), [](Exchange& ex) { ex.f().Raw(FrameType::kWindowUpdate, 0, 0, U32(0x80000001u)); });
  Add(v, "9113/4.1/10", Level::kMust,
      "the bit MUST remain unset (0x00) when sending and MUST be ignored when receiving.",
      "PING with the reserved bit set in the stream identifier (0x80000000)", Custom(),
      [](Exchange& ex) {
        ex.f().Raw(FrameType::kPing, 0, 0x80000000u, U32(0x7072) + U32(0x6f626531));
        ex.Flush().IgnoreError();
        const uint64_t opaque = (uint64_t{0x7072} << 32) | 0x6f626531;
        if (ex.conn().WaitFor([&] { return ex.conn().PingAcked(opaque); }, ex.deadline())) {
          ex.Pass();
        } else {
          ex.Fail("the PING was not acknowledged");
        }
      });
  Add(v, "9113/4.1/11", Level::kMust,
      "Unused flags ... MUST be left unset (0x00) when sending. ... the bit MUST remain unset "
      "(0x00) when sending",
      "GET; every frame of the answer checked for undefined flags and the reserved bit", Custom(),
      [](Exchange& ex) {
        const uint32_t id = ex.Get();
        ex.WaitResponse(id);
        ex.Sync();
        for (const std::string& s : ex.conn().obs().violations) {
          if (s.find("§4.1") != std::string::npos) return ex.Fail(s);
        }
        ex.Pass();
      });

  // --- §4.2 Frame size ---
  Add(v, "9113/4.2/1", Level::kMust,
      "An endpoint MUST send an error code of FRAME_SIZE_ERROR if a frame exceeds the size "
      "defined in SETTINGS_MAX_FRAME_SIZE",
      "POST; DATA one octet longer than the server's SETTINGS_MAX_FRAME_SIZE",
      StreamOrConnectionError(ErrorCode::kFrameSizeError), [](Exchange& ex) {
        const uint32_t max = ex.conn().server_settings().max_frame_size;
        if (max >= http2::kMaxMaxFrameSize) return ex.Skip("the server accepts the largest frames");
        const uint32_t id = ex.Post(max + 1);
        ex.f().Data(id, std::string(max + 1, 'd'), kFlagEndStream);
      });
  Add(v, "9113/4.2/2", Level::kMust,
      "A frame size error in a frame that could alter the state of the entire connection MUST be "
      "treated as a connection error (Section 5.4.1); this includes any frame carrying a field "
      "block (Section 4.3) (that is, HEADERS, PUSH_PROMISE, and CONTINUATION)",
      "HEADERS one octet longer than SETTINGS_MAX_FRAME_SIZE",
      ConnectionError(ErrorCode::kFrameSizeError), [](Exchange& ex) {
        const uint32_t max = ex.conn().server_settings().max_frame_size;
        if (max >= http2::kMaxMaxFrameSize) return ex.Skip("the server accepts the largest frames");
        const uint32_t id = ex.NextStream();
        ex.f().Raw(FrameType::kHeaders, kFlagEndStream | kFlagEndHeaders, id, BlockOfSize(ex, max + 1));
      });
  Add(v, "9113/4.2/3", Level::kMust,
      "A frame size error in a frame that could alter the state of the entire connection MUST be "
      "treated as a connection error (Section 5.4.1); this includes any frame carrying a field "
      "block (Section 4.3) (that is, HEADERS, PUSH_PROMISE, and CONTINUATION)",
      "HEADERS without END_HEADERS, then CONTINUATION one octet longer than SETTINGS_MAX_FRAME_SIZE",
      ConnectionError(ErrorCode::kFrameSizeError), [](Exchange& ex) {
        const uint32_t max = ex.conn().server_settings().max_frame_size;
        if (max >= http2::kMaxMaxFrameSize) return ex.Skip("the server accepts the largest frames");
        const uint32_t id = ex.NextStream();
        const std::string block = BlockOfSize(ex, max + 11);
        ex.f().HeadersFragment(id, block.substr(0, 10), kFlagEndStream);
        ex.f().Continuation(id, block.substr(10), kFlagEndHeaders);
      });
  Add(v, "9113/4.2/4", Level::kMust,
      "A frame size error in a frame that could alter the state of the entire connection MUST be "
      "treated as a connection error (Section 5.4.1); this includes ... a SETTINGS frame, and any "
      "frame with a stream identifier of 0.",
      "SETTINGS longer than SETTINGS_MAX_FRAME_SIZE (a multiple of 6 octets)",
      ConnectionError(ErrorCode::kFrameSizeError), [](Exchange& ex) {
        const uint32_t max = ex.conn().server_settings().max_frame_size;
        if (max >= http2::kMaxMaxFrameSize - 6) return ex.Skip("the server accepts the largest frames");
        std::string payload;
        while (payload.size() <= max) payload += std::string("\x00\x03\x00\x00\x00\x64", 6);
        ex.f().Raw(FrameType::kSettings, 0, 0, payload);
      });
  Add(v, "9113/4.2/5", Level::kMust,
      "All implementations MUST be capable of receiving and minimally processing frames up to "
      "2^14 octets in length, plus the 9-octet frame header (Section 4.1).",
      "POST with content-length 16384; one DATA frame of 16384 octets", Accepted(), [](Exchange& ex) {
        const uint32_t id = ex.Post(16384);
        ex.f().Data(id, std::string(16384, 'd'), kFlagEndStream);
      });
  Add(v, "9113/4.2/6", Level::kMust,
      "All implementations MUST be capable of receiving and minimally processing frames up to "
      "2^14 octets in length (any response, 431 included, shows the field block was processed)",
      "GET in one HEADERS frame of exactly 16384 octets", AnyResponse(), [](Exchange& ex) {
        const uint32_t id = ex.NextStream();
        ex.f().Raw(FrameType::kHeaders, kFlagEndStream | kFlagEndHeaders, id, BlockOfSize(ex, 16384));
        ex.Opened(id, true);
      });
  Add(v, "9113/4.2/7", Level::kMust,
      "An endpoint MUST send an error code of FRAME_SIZE_ERROR if a frame ... is too small to "
      "contain mandatory frame data.",
      "POST; DATA with PADDED set and a 0-octet payload (no Pad Length)",
      StreamOrConnectionError(ErrorCode::kFrameSizeError), [](Exchange& ex) {
        const uint32_t id = ex.Post(-1);
        ex.f().Raw(FrameType::kData, kFlagPadded, id, "");
      });
  Add(v, "9113/4.2/8", Level::kMust,
      "An endpoint MUST send an error code of FRAME_SIZE_ERROR if a frame ... is too small to "
      "contain mandatory frame data. ... this includes any frame carrying a field block",
      "HEADERS with PADDED set and a 0-octet payload",
      ConnectionError(ErrorCode::kFrameSizeError), [](Exchange& ex) {
        ex.f().Raw(FrameType::kHeaders, kFlagPadded | kFlagEndHeaders | kFlagEndStream, ex.NextStream(), "");
      });
  Add(v, "9113/4.2/9", Level::kMust,
      "An endpoint MUST send an error code of FRAME_SIZE_ERROR if a frame ... is too small to "
      "contain mandatory frame data. ... this includes any frame carrying a field block",
      "HEADERS with PRIORITY set and a 4-octet payload",
      ConnectionError(ErrorCode::kFrameSizeError), [](Exchange& ex) {
        ex.f().Raw(FrameType::kHeaders, kFlagPriority | kFlagEndHeaders | kFlagEndStream, ex.NextStream(),
                   std::string("\x00\x00\x00\x00", 4));
      });
  Add(v, "9113/4.2/10", Level::kMust,
      "An endpoint MUST send an error code of FRAME_SIZE_ERROR if a frame ... is too small to "
      "contain mandatory frame data.",
      "GOAWAY with a 7-octet payload", ConnectionError(ErrorCode::kFrameSizeError),
      [](Exchange& ex) { ex.f().Raw(FrameType::kGoAway, 0, 0, std::string(7, '\0')); });

  // --- §4.3 Field blocks ---
  Add(v, "9113/4.3/1", Level::kMust,
      "A decoding error in a field block MUST be treated as a connection error (Section 5.4.1) "
      "of type COMPRESSION_ERROR.",
      "HEADERS whose block is an indexed field with index 0 (0x80)",
      ConnectionError(ErrorCode::kCompressionError), [](Exchange& ex) {
        ex.f().HeadersFragment(ex.NextStream(), "\x80", kFlagEndHeaders | kFlagEndStream);
      });
  Add(v, "9113/4.3/2", Level::kMust,
      "A decoding error in a field block MUST be treated as a connection error (Section 5.4.1) "
      "of type COMPRESSION_ERROR.",
      "HEADERS with an indexed field past the static and (empty) dynamic table (index 70)",
      ConnectionError(ErrorCode::kCompressionError), [](Exchange& ex) {
        ex.f().HeadersFragment(ex.NextStream(), "\x82\x86\xc6", kFlagEndHeaders | kFlagEndStream);
      });
  Add(v, "9113/4.3/3", Level::kMust,
      "A decoding error in a field block MUST be treated as a connection error (Section 5.4.1) "
      "of type COMPRESSION_ERROR.",
      "HEADERS whose block ends inside a literal (value length 10, 2 octets present)",
      ConnectionError(ErrorCode::kCompressionError), [](Exchange& ex) {
        ex.f().HeadersFragment(ex.NextStream(), std::string("\x82\x00\x01x\x0a\x61\x62", 7),
                               kFlagEndHeaders | kFlagEndStream);
      });
  struct Interleave {
    const char* id;
    const char* sends;
    std::function<void(Exchange&, uint32_t)> frame;
  };
  const Interleave interleaved[] = {
      {"9113/4.3/4", "HEADERS without END_HEADERS, PRIORITY on another stream, CONTINUATION",
       [](Exchange& ex, uint32_t id) { ex.f().Priority(id + 2, 0); }},
      {"9113/4.3/5", "HEADERS without END_HEADERS, PING, CONTINUATION",
       [](Exchange& ex, uint32_t) { ex.f().Ping(7); }},
      {"9113/4.3/6", "HEADERS without END_HEADERS, DATA on the same stream, CONTINUATION",
       [](Exchange& ex, uint32_t id) { ex.f().Data(id, "x"); }},
      {"9113/4.3/7", "HEADERS without END_HEADERS, SETTINGS, CONTINUATION",
       [](Exchange& ex, uint32_t) { ex.f().Settings({}); }},
      {"9113/4.3/8", "HEADERS without END_HEADERS, WINDOW_UPDATE on stream 0, CONTINUATION",
       [](Exchange& ex, uint32_t) { ex.f().WindowUpdate(0, 1); }},
      {"9113/4.3/9", "HEADERS without END_HEADERS, RST_STREAM on the same stream, CONTINUATION",
       [](Exchange& ex, uint32_t id) { ex.f().RstStream(id, ErrorCode::kCancel); }},
      {"9113/4.3/10", "HEADERS without END_HEADERS, HEADERS on another stream, CONTINUATION",
       [](Exchange& ex, uint32_t id) {
         ex.f().HeadersFragment(id + 2, LiteralRequestBlock(ex), kFlagEndHeaders | kFlagEndStream);
       }},
  };
  for (const Interleave& it : interleaved) {
    Add(v, it.id, Level::kMust,
        "Field blocks MUST be transmitted as a contiguous sequence of frames, with no interleaved "
        "frames of any other type or from any other stream. (§6.2: A receiver MUST treat the "
        "receipt of any other type of frame or a frame on a different stream as a connection "
        "error (Section 5.4.1) of type PROTOCOL_ERROR.)",
        it.sends, ConnectionError(ErrorCode::kProtocolError), [frame = it.frame](Exchange& ex) {
          const uint32_t id = ex.NextStream();
          const std::string block = LiteralRequestBlock(ex);
          ex.f().HeadersFragment(id, block.substr(0, 5), kFlagEndStream);
          frame(ex, id);
          ex.f().Continuation(id, block.substr(5), kFlagEndHeaders);
        });
  }
  Add(v, "9113/4.3/11", Level::kMust,
      "A receiving endpoint reassembles the field block by concatenating its fragments and then "
      "decompresses the block to reconstruct the field section.",
      "GET whose field block is split into one-octet HEADERS and CONTINUATION fragments",
      [] {
        Expectation e = Accepted();
        const char kCalm[] =
            "§10.5: \"An endpoint MAY treat activity that is suspicious as a connection error "
            "(Section 5.4.1) of type ENHANCE_YOUR_CALM\" (servers cap CONTINUATION frames since "
            "the 2024 CONTINUATION floods)";
        e.tolerated = {GoAway(ErrorCode::kEnhanceYourCalm, kCalm),
                       Closed(absl::StrCat(kCalm, "; §5.4.1: GOAWAY SHOULD be sent"))};
        return e;
      }(),
      [](Exchange& ex) {
        const uint32_t id = ex.NextStream();
        http2::HeadersOptions o;
        o.max_fragment = 1;
        ex.f().Headers(id, ex.Request(), kFlagEndStream, o);
        ex.Opened(id, true);
      });
  Add(v, "9113/4.3/12", Level::kMust,
      "An endpoint receiving HEADERS, PUSH_PROMISE, or CONTINUATION frames needs to reassemble "
      "field blocks and perform decompression even if the frames are to be discarded. A receiver "
      "MUST terminate the connection with a connection error (Section 5.4.1) of type "
      "COMPRESSION_ERROR if it does not decompress a field block.",
      "a malformed request (field \"X-Upper\") that adds :path and :authority to the dynamic "
      "table, then a GET that refers to those entries by index",
      [] {
        Expectation e = Accepted();
        e.tolerated = {GoAway(ErrorCode::kProtocolError,
                              "§5.4.1: \"an endpoint MAY choose to treat a stream error as a "
                              "connection error\" (the malformed request ended the connection, so "
                              "the decoder state could not be checked)")};
        return e;
      }(),
      [](Exchange& ex) {
        const uint32_t bad = ex.NextStream();
        const std::string scheme_index = ex.scheme() == "https" ? "\x87" : "\x86";
        std::string block = "\x82" + scheme_index;
        block += '\x44' + std::string(1, static_cast<char>(ex.path().size())) + ex.path();  // :path, indexed
        block += '\x41' + std::string(1, static_cast<char>(ex.authority().size())) + ex.authority();
        block += LiteralField("X-Upper", "1");
        ex.f().HeadersFragment(bad, block, kFlagEndHeaders | kFlagEndStream);
        ex.conn().NoteRequest(bad, true);
        const uint32_t good = ex.NextStream();
        // Dynamic table: 62 = :authority, 63 = :path.
        ex.f().HeadersFragment(good, "\x82" + scheme_index + "\xbf\xbe", kFlagEndHeaders | kFlagEndStream);
        ex.Opened(good, true);
        if (ex.path().size() > 126 || ex.authority().size() > 126) ex.Skip("path or authority too long for this case");
      });
  Add(v, "9113/4.3.1/1", Level::kMust,
      "When a connection is established, the dynamic table size for the HPACK decoder and encoder "
      "at both endpoints starts at 4,096 bytes ... An endpoint MUST treat a field block that "
      "follows an acknowledgment of the reduction to the maximum dynamic table size as a "
      "connection error (Section 5.4.1) of type COMPRESSION_ERROR if it does not start with a "
      "conformant Dynamic Table Size Update instruction.",
      "client preface with SETTINGS_HEADER_TABLE_SIZE=0; GET; the response block is decoded with "
      "a table limit of 0",
      Custom(), [](Exchange& ex) {
        const uint32_t id = ex.Get();
        ex.WaitResponse(id);
        for (const std::string& s : ex.conn().obs().violations) {
          if (s.find("does not decode") != std::string::npos) return ex.Fail(s);
        }
        const StreamObs* s = ex.conn().obs().stream(id);
        if (!s || s->status == 0) return ex.Fail("no response");
        ex.Pass();
      })
      .settings = {{http2::kSettingsEnablePush, 0}, {http2::kSettingsHeaderTableSize, 0}};
  Add(v, "9113/4.3.1/2", Level::kMust,
      "Any change to the maximum value set using SETTINGS_HEADER_TABLE_SIZE takes effect when the "
      "endpoint acknowledges settings (Section 6.5.3). ... its HPACK encoder MUST start the next "
      "field block with a Dynamic Table Size Update instruction",
      "GET; SETTINGS_HEADER_TABLE_SIZE=64 mid-connection; after its ACK another GET; both "
      "response blocks decoded with the limit in force",
      Custom(), [](Exchange& ex) {
        const uint32_t a = ex.Get();
        ex.WaitResponse(a);
        ex.f().Settings({{http2::kSettingsHeaderTableSize, 64}});
        WaitAcks(ex, 2);
        const uint32_t b = ex.Get();
        ex.WaitResponse(b);
        for (const std::string& s : ex.conn().obs().violations) {
          if (s.find("does not decode") != std::string::npos) return ex.Fail(s);
        }
        const StreamObs* s = ex.conn().obs().stream(b);
        if (!s || s->status == 0) return ex.Fail("no response to the second GET");
        ex.Pass();
      });

  // --- §5.1 Stream states ---
  const char kIdle[] =
      "Receiving any frame other than HEADERS or PRIORITY on a stream in this state MUST be "
      "treated as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.";
  Add(v, "9113/5.1/1", Level::kMust, kIdle, "DATA on idle stream 1",
      ConnectionError(ErrorCode::kProtocolError), [](Exchange& ex) { ex.f().Data(ex.NextStream(), "x"); });
  Add(v, "9113/5.1/2", Level::kMust, kIdle, "WINDOW_UPDATE on idle stream 1",
      ConnectionError(ErrorCode::kProtocolError),
      [](Exchange& ex) { ex.f().WindowUpdate(ex.NextStream(), 100); });
  Add(v, "9113/5.1/3", Level::kMust, kIdle, "CONTINUATION on idle stream 1",
      ConnectionError(ErrorCode::kProtocolError), [](Exchange& ex) {
        ex.f().Continuation(ex.NextStream(), LiteralRequestBlock(ex), kFlagEndHeaders);
      });
  Add(v, "9113/5.1/4", Level::kMust,
      "idle: ... The following transitions are valid from this state: ... (PRIORITY can be sent "
      "and received in any stream state.)",
      "PRIORITY on idle stream 3, then GET on stream 1", Accepted(), [](Exchange& ex) {
        ex.f().Priority(3, 0);
        ex.Get();
      });
  Add(v, "9113/5.1/5", Level::kMust,
      "If this stream is initiated by the server, as described in Section 5.1.1, then receiving a "
      "HEADERS frame MUST also be treated as a connection error (Section 5.4.1) of type "
      "PROTOCOL_ERROR.",
      "GET in HEADERS on even (server-initiated) stream 2", ConnectionError(ErrorCode::kProtocolError),
      [](Exchange& ex) {
        ex.f().HeadersFragment(2, LiteralRequestBlock(ex), kFlagEndHeaders | kFlagEndStream);
      });
  const char kHalfClosed[] =
      "If an endpoint receives additional frames, other than WINDOW_UPDATE, PRIORITY, or "
      "RST_STREAM, for a stream that is in this state, it MUST respond with a stream error "
      "(Section 5.4.2) of type STREAM_CLOSED.";
  Add(v, "9113/5.1/6", Level::kMust, kHalfClosed,
      "POST; DATA with END_STREAM; another DATA on the same stream (half-closed (remote))",
      StreamError(ErrorCode::kStreamClosed), [](Exchange& ex) {
        const uint32_t id = ex.Post(5);
        ex.f().Data(id, "probe", kFlagEndStream).Data(id, "more");
      });
  Add(v, "9113/5.1/7", Level::kMust, kHalfClosed,
      "GET with END_STREAM, then HEADERS again on the same stream", StreamError(ErrorCode::kStreamClosed),
      [](Exchange& ex) {
        const uint32_t id = ex.Get();
        ex.f().HeadersFragment(id, LiteralField("x-late", "1"), kFlagEndHeaders | kFlagEndStream);
      });
  Add(v, "9113/5.1/8", Level::kMust,
      "half-closed (remote): ... If an endpoint receives additional frames, other than "
      "WINDOW_UPDATE, PRIORITY, or RST_STREAM, for a stream that is in this state, it MUST respond "
      "with a stream error (WINDOW_UPDATE is allowed)",
      "GET with END_STREAM, then WINDOW_UPDATE on that stream", Accepted(), [](Exchange& ex) {
        const uint32_t id = ex.Get();
        ex.f().WindowUpdate(id, 1000);
      });
  Add(v, "9113/5.1/9", Level::kMust,
      "half-closed (remote): ... other than WINDOW_UPDATE, PRIORITY, or RST_STREAM (PRIORITY is "
      "allowed)",
      "GET with END_STREAM, then PRIORITY on that stream", Accepted(), [](Exchange& ex) {
        const uint32_t id = ex.Get();
        ex.f().Priority(id, 0, 200);
      });
  Add(v, "9113/5.1/10", Level::kMust,
      "To avoid looping, an endpoint MUST NOT send a RST_STREAM in response to a RST_STREAM frame.",
      "GET with END_STREAM, then RST_STREAM CANCEL on it (half-closed (remote))", Custom(),
      [](Exchange& ex) {
        const uint32_t id = ex.Get();
        ex.f().RstStream(id, ErrorCode::kCancel);
        ex.Sync();
        ex.Sync();
        const Observation& o = ex.conn().obs();
        if (o.goaway() || o.closed) return ex.Fail("connection error after RST_STREAM on a half-closed stream");
        const StreamObs* s = o.stream(id);
        if (s && s->rst) return ex.Fail(absl::StrCat("the server answered our RST_STREAM with RST_STREAM ",
                                                     http2::ErrorCodeToString(*s->rst)));
        ex.Pass();
      });
  Add(v, "9113/5.1/11", Level::kMust,
      "If a DATA frame is received whose stream is not in the \"open\" or \"half-closed (local)\" "
      "state, the recipient MUST respond with a stream error (Section 5.4.2) of type "
      "STREAM_CLOSED. (§6.1)",
      "POST without END_STREAM; RST_STREAM CANCEL; DATA on the reset (closed) stream",
      StreamError(ErrorCode::kStreamClosed), [](Exchange& ex) {
        const uint32_t id = ex.Post(-1);
        ex.f().RstStream(id, ErrorCode::kCancel);
        ex.f().Data(id, "late", kFlagEndStream);
      });
  {
    Expectation e;
    e.exact = {GoAway(ErrorCode::kStreamClosed), GoAway(ErrorCode::kProtocolError)};
    e.tolerated = {RstStream(ErrorCode::kStreamClosed,
                             "§5.1: \"implementations SHOULD treat the receipt of a frame that is "
                             "not expressly permitted ... as a connection error\" (a SHOULD)"),
                   Closed("§5.4.1: GOAWAY SHOULD be sent")};
    Add(v, "9113/5.1/12", Level::kMust,
        "closed: ... An endpoint MAY treat receipt of any other type of frame on a closed stream "
        "as a connection error (Section 5.4.1) of type STREAM_CLOSED ... The identifier of a newly "
        "established stream MUST be numerically greater than all streams that the initiating "
        "endpoint has opened (§5.1.1)",
        "GET on stream 1; after its response, HEADERS on stream 1 again", e, [](Exchange& ex) {
          const uint32_t id = ex.Get();
          ex.WaitResponse(id);
          ex.f().HeadersFragment(id, LiteralRequestBlock(ex), kFlagEndHeaders | kFlagEndStream);
        });
    Add(v, "9113/5.1.1/1", Level::kMust,
        "The identifier of a newly established stream MUST be numerically greater than all streams "
        "that the initiating endpoint has opened or reserved. ... An endpoint that receives an "
        "unexpected stream identifier MUST respond with a connection error (Section 5.4.1) of type "
        "PROTOCOL_ERROR.",
        "GET on stream 5, then GET on stream 3", e, [](Exchange& ex) {
          ex.f().HeadersFragment(5, LiteralRequestBlock(ex), kFlagEndHeaders | kFlagEndStream);
          ex.conn().NoteRequest(5, true);
          ex.f().HeadersFragment(3, LiteralRequestBlock(ex), kFlagEndHeaders | kFlagEndStream);
        });
    Add(v, "9113/5.1.1/2", Level::kMust,
        "When a stream transitions out of the \"idle\" state, all streams in the \"idle\" state that "
        "might have been opened by the peer with a lower-valued stream identifier immediately "
        "transition to \"closed\".",
        "GET on stream 5; after its response, GET on skipped stream 1", e, [](Exchange& ex) {
          ex.f().HeadersFragment(5, LiteralRequestBlock(ex), kFlagEndHeaders | kFlagEndStream);
          ex.conn().NoteRequest(5, true);
          ex.WaitResponse(5);
          ex.f().HeadersFragment(1, LiteralRequestBlock(ex), kFlagEndHeaders | kFlagEndStream);
        });
  }
  Add(v, "9113/5.1/13", Level::kMust,
      "If a DATA frame is received whose stream is not in the \"open\" or \"half-closed (local)\" "
      "state, the recipient MUST respond with a stream error (Section 5.4.2) of type "
      "STREAM_CLOSED. (§6.1; after a complete exchange the stream is closed)",
      "GET; after the whole response, DATA on that stream",
      [] {
        Expectation e = StreamError(ErrorCode::kStreamClosed);
        e.tolerated.push_back(GoAway(ErrorCode::kStreamClosed,
                                     "§5.1: \"An endpoint MAY treat receipt of any other type of "
                                     "frame on a closed stream as a connection error (Section "
                                     "5.4.1) of type STREAM_CLOSED\""));
        return e;
      }(),
      [](Exchange& ex) {
        const uint32_t id = ex.Get();
        ex.WaitResponse(id);
        ex.f().Data(id, "late", kFlagEndStream);
      });
  Add(v, "9113/5.1/14", Level::kMust,
      "WINDOW_UPDATE can be sent by a peer that has sent a frame with the END_STREAM flag set. "
      "This means that a receiver could receive a WINDOW_UPDATE frame on a stream in a "
      "\"half-closed (remote)\" or \"closed\" state. A receiver MUST NOT treat this as an error "
      "(§6.9)",
      "GET; after the whole response, WINDOW_UPDATE on that stream", NoError(), [](Exchange& ex) {
        const uint32_t id = ex.Get();
        ex.WaitResponse(id);
        ex.f().WindowUpdate(id, 1000);
        ex.focus = 0;
      });
  Add(v, "9113/5.1/15", Level::kMust,
      "The PRIORITY frame can be sent on a stream in any state, including \"idle\" or \"closed\". "
      "(§6.3)",
      "GET; after the whole response, PRIORITY on that stream", NoError(), [](Exchange& ex) {
        const uint32_t id = ex.Get();
        ex.WaitResponse(id);
        ex.f().Priority(id, 0, 100);
        ex.focus = 0;
      });
  {
    Expectation e = NoError();
    e.tolerated = {GoAway(ErrorCode::kStreamClosed,
                          "§5.1: \"An endpoint MAY treat receipt of any other type of frame on a "
                          "closed stream as a connection error (Section 5.4.1) of type "
                          "STREAM_CLOSED\"")};
    Add(v, "9113/5.1/16", Level::kMust,
        "An endpoint that sends a frame with the END_STREAM flag set or a RST_STREAM frame might "
        "receive a WINDOW_UPDATE or RST_STREAM frame from its peer in the time before the peer "
        "receives and processes the frame that closes the stream. (And MUST NOT answer it with "
        "RST_STREAM, §5.4.2.)",
        "GET; after the whole response, RST_STREAM CANCEL on that stream", e, [](Exchange& ex) {
          const uint32_t id = ex.Get();
          ex.WaitResponse(id);
          ex.f().RstStream(id, ErrorCode::kCancel);
          ex.focus = 0;
        });
  }
  Add(v, "9113/5.1.1/3", Level::kMust,
      "an endpoint may skip a stream identifier, with the effect being that the skipped stream is "
      "immediately closed.",
      "GET on stream 7 as the first request", Accepted(), [](Exchange& ex) {
        ex.f().Headers(7, ex.Request(), kFlagEndStream);
        ex.Opened(7, true);
      });
  Add(v, "9113/5.1.1/4", Level::kMust,
      "Streams are identified by an unsigned 31-bit integer. (The largest, 2^31-1, is a valid "
      "client stream.)",
      "GET on stream 2147483647", Accepted(), [](Exchange& ex) {
        ex.f().Headers(http2::kMaxStreamId, ex.Request(), kFlagEndStream);
        ex.Opened(http2::kMaxStreamId, true);
      });
  {
    Expectation e;
    e.exact = {RstStream(ErrorCode::kProtocolError), RstStream(ErrorCode::kRefusedStream)};
    e.tolerated = {GoAway(ErrorCode::kProtocolError, "§5.4.1: a stream error MAY be treated as a connection error"),
                   GoAway(ErrorCode::kRefusedStream, "§5.4.1: a stream error MAY be treated as a connection error")};
    e.generic_code_tolerated = false;
    Add(v, "9113/5.1.2/1", Level::kMust,
        "An endpoint that receives a HEADERS frame that causes its advertised concurrent stream "
        "limit to be exceeded MUST treat this as a stream error (Section 5.4.2) of type "
        "PROTOCOL_ERROR or REFUSED_STREAM.",
        "SETTINGS_MAX_CONCURRENT_STREAMS requests left open (HEADERS without END_STREAM), then one "
        "more",
        e, [](Exchange& ex) {
          const uint32_t max = ex.conn().server_settings().max_concurrent_streams;
          if (max > 1000) return ex.Skip(absl::StrCat("the server's SETTINGS_MAX_CONCURRENT_STREAMS is ",
                                                      max == http2::kUnlimited ? std::string("unlimited") : absl::StrCat(max),
                                                      "; the case opens at most 1000 streams"));
          for (uint32_t i = 0; i < max; ++i) ex.Post(-1);
          ex.Post(-1);
        });
  }

  // --- §5.4 Error handling ---
  Add(v, "9113/5.4.1/1", Level::kShould,
      "An endpoint that encounters a connection error SHOULD first send a GOAWAY frame (Section "
      "6.8) with the stream identifier of the last stream that it successfully received from its "
      "peer.",
      "GET on stream 1 (answered), then DATA on stream 0", Custom(), [](Exchange& ex) {
        const uint32_t id = ex.Get();
        ex.WaitResponse(id);
        ex.f().Data(0, "x");
        ex.Flush().IgnoreError();
        ex.conn().WaitFor([&] { return ex.conn().obs().goaway() != nullptr; }, ex.deadline());
        const GoAwayObs* g = ex.conn().obs().goaway();
        if (!g) {
          if (ex.conn().obs().closed) return ex.Tolerate("closed without GOAWAY (a SHOULD)");
          return ex.Fail("no GOAWAY and the connection stayed open");
        }
        if (g->last_stream_id != id) {
          return ex.Tolerate(absl::StrCat("GOAWAY last stream id ", g->last_stream_id, ", not ", id,
                                          " (a SHOULD)"));
        }
        ex.Pass();
      });
  Add(v, "9113/5.4.1/2", Level::kMust,
      "After sending the GOAWAY frame for an error condition, the endpoint MUST close the TCP "
      "connection.",
      "DATA on stream 0; wait for GOAWAY and the close", Custom(), [](Exchange& ex) {
        ex.f().Data(0, "x");
        ex.Flush().IgnoreError();
        ex.conn().WaitFor([&] { return ex.conn().obs().closed; }, ex.deadline());
        const Observation& o = ex.conn().obs();
        if (!o.goaway() && !o.closed) return ex.Fail("neither GOAWAY nor close");
        if (!o.closed) return ex.Fail("GOAWAY sent but the connection was not closed");
        ex.Pass(absl::StrFormat("closed %.1f ms after the bad frame", absl::ToDoubleMilliseconds(o.closed_at)));
      });
  Add(v, "9113/5.4.2/1", Level::kMust,
      "To avoid looping, an endpoint MUST NOT send a RST_STREAM in response to a RST_STREAM frame.",
      "POST without END_STREAM, then RST_STREAM CANCEL on it", Custom(), [](Exchange& ex) {
        const uint32_t id = ex.Post(-1);
        ex.f().RstStream(id, ErrorCode::kCancel);
        ex.Sync();
        ex.Sync();
        const StreamObs* s = ex.conn().obs().stream(id);
        if (ex.conn().obs().goaway() || ex.conn().obs().closed) return ex.Fail("connection error");
        if (s && s->rst) return ex.Fail(absl::StrCat("RST_STREAM ", http2::ErrorCodeToString(*s->rst), " in response"));
        ex.Pass();
      });

  // --- §5.5 Extending HTTP/2 ---
  Add(v, "9113/5.5/1", Level::kMust,
      "extension frames that appear in the middle of a field block (Section 4.3) are not "
      "permitted; these MUST be treated as a connection error (Section 5.4.1) of type "
      "PROTOCOL_ERROR.",
      "HEADERS without END_HEADERS, frame of unknown type 0x20, CONTINUATION",
      ConnectionError(ErrorCode::kProtocolError), [](Exchange& ex) {
        const uint32_t id = ex.NextStream();
        const std::string block = LiteralRequestBlock(ex);
        ex.f().HeadersFragment(id, block.substr(0, 5), kFlagEndStream);
        ex.f().Raw(kUnknownType, 0, id, "ext");
        ex.f().Continuation(id, block.substr(5), kFlagEndHeaders);
      });
  Add(v, "9113/5.5/2", Level::kMust,
      "Implementations MUST ignore unknown or unsupported values in all extensible protocol "
      "elements. Implementations MUST discard frames that have unknown or unsupported types.",
      "POST; unknown frame type 0x20 on the open stream between DATA frames", Accepted(),
      [](Exchange& ex) {
        const uint32_t id = ex.Post(5);
        ex.f().Data(id, "pr").Raw(kUnknownType, 0, id, "ext").Data(id, "obe", kFlagEndStream);
      });
  Add(v, "9113/5.5/3", Level::kMust,
      "Implementations MUST ignore unknown or unsupported values in all extensible protocol "
      "elements. (§7: Unknown or unsupported error codes MUST NOT trigger any special behavior.)",
      "POST without END_STREAM, then RST_STREAM with unknown error code 0xdeadbeef", NoError(),
      [](Exchange& ex) {
        const uint32_t id = ex.Post(-1);
        ex.f().RstStream(id, 0xdeadbeefu);
        ex.focus = 0;
      });

  // --- §6.1 DATA ---
  Add(v, "9113/6.1/1", Level::kMust,
      "If a DATA frame is received whose Stream Identifier field is 0x00, the recipient MUST "
      "respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
      "DATA on stream 0", ConnectionError(ErrorCode::kProtocolError),
      [](Exchange& ex) { ex.f().Data(0, "data"); });
  Add(v, "9113/6.1/2", Level::kMust,
      "If a DATA frame is received whose stream is not in the \"open\" or \"half-closed (local)\" "
      "state, the recipient MUST respond with a stream error (Section 5.4.2) of type "
      "STREAM_CLOSED.",
      "GET with END_STREAM, then DATA on that stream", StreamError(ErrorCode::kStreamClosed),
      [](Exchange& ex) { ex.f().Data(ex.Get(), "late"); });
  Add(v, "9113/6.1/3", Level::kMust,
      "If the length of the padding is the length of the frame payload or greater, the recipient "
      "MUST treat this as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
      "POST; DATA with a 5-octet payload whose Pad Length is 5",
      ConnectionError(ErrorCode::kProtocolError), [](Exchange& ex) {
        const uint32_t id = ex.Post(-1);
        ex.f().Raw(FrameType::kData, kFlagPadded | kFlagEndStream, id, std::string("\x05" "abcd", 5));
      });
  Add(v, "9113/6.1/4", Level::kMust,
      "Pad Length: An 8-bit field containing the length of the frame padding in units of octets. "
      "(The padding is not part of the content.)",
      "POST with content-length 5; DATA \"probe\" with 10 octets of padding", Accepted(),
      [](Exchange& ex) {
        const uint32_t id = ex.Post(5);
        ex.f().Data(id, "probe", kFlagEndStream, 10);
      });
  Add(v, "9113/6.1/5", Level::kMust,
      "Note: A frame can be increased in size by one octet by including a Pad Length field with a "
      "value of zero.",
      "POST with content-length 5; DATA \"probe\" with PADDED and Pad Length 0, then an empty "
      "padded DATA with END_STREAM (all padding)",
      Accepted(), [](Exchange& ex) {
        const uint32_t id = ex.Post(5);
        ex.f().Data(id, "probe", 0, 0).Data(id, "", kFlagEndStream, 20);
      });
  {
    Expectation e = Accepted();
    e.exact.push_back(GoAway(ErrorCode::kProtocolError));
    Add(v, "9113/6.1/6", Level::kMay,
        "Padding octets MUST be set to zero when sending. A receiver is not obligated to verify "
        "padding but MAY treat non-zero padding as a connection error (Section 5.4.1) of type "
        "PROTOCOL_ERROR.",
        "POST with content-length 5; DATA \"probe\" with 4 octets of non-zero padding", e,
        [](Exchange& ex) {
          const uint32_t id = ex.Post(5);
          ex.f().Raw(FrameType::kData, kFlagPadded | kFlagEndStream, id, std::string("\x04probe\x01\x02\x03\x04", 10));
        });
  }
  Add(v, "9113/6.1/7", Level::kMust,
      "END_STREAM (0x01): When set, the END_STREAM flag indicates that this frame is the last that "
      "the endpoint will send for the identified stream. (An empty DATA frame may carry it.)",
      "POST with content-length 5; DATA \"probe\"; empty DATA with END_STREAM", Accepted(),
      [](Exchange& ex) {
        const uint32_t id = ex.Post(5);
        ex.f().Data(id, "probe").Data(id, "", kFlagEndStream);
      });
  Add(v, "9113/6.1/8", Level::kMust,
      "One or more DATA frames are used, for instance, to carry HTTP request or response message "
      "contents.",
      "POST with content-length 5; five one-octet DATA frames", Accepted(), [](Exchange& ex) {
        const uint32_t id = ex.Post(5);
        for (char c : std::string("prob")) ex.f().Data(id, std::string(1, c));
        ex.f().Data(id, "e", kFlagEndStream);
      });

  // --- §6.2 HEADERS ---
  Add(v, "9113/6.2/1", Level::kMust,
      "If a HEADERS frame is received whose Stream Identifier field is 0x00, the recipient MUST "
      "respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
      "GET in HEADERS on stream 0", ConnectionError(ErrorCode::kProtocolError), [](Exchange& ex) {
        ex.f().HeadersFragment(0, LiteralRequestBlock(ex), kFlagEndHeaders | kFlagEndStream);
      });
  Add(v, "9113/6.2/2", Level::kMust,
      "If the length of the padding is the length of the frame payload or greater, the recipient "
      "MUST treat this as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
      "HEADERS with PADDED whose Pad Length equals the frame payload length",
      ConnectionError(ErrorCode::kProtocolError), [](Exchange& ex) {
        const std::string block = LiteralRequestBlock(ex);
        ex.f().Raw(FrameType::kHeaders, kFlagPadded | kFlagEndHeaders | kFlagEndStream, ex.NextStream(),
                   std::string(1, static_cast<char>(std::min<size_t>(block.size() + 1, 255))) + block.substr(0, 254));
      });
  Add(v, "9113/6.2/3", Level::kMust,
      "PADDED (0x08): When set, the PADDED flag indicates that the Pad Length field and any "
      "padding that it describes are present.",
      "GET in HEADERS with 16 octets of padding", Accepted(), [](Exchange& ex) {
        const uint32_t id = ex.NextStream();
        ex.f().HeadersFragment(id, ex.f().EncodeBlock(ex.Request()), kFlagEndHeaders | kFlagEndStream,
                               nullptr, 16);
        ex.Opened(id, true);
      });
  Add(v, "9113/6.2/4", Level::kMust,
      "PRIORITY (0x20): When set, the PRIORITY flag indicates that the Exclusive, Stream "
      "Dependency, and Weight fields are present.",
      "GET in HEADERS with PADDED and PRIORITY (dependency 0, weight 32)", Accepted(),
      [](Exchange& ex) {
        const uint32_t id = ex.NextStream();
        http2::PrioritySpec p;
        p.weight = 31;
        ex.f().HeadersFragment(id, ex.f().EncodeBlock(ex.Request()), kFlagEndHeaders | kFlagEndStream,
                               &p, 8);
        ex.Opened(id, true);
      });
  Add(v, "9113/6.2/5", Level::kMust,
      "A HEADERS frame without the END_HEADERS flag set MUST be followed by a CONTINUATION frame "
      "for the same stream. A receiver MUST treat the receipt of any other type of frame or a "
      "frame on a different stream as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
      "HEADERS without END_HEADERS, then HEADERS on the same stream",
      ConnectionError(ErrorCode::kProtocolError), [](Exchange& ex) {
        const uint32_t id = ex.NextStream();
        const std::string block = LiteralRequestBlock(ex);
        ex.f().HeadersFragment(id, block.substr(0, 5), kFlagEndStream);
        ex.f().HeadersFragment(id, block.substr(5), kFlagEndHeaders | kFlagEndStream);
      });
  Add(v, "9113/6.2/6", Level::kMust,
      "A receiver MUST treat the receipt of any other type of frame or a frame on a different "
      "stream as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
      "HEADERS without END_HEADERS on stream 1, then CONTINUATION on stream 3",
      ConnectionError(ErrorCode::kProtocolError), [](Exchange& ex) {
        const uint32_t id = ex.NextStream();
        const std::string block = LiteralRequestBlock(ex);
        ex.f().HeadersFragment(id, block.substr(0, 5), kFlagEndStream);
        ex.f().Continuation(id + 2, block.substr(5), kFlagEndHeaders);
      });
  Add(v, "9113/6.2/7", Level::kMust,
      "A HEADERS frame with the END_STREAM flag set signals the end of a stream. However, a HEADERS "
      "frame with the END_STREAM flag set can be followed by CONTINUATION frames on the same "
      "stream.",
      "GET: HEADERS with END_STREAM but not END_HEADERS, then CONTINUATION with END_HEADERS",
      Accepted(), [](Exchange& ex) {
        const uint32_t id = ex.NextStream();
        const std::string block = ex.f().EncodeBlock(ex.Request());
        ex.f().HeadersFragment(id, block.substr(0, 3), kFlagEndStream);
        ex.f().Continuation(id, block.substr(3), kFlagEndHeaders);
        ex.Opened(id, true);
      });
  {
    Expectation e = Accepted();
    e.exact.push_back(GoAway(ErrorCode::kProtocolError));
    Add(v, "9113/6.2/8", Level::kMay,
        "A receiver is not obligated to verify padding but MAY treat non-zero padding as a "
        "connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
        "GET in HEADERS with 3 octets of non-zero padding", e, [](Exchange& ex) {
          const uint32_t id = ex.NextStream();
          ex.f().Raw(FrameType::kHeaders, kFlagPadded | kFlagEndHeaders | kFlagEndStream, id,
                     "\x03" + ex.f().EncodeBlock(ex.Request()) + "xyz");
          ex.Opened(id, true);
        });
  }
  Add(v, "9113/6.2/9", Level::kMust,
      "Field Block Fragment: A field block fragment (Section 4.3). (An empty first fragment is "
      "valid; the block follows in CONTINUATION.)",
      "GET: HEADERS with an empty fragment, then the whole block in CONTINUATION", Accepted(),
      [](Exchange& ex) {
        const uint32_t id = ex.NextStream();
        ex.f().HeadersFragment(id, "", kFlagEndStream);
        ex.f().Continuation(id, ex.f().EncodeBlock(ex.Request()), kFlagEndHeaders);
        ex.Opened(id, true);
      });

  // --- §6.3 PRIORITY ---
  Add(v, "9113/6.3/1", Level::kMust,
      "If a PRIORITY frame is received with a stream identifier of 0x00, the recipient MUST "
      "respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
      "PRIORITY on stream 0", ConnectionError(ErrorCode::kProtocolError),
      [](Exchange& ex) { ex.f().Priority(0, 1); });
  for (const auto& [id, len] : {std::pair<const char*, int>{"9113/6.3/2", 4}, {"9113/6.3/3", 6}}) {
    Add(v, id, Level::kMust,
        "A PRIORITY frame with a length other than 5 octets MUST be treated as a stream error "
        "(Section 5.4.2) of type FRAME_SIZE_ERROR.",
        absl::StrCat("POST without END_STREAM; PRIORITY of ", len, " octets on that stream"),
        StreamError(ErrorCode::kFrameSizeError), [len = len](Exchange& ex) {
          const uint32_t s = ex.Post(-1);
          ex.f().Raw(FrameType::kPriority, 0, s, std::string(len, '\0'));
        });
  }
  Add(v, "9113/6.3/4", Level::kMust,
      "The PRIORITY frame can be sent on a stream in any state, including \"idle\" or \"closed\".",
      "POST; PRIORITY on the open stream; DATA with END_STREAM", Accepted(), [](Exchange& ex) {
        const uint32_t id = ex.Post(5);
        ex.f().Priority(id, 0, 255).Data(id, "probe", kFlagEndStream);
      });

  // --- §6.4 RST_STREAM ---
  Add(v, "9113/6.4/1", Level::kMust,
      "If a RST_STREAM frame is received with a stream identifier of 0x00, the recipient MUST "
      "treat this as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
      "RST_STREAM on stream 0", ConnectionError(ErrorCode::kProtocolError),
      [](Exchange& ex) { ex.f().RstStream(0, ErrorCode::kCancel); });
  Add(v, "9113/6.4/2", Level::kMust,
      "If a RST_STREAM frame identifying an idle stream is received, the recipient MUST treat "
      "this as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
      "RST_STREAM on idle stream 1", ConnectionError(ErrorCode::kProtocolError),
      [](Exchange& ex) { ex.f().RstStream(ex.NextStream(), ErrorCode::kCancel); });
  for (const auto& [id, len] : {std::pair<const char*, int>{"9113/6.4/3", 3}, {"9113/6.4/4", 5}}) {
    Add(v, id, Level::kMust,
        "A RST_STREAM frame with a length other than 4 octets MUST be treated as a connection "
        "error (Section 5.4.1) of type FRAME_SIZE_ERROR.",
        absl::StrCat("POST without END_STREAM; RST_STREAM of ", len, " octets on it"),
        ConnectionError(ErrorCode::kFrameSizeError), [len = len](Exchange& ex) {
          const uint32_t s = ex.Post(-1);
          ex.f().Raw(FrameType::kRstStream, 0, s, std::string(len, '\0'));
          ex.focus = 0;
        });
  }
  Add(v, "9113/6.4/5", Level::kMust,
      "After receiving a RST_STREAM on a stream, the receiver MUST NOT send additional frames for "
      "that stream, except for PRIORITY.",
      "GET with END_STREAM and RST_STREAM CANCEL on it in one write; frames on the stream after "
      "the server acknowledged a later PING",
      Custom(), [](Exchange& ex) {
        const uint32_t id = ex.Get();
        ex.f().RstStream(id, ErrorCode::kCancel);
        ex.Sync();
        ex.Sync();
        ex.Sync();
        for (const std::string& s : ex.conn().obs().violations) {
          if (s.find("§6.4") != std::string::npos) return ex.Fail(s);
        }
        ex.Pass();
      });

  // --- §6.5 SETTINGS ---
  Add(v, "9113/6.5/1", Level::kMust,
      "Receipt of a SETTINGS frame with the ACK flag set and a length field value other than 0 "
      "MUST be treated as a connection error (Section 5.4.1) of type FRAME_SIZE_ERROR.",
      "SETTINGS with ACK and a 6-octet payload", ConnectionError(ErrorCode::kFrameSizeError),
      [](Exchange& ex) {
        WaitAcks(ex, 1);
        ex.f().Raw(FrameType::kSettings, kFlagAck, 0, std::string("\x00\x03\x00\x00\x00\x64", 6));
      });
  Add(v, "9113/6.5/2", Level::kMust,
      "If an endpoint receives a SETTINGS frame whose Stream Identifier field is anything other "
      "than 0x00, the endpoint MUST respond with a connection error (Section 5.4.1) of type "
      "PROTOCOL_ERROR.",
      "SETTINGS on stream 1", ConnectionError(ErrorCode::kProtocolError),
      [](Exchange& ex) { ex.f().Raw(FrameType::kSettings, 0, 1, std::string("\x00\x03\x00\x00\x00\x64", 6)); });
  for (const auto& [id, len] : {std::pair<const char*, int>{"9113/6.5/3", 3}, {"9113/6.5/4", 8}}) {
    Add(v, id, Level::kMust,
        "A SETTINGS frame with a length other than a multiple of 6 octets MUST be treated as a "
        "connection error (Section 5.4.1) of type FRAME_SIZE_ERROR.",
        absl::StrCat("SETTINGS with a ", len, "-octet payload"),
        ConnectionError(ErrorCode::kFrameSizeError),
        [len = len](Exchange& ex) { ex.f().Raw(FrameType::kSettings, 0, 0, std::string(len, '\0')); });
  }
  Add(v, "9113/6.5/5", Level::kMust,
      "A SETTINGS frame MUST be sent by both endpoints at the start of a connection and MAY be "
      "sent at any other time by either endpoint over the lifetime of the connection.",
      "SETTINGS mid-connection; it is acknowledged and the connection stays usable", Custom(),
      [](Exchange& ex) {
        WaitAcks(ex, 1);
        ex.f().Settings({{http2::kSettingsMaxConcurrentStreams, 50}});
        if (!WaitAcks(ex, 2)) return ex.Fail("the second SETTINGS was not acknowledged");
        const uint32_t id = ex.Get();
        if (!ex.WaitResponse(id)) return ex.Fail("no response after the SETTINGS");
        ex.Pass();
      });
  Add(v, "9113/6.5/6", Level::kMust,
      "Each parameter in a SETTINGS frame replaces any existing value for that parameter. "
      "Settings are processed in the order in which they appear ... the value of a SETTINGS "
      "parameter is the last value that is seen by a receiver.",
      "SETTINGS with INITIAL_WINDOW_SIZE=1 then INITIAL_WINDOW_SIZE=65535 in one frame; GET; the "
      "whole body must come without WINDOW_UPDATE",
      Custom(), [](Exchange& ex) {
        if (ex.controls().get_body < 2) return ex.Skip("the GET response body is shorter than 2 octets");
        ex.f().Settings({{http2::kSettingsInitialWindowSize, 1}, {http2::kSettingsInitialWindowSize, 65535}});
        WaitAcks(ex, 2);
        const uint32_t id = ex.Get();
        if (ex.WaitResponse(id)) return ex.Pass();
        const StreamObs* s = ex.conn().obs().stream(id);
        ex.Fail(absl::StrCat("the response did not complete (", s ? s->data_bytes : 0,
                             " body octets): the first INITIAL_WINDOW_SIZE seems to have won"));
      })
      .auto_window_update = false;

  // --- §6.5.2 Defined settings ---
  const struct {
    const char* id;
    uint16_t setting;
    uint32_t value;
    ErrorCode code;
    const char* requirement;
  } bad_settings[] = {
      {"9113/6.5.2/1", http2::kSettingsEnablePush, 2, ErrorCode::kProtocolError,
       "Any value other than 0 or 1 MUST be treated as a connection error (Section 5.4.1) of type "
       "PROTOCOL_ERROR."},
      {"9113/6.5.2/2", http2::kSettingsEnablePush, 0xffffffffu, ErrorCode::kProtocolError,
       "Any value other than 0 or 1 MUST be treated as a connection error (Section 5.4.1) of type "
       "PROTOCOL_ERROR."},
      {"9113/6.5.2/3", http2::kSettingsInitialWindowSize, 0x80000000u, ErrorCode::kFlowControlError,
       "Values above the maximum flow-control window size of 2^31-1 MUST be treated as a "
       "connection error (Section 5.4.1) of type FLOW_CONTROL_ERROR."},
      {"9113/6.5.2/4", http2::kSettingsInitialWindowSize, 0xffffffffu, ErrorCode::kFlowControlError,
       "Values above the maximum flow-control window size of 2^31-1 MUST be treated as a "
       "connection error (Section 5.4.1) of type FLOW_CONTROL_ERROR."},
      {"9113/6.5.2/5", http2::kSettingsMaxFrameSize, 16383, ErrorCode::kProtocolError,
       "The value advertised by an endpoint MUST be between this initial value and the maximum "
       "allowed frame size (2^24-1 or 16,777,215 octets), inclusive. Values outside this range "
       "MUST be treated as a connection error (Section 5.4.1) of type PROTOCOL_ERROR."},
      {"9113/6.5.2/6", http2::kSettingsMaxFrameSize, 16777216, ErrorCode::kProtocolError,
       "Values outside this range MUST be treated as a connection error (Section 5.4.1) of type "
       "PROTOCOL_ERROR."},
      {"9113/6.5.2/7", http2::kSettingsMaxFrameSize, 0, ErrorCode::kProtocolError,
       "Values outside this range MUST be treated as a connection error (Section 5.4.1) of type "
       "PROTOCOL_ERROR."},
  };
  for (const auto& b : bad_settings) {
    Add(v, b.id, Level::kMust, b.requirement,
        absl::StrCat("SETTINGS with ", http2::SettingName(b.setting), "=", b.value),
        ConnectionError(b.code), [setting = b.setting, value = b.value](Exchange& ex) {
          ex.f().Raw(FrameType::kSettings, 0, 0,
                     std::string(1, static_cast<char>(setting >> 8)) +
                         std::string(1, static_cast<char>(setting & 0xff)) + U32(value));
        });
  }
  const struct {
    const char* id;
    uint16_t setting;
    uint32_t value;
    const char* requirement;
  } good_settings[] = {
      {"9113/6.5.2/8", http2::kSettingsInitialWindowSize, 0x7fffffff,
       "The legal range for the increment to the flow-control window is 1 to 2^31-1 ... Values "
       "above the maximum flow-control window size of 2^31-1 MUST be treated as a connection "
       "error (2^31-1 itself is valid)"},
      {"9113/6.5.2/9", http2::kSettingsMaxFrameSize, 16777215,
       "The value advertised by an endpoint MUST be between this initial value and the maximum "
       "allowed frame size (2^24-1 or 16,777,215 octets), inclusive."},
      {"9113/6.5.2/10", 0xff0a, 12345,
       "An endpoint that receives a SETTINGS frame with any unknown or unsupported identifier MUST "
       "ignore that setting."},
      {"9113/6.5.2/11", http2::kSettingsEnablePush, 1,
       "The initial value of SETTINGS_ENABLE_PUSH is 1. For a client, this value indicates that it "
       "is willing to receive PUSH_PROMISE frames."},
      {"9113/6.5.2/12", http2::kSettingsMaxConcurrentStreams, 0,
       "A value of 0 for SETTINGS_MAX_CONCURRENT_STREAMS SHOULD NOT be treated as special by "
       "endpoints. (It limits the server's pushes, not the client's requests.)"},
      {"9113/6.5.2/13", http2::kSettingsMaxHeaderListSize, 100000,
       "SETTINGS_MAX_HEADER_LIST_SIZE (0x06): This advisory setting informs a peer of the maximum "
       "field section size that the sender is prepared to accept"},
  };
  for (const auto& g : good_settings) {
    Add(v, g.id, Level::kMust, g.requirement,
        absl::StrCat("client preface with ", http2::SettingName(g.setting), "=", g.value, "; GET"),
        Accepted(), [](Exchange& ex) { ex.Get(); })
        .settings = {{http2::kSettingsEnablePush, 0}, {g.setting, g.value}};
  }
  Add(v, "9113/6.5.2/14", Level::kMust,
      "A server MUST NOT explicitly set this value to 1. ... Values above the maximum flow-control "
      "window size of 2^31-1 MUST be treated as a connection error ... The value advertised by an "
      "endpoint MUST be between this initial value and the maximum allowed frame size",
      "read the server's SETTINGS: ENABLE_PUSH absent or 0, INITIAL_WINDOW_SIZE <= 2^31-1, "
      "MAX_FRAME_SIZE in [2^14, 2^24-1]",
      Custom(), [](Exchange& ex) {
        // The frame parser rejects out-of-range values (the handshake then fails); ENABLE_PUSH=1
        // is a violation the connection records.
        for (const std::string& s : ex.conn().obs().violations) {
          if (s.find("ENABLE_PUSH") != std::string::npos) return ex.Fail(s);
        }
        std::string all;
        for (const http2::Setting& s : ex.conn().obs().server_settings) {
          absl::StrAppend(&all, all.empty() ? "" : " ", http2::SettingName(s.id), "=", s.value);
        }
        ex.Pass(all.empty() ? "empty SETTINGS" : all);
      });
  Add(v, "9113/6.5.2/15", Level::kShould,
      "It is recommended that this value be no smaller than 100, so as to not unnecessarily limit "
      "parallelism.",
      "read the server's SETTINGS_MAX_CONCURRENT_STREAMS", Custom(), [](Exchange& ex) {
        const uint32_t max = ex.conn().server_settings().max_concurrent_streams;
        if (max < 100) return ex.Tolerate(absl::StrCat("SETTINGS_MAX_CONCURRENT_STREAMS=", max, " (recommended: >= 100)"));
        ex.Pass(max == http2::kUnlimited ? "unlimited" : absl::StrCat(max));
      });

  // --- §6.5.3 Settings synchronization ---
  Add(v, "9113/6.5.3/1", Level::kMust,
      "SETTINGS frames are acknowledged in the order in which they are received. ... Once all "
      "values have been processed, the recipient MUST immediately emit a SETTINGS frame with the "
      "ACK flag set.",
      "three SETTINGS frames in one write; three ACKs before the ACK of a PING sent after them",
      Custom(), [](Exchange& ex) {
        WaitAcks(ex, 1);
        ex.f().Settings({{http2::kSettingsMaxConcurrentStreams, 10}})
            .Settings({{http2::kSettingsMaxConcurrentStreams, 20}})
            .Settings({});
        ex.Sync();
        const int acks = ex.conn().obs().settings_acks;
        if (acks >= 4) return ex.Pass();
        ex.Fail(absl::StrCat(acks - 1, " of 3 SETTINGS acknowledged by the time two PINGs sent after "
                             "them were"));
      });
  Add(v, "9113/6.5.3/2", Level::kMust,
      "the recipient of a SETTINGS frame in which the ACK flag is not set MUST apply the updated "
      "settings as soon as possible upon receipt. (§6.9.1: The sender MUST NOT send a "
      "flow-controlled frame with a length that exceeds the space available)",
      "SETTINGS_INITIAL_WINDOW_SIZE=1 and GET in one write; the body must come one octet at a "
      "time, as WINDOW_UPDATEs allow",
      Custom(), [](Exchange& ex) {
        if (ex.controls().get_body < 2) return ex.Skip("the GET response body is shorter than 2 octets");
        WaitAcks(ex, 1);
        ex.f().Settings({{http2::kSettingsInitialWindowSize, 1}});
        const uint32_t id = ex.Get();
        ex.Flush().IgnoreError();
        Conn& c = ex.conn();
        c.WaitFor([&] { const StreamObs* s = c.obs().stream(id); return s && (s->flow_bytes > 0 || s->decided()); }, ex.deadline());
        ex.Sync();
        const StreamObs* s = c.obs().stream(id);
        if (!s || s->status == 0) return ex.Fail("no response");
        if (s->flow_bytes > 1) return ex.Fail(absl::StrCat(s->flow_bytes, " octets of DATA against a window of 1"));
        ex.f().WindowUpdate(id, 1 << 20);
        if (!ex.WaitResponse(id)) return ex.Fail("the response did not complete after WINDOW_UPDATE");
        ex.Pass();
      })
      .auto_window_update = false;
  Add(v, "9113/6.9.1/1", Level::kMust,
      "The sender MUST NOT send a flow-controlled frame with a length that exceeds the space "
      "available in either of the flow-control windows advertised by the receiver. Frames with "
      "zero length with the END_STREAM flag set (that is, an empty DATA frame) MAY be sent if "
      "there is no available space",
      "client preface with SETTINGS_INITIAL_WINDOW_SIZE=0; GET; no DATA octets until WINDOW_UPDATE",
      Custom(), [](Exchange& ex) {
        if (ex.controls().get_body < 1) return ex.Skip("the GET response has no body");
        const uint32_t id = ex.Get();
        Conn& c = ex.conn();
        ex.Flush().IgnoreError();
        c.WaitFor([&] { const StreamObs* s = c.obs().stream(id); return s && (s->status > 0 || s->decided()); }, ex.deadline());
        ex.Sync();
        const StreamObs* s = c.obs().stream(id);
        if (!s || s->status == 0) return ex.Fail("no response HEADERS");
        if (s->flow_bytes > 0) return ex.Fail(absl::StrCat(s->flow_bytes, " octets of DATA with a stream window of 0"));
        ex.f().WindowUpdate(id, 1 << 20);
        if (!ex.WaitResponse(id)) return ex.Fail("the body did not come after WINDOW_UPDATE");
        ex.Pass();
      })
      .settings = {{http2::kSettingsEnablePush, 0}, {http2::kSettingsInitialWindowSize, 0}};
  Case& neg = Add(v, "9113/6.9.2/1", Level::kMust,
      "A change to SETTINGS_INITIAL_WINDOW_SIZE can cause the available space in a flow-control "
      "window to become negative. A sender MUST track the negative flow-control window and MUST "
      "NOT send new flow-controlled frames until it receives WINDOW_UPDATE frames that cause the "
      "flow-control window to become positive.",
      "client preface with INITIAL_WINDOW_SIZE=3; GET; after 3 octets, INITIAL_WINDOW_SIZE=1 "
      "(window -2); WINDOW_UPDATE 2 (window 0): no DATA; WINDOW_UPDATE 100: the rest",
      Custom(), [](Exchange& ex) {
        if (ex.controls().get_body < 5) return ex.Skip("the GET response body is shorter than 5 octets");
        const uint32_t id = ex.Get();
        Conn& c = ex.conn();
        ex.Flush().IgnoreError();
        c.WaitFor([&] { const StreamObs* s = c.obs().stream(id); return s && (s->flow_bytes >= 3 || s->decided()); }, ex.deadline());
        const StreamObs* s = c.obs().stream(id);
        if (!s || s->flow_bytes != 3) return ex.Fail(absl::StrCat("expected 3 octets of DATA first, got ", s ? s->flow_bytes : 0));
        ex.f().Settings({{http2::kSettingsInitialWindowSize, 1}});
        WaitAcks(ex, 2);
        ex.f().WindowUpdate(id, 2);
        ex.Sync();
        s = c.obs().stream(id);
        if (s->flow_bytes != 3) {
          return ex.Fail(absl::StrCat(s->flow_bytes - 3, " more octets of DATA while the window was 0 "
                                      "(3 sent, INITIAL_WINDOW_SIZE 3 -> 1, WINDOW_UPDATE 2)"));
        }
        ex.f().WindowUpdate(id, 1 << 20);
        if (!ex.WaitResponse(id)) return ex.Fail("the rest of the body did not come");
        ex.Pass();
      });
  neg.settings = {{http2::kSettingsEnablePush, 0}, {http2::kSettingsInitialWindowSize, 3}};
  neg.auto_window_update = false;

  // --- §6.6 PUSH_PROMISE, §8.4 ---
  Add(v, "9113/8.4/1", Level::kMust,
      "A client cannot push. Thus, servers MUST treat the receipt of a PUSH_PROMISE frame as a "
      "connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
      "POST without END_STREAM; PUSH_PROMISE on it promising stream 2",
      ConnectionError(ErrorCode::kProtocolError), [](Exchange& ex) {
        const uint32_t id = ex.Post(-1);
        ex.f().PushPromise(id, 2, ex.Request());
        ex.focus = 0;
      });
  Add(v, "9113/6.6/1", Level::kMust,
      "If the Stream Identifier field specifies the value 0x00, a recipient MUST respond with a "
      "connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
      "PUSH_PROMISE on stream 0", ConnectionError(ErrorCode::kProtocolError), [](Exchange& ex) {
        ex.f().Raw(FrameType::kPushPromise, kFlagEndHeaders, 0, U32(2) + LiteralRequestBlock(ex));
      });
  Add(v, "9113/6.6/2", Level::kMust,
      "PUSH_PROMISE MUST NOT be sent if the SETTINGS_ENABLE_PUSH setting of the peer endpoint is "
      "set to 0.",
      "client preface with SETTINGS_ENABLE_PUSH=0; GET; no PUSH_PROMISE in the answer", Custom(),
      [](Exchange& ex) {
        const uint32_t id = ex.Get();
        ex.WaitResponse(id);
        ex.Sync();
        for (const std::string& s : ex.conn().obs().violations) {
          if (s.find("PUSH_PROMISE") != std::string::npos) return ex.Fail(s);
        }
        ex.Pass();
      });

  // --- §6.7 PING ---
  Add(v, "9113/6.7/1", Level::kMust,
      "Receivers of a PING frame that does not include an ACK flag MUST send a PING frame with the "
      "ACK flag set in response, with an identical frame payload.",
      "PING with opaque data 0x0123456789abcdef", Custom(), [](Exchange& ex) {
        ex.f().Ping(0x0123456789abcdefull);
        ex.Flush().IgnoreError();
        Conn& c = ex.conn();
        c.WaitFor([&] { return c.PingAcked(0x0123456789abcdefull); }, ex.deadline());
        for (const std::string& s : c.obs().violations) {
          if (s.find("PING") != std::string::npos) return ex.Fail(s);
        }
        if (!c.PingAcked(0x0123456789abcdefull)) return ex.Fail("no PING ACK with the same payload");
        ex.Pass();
      });
  Add(v, "9113/6.7/2", Level::kMust,
      "ACK (0x01): ... An endpoint MUST NOT respond to PING frames containing this flag.",
      "PING with ACK (unsolicited), then two PING round trips", Custom(), [](Exchange& ex) {
        ex.f().PingAck(0x5a5a5a5a5a5a5a5aull);
        ex.Sync();
        if (ex.conn().PingAcked(0x5a5a5a5a5a5a5a5aull)) return ex.Fail("the server answered a PING ACK");
        ex.Pass();
      });
  Add(v, "9113/6.7/3", Level::kMust,
      "If a PING frame is received with a Stream Identifier field value other than 0x00, the "
      "recipient MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
      "PING on stream 1", ConnectionError(ErrorCode::kProtocolError),
      [](Exchange& ex) { ex.f().Raw(FrameType::kPing, 0, 1, std::string(8, '\0')); });
  for (const auto& [id, len, flags] : {std::tuple<const char*, int, uint8_t>{"9113/6.7/4", 7, 0},
                                        {"9113/6.7/5", 9, 0},
                                        {"9113/6.7/6", 0, kFlagAck}}) {
    Add(v, id, Level::kMust,
        "Receipt of a PING frame with a length field value other than 8 MUST be treated as a "
        "connection error (Section 5.4.1) of type FRAME_SIZE_ERROR.",
        absl::StrCat("PING", flags ? " with ACK" : "", " of ", len, " octets"),
        ConnectionError(ErrorCode::kFrameSizeError), [len = len, flags = flags](Exchange& ex) {
          ex.f().Raw(FrameType::kPing, flags, 0, std::string(len, '\0'));
        });
  }

  // --- §6.8 GOAWAY ---
  Add(v, "9113/6.8/1", Level::kMust,
      "An endpoint MUST treat a GOAWAY frame with a stream identifier other than 0x00 as a "
      "connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
      "GOAWAY on stream 1", ConnectionError(ErrorCode::kProtocolError),
      [](Exchange& ex) { ex.f().Raw(FrameType::kGoAway, 0, 1, U32(0) + U32(0)); });
  {
    Expectation e = Accepted();
    e.tolerated = {Closed("§5.4.1: \"An endpoint can end a connection at any time\"")};
    Add(v, "9113/6.8/2", Level::kMay,
        "Activity on streams numbered lower than or equal to the last stream identifier might "
        "still complete successfully. (A client's GOAWAY names server-initiated streams; its own "
        "requests may still be answered.)",
        "GET, then GOAWAY NO_ERROR with last stream 0, in one write", e, [](Exchange& ex) {
          ex.Get();
          ex.f().GoAway(0, ErrorCode::kNoError, "probe done");
        });
  }
  Add(v, "9113/8.7/1", Level::kMust,
      "If frames that are on a stream are passed to the application layer for any stream, then "
      "REFUSED_STREAM MUST NOT be used for that stream, and a GOAWAY frame MUST include a stream "
      "identifier that is greater than or equal to the given stream identifier.",
      "GET on stream 1 (answered), then PING on stream 1 (a connection error)", Custom(),
      [](Exchange& ex) {
        const uint32_t id = ex.Get();
        if (!ex.WaitResponse(id)) return ex.Fail("no response to the GET");
        ex.f().Raw(FrameType::kPing, 0, 1, std::string(8, '\0'));
        ex.Flush().IgnoreError();
        ex.conn().WaitFor([&] { return ex.conn().obs().goaway() != nullptr; }, ex.deadline());
        const GoAwayObs* g = ex.conn().obs().goaway();
        if (!g) return ex.Skip("no GOAWAY to check (the connection was closed without one)");
        if (g->last_stream_id < id) {
          return ex.Fail(absl::StrCat("GOAWAY last stream id ", g->last_stream_id, " < ", id,
                                      ", a stream the server answered"));
        }
        ex.Pass(absl::StrCat("last stream id ", g->last_stream_id));
      });

  // --- §6.9 WINDOW_UPDATE ---
  Add(v, "9113/6.9/1", Level::kMust,
      "A receiver MUST treat the receipt of a WINDOW_UPDATE frame with a flow-control window "
      "increment of 0 as a stream error (Section 5.4.2) of type PROTOCOL_ERROR; errors on the "
      "connection flow-control window MUST be treated as a connection error (Section 5.4.1).",
      "WINDOW_UPDATE on stream 0 with increment 0", ConnectionError(ErrorCode::kProtocolError),
      [](Exchange& ex) { ex.f().WindowUpdate(0, 0); });
  Add(v, "9113/6.9/2", Level::kMust,
      "A receiver MUST treat the receipt of a WINDOW_UPDATE frame with a flow-control window "
      "increment of 0 as a stream error (Section 5.4.2) of type PROTOCOL_ERROR",
      "POST without END_STREAM; WINDOW_UPDATE with increment 0 on it",
      StreamError(ErrorCode::kProtocolError), [](Exchange& ex) {
        const uint32_t id = ex.Post(-1);
        ex.f().WindowUpdate(id, 0);
      });
  for (const auto& [id, len] : {std::pair<const char*, int>{"9113/6.9/3", 3}, {"9113/6.9/4", 5}}) {
    Add(v, id, Level::kMust,
        "A WINDOW_UPDATE frame with a length other than 4 octets MUST be treated as a connection "
        "error (Section 5.4.1) of type FRAME_SIZE_ERROR.",
        absl::StrCat("WINDOW_UPDATE on stream 0 of ", len, " octets"),
        ConnectionError(ErrorCode::kFrameSizeError), [len = len](Exchange& ex) {
          ex.f().Raw(FrameType::kWindowUpdate, 0, 0, std::string(len - 1, '\0') + "\x01");
        });
  }
  Add(v, "9113/6.9.1/2", Level::kMust,
      "If a sender receives a WINDOW_UPDATE that causes a flow-control window to exceed this "
      "maximum, it MUST terminate either the stream or the connection, as appropriate. ... for the "
      "connection, a GOAWAY frame with an error code of FLOW_CONTROL_ERROR is sent.",
      "WINDOW_UPDATE on stream 0 with increment 2^31-1 (window 65535 + 2^31-1)",
      ConnectionError(ErrorCode::kFlowControlError),
      [](Exchange& ex) { ex.f().WindowUpdate(0, 0x7fffffff); });
  Add(v, "9113/6.9.1/3", Level::kMust,
      "A sender MUST NOT allow a flow-control window to exceed 2^31-1 octets. If a sender receives "
      "a WINDOW_UPDATE that causes a flow-control window to exceed this maximum, it MUST terminate "
      "either the stream or the connection",
      "WINDOW_UPDATE on stream 0 to exactly 2^31-1 (valid), then another of 1",
      ConnectionError(ErrorCode::kFlowControlError), [](Exchange& ex) {
        ex.f().WindowUpdate(0, 0x7fffffff - 65535).WindowUpdate(0, 1);
      });
  Add(v, "9113/6.9.1/4", Level::kMust,
      "If a sender receives a WINDOW_UPDATE that causes a flow-control window to exceed this "
      "maximum, it MUST terminate either the stream or the connection, as appropriate. For "
      "streams, the sender sends a RST_STREAM with an error code of FLOW_CONTROL_ERROR",
      "POST without END_STREAM; WINDOW_UPDATE with increment 2^31-1 on it",
      StreamError(ErrorCode::kFlowControlError), [](Exchange& ex) {
        const uint32_t id = ex.Post(-1);
        ex.f().WindowUpdate(id, 0x7fffffff);
      });
  Case& overflow = Add(v, "9113/6.9.2/2", Level::kMust,
      "An endpoint MUST treat a change to SETTINGS_INITIAL_WINDOW_SIZE that causes any flow-control "
      "window to exceed the maximum size as a connection error (Section 5.4.1) of type "
      "FLOW_CONTROL_ERROR.",
      "client preface with INITIAL_WINDOW_SIZE=0; GET (the response waits for window); "
      "WINDOW_UPDATE 2^31-1 on the stream and SETTINGS INITIAL_WINDOW_SIZE=1 in one write",
      ConnectionError(ErrorCode::kFlowControlError), [](Exchange& ex) {
        const uint32_t id = ex.Get();
        Conn& c = ex.conn();
        ex.Flush().IgnoreError();
        c.WaitFor([&] { const StreamObs* s = c.obs().stream(id); return s && (s->status > 0 || s->decided()); }, ex.deadline());
        ex.f().WindowUpdate(id, 0x7fffffff).Settings({{http2::kSettingsInitialWindowSize, 1}});
        ex.focus = 0;
      });
  overflow.settings = {{http2::kSettingsEnablePush, 0}, {http2::kSettingsInitialWindowSize, 0}};
  overflow.auto_window_update = false;

  // --- §6.10 CONTINUATION ---
  Add(v, "9113/6.10/1", Level::kMust,
      "If a CONTINUATION frame is received with a Stream Identifier field of 0x00, the recipient "
      "MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
      "HEADERS without END_HEADERS on stream 1, then CONTINUATION on stream 0",
      ConnectionError(ErrorCode::kProtocolError), [](Exchange& ex) {
        const std::string block = LiteralRequestBlock(ex);
        ex.f().HeadersFragment(ex.NextStream(), block.substr(0, 5), kFlagEndStream);
        ex.f().Continuation(0, block.substr(5), kFlagEndHeaders);
      });
  const char kContinuationOrder[] =
      "A CONTINUATION frame MUST be preceded by a HEADERS, PUSH_PROMISE or CONTINUATION frame "
      "without the END_HEADERS flag set. A recipient that observes violation of this rule MUST "
      "respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR.";
  Add(v, "9113/6.10/2", Level::kMust, kContinuationOrder,
      "POST: HEADERS with END_HEADERS, then CONTINUATION on the same stream",
      ConnectionError(ErrorCode::kProtocolError), [](Exchange& ex) {
        const uint32_t id = ex.Post(-1);
        ex.f().Continuation(id, LiteralField("x-more", "1"), kFlagEndHeaders);
        ex.focus = 0;
      });
  Add(v, "9113/6.10/3", Level::kMust, kContinuationOrder,
      "HEADERS without END_HEADERS, CONTINUATION with END_HEADERS, another CONTINUATION",
      ConnectionError(ErrorCode::kProtocolError), [](Exchange& ex) {
        const uint32_t id = ex.NextStream();
        const std::string block = LiteralRequestBlock(ex);
        ex.f().HeadersFragment(id, block.substr(0, 5), 0);
        ex.f().Continuation(id, block.substr(5), kFlagEndHeaders);
        ex.f().Continuation(id, LiteralField("x-more", "1"), kFlagEndHeaders);
        ex.conn().NoteRequest(id, false);
      });
  Add(v, "9113/6.10/4", Level::kMust, kContinuationOrder,
      "POST; DATA; CONTINUATION on the same stream", ConnectionError(ErrorCode::kProtocolError),
      [](Exchange& ex) {
        const uint32_t id = ex.Post(-1);
        ex.f().Data(id, "x").Continuation(id, LiteralField("x-more", "1"), kFlagEndHeaders);
        ex.focus = 0;
      });
  Add(v, "9113/6.10/5", Level::kMust,
      "If the END_HEADERS flag is not set, this frame MUST be followed by another CONTINUATION "
      "frame. A receiver MUST treat the receipt of any other type of frame or a frame on a "
      "different stream as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
      "HEADERS without END_HEADERS, CONTINUATION without END_HEADERS, then DATA",
      ConnectionError(ErrorCode::kProtocolError), [](Exchange& ex) {
        const uint32_t id = ex.NextStream();
        const std::string block = LiteralRequestBlock(ex);
        ex.f().HeadersFragment(id, block.substr(0, 5), 0);
        ex.f().Continuation(id, block.substr(5, 5), 0);
        ex.f().Data(id, "x");
      });
  Add(v, "9113/6.10/6", Level::kMust,
      "A receiver MUST treat the receipt of any other type of frame or a frame on a different "
      "stream as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
      "HEADERS without END_HEADERS on stream 1, CONTINUATION without END_HEADERS, CONTINUATION on "
      "stream 3",
      ConnectionError(ErrorCode::kProtocolError), [](Exchange& ex) {
        const uint32_t id = ex.NextStream();
        const std::string block = LiteralRequestBlock(ex);
        ex.f().HeadersFragment(id, block.substr(0, 5), kFlagEndStream);
        ex.f().Continuation(id, block.substr(5, 5), 0);
        ex.f().Continuation(id + 2, block.substr(10), kFlagEndHeaders);
      });
  Add(v, "9113/6.10/7", Level::kMust,
      "Any number of CONTINUATION frames can be sent, as long as the preceding frame is on the "
      "same stream and is a HEADERS, PUSH_PROMISE, or CONTINUATION frame without the END_HEADERS "
      "flag set.",
      "GET: HEADERS with the block, then three empty CONTINUATION frames, the last with "
      "END_HEADERS",
      Accepted(), [](Exchange& ex) {
        const uint32_t id = ex.NextStream();
        ex.f().HeadersFragment(id, ex.f().EncodeBlock(ex.Request()), kFlagEndStream);
        ex.f().Continuation(id, "", 0).Continuation(id, "", 0).Continuation(id, "", kFlagEndHeaders);
        ex.Opened(id, true);
      });
}

}  // namespace probe
