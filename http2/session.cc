#include "http2/session.h"

#include <algorithm>
#include <cstring>

namespace http2 {

absl::string_view StreamStateName(StreamState state) {
  switch (state) {
    case StreamState::kIdle:
      return "idle";
    case StreamState::kReservedLocal:
      return "reserved (local)";
    case StreamState::kReservedRemote:
      return "reserved (remote)";
    case StreamState::kOpen:
      return "open";
    case StreamState::kHalfClosedLocal:
      return "half-closed (local)";
    case StreamState::kHalfClosedRemote:
      return "half-closed (remote)";
    case StreamState::kClosed:
      return "closed";
  }
  return "unknown";
}

Session::Session(Perspective perspective, Visitor* visitor, const SessionOptions& options)
    : perspective_(perspective), visitor_(visitor), options_(options) {}

Session::~Session() = default;

// M2: the API compiles; the state machine lands with M3.
size_t Session::Receive(absl::string_view bytes) { return bytes.size(); }
size_t Session::Send(std::string*, size_t) { return 0; }
bool Session::WantRead() const { return false; }
bool Session::WantWrite() const { return false; }
void Session::OnTimer() {}
absl::Time Session::NextDeadline() const { return absl::InfiniteFuture(); }
absl::StatusOr<uint32_t> Session::SubmitRequest(absl::Span<const Header>, DataSource*, void*) {
  return absl::UnimplementedError("M2");
}
absl::Status Session::SubmitResponse(uint32_t, absl::Span<const Header>, DataSource*) {
  return absl::UnimplementedError("M2");
}
absl::Status Session::SubmitInformational(uint32_t, absl::Span<const Header>) {
  return absl::UnimplementedError("M2");
}
absl::StatusOr<uint32_t> Session::SubmitPushPromise(uint32_t, absl::Span<const Header>, void*) {
  return absl::UnimplementedError("M2");
}
absl::Status Session::SubmitTrailers(uint32_t, absl::Span<const Header>) {
  return absl::UnimplementedError("M2");
}
absl::Status Session::ResumeData(uint32_t) { return absl::UnimplementedError("M2"); }
absl::Status Session::SubmitRstStream(uint32_t, ErrorCode) {
  return absl::UnimplementedError("M2");
}
absl::Status Session::SubmitPing(uint64_t) { return absl::UnimplementedError("M2"); }
absl::Status Session::SubmitSettings(absl::Span<const Setting>) {
  return absl::UnimplementedError("M2");
}
void Session::SubmitShutdownNotice() {}
void Session::SubmitGoAway(ErrorCode, absl::string_view) {}
absl::Status Session::Consume(uint32_t, size_t) { return absl::UnimplementedError("M2"); }
absl::Status Session::SetStreamUserData(uint32_t, void*) { return absl::UnimplementedError("M2"); }
void* Session::GetStreamUserData(uint32_t) const { return nullptr; }
StreamState Session::stream_state(uint32_t) const { return StreamState::kIdle; }
int64_t Session::stream_send_window(uint32_t) const { return 0; }
int64_t Session::stream_receive_window(uint32_t) const { return 0; }
SessionStats Session::stats() const { return SessionStats(); }

void Session::OnFrameHeader(const FrameHeader&) {}
void Session::OnDataStart(const FrameHeader&) {}
void Session::OnDataPayload(absl::string_view) {}
void Session::OnHeadersStart(const FrameHeader&, const PrioritySpec*) {}
void Session::OnPushPromiseStart(const FrameHeader&, uint32_t) {}
void Session::OnContinuationStart(const FrameHeader&) {}
void Session::OnFieldBlockFragment(absl::string_view) {}
void Session::OnPriority(const FrameHeader&, const PrioritySpec&) {}
void Session::OnRstStream(const FrameHeader&, uint32_t) {}
void Session::OnSettingsStart(const FrameHeader&) {}
void Session::OnSetting(const Setting&) {}
void Session::OnSettingsAck(const FrameHeader&) {}
void Session::OnPing(const FrameHeader&, uint64_t) {}
void Session::OnGoAwayStart(const FrameHeader&, uint32_t, uint32_t) {}
void Session::OnGoAwayDebugData(absl::string_view) {}
void Session::OnWindowUpdate(const FrameHeader&, uint32_t) {}
void Session::OnPriorityUpdateStart(const FrameHeader&, uint32_t) {}
void Session::OnPriorityFieldValue(absl::string_view) {}
void Session::OnUnknownPayload(absl::string_view) {}
void Session::OnFrameEnd(const FrameHeader&) {}
void Session::OnFrameError(const ProtocolError&) {}

}  // namespace http2
