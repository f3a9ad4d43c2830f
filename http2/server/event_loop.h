// EventLoop: one thread's event loop with timers and a bounded, thread-safe inbox.
//
// Readiness comes from a Poller: raw epoll, edge-triggered (event_loop_epoll.cc), or
// libevent for the comparison build (`--define=event_loop=libevent`,
// event_loop_libevent.cc). The README ("The reference server") has the measurement that
// chose raw epoll.
//
// Everything but Post() and Stop() runs on the loop's own thread.
#ifndef H2HARNESS_HTTP2_SERVER_EVENT_LOOP_H_
#define H2HARNESS_HTTP2_SERVER_EVENT_LOOP_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace http2 {
namespace server {

// Receives readiness for one file descriptor.
class IoHandler {
 public:
  virtual ~IoHandler() = default;
  // `events`: EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP, EPOLLRDHUP bits.
  virtual void OnIoEvent(uint32_t events) = 0;
};

// Work posted from other threads. Shared so that a post after the loop has gone fails
// cleanly instead of touching freed memory.
class Inbox {
 public:
  // At most this many posts wait at once; more are refused (no unbounded queue).
  static constexpr size_t kMaxPending = 1 << 16;

  // Thread-safe. ResourceExhausted when full, Unavailable once the loop has stopped.
  absl::Status Post(std::function<void()> fn);

 private:
  friend class EventLoop;
  absl::Mutex mu_;
  std::vector<std::function<void()>> pending_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  int event_fd_ = -1;  // written to wake the loop
};

// Where readiness comes from: one implementation is linked in (see above).
class Poller {
 public:
  virtual ~Poller() = default;
  static absl::StatusOr<std::unique_ptr<Poller>> Create();
  static const char* Name();  // "epoll", "libevent"
  // Edge-triggered input and output, or level-triggered input only.
  virtual absl::Status Add(int fd, IoHandler* handler, bool edge_triggered) = 0;
  virtual void Remove(int fd) = 0;
  // Waits at most `timeout_ms` (-1: no limit), sets `*now` to the time it woke, then calls
  // the handlers that are ready (they read the loop's time).
  virtual void Wait(int timeout_ms, absl::Time* now) = 0;
};

class EventLoop {
 public:
  struct TimerId {
    absl::Time when = absl::InfiniteFuture();
    uint64_t seq = 0;  // 0: no timer
    explicit operator bool() const { return seq != 0; }
    friend bool operator<(const TimerId& a, const TimerId& b) {
      return a.when < b.when || (a.when == b.when && a.seq < b.seq);
    }
  };

  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  absl::Status Init();

  // Registers `fd` edge-triggered for input and output (EPOLLIN|EPOLLOUT|EPOLLRDHUP|EPOLLET),
  // or level-triggered for input only (listening sockets).
  absl::Status AddEdgeTriggered(int fd, IoHandler* handler);
  absl::Status AddLevelInput(int fd, IoHandler* handler);
  void Remove(int fd);

  TimerId AddTimer(absl::Time when, std::function<void()> fn);
  // No effect for a timer that already ran or was cancelled.
  void CancelTimer(TimerId id);

  // Waits for events (at most until the next timer; not at all when `block` is false),
  // dispatches them, runs due timers and posted work.
  void RunOnce(bool block);
  // Thread-safe: makes the loop's owner stop (stopped() turns true and RunOnce wakes).
  void Stop();
  bool stopped() const { return stop_.load(std::memory_order_acquire); }

  const std::shared_ptr<Inbox>& inbox() const { return inbox_; }
  // The time taken after the last wait (cheap to read).
  absl::Time now() const { return now_; }

 private:
  class Waker;
  void RunTimers();
  void RunPosted();

  std::unique_ptr<Poller> poller_;
  std::shared_ptr<Inbox> inbox_;
  std::unique_ptr<Waker> waker_;
  std::map<TimerId, std::function<void()>> timers_;
  uint64_t next_timer_seq_ = 1;
  std::atomic<bool> stop_{false};
  absl::Time now_;
};

}  // namespace server
}  // namespace http2

#endif  // H2HARNESS_HTTP2_SERVER_EVENT_LOOP_H_
