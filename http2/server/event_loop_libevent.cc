// The Poller of the comparison build (--define=event_loop=libevent): libevent 2.1 from
// Debian, with the same edge-triggered registrations, so that the two differ only in the
// loop. tools/bench server --loops epoll,libevent measures them side by side.
#include <event2/event.h>
#include <sys/epoll.h>

#include "absl/container/flat_hash_map.h"
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
    const short what = edge_triggered ? (EV_READ | EV_WRITE | EV_PERSIST | EV_ET)
                                      : (EV_READ | EV_PERSIST);
    event* ev = event_new(base_, fd, what, &LibeventPoller::Dispatch, handler);
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
  }

  void Wait(int timeout_ms) override {
    if (timeout_ms == 0) {
      event_base_loop(base_, EVLOOP_ONCE | EVLOOP_NONBLOCK);
      return;
    }
    if (timeout_ms > 0) {
      timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
      evtimer_add(wake_, &tv);
    }
    event_base_loop(base_, EVLOOP_ONCE);
    evtimer_del(wake_);
  }

 private:
  static void Dispatch(evutil_socket_t, short what, void* arg) {
    uint32_t events = 0;
    if (what & EV_READ) events |= EPOLLIN;
    if (what & EV_WRITE) events |= EPOLLOUT;
    static_cast<IoHandler*>(arg)->OnIoEvent(events);
  }

  event_base* base_;
  event* wake_;
  absl::flat_hash_map<int, event*> events_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Poller>> Poller::Create() {
  event_config* cfg = event_config_new();
  event_config_require_features(cfg, EV_FEATURE_ET);
  event_base* base = event_base_new_with_config(cfg);
  event_config_free(cfg);
  if (!base) return absl::InternalError("libevent: no event base with edge-triggered events");
  return std::unique_ptr<Poller>(new LibeventPoller(base));
}

const char* Poller::Name() { return "libevent"; }

}  // namespace server
}  // namespace http2
