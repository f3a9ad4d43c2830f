#include "http2/server/event_loop.h"

#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace http2 {
namespace server {

absl::Status Inbox::Post(std::function<void()> fn) {
  bool wake;
  {
    absl::MutexLock lock(&mu_);
    if (closed_) return absl::UnavailableError("the server's event loop has stopped");
    if (pending_.size() >= kMaxPending) {
      return absl::ResourceExhaustedError(
          absl::StrCat("the event loop's inbox is full (", kMaxPending, " posts waiting)"));
    }
    wake = pending_.empty();
    pending_.push_back(std::move(fn));
  }
  if (wake) {
    uint64_t one = 1;
    ssize_t r = write(event_fd_, &one, sizeof(one));
    (void)r;  // EAGAIN means a wake-up is already pending
  }
  return absl::OkStatus();
}

// Reads the inbox's eventfd.
class EventLoop::Waker : public IoHandler {
 public:
  explicit Waker(EventLoop* loop) : loop_(loop) {}
  void OnIoEvent(uint32_t) override {
    uint64_t count;
    while (read(loop_->inbox_->event_fd_, &count, sizeof(count)) > 0) {
    }
    loop_->RunPosted();
  }

 private:
  EventLoop* loop_;
};

EventLoop::EventLoop() : inbox_(std::make_shared<Inbox>()), now_(absl::Now()) {}

EventLoop::~EventLoop() {
  {
    absl::MutexLock lock(&inbox_->mu_);
    inbox_->closed_ = true;
    inbox_->pending_.clear();
  }
  poller_.reset();
  if (inbox_->event_fd_ >= 0) close(inbox_->event_fd_);
  inbox_->event_fd_ = -1;
}

absl::Status EventLoop::Init() {
  absl::StatusOr<std::unique_ptr<Poller>> poller = Poller::Create();
  if (!poller.ok()) return poller.status();
  poller_ = std::move(*poller);
  inbox_->event_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (inbox_->event_fd_ < 0) return absl::InternalError(absl::StrCat("eventfd: ", strerror(errno)));
  waker_ = std::make_unique<Waker>(this);
  return AddLevelInput(inbox_->event_fd_, waker_.get());
}

absl::Status EventLoop::AddEdgeTriggered(int fd, IoHandler* handler) {
  return poller_->Add(fd, handler, /*edge_triggered=*/true);
}

absl::Status EventLoop::AddLevelInput(int fd, IoHandler* handler) {
  return poller_->Add(fd, handler, /*edge_triggered=*/false);
}

void EventLoop::Remove(int fd) { poller_->Remove(fd); }

EventLoop::TimerId EventLoop::AddTimer(absl::Time when, std::function<void()> fn) {
  TimerId id{when, next_timer_seq_++};
  timers_.emplace(id, std::move(fn));
  return id;
}

void EventLoop::CancelTimer(TimerId id) {
  if (id) timers_.erase(id);
}

void EventLoop::RunOnce(bool block) {
  int timeout_ms = 0;
  if (block && !stopped()) {
    if (timers_.empty()) {
      timeout_ms = -1;
    } else {
      const absl::Duration wait = timers_.begin()->first.when - absl::Now();
      // Round up, so a timer is never polled for early.
      timeout_ms = wait <= absl::ZeroDuration()
                       ? 0
                       : static_cast<int>(std::min<int64_t>(
                             absl::ToInt64Milliseconds(wait + absl::Microseconds(999)), 60000));
    }
  }
  poller_->Wait(timeout_ms, &now_);
  RunTimers();
}

void EventLoop::RunTimers() {
  // One at a time (a timer may cancel another that is also due); timers added meanwhile
  // wait for the next round.
  const uint64_t limit = next_timer_seq_;
  auto it = timers_.begin();
  while (it != timers_.end() && it->first.when <= now_) {
    if (it->first.seq >= limit) {
      ++it;
      continue;
    }
    std::function<void()> fn = std::move(it->second);
    timers_.erase(it);
    fn();
    it = timers_.begin();
  }
}

void EventLoop::RunPosted() {
  std::vector<std::function<void()>> work;
  {
    absl::MutexLock lock(&inbox_->mu_);
    work.swap(inbox_->pending_);
  }
  for (auto& fn : work) fn();
}

void EventLoop::Stop() {
  stop_.store(true, std::memory_order_release);
  uint64_t one = 1;
  ssize_t r = write(inbox_->event_fd_, &one, sizeof(one));
  (void)r;
}

}  // namespace server
}  // namespace http2
