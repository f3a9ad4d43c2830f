// The probe engine against scripted in-memory servers: outcomes are classified from the
// frames, the exact outcome passes, tolerated ones pass only outside --strict, wrong codes
// and silence fail with what was expected and what came, and reports say so.
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "conformance/probe/cases.h"
#include "conformance/probe/engine.h"
#include "conformance/probe/fuzz.h"
#include "conformance/probe/report.h"
#include "conformance/probe/testing/fake_server.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace probe {
namespace {

using http2::ErrorCode;
using testing::FakeServer;

Target MemoryTarget(FakeServer* server) {
  Target t;
  t.display = "memory";
  t.authority = "example.test";
  t.connect = [server](absl::Time, const TlsOptions*, TlsInfo*) -> absl::StatusOr<std::unique_ptr<Transport>> {
    return MemoryTransport(server);
  };
  return t;
}

Controls GetControls() {
  Controls c;
  c.get_status = 200;
  c.post_status = 200;
  c.get_body = 6;
  return c;
}

RunOptions Options(bool strict = false) {
  RunOptions o;
  o.strict = strict;
  o.timeout = absl::Milliseconds(100);
  return o;
}

// A case that sends one frame of unknown type on stream 0 and expects `e`.
Case UnknownFrameCase(Expectation e) {
  Case c;
  c.id = "9113/0/1";
  c.requirement = "test";
  c.sends = "unknown frame";
  c.expect = std::move(e);
  c.run = [](Exchange& ex) { ex.f().Raw(0x20, 0, 0, "x"); };
  return c;
}

// Answers the unknown frame 0x20 with `bytes` (and closes when `close`).
FakeServer::Hook AnswerUnknown(std::function<void(http2::FrameSequence&)> answer, bool close) {
  return [=](const http2::Frame& f, http2::FrameSequence& out, ScriptedPeer::Reply* reply) {
    if (f.header.type != 0x20) return false;
    answer(out);
    reply->close = close;
    return true;
  };
}

TEST(ProbeEngineTest, IgnoredFramePassesOncePingsAreAcknowledged) {
  FakeServer server;
  const Case c = UnknownFrameCase(NoError());
  const CaseResult r = RunCase(c, MemoryTarget(&server), GetControls(), Options());
  EXPECT_EQ(r.result, Result::kPassed) << r.detail << "\n" << r.trace;
  EXPECT_FALSE(r.tolerated);
  // Two PINGs after the frame under test: the second proves the first batch was processed.
  int pings = 0;
  for (const http2::Frame& f : server.received()) pings += f.header.is(http2::FrameType::kPing);
  EXPECT_EQ(pings, 2);
}

TEST(ProbeEngineTest, ExactConnectionErrorPasses) {
  FakeServer server;
  server.set_hook(AnswerUnknown([](http2::FrameSequence& out) { out.GoAway(0, ErrorCode::kProtocolError); }, true));
  const CaseResult r = RunCase(UnknownFrameCase(ConnectionError(ErrorCode::kProtocolError)), MemoryTarget(&server),
                               GetControls(), Options());
  EXPECT_EQ(r.result, Result::kPassed) << r.detail;
  EXPECT_EQ(r.got, "GOAWAY PROTOCOL_ERROR (0x1) last_stream=0");
}

TEST(ProbeEngineTest, WrongErrorCodeFailsNamingBoth) {
  FakeServer server;
  server.set_hook(AnswerUnknown([](http2::FrameSequence& out) { out.GoAway(0, ErrorCode::kFlowControlError); }, true));
  const CaseResult r = RunCase(UnknownFrameCase(ConnectionError(ErrorCode::kFrameSizeError)), MemoryTarget(&server),
                               GetControls(), Options());
  EXPECT_EQ(r.result, Result::kFailed);
  EXPECT_NE(r.detail.find("expected GOAWAY FRAME_SIZE_ERROR"), std::string::npos) << r.detail;
  EXPECT_NE(r.detail.find("got GOAWAY FLOW_CONTROL_ERROR"), std::string::npos) << r.detail;
  EXPECT_NE(r.trace.find("<- GOAWAY"), std::string::npos) << r.trace;
}

TEST(ProbeEngineTest, GenericCodeIsToleratedButNotUnderStrict) {
  for (bool strict : {false, true}) {
    FakeServer server;
    server.set_hook(AnswerUnknown([](http2::FrameSequence& out) { out.GoAway(0, ErrorCode::kProtocolError); }, true));
    const CaseResult r = RunCase(UnknownFrameCase(ConnectionError(ErrorCode::kFrameSizeError)), MemoryTarget(&server),
                                 GetControls(), Options(strict));
    EXPECT_TRUE(r.tolerated);
    EXPECT_EQ(r.result, strict ? Result::kFailed : Result::kPassed) << r.detail;
    EXPECT_NE(r.detail.find("§5.4"), std::string::npos) << r.detail;
  }
}

TEST(ProbeEngineTest, CloseWithoutGoAwayIsTolerated) {
  FakeServer server;
  server.set_hook(AnswerUnknown([](http2::FrameSequence&) {}, true));
  const CaseResult r = RunCase(UnknownFrameCase(ConnectionError(ErrorCode::kProtocolError)), MemoryTarget(&server),
                               GetControls(), Options());
  EXPECT_EQ(r.result, Result::kPassed);
  EXPECT_TRUE(r.tolerated);
  EXPECT_NE(r.detail.find("SHOULD first send a GOAWAY"), std::string::npos) << r.detail;
}

TEST(ProbeEngineTest, GoAwayWithoutCloseFails) {
  FakeServer server;
  server.set_hook(AnswerUnknown([](http2::FrameSequence& out) { out.GoAway(0, ErrorCode::kProtocolError); }, false));
  const CaseResult r = RunCase(UnknownFrameCase(ConnectionError(ErrorCode::kProtocolError)), MemoryTarget(&server),
                               GetControls(), Options());
  EXPECT_EQ(r.result, Result::kFailed);
  EXPECT_NE(r.detail.find("MUST close the TCP connection"), std::string::npos) << r.detail;
}

TEST(ProbeEngineTest, SilenceFailsWithTheTimeWaited) {
  FakeServer server;
  server.set_hook([](const http2::Frame& f, http2::FrameSequence& out, ScriptedPeer::Reply*) {
    return f.header.is(http2::FrameType::kPing);  // never acknowledged
  });
  const absl::Time start = absl::Now();
  const CaseResult r = RunCase(UnknownFrameCase(NoError()), MemoryTarget(&server), GetControls(), Options());
  EXPECT_EQ(r.result, Result::kFailed);
  EXPECT_TRUE(r.no_answer);
  EXPECT_NE(r.got.find("no answer after"), std::string::npos) << r.got;
  EXPECT_NE(r.got.find("PING sent after the frames was not acknowledged"), std::string::npos) << r.got;
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(100));
}

Case MalformedGet() {
  Case c;
  c.id = "9113/8.2/99";
  c.requirement = "test";
  c.expect = Malformed();
  c.run = [](Exchange& ex) { ex.Get({{"X-Upper", "1"}}); };
  return c;
}

TEST(ProbeEngineTest, MalformedRequestOutcomes) {
  {  // RST_STREAM PROTOCOL_ERROR: exact.
    FakeServer server;
    server.set_hook([](const http2::Frame& f, http2::FrameSequence& out, ScriptedPeer::Reply*) {
      if (!f.header.is(http2::FrameType::kHeaders)) return false;
      out.RstStream(f.header.stream_id, ErrorCode::kProtocolError);
      return true;
    });
    const CaseResult r = RunCase(MalformedGet(), MemoryTarget(&server), GetControls(), Options());
    EXPECT_EQ(r.result, Result::kPassed) << r.detail;
    EXPECT_FALSE(r.tolerated);
  }
  {  // A 400 where the control GET gets 200: tolerated (§8.1.1).
    FakeServer server;
    server.status = 400;
    const CaseResult r = RunCase(MalformedGet(), MemoryTarget(&server), GetControls(), Options());
    EXPECT_EQ(r.result, Result::kPassed) << r.detail;
    EXPECT_TRUE(r.tolerated);
    EXPECT_NE(r.detail.find("§8.1.1"), std::string::npos);
  }
  {  // The same status as the control request: the flaw went unnoticed.
    FakeServer server;
    const CaseResult r = RunCase(MalformedGet(), MemoryTarget(&server), GetControls(), Options());
    EXPECT_EQ(r.result, Result::kFailed);
    EXPECT_NE(r.detail.find("got a 200 response"), std::string::npos) << r.detail;
  }
  {  // A 400 that is also what the control gets proves nothing.
    FakeServer server;
    server.status = 400;
    Controls c = GetControls();
    c.get_status = 400;
    const CaseResult r = RunCase(MalformedGet(), MemoryTarget(&server), c, Options());
    EXPECT_EQ(r.result, Result::kFailed) << r.detail;
  }
}

TEST(ProbeEngineTest, FirstFrameMustBeSettings) {
  FakeServer server;
  http2::FrameSequence s;
  s.Ping(1);
  server.set_preface_answer(s.Take());
  const CaseResult r = RunCase(UnknownFrameCase(NoError()), MemoryTarget(&server), GetControls(), Options());
  EXPECT_EQ(r.result, Result::kFailed);
  EXPECT_NE(r.detail.find("§3.4"), std::string::npos) << r.detail;
  EXPECT_NE(r.detail.find("first frame is PING"), std::string::npos) << r.detail;
}

TEST(ProbeEngineTest, ServerRuleBreachesAreRecorded) {
  FakeServer server;
  server.set_hook([](const http2::Frame& f, http2::FrameSequence& out, ScriptedPeer::Reply*) {
    if (!f.header.is(http2::FrameType::kHeaders)) return false;
    out.Headers(f.header.stream_id, {{":status", "200"}, {"Connection", "close"}}, http2::kFlagEndStream);
    return true;
  });
  Case c;
  c.id = "9113/0/2";
  c.expect = Accepted();
  c.run = [](Exchange& ex) { ex.Get(); };
  const CaseResult r = RunCase(c, MemoryTarget(&server), GetControls(), Options());
  EXPECT_EQ(r.result, Result::kPassed) << r.detail;
  ASSERT_FALSE(r.violations.empty());
  EXPECT_NE(r.violations[0].find("§8.2.1"), std::string::npos) << r.violations[0];
}

TEST(ProbeEngineTest, RealCasesAgainstTheFakeServer) {
  // A few table cases end to end over memory: the fake server is conforming for these.
  const std::vector<Case> all = AllCases("");
  absl::StatusOr<std::vector<const Case*>> cases =
      SelectCases(all, {"9113/4.1/1", "9113/6.7/1", "9113/6.7/2", "9113/3.4/2", "9113/6.5.3/1"}, {}, {});
  ASSERT_TRUE(cases.ok());
  for (const Case* c : *cases) {
    FakeServer server;  // one connection each
    const CaseResult r = RunCase(*c, MemoryTarget(&server), GetControls(), Options());
    EXPECT_EQ(r.result, Result::kPassed) << c->id << ": " << r.detail << "\n" << r.trace;
  }
}

TEST(ProbeEngineTest, JudgeListsExpectedAndTolerated) {
  Outcome got;
  got.kind = Outcome::kRstStream;
  got.code = static_cast<uint32_t>(ErrorCode::kCancel);
  const Judgement j = Judge(StreamError(ErrorCode::kStreamClosed), got, false, GetControls(), false);
  EXPECT_EQ(j.result, Result::kFailed);
  EXPECT_EQ(j.detail,
            "expected RST_STREAM STREAM_CLOSED (tolerated: GOAWAY STREAM_CLOSED or connection closed without "
            "GOAWAY); got RST_STREAM CANCEL");
}

TEST(ProbeCasesTest, TableIsWellFormed) {
  const std::vector<Case> all = AllCases("");
  EXPECT_GE(all.size(), 180u);
  std::set<std::string> ids;
  const std::regex id_re("^(9113|7540|7541|9218|8441)/[0-9]+(\\.[0-9]+)*/[0-9a-z_]+$");
  for (const Case& c : all) {
    EXPECT_TRUE(ids.insert(c.id).second) << "duplicate " << c.id;
    EXPECT_TRUE(std::regex_match(c.id, id_re)) << c.id;
    EXPECT_FALSE(c.requirement.empty()) << c.id;
    EXPECT_FALSE(c.sends.empty()) << c.id;
    EXPECT_TRUE(c.run) << c.id;
  }
}

TEST(ProbeCasesTest, SelectionBySectionAndErrors) {
  const std::vector<Case> all = AllCases("");
  auto ids = [](const std::vector<const Case*>& v) {
    std::set<std::string> s;
    for (const Case* c : v) s.insert(c->id);
    return s;
  };
  absl::StatusOr<std::vector<const Case*>> s = SelectCases(all, {"9113/6.5"}, {"9113/6.5.2"}, {});
  ASSERT_TRUE(s.ok());
  for (const std::string& id : ids(*s)) {
    EXPECT_TRUE(absl::StartsWith(id, "9113/6.5/") || absl::StartsWith(id, "9113/6.5.3/")) << id;
  }
  EXPECT_TRUE(ids(*s).count("9113/6.5/1"));
  EXPECT_FALSE(SelectCases(all, {"9113/99"}, {}, {}).ok());
  EXPECT_FALSE(SelectCases(all, {}, {"nothing"}, {}).ok());
  EXPECT_FALSE(MatchesPattern("9113/6.50/1", "9113/6.5"));
  // Profile cases run only when asked for.
  absl::StatusOr<std::vector<const Case*>> def = SelectCases(all, {}, {}, {});
  absl::StatusOr<std::vector<const Case*>> prio = SelectCases(all, {}, {}, {"rfc7540-priority"});
  EXPECT_FALSE(ids(*def).count("7540/5.3.1/1"));
  EXPECT_TRUE(ids(*prio).count("7540/5.3.1/1"));
}

TEST(ProbeReportTest, JsonJUnitTextAndBaseline) {
  const std::vector<Case> all = AllCases("");
  Report report;
  report.target = "memory";
  CaseResult pass, fail, known;
  pass.c = &all[0];
  pass.result = Result::kPassed;
  fail.c = &all[1];
  fail.result = Result::kFailed;
  fail.detail = "expected A; got B";
  known.c = &all[2];
  known.result = Result::kFailed;
  report.results = {pass, fail, known};
  ApplyBaseline({all[2].id, all[0].id}, &report);
  EXPECT_EQ(report.failed(), 1);
  EXPECT_EQ(report.known_failures(), 1);
  ASSERT_EQ(report.baseline_now_passing.size(), 1u);
  std::ostringstream text;
  PrintReport(report, false, text);
  EXPECT_NE(text.str().find("1 passed, 1 failed, 0 skipped"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("NOW PASSING (remove from the baseline): " + all[0].id), std::string::npos);
  const std::string dir = getenv("TEST_TMPDIR") ? getenv("TEST_TMPDIR") : "/tmp";
  ASSERT_TRUE(WriteJson(report, dir + "/r.json").ok());
  ASSERT_TRUE(WriteJUnit(report, dir + "/r.xml").ok());
  std::ifstream j(dir + "/r.json");
  const nlohmann::json parsed = nlohmann::json::parse(j);
  EXPECT_EQ(parsed["failed"], 1);
  EXPECT_EQ(parsed["cases"][1]["result"], "failed");
  std::ifstream x(dir + "/r.xml");
  const std::string xml((std::istreambuf_iterator<char>(x)), std::istreambuf_iterator<char>());
  EXPECT_NE(xml.find("<failure message=\"expected A; got B\""), std::string::npos) << xml;
}

}  // namespace
}  // namespace probe

namespace probe {
namespace {

std::vector<std::string> PrefaceAndGet() {
  http2::FrameSequence a, b;
  a.ClientPreface({{http2::kSettingsEnablePush, 0}});
  b.Headers(1, {{":method", "GET"}, {":scheme", "http"}, {":authority", "x"}, {":path", "/"}}, http2::kFlagEndStream);
  return {a.Take(), b.Take()};
}

TEST(ProbeFuzzTest, ExchangeClassifiesCrashHangViolationAndFine) {
  {  // A conforming answer: no finding.
    testing::FakeServer server;
    const FuzzOutcome o = Exchange1(MemoryTarget(&server), PrefaceAndGet(), absl::Milliseconds(100));
    EXPECT_EQ(o.kind, "") << o.detail;
    EXPECT_EQ(o.answer, "PING answered");
  }
  {  // Silence after the frames: a hang, with the time waited.
    testing::FakeServer server;
    server.set_hook([](const http2::Frame& f, http2::FrameSequence&, ScriptedPeer::Reply*) {
      return f.header.is(http2::FrameType::kPing);
    });
    const FuzzOutcome o = Exchange1(MemoryTarget(&server), PrefaceAndGet(), absl::Milliseconds(100));
    EXPECT_EQ(o.kind, "hang");
    EXPECT_NE(o.detail.find("within 100 ms"), std::string::npos) << o.detail;
  }
  {  // A response that breaks a rule: a violation.
    testing::FakeServer server;
    server.set_hook([](const http2::Frame& f, http2::FrameSequence& out, ScriptedPeer::Reply*) {
      if (!f.header.is(http2::FrameType::kHeaders)) return false;
      out.Headers(f.header.stream_id, {{"x-no-status", "1"}}, http2::kFlagEndStream);
      return true;
    });
    const FuzzOutcome o = Exchange1(MemoryTarget(&server), PrefaceAndGet(), absl::Milliseconds(100));
    EXPECT_EQ(o.kind, "violation");
    EXPECT_NE(o.detail.find(":status"), std::string::npos) << o.detail;
  }
  {  // No connection at all: a crash.
    Target dead;
    dead.display = "dead";
    dead.connect = [](absl::Time, const TlsOptions*, TlsInfo*) -> absl::StatusOr<std::unique_ptr<Transport>> {
      return absl::UnavailableError("connection refused");
    };
    const FuzzOutcome o = Exchange1(dead, PrefaceAndGet(), absl::Milliseconds(100));
    EXPECT_EQ(o.kind, "crash");
  }
  {  // A frame left open (length 100, 3 octets sent) is completed before the PING, so a
     // server waiting for its end is not taken for a hang.
    testing::FakeServer server;
    std::vector<std::string> writes = PrefaceAndGet();
    std::string open_frame;
    http2::AppendFrameHeader(&open_frame, 100, 0x20, 0, 0);
    writes.push_back(open_frame + "abc");
    const FuzzOutcome o = Exchange1(MemoryTarget(&server), writes, absl::Milliseconds(100));
    EXPECT_EQ(o.kind, "") << o.detail << "\n" << o.trace;
  }
}

// Found by --fuzz against the reference server: WINDOW_UPDATEs among the probe's own
// (mutated) writes widen the windows it gave, so DATA within them is no violation (§6.9.1).
TEST(ProbeFuzzTest, WindowUpdatesTheProbeWritesCountTowardTheWindow) {
  auto writes = [](bool update) {
    http2::FrameSequence a, b;
    a.ClientPreface({{http2::kSettingsEnablePush, 0}, {http2::kSettingsInitialWindowSize, 2}});
    b.Headers(1, {{":method", "GET"}, {":scheme", "http"}, {":authority", "x"}, {":path", "/"}},
              http2::kFlagEndStream);
    if (update) b.WindowUpdate(1, 4);  // 2 + 4: the fake server's 6-octet body fits
    return std::vector<std::string>{a.Take(), b.Take()};
  };
  {
    testing::FakeServer server;
    const FuzzOutcome o = Exchange1(MemoryTarget(&server), writes(true), absl::Milliseconds(100));
    EXPECT_EQ(o.kind, "") << o.detail << "\n" << o.trace;
  }
  {  // Without the update the body overruns the window of 2: still a violation.
    testing::FakeServer server;
    const FuzzOutcome o = Exchange1(MemoryTarget(&server), writes(false), absl::Milliseconds(100));
    EXPECT_EQ(o.kind, "violation");
    EXPECT_NE(o.detail.find("exceeds the flow-control window"), std::string::npos) << o.detail;
  }
}

TEST(ProbeFuzzTest, TraceFilesRoundTrip) {
  Trace t;
  t.kind = "hang";
  t.detail = "no PING answer";
  t.seed = 7;
  t.iteration = 42;
  t.writes = {std::string("\x00\x01\xff", 3), "PRI"};
  absl::StatusOr<Trace> back = TraceFromJson(TraceToJson(t));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->kind, "hang");
  EXPECT_EQ(back->seed, 7u);
  EXPECT_EQ(back->iteration, 42u);
  EXPECT_EQ(back->writes, t.writes);
  EXPECT_FALSE(TraceFromJson("{\"writes\": [\"0g\"]}").ok());
  EXPECT_FALSE(TraceFromJson("[]").ok());
}

}  // namespace
}  // namespace probe
