// The handler API in one page: echoes each request, and pushes /style.css with "/".
// Usage: echo_push [host:port]   (default 127.0.0.1:0: the kernel picks the port)
#include <iostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "http2/server/server.h"

using http2::server::RequestHandler;

class EchoPush : public RequestHandler {
 public:
  using RequestHandler::RequestHandler;
  void OnHeaders() override {
    if (path() != "/") return;  // Push fails when the client disabled push: that is fine
    Push("/style.css", "GET", {}, 200, {{"content-type", "text/css"}}, "p{}\n").IgnoreError();
  }
  void OnData(absl::string_view data) override { body_.append(data.data(), data.size()); }
  void OnRequestDone() override {
    std::string text = absl::StrCat(method(), " ", path(), " from ", client_address().host, "\n");
    for (const http2::Header& h : headers()) absl::StrAppend(&text, h.name, ": ", h.value, "\n");
    absl::Status s = SendResponse(200, {{"content-type", "text/plain"}}, text + "\n" + body_);
    if (!s.ok()) std::cerr << "stream " << stream_id() << ": " << s << "\n";
  }

 private:
  std::string body_;
};

int main(int argc, char** argv) {
  http2::server::Server server(argc > 1 ? argv[1] : "127.0.0.1:0",
                               http2::server::MakeFactory<EchoPush>());
  if (absl::Status s = server.Start(); !s.ok()) return std::cerr << s << "\n", 1;
  std::cout << "listening on " << server.url() << std::endl;
  return server.ServeForever().ok() ? 0 : 1;
}
