// Priority: what RFC 9113 keeps of RFC 7540's scheme (§5.3.2: the frame fields and their
// mandatory handling), RFC 9218's PRIORITY_UPDATE, and the RFC 7540 §5.3 priority-tree
// profile ("rfc7540-priority", off by default: RFC 9113 deprecates that scheme).
#include <string>

#include "absl/strings/str_cat.h"
#include "conformance/probe/cases.h"
#include "conformance/probe/engine.h"

namespace probe {
namespace {

using http2::ErrorCode;
using http2::kFlagEndHeaders;
using http2::kFlagEndStream;
using internal::Add;

std::function<void(Exchange&)> GetWithPriority(uint32_t dependency_offset, bool self, uint8_t weight,
                                               bool exclusive) {
  return [=](Exchange& ex) {
    const uint32_t id = ex.NextStream();
    http2::HeadersOptions o;
    http2::PrioritySpec p;
    p.stream_dependency = self ? id : dependency_offset;
    p.weight = weight;
    p.exclusive = exclusive;
    o.priority = p;
    ex.f().Headers(id, ex.Request(), kFlagEndStream, o);
    ex.Opened(id, true);
  };
}

}  // namespace

void AddPriorityCases(std::vector<Case>* v) {
  const char kKept[] =
      "The description of frame fields and some of the mandatory handling is retained to ensure "
      "that implementations of this document remain interoperable with implementations that use "
      "the priority signaling described in RFC 7540.";
  Add(v, "9113/5.3.2/1", Level::kMust, kKept,
      "GET in HEADERS with PRIORITY (exclusive, dependency 0, weight 256)", Accepted(),
      GetWithPriority(0, false, 255, true));
  Add(v, "9113/5.3.2/2", Level::kMust, kKept,
      "PRIORITY frames building a chain over idle streams 3, 5, 7, then GET on stream 9 depending "
      "on 7",
      Accepted(), [](Exchange& ex) {
        ex.f().Priority(3, 0, 10).Priority(5, 3, 20).Priority(7, 5, 30, true);
        http2::HeadersOptions o;
        http2::PrioritySpec p;
        p.stream_dependency = 7;
        o.priority = p;
        ex.f().Headers(9, ex.Request(), kFlagEndStream, o);
        ex.Opened(9, true);
      });
  {
    const char kAsConnection[] =
        "§5.4.1: \"an endpoint MAY choose to treat a stream error as a connection error\" (RFC "
        "7540's stream error, as a connection error)";
    Expectation e = Accepted();
    e.exact.push_back(RstStream(ErrorCode::kProtocolError));
    e.tolerated.push_back(GoAway(ErrorCode::kProtocolError, kAsConnection));
    Add(v, "9113/5.3.2/3", Level::kMay,
        "This update to HTTP/2 deprecates the priority signaling defined in RFC 7540. (RFC 7540 "
        "made a self-dependency a stream error; RFC 9113 keeps no rule, so either is conformant, "
        "but not a connection error.)",
        "GET in HEADERS that depends on its own stream", e, GetWithPriority(0, true, 15, false));
    Expectation n = NoError();
    n.exact.push_back(RstStream(ErrorCode::kProtocolError));
    n.tolerated.push_back(GoAway(ErrorCode::kProtocolError, kAsConnection));
    Add(v, "9113/5.3.2/4", Level::kMay,
        "The PRIORITY frame can be sent on a stream in any state. (A self-dependency: RFC 7540's "
        "stream error or nothing.)",
        "PRIORITY on idle stream 3 depending on stream 3", n,
        [](Exchange& ex) { ex.f().Priority(3, 3); });
  }
  {
    Expectation e = NoError();
    e.exact.push_back(GoAway(ErrorCode::kProtocolError));
    Add(v, "9218/7.1/1", Level::kMay,
        "RFC 9218 §7.1: The PRIORITY_UPDATE frame ... MUST be sent on stream 0 ... If a "
        "PRIORITY_UPDATE frame is received with a stream identifier other than 0x0, the recipient "
        "MUST respond with a connection error of type PROTOCOL_ERROR. (A server without RFC 9218 "
        "ignores it as an unknown frame type, RFC 9113 §5.5.)",
        "PRIORITY_UPDATE on stream 1", e,
        [](Exchange& ex) { ex.f().Raw(0x10, 0, 1, std::string("\x00\x00\x00\x01u=1", 7)); });
    Add(v, "9218/7.1/2", Level::kMust,
        "RFC 9218 §7.1: Servers ... MUST NOT treat a PRIORITY_UPDATE for an idle or unknown stream "
        "as an error (RFC 9113 §5.5: unknown frame types are ignored)",
        "PRIORITY_UPDATE on stream 0 for idle stream 1, then GET on stream 1", Accepted(),
        [](Exchange& ex) {
          ex.f().PriorityUpdate(1, "u=1, i");
          ex.Get();
        });
  }

  // RFC 7540 §5.3 profile.
  auto profile = [&](Case& c) { c.profile = "rfc7540-priority"; };
  profile(Add(v, "7540/5.3.1/1", Level::kMust,
              "RFC 7540 §5.3.1: A stream cannot depend on itself. An endpoint MUST treat this as a "
              "stream error (Section 5.4.2) of type PROTOCOL_ERROR.",
              "GET in HEADERS that depends on its own stream", StreamError(ErrorCode::kProtocolError),
              GetWithPriority(0, true, 15, false)));
  profile(Add(v, "7540/5.3.1/2", Level::kMust,
              "RFC 7540 §5.3.1: A stream cannot depend on itself. An endpoint MUST treat this as a "
              "stream error (Section 5.4.2) of type PROTOCOL_ERROR.",
              "POST without END_STREAM; PRIORITY making it depend on itself",
              StreamError(ErrorCode::kProtocolError), [](Exchange& ex) {
                const uint32_t id = ex.Post(-1);
                ex.f().Priority(id, id);
              }));
  profile(Add(v, "7540/5.3.1/3", Level::kMust,
              "RFC 7540 §5.3.1: An exclusive flag allows for the insertion of a new level of "
              "dependencies.",
              "GET on stream 1, then GET on stream 3 exclusively depending on 1", Accepted(),
              [](Exchange& ex) {
                ex.Get();
                GetWithPriority(1, false, 15, true)(ex);
              }));
  profile(Add(v, "7540/5.3.3/1", Level::kMust,
              "RFC 7540 §5.3.3: If a stream is made dependent on one of its own dependencies, the "
              "formerly dependent stream is first moved to be dependent on the reprioritized "
              "stream's previous parent.",
              "PRIORITY: 5 depends on 3, then 3 depends on 5; GET on stream 7", Accepted(),
              [](Exchange& ex) {
                ex.f().Priority(3, 0).Priority(5, 3).Priority(3, 5);
                ex.f().Headers(7, ex.Request(), kFlagEndStream);
                ex.Opened(7, true);
              }));
  profile(Add(v, "7540/5.3.4/1", Level::kMust,
              "RFC 7540 §5.3.1: If a stream is made dependent on a stream that is not currently in "
              "the tree ... the dependent stream is instead assigned a default priority.",
              "GET in HEADERS depending on stream 101 (never opened)", Accepted(),
              GetWithPriority(101, false, 15, false)));
  profile(Add(v, "7540/5.3.2/1", Level::kMust,
              "RFC 7540 §5.3.2: All dependent streams are allocated an integer weight between 1 "
              "and 256 (inclusive).",
              "GET in HEADERS with weight 1, then GET with weight 256", Accepted(), [](Exchange& ex) {
                GetWithPriority(0, false, 0, false)(ex);
                GetWithPriority(0, false, 255, false)(ex);
              }));
}

}  // namespace probe
