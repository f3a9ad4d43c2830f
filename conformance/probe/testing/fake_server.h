// A scripted HTTP/2 server in memory for the probe engine's unit tests: it parses what the
// probe sends with the core's frame parser and answers through hooks. By default it behaves
// like a small conforming server: SETTINGS after the preface, SETTINGS ACK, PING ACK, and
// a 200 response (6-octet body) to every request that ends.
#ifndef H2HARNESS_CONFORMANCE_PROBE_TESTING_FAKE_SERVER_H_
#define H2HARNESS_CONFORMANCE_PROBE_TESTING_FAKE_SERVER_H_

#include <functional>
#include <string>
#include <vector>

#include "conformance/probe/transport.h"
#include "http2/frame.h"
#include "http2/frame_builder.h"

namespace probe {
namespace testing {

class FakeServer : public ScriptedPeer {
 public:
  // Called for every complete frame from the probe; return true when handled (the default
  // behaviour is then skipped). `out` collects the answer.
  using Hook = std::function<bool(const http2::Frame& frame, http2::FrameSequence& out, Reply* reply)>;

  FakeServer() = default;
  void set_hook(Hook hook) { hook_ = std::move(hook); }
  // Reply to the preface with these frames instead of an empty SETTINGS.
  void set_preface_answer(std::string bytes) { preface_answer_ = std::move(bytes); }
  // Say nothing at all after the preface exchange.
  void set_silent(bool silent) { silent_ = silent; }
  int status = 200;  // of the default response

  void OnBytes(absl::string_view bytes, Reply* reply) override;
  const std::vector<http2::Frame>& received() const { return received_; }

 private:
  Hook hook_;
  std::string preface_answer_;
  bool silent_ = false;
  bool preface_done_ = false;
  std::string buffer_;
  http2::FrameSequence out_;
  std::vector<http2::Frame> received_;
};

}  // namespace testing
}  // namespace probe

#endif  // H2HARNESS_CONFORMANCE_PROBE_TESTING_FAKE_SERVER_H_
