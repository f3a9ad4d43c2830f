// The Poller of the default build: raw epoll, edge-triggered for connections.
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "http2/server/event_loop.h"

namespace http2 {
namespace server {
namespace {

class EpollPoller : public Poller {
 public:
  explicit EpollPoller(int fd) : epoll_fd_(fd) {}
  ~EpollPoller() override { close(epoll_fd_); }

  absl::Status Add(int fd, IoHandler* handler, bool edge_triggered) override {
    epoll_event ev{};
    ev.events = edge_triggered ? (EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET) : EPOLLIN;
    ev.data.ptr = handler;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
      return absl::InternalError(absl::StrCat("epoll_ctl(ADD, ", fd, "): ", strerror(errno)));
    }
    return absl::OkStatus();
  }

  void Remove(int fd) override { epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr); }

  void Wait(int timeout_ms, absl::Time* now) override {
    constexpr int kMaxEvents = 256;
    epoll_event events[kMaxEvents];
    const int n = epoll_wait(epoll_fd_, events, kMaxEvents, timeout_ms);
    *now = absl::Now();
    for (int i = 0; i < n; ++i) {
      static_cast<IoHandler*>(events[i].data.ptr)->OnIoEvent(events[i].events);
    }
  }

 private:
  int epoll_fd_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Poller>> Poller::Create() {
  const int fd = epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) return absl::InternalError(absl::StrCat("epoll_create1: ", strerror(errno)));
  return std::unique_ptr<Poller>(new EpollPoller(fd));
}

const char* Poller::Name() { return "epoll"; }

}  // namespace server
}  // namespace http2
