#include "conformance/probe/self_server.h"

#include "absl/strings/str_cat.h"
#include "http2/server/server.h"
#include "http2/server/site.h"

namespace probe {
namespace {

class ReferenceServer : public SelfServer {
 public:
  ReferenceServer(std::shared_ptr<http2::server::Site> site, std::unique_ptr<http2::server::Server> server,
                  bool tls)
      : site_(std::move(site)), server_(std::move(server)), tls_(tls) {}
  ~ReferenceServer() override {
    server_->Stop();
    server_->Wait();
  }
  std::string url() const override {
    return absl::StrCat(tls_ ? "https" : "http", "://127.0.0.1:", server_->port(), "/");
  }

 private:
  std::shared_ptr<http2::server::Site> site_;
  std::unique_ptr<http2::server::Server> server_;
  bool tls_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<SelfServer>> StartSelfServer(bool tls) {
  absl::StatusOr<std::shared_ptr<http2::server::Site>> site = http2::server::Site::Create({});
  if (!site.ok()) return site.status();
  std::optional<http2::server::TlsOptions> tls_options;
  if (tls) {
    tls_options.emplace();
    tls_options->self_signed = true;
  }
  auto server = std::make_unique<http2::server::Server>("127.0.0.1:0", (*site)->Factory(), tls_options);
  absl::Status s = server->Start();
  if (!s.ok()) return absl::Status(s.code(), absl::StrCat("starting the reference server: ", s.message()));
  return std::unique_ptr<SelfServer>(new ReferenceServer(*site, std::move(server), tls));
}

}  // namespace probe
