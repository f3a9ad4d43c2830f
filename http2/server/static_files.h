// Static files under a document root, for `h2harness serve --docroot`: request paths are
// percent-decoded and normalized, ".." never climbs out, and symlinks may not lead outside
// the root (openat2 RESOLVE_BENEATH: the kernel checks every component; where openat2 is
// missing, e.g. under valgrind, the opened file's real path is checked instead).
#ifndef H2HARNESS_HTTP2_SERVER_STATIC_FILES_H_
#define H2HARNESS_HTTP2_SERVER_STATIC_FILES_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace http2 {
namespace server {

// The path without its query or fragment ("/a?b" -> "/a").
inline absl::string_view PathOnly(absl::string_view path) {
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '?' || path[i] == '#') return path.substr(0, i);
  }
  return path;
}

// Content type by file extension ("application/octet-stream" when unknown).
absl::string_view ContentType(absl::string_view path);

// The request path without query, percent-decoded, with "." and empty segments removed and
// without the leading "/" ("" for the root). InvalidArgument for bad escapes, NUL, or a
// ".." segment (which would climb out).
absl::StatusOr<std::string> NormalizePath(absl::string_view request_path);

class StaticFiles {
 public:
  // Files up to this size are kept in memory (Get), checked against the disk at most
  // kRecheck apart; larger ones are read from an open descriptor each time.
  static constexpr uint64_t kMaxCachedFile = 256 * 1024;
  static constexpr size_t kMaxCachedBytes = 32 << 20;
  static constexpr absl::Duration kRecheck = absl::Seconds(1);

  struct File {
    int fd = -1;  // the caller's to close
    uint64_t size = 0;
    absl::string_view content_type;
    uint64_t dev = 0, ino = 0;
    int64_t mtime_ns = 0;
  };
  // What Get() serves: a small file's content (shared), or an open descriptor.
  struct Content {
    std::shared_ptr<const std::string> bytes;
    int fd = -1;  // the caller's to close (when `bytes` is null)
    uint64_t size = 0;
    absl::string_view content_type;
  };

  static absl::StatusOr<std::unique_ptr<StaticFiles>> Open(const std::string& docroot);
  ~StaticFiles();

  // An open regular file for the request path (a directory's index.html).
  // InvalidArgument: a bad path (400); NotFound: missing, outside the root, or not a
  // regular file (404).
  absl::StatusOr<File> Resolve(absl::string_view request_path) const;
  // Resolve(), through the in-memory cache for small files. Thread-safe.
  absl::StatusOr<Content> Get(absl::string_view request_path, absl::Time now);
  const std::string& root() const { return root_; }

 private:
  StaticFiles(std::string root, int dir_fd) : root_(std::move(root)), dir_fd_(dir_fd) {}
  // Opens `path` (relative) beneath the root, or returns -1 with errno set.
  int OpenBeneath(int dir_fd, const char* path) const;
  std::string root_;
  int dir_fd_;
  bool have_openat2_ = true;
  std::string real_root_;  // for the fallback
  struct Entry {
    std::shared_ptr<const std::string> bytes;
    absl::string_view content_type;
    uint64_t dev = 0, ino = 0;
    int64_t mtime_ns = 0;
    absl::Time checked;
  };
  // Guards the two below. std::mutex: its uncontended lock and unlock cost a tenth of
  // absl::Mutex's here (callgrind), and the hit path takes one on every request.
  std::mutex mu_;
  absl::flat_hash_map<std::string, Entry> cache_;
  size_t cached_bytes_ = 0;
};

}  // namespace server
}  // namespace http2

#endif  // H2HARNESS_HTTP2_SERVER_STATIC_FILES_H_
