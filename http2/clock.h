// Time for the session's timers (SETTINGS ACK timeout, streams stalled at a zero window,
// the Rapid Reset and glitch token buckets, the graceful-shutdown delay). The session never
// reads a clock of its own: the I/O layer passes one in SessionOptions (RealClock), tests
// and fuzzers a fake one (http2/testing.h), so a session is deterministic given its inputs.
#ifndef H2HARNESS_HTTP2_CLOCK_H_
#define H2HARNESS_HTTP2_CLOCK_H_

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace http2 {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// The wall clock (absl::Now()), for servers and clients on real sockets.
class RealClock : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

}  // namespace http2

#endif  // H2HARNESS_HTTP2_CLOCK_H_
