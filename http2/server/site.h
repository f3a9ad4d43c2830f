// The handler behind `h2harness serve`: static files from a document root (or a small
// built-in demo site), the built-in /echo, configured server pushes. It answers every path
// and method, so conformance tools can probe it: without a docroot any path gets a 200 with
// a small body; with one, files get 200 (GET, HEAD), missing ones 404, other methods 405.
// Request bodies of any size are read (and discarded, except by /echo).
#ifndef H2HARNESS_HTTP2_SERVER_SITE_H_
#define H2HARNESS_HTTP2_SERVER_SITE_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "http2/server/request_handler.h"
#include "http2/server/static_files.h"

namespace http2 {
namespace server {

struct SiteOptions {
  // Empty: the built-in demo site (/, /style.css, /script.js), which pushes /style.css
  // with / unless `push` says otherwise.
  std::string docroot;
  // Request path -> paths pushed with its response (RFC 9113 §8.4).
  std::vector<std::pair<std::string, std::vector<std::string>>> push;
  // /echo sends back at most this much of the request body (and says how much it read).
  size_t max_echo_body = 1 << 20;
};

// Parses push rules: "PATH=PUSHED[,PUSHED]", several separated by ';' or whitespace.
absl::StatusOr<std::vector<std::pair<std::string, std::vector<std::string>>>> ParsePushRules(
    absl::string_view text);

class Site : public std::enable_shared_from_this<Site> {
 public:
  static absl::StatusOr<std::shared_ptr<Site>> Create(SiteOptions options);
  // The handler factory (thread-safe; keeps the site alive).
  HandlerFactory Factory();

  const SiteOptions& options() const { return options_; }
  StaticFiles* files() const { return files_.get(); }
  const std::vector<std::string>* PushesFor(absl::string_view path) const;

 private:
  explicit Site(SiteOptions options) : options_(std::move(options)) {}
  SiteOptions options_;
  std::unique_ptr<StaticFiles> files_;
};

}  // namespace server
}  // namespace http2

#endif  // H2HARNESS_HTTP2_SERVER_SITE_H_
