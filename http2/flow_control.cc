#include "http2/flow_control.h"

#include <algorithm>

namespace http2 {

bool SendWindow::Increase(uint32_t increment) {
  if (window_ + increment > kMaxWindowSize) return false;
  window_ += increment;
  return true;
}

bool SendWindow::Adjust(int64_t delta) {
  if (window_ + delta > kMaxWindowSize) return false;
  window_ += delta;
  return true;
}

bool ReceiveWindow::OnData(size_t n) {
  if (static_cast<int64_t>(n) > window_) return false;
  window_ -= static_cast<int64_t>(n);
  return true;
}

uint32_t ReceiveWindow::Consume(size_t n) {
  owed_ += static_cast<int64_t>(n);
  // Give credit back once half the target is owed.
  if (owed_ == 0 || owed_ < target_ / 2) return 0;
  const int64_t increment = std::min<int64_t>(owed_, kMaxWindowSize - window_);
  if (increment <= 0) return 0;
  owed_ -= increment;
  window_ += increment;
  return static_cast<uint32_t>(increment);
}

uint32_t ReceiveWindow::Grow(uint32_t delta) {
  const int64_t increment = std::min<int64_t>(delta, kMaxWindowSize - window_);
  if (increment <= 0) return 0;
  window_ += increment;
  target_ += increment;
  return static_cast<uint32_t>(increment);
}

}  // namespace http2
