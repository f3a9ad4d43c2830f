// Flow-control windows (RFC 9113 §5.2, §6.9).
//
// SendWindow: the credit the peer grants us on a stream or the connection. WINDOW_UPDATE
// adds to it (never past 2^31-1, §6.9.1); a SETTINGS_INITIAL_WINDOW_SIZE change moves all
// stream windows by the difference and may make them negative (§6.9.2).
//
// ReceiveWindow: the credit we granted the peer. DATA takes from it (never below 0: more
// is a FLOW_CONTROL_ERROR, §6.9.1); octets the application has consumed are given back with
// WINDOW_UPDATE once at least half the target window is owed, so a busy stream gets one
// WINDOW_UPDATE per half window rather than one per DATA frame (§6.9.1: "avoid sending
// WINDOW_UPDATE frames with very small increments").
#ifndef H2HARNESS_HTTP2_FLOW_CONTROL_H_
#define H2HARNESS_HTTP2_FLOW_CONTROL_H_

#include <cstddef>
#include <cstdint>

#include "http2/settings.h"

namespace http2 {

class SendWindow {
 public:
  explicit SendWindow(int64_t initial = kDefaultInitialWindowSize) : window_(initial) {}

  // May be negative (§6.9.2).
  int64_t available() const { return window_; }
  // WINDOW_UPDATE: false (window unchanged) if the window would exceed 2^31-1.
  bool Increase(uint32_t increment);
  // SETTINGS_INITIAL_WINDOW_SIZE changed by `delta`: false (unchanged) past 2^31-1.
  bool Adjust(int64_t delta);
  // Sent `n` octets of DATA payload.
  void Consume(size_t n) { window_ -= static_cast<int64_t>(n); }

 private:
  int64_t window_;
};

class ReceiveWindow {
 public:
  explicit ReceiveWindow(int64_t initial = kDefaultInitialWindowSize)
      : window_(initial), target_(initial) {}

  // What the peer may still send.
  int64_t window() const { return window_; }
  // The window we aim to keep open.
  int64_t target() const { return target_; }
  // Received but not yet consumed by the application.
  int64_t unconsumed() const { return target_ - window_ - owed_; }

  // A flow-controlled frame of `n` octets arrived: false (unchanged) if it exceeds the
  // window.
  bool OnData(size_t n);
  // The application consumed `n` octets: returns the WINDOW_UPDATE increment to send now
  // (0: not yet worth one), and counts it as granted.
  uint32_t Consume(size_t n);
  // Our SETTINGS_INITIAL_WINDOW_SIZE changed by `delta` (stream windows; the peer applies
  // the same difference when it processes the SETTINGS, §6.9.2).
  void AdjustTarget(int64_t delta) {
    window_ += delta;
    target_ += delta;
  }
  // Opens the window by `delta` now (the connection window, which only WINDOW_UPDATE can
  // change): returns the increment to send.
  uint32_t Grow(uint32_t delta);

 private:
  int64_t window_;
  int64_t target_;
  int64_t owed_ = 0;  // consumed, not yet returned with WINDOW_UPDATE
};

}  // namespace http2

#endif  // H2HARNESS_HTTP2_FLOW_CONTROL_H_
