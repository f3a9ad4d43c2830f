// The Poller of the comparison build (--define=event_loop=libevent): libevent 2.1 from
// Debian, with the same edge-triggered registrations, so that the two differ only in the
// loop. tools/bench server --loops epoll,libevent measures them side by side.
#include <event2/event.h>
#include <sys/epoll.h>

#include "absl/container/flat_hash_map.h"
#include "absl/container/node_hash_map.h"
#include "absl/time/clock.h"
#include "absl/strings/str_cat.h"
#include "http2/server/event_loop.h"

namespace http2 {
namespace server {
namespace {

class LibeventPoller : public Poller {
 public:
  explicit LibeventPoller(event_base* base) : base_(base) {
    wake_ = evtimer_new(base_, [](evutil_socket_t, short, void*) {}, nullptr);
  }
  ~LibeventPoller() override {
    for (auto& [fd, ev] : events_) event_free(ev);
    event_free(wake_);
    event_base_free(base_);
  }

  absl::Status Add(int fd, IoHandler* handler, bool edge_triggered) override {
    // EV_CLOSED: the peer's FIN is reported as such (EPOLLRDHUP), as the epoll loop does.
    const short what = edge_triggered ? (EV_READ | EV_WRITE | EV_PERSIST | EV_ET | EV_CLOSED)
                                      : (EV_READ | EV_PERSIST);
    handlers_[fd] = {this, handler};
    event* ev = event_new(base_, fd, what, &LibeventPoller::Dispatch, &handlers_[fd]);
    if (!ev || event_add(ev, nullptr) != 0) {
      if (ev) event_free(ev);
      return absl::InternalError(absl::StrCat("libevent: cannot watch fd ", fd));
    }
    events_[fd] = ev;
    return absl::OkStatus();
  }

  void Remove(int fd) override {
    auto it = events_.find(fd);
    if (it == events_.end()) return;
    event_free(it->second);
    events_.erase(it);
    handlers_.erase(fd);
  }

  void Wait(int timeout_ms, absl::Time* now) override {
    now_ = now;
    woke_ = false;
    if (timeout_ms == 0) {
      event_base_loop(base_, EVLOOP_ONCE | EVLOOP_NONBLOCK);
      if (!woke_) *now = absl::Now();
      return;
    }
    if (timeout_ms > 0) {
      timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
      evtimer_add(wake_, &tv);
    }
    event_base_loop(base_, EVLOOP_ONCE);
    evtimer_del(wake_);
    if (!woke_) *now = absl::Now();
  }

 private:
  struct Target {
    LibeventPoller* poller;
    IoHandler* handler;
  };
  static void Dispatch(evutil_socket_t, short what, void* arg) {
    Target* t = static_cast<Target*>(arg);
    // libevent has woken: the loop's time first (once per wait), as with epoll.
    if (!t->poller->woke_) {
      *t->poller->now_ = absl::Now();
      t->poller->woke_ = true;
    }
    uint32_t events = 0;
    if (what & EV_READ) events |= EPOLLIN;
    if (what & EV_WRITE) events |= EPOLLOUT;
    if (what & EV_CLOSED) events |= EPOLLRDHUP;
    t->handler->OnIoEvent(events);
  }

  event_base* base_;
  event* wake_;
  absl::flat_hash_map<int, event*> events_;
  absl::node_hash_map<int, Target> handlers_;  // stable addresses for libevent
  absl::Time* now_ = nullptr;
  bool woke_ = false;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Poller>> Poller::Create() {
  event_config* cfg = event_config_new();
  event_config_require_features(cfg, EV_FEATURE_ET | EV_FEATURE_EARLY_CLOSE);
  event_base* base = event_base_new_with_config(cfg);
  event_config_free(cfg);
  if (!base) return absl::InternalError("libevent: no event base with edge-triggered events");
  return std::unique_ptr<Poller>(new LibeventPoller(base));
}

const char* Poller::Name() { return "libevent"; }

}  // namespace server
}  // namespace http2
