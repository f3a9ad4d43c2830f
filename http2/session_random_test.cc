// Randomized robustness of a server session (deterministic seeds): sequences of frames that
// are mostly well-formed, with wrong types, flags, lengths, stream ids and values mixed in,
// cut at random points. Whatever comes in, the session must not crash (run it under
// --config=asan), everything it sends must parse as valid frames, and what it holds must
// stay within its limits. The libFuzzer targets explore the same space without the seeds.
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "http2/frame_builder.h"
#include "http2/frame_parser.h"
#include "http2/session.h"
#include "http2/testing.h"

namespace http2 {
namespace {

class RandomClient {
 public:
  explicit RandomClient(uint32_t seed) : rng_(seed) {}

  uint32_t Pick(uint32_t n) { return static_cast<uint32_t>(rng_() % n); }
  bool Chance(uint32_t percent) { return Pick(100) < percent; }

  uint32_t StreamId() {
    switch (Pick(6)) {
      case 0:
        return 0;
      case 1:
        return next_ += 2;  // a new stream
      case 2:
        return 2 * Pick(4);  // even: server streams
      default:
        return next_ > 1 ? 1 + 2 * Pick((next_ + 1) / 2) : 1;  // an existing one
    }
  }

  std::string Bytes(size_t max) {
    std::string s(Pick(static_cast<uint32_t>(max) + 1), '\0');
    for (char& c : s) c = static_cast<char>(rng_());
    return s;
  }

  void AddFrame(FrameSequence& seq) {
    const uint32_t id = StreamId();
    switch (Pick(14)) {
      case 0:
      case 1:
      case 2: {
        FieldList fields = {{":method", Chance(80) ? "GET" : "POST"},
                            {":scheme", "https"},
                            {":authority", "example.org"},
                            {":path", Chance(90) ? "/" : "bad path"}};
        HeadersOptions o;
        if (Chance(20)) o.max_fragment = 1 + Pick(10);
        if (Chance(10)) o.pad_length = static_cast<uint8_t>(Pick(20));
        if (Chance(10)) o.end_headers = false;
        seq.Headers(id, fields, Chance(50) ? kFlagEndStream : 0, o);
        break;
      }
      case 3:
        seq.Headers(id, {{"x-trailer", "1"}}, kFlagEndStream);
        break;
      case 4:
      case 5:
        seq.Data(id, Bytes(300), Chance(30) ? kFlagEndStream : 0,
                 Chance(10) ? std::optional<uint8_t>(Pick(40)) : std::nullopt);
        break;
      case 6:
        seq.WindowUpdate(id, Chance(10) ? 0 : Pick(100000));
        break;
      case 7:
        seq.RstStream(id, Pick(15));
        break;
      case 8:
        seq.Settings({{static_cast<uint16_t>(1 + Pick(9)), Pick(70000)}},
                     Chance(10) ? kFlagAck : 0);
        break;
      case 9:
        seq.Ping(rng_(), Chance(20) ? kFlagAck : 0);
        break;
      case 10:
        seq.Priority(id, Pick(10), static_cast<uint8_t>(Pick(256)), Chance(50));
        break;
      case 11:
        seq.Continuation(id, Bytes(10), Chance(50) ? kFlagEndHeaders : 0);
        break;
      case 12:
        seq.Raw(static_cast<uint8_t>(Pick(20)), static_cast<uint8_t>(rng_()), id, Bytes(30));
        break;
      case 13:
        if (Chance(30)) {
          seq.GoAway(Pick(10), static_cast<ErrorCode>(Pick(14)), "x");
        } else {
          seq.PriorityUpdate(id, "u=1");
        }
        break;
    }
  }

 private:
  std::mt19937 rng_;
  uint32_t next_ = 1;
};

TEST(SessionRandomTest, ServerSurvivesAndAnswersWithValidFrames) {
  for (uint32_t seed = 0; seed < 500; ++seed) {
    SCOPED_TRACE(seed);
    RandomClient rc(seed);
    FakeClock clock;
    RecordingVisitor visitor;
    SessionOptions o;
    o.clock = &clock;
    Session server(Perspective::kServer, &visitor, o);
    StringSource body(std::string(5000, 'b'));
    std::vector<std::unique_ptr<StringSource>> bodies;
    visitor.on_headers = [&](const ReceivedHeaders& h) {
      if (h.kind != HeadersKind::kRequest) return;
      bodies.push_back(std::make_unique<StringSource>(std::string(rc.Pick(40000), 'b')));
      const Header resp[] = {{":status", "200"}};
      (void)server.SubmitResponse(h.stream_id, resp, bodies.back().get());
    };
    FrameSequence seq;
    seq.Preface().Settings({});
    const int frames = 1 + rc.Pick(60);
    for (int i = 0; i < frames; ++i) rc.AddFrame(seq);
    const std::string wire = seq.Take();

    FrameCollector out_frames;
    FrameParserOptions po;
    po.max_frame_size = kMaxMaxFrameSize;
    FrameParser out_parser(&out_frames, po);
    size_t at = 0;
    for (int guard = 0; guard < 10000 && at < wire.size(); ++guard) {
      const size_t piece = 1 + rc.Pick(200);
      at += server.Receive(absl::string_view(wire).substr(at, piece));
      std::string out;
      server.Send(&out, 1 + rc.Pick(100000));
      out_parser.Parse(out);
      if (rc.Chance(10)) {
        clock.Advance(absl::Seconds(rc.Pick(40)));
        server.OnTimer();
      }
      const SessionStats st = server.stats();
      ASSERT_LE(st.remembered_streams, o.max_closed_streams + o.max_concurrent_streams + 1);
      ASSERT_LE(st.field_block_bytes, o.max_header_list_size);
    }
    std::string out;
    server.Send(&out);
    out_parser.Parse(out);
    EXPECT_TRUE(out_frames.errors.empty()) << out_frames.errors[0].message;
  }
}

TEST(SessionRandomTest, ClientSurvivesAndAnswersWithValidFrames) {
  for (uint32_t seed = 0; seed < 500; ++seed) {
    SCOPED_TRACE(seed);
    RandomClient rc(seed);  // here it plays a (misbehaving) server
    FakeClock clock;
    RecordingVisitor visitor;
    SessionOptions o;
    o.clock = &clock;
    o.enable_push = rc.Chance(50);
    Session client(Perspective::kClient, &visitor, o);
    std::vector<std::unique_ptr<StringSource>> bodies;
    const Header req[] = {
        {":method", "POST"}, {":scheme", "https"}, {":authority", "a"}, {":path", "/"}};
    for (int i = 0; i < 5; ++i) {
      bodies.push_back(std::make_unique<StringSource>(std::string(rc.Pick(100000), 'c')));
      (void)client.SubmitRequest(req, rc.Chance(50) ? bodies.back().get() : nullptr);
    }
    FrameSequence seq;
    seq.Settings({});
    const int frames = 1 + rc.Pick(60);
    for (int i = 0; i < frames; ++i) {
      if (rc.Chance(15)) {
        seq.PushPromise(1 + 2 * rc.Pick(5), 2 * (1 + rc.Pick(6)),
                        {{":method", rc.Chance(80) ? "GET" : "POST"},
                         {":scheme", "https"},
                         {":authority", "a"},
                         {":path", "/p"}});
      } else if (rc.Chance(25)) {
        seq.Headers(1 + 2 * rc.Pick(5), {{":status", rc.Chance(80) ? "200" : "100"}},
                    rc.Chance(50) ? kFlagEndStream : 0);
      } else {
        rc.AddFrame(seq);
      }
    }
    const std::string wire = seq.Take();
    FrameCollector out_frames;
    FrameParserOptions po;
    po.max_frame_size = kMaxMaxFrameSize;
    FrameParser out_parser(&out_frames, po);
    bool preface_skipped = false;
    std::string pending;
    size_t at = 0;
    for (int guard = 0; guard < 10000 && at < wire.size(); ++guard) {
      at += client.Receive(absl::string_view(wire).substr(at, 1 + rc.Pick(200)));
      std::string out;
      client.Send(&out, 1 + rc.Pick(100000));
      if (!preface_skipped) {
        pending += out;
        if (pending.size() < kClientPreface.size()) continue;
        ASSERT_EQ(pending.substr(0, 24), kClientPreface);
        out = pending.substr(24);
        preface_skipped = true;
      }
      out_parser.Parse(out);
      if (rc.Chance(10)) {
        clock.Advance(absl::Seconds(rc.Pick(40)));
        client.OnTimer();
      }
      ASSERT_LE(client.stats().field_block_bytes, o.max_header_list_size);
    }
    EXPECT_TRUE(out_frames.errors.empty()) << out_frames.errors[0].message;
  }
}

}  // namespace
}  // namespace http2
