// Static files under a document root, for `h2harness serve --docroot`: request paths are
// percent-decoded and normalized, ".." never climbs out, and symlinks may not lead outside
// the root (openat2 RESOLVE_BENEATH: the kernel checks every component).
#ifndef H2HARNESS_HTTP2_SERVER_STATIC_FILES_H_
#define H2HARNESS_HTTP2_SERVER_STATIC_FILES_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace http2 {
namespace server {

// Content type by file extension ("application/octet-stream" when unknown).
absl::string_view ContentType(absl::string_view path);

// The request path without query, percent-decoded, with "." and empty segments removed and
// without the leading "/" ("" for the root). InvalidArgument for bad escapes, NUL, or a
// ".." segment (which would climb out).
absl::StatusOr<std::string> NormalizePath(absl::string_view request_path);

class StaticFiles {
 public:
  struct File {
    int fd = -1;  // the caller's to close
    uint64_t size = 0;
    absl::string_view content_type;
  };

  static absl::StatusOr<std::unique_ptr<StaticFiles>> Open(const std::string& docroot);
  ~StaticFiles();

  // An open regular file for the request path (a directory's index.html).
  // InvalidArgument: a bad path (400); NotFound: missing, outside the root, or not a
  // regular file (404).
  absl::StatusOr<File> Resolve(absl::string_view request_path) const;
  const std::string& root() const { return root_; }

 private:
  StaticFiles(std::string root, int dir_fd) : root_(std::move(root)), dir_fd_(dir_fd) {}
  std::string root_;
  int dir_fd_;
};

}  // namespace server
}  // namespace http2

#endif  // H2HARNESS_HTTP2_SERVER_STATIC_FILES_H_
