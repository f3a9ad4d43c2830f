#include "http2/server/static_files.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace http2 {
namespace server {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = absl::ascii_tolower(static_cast<unsigned char>(c));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Opens `path` relative to `dir_fd` without leaving it (RESOLVE_BENEATH: no "..", absolute
// path or symlink may take the walk outside; RESOLVE_NO_MAGICLINKS: no /proc links).
int OpenAt2Beneath(int dir_fd, const char* path) {
  open_how how{};
  how.flags = O_RDONLY | O_CLOEXEC;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  long fd;
  do {
    fd = syscall(SYS_openat2, dir_fd, path, &how, sizeof(how));
  } while (fd < 0 && (errno == EINTR || errno == EAGAIN));
  return static_cast<int>(fd);
}

}  // namespace

absl::string_view ContentType(absl::string_view path) {
  static constexpr std::pair<absl::string_view, absl::string_view> kTypes[] = {
      {"html", "text/html; charset=utf-8"},
      {"htm", "text/html; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"json", "application/json"},
      {"txt", "text/plain; charset=utf-8"},
      {"xml", "application/xml"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"avif", "image/avif"},
      {"ico", "image/x-icon"},
      {"wasm", "application/wasm"},
      {"pdf", "application/pdf"},
      {"woff", "font/woff"},
      {"woff2", "font/woff2"},
      {"mp4", "video/mp4"},
      {"webm", "video/webm"},
      {"mp3", "audio/mpeg"},
      {"zip", "application/zip"},
      {"gz", "application/gzip"},
  };
  const size_t slash = path.rfind('/');
  const size_t dot = path.rfind('.');
  if (dot == absl::string_view::npos || (slash != absl::string_view::npos && dot < slash)) {
    return "application/octet-stream";
  }
  const std::string ext = absl::AsciiStrToLower(path.substr(dot + 1));
  for (const auto& [e, type] : kTypes) {
    if (e == ext) return type;
  }
  return "application/octet-stream";
}

namespace {

// The fast path of NormalizePath: a path (query removed) that is already normal (starts
// with /, no escapes, no empty, "." or ".." segments, no trailing /) gives its view without
// the leading /.
bool PlainPath(absl::string_view request_path, absl::string_view* normal) {
  if (request_path.empty() || request_path[0] != '/' || request_path.back() == '/') return false;
  for (size_t i = 0; i < request_path.size(); ++i) {
    const char c = request_path[i];
    if (c == '%') return false;
    if (c == '/' && i + 1 < request_path.size() &&
        (request_path[i + 1] == '/' || request_path[i + 1] == '.')) {
      return false;
    }
  }
  *normal = request_path.substr(1);
  return true;
}

}  // namespace

absl::StatusOr<std::string> NormalizePath(absl::string_view request_path) {
  request_path = PathOnly(request_path);
  if (request_path.empty() || request_path[0] != '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("path \"", request_path, "\" does not start with /"));
  }
  if (absl::string_view plain; PlainPath(request_path, &plain)) return std::string(plain);
  std::string decoded;
  decoded.reserve(request_path.size());
  for (size_t i = 0; i < request_path.size(); ++i) {
    char c = request_path[i];
    if (c == '%') {
      const int hi = i + 2 < request_path.size() ? HexValue(request_path[i + 1]) : -1;
      const int lo = i + 2 < request_path.size() ? HexValue(request_path[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return absl::InvalidArgumentError(absl::StrCat("path \"", request_path,
                                                       "\": bad percent-encoding at ", i));
      }
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (c == '\0') return absl::InvalidArgumentError("path has a NUL");
    decoded.push_back(c);
  }
  std::vector<absl::string_view> kept;
  for (absl::string_view seg : absl::StrSplit(decoded, '/')) {
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") {
      return absl::InvalidArgumentError(
          absl::StrCat("path \"", request_path, "\" has a \"..\" segment"));
    }
    kept.push_back(seg);
  }
  return absl::StrJoin(kept, "/");
}

absl::StatusOr<std::unique_ptr<StaticFiles>> StaticFiles::Open(const std::string& docroot) {
  const int fd = open(docroot.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return absl::NotFoundError(
        absl::StrCat("document root ", docroot, ": ", strerror(errno)));
  }
  std::unique_ptr<StaticFiles> files(new StaticFiles(docroot, fd));
  // openat2 is Linux 5.6+; valgrind does not know it either.
  const int probe = OpenAt2Beneath(fd, ".");
  if (probe >= 0) {
    close(probe);
  } else {
    files->have_openat2_ = false;
    char* real = realpath(docroot.c_str(), nullptr);
    if (!real) {
      return absl::NotFoundError(absl::StrCat("document root ", docroot, ": ", strerror(errno)));
    }
    files->real_root_ = real;
    free(real);
  }
  return files;
}

int StaticFiles::OpenBeneath(int dir_fd, const char* path) const {
  if (have_openat2_) return OpenAt2Beneath(dir_fd, path);
  const int fd = openat(dir_fd, path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  // Where did it lead? /proc/self/fd has the resolved path.
  char link[64];
  char target[4096];
  snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
  const ssize_t n = readlink(link, target, sizeof(target) - 1);
  if (n <= 0) {
    close(fd);
    errno = EXDEV;
    return -1;
  }
  const absl::string_view resolved(target, static_cast<size_t>(n));
  if (resolved != real_root_ &&
      !(resolved.size() > real_root_.size() && absl::StartsWith(resolved, real_root_) &&
        (real_root_ == "/" || resolved[real_root_.size()] == '/'))) {
    close(fd);
    errno = EXDEV;  // outside the root, as openat2 reports it
    return -1;
  }
  return fd;
}

StaticFiles::~StaticFiles() { close(dir_fd_); }

absl::StatusOr<StaticFiles::File> StaticFiles::Resolve(absl::string_view request_path) const {
  absl::StatusOr<std::string> rel = NormalizePath(request_path);
  if (!rel.ok()) return rel.status();
  std::string name = rel->empty() ? "." : *rel;
  int fd = OpenBeneath(dir_fd_, name.c_str());
  if (fd < 0) {
    return absl::NotFoundError(absl::StrCat(request_path, ": ", strerror(errno)));
  }
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    const int index = OpenBeneath(fd, "index.html");
    close(fd);
    if (index < 0) return absl::NotFoundError(absl::StrCat(request_path, ": no index.html"));
    fd = index;
    name += "/index.html";
    if (fstat(fd, &st) != 0) st.st_mode = 0;
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return absl::NotFoundError(absl::StrCat(request_path, ": not a regular file"));
  }
  File f;
  f.fd = fd;
  f.size = static_cast<uint64_t>(st.st_size);
  f.content_type = ContentType(name);
  f.dev = st.st_dev;
  f.ino = st.st_ino;
  f.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return f;
}

absl::StatusOr<StaticFiles::Content> StaticFiles::Get(absl::string_view request_path,
                                                      absl::Time now) {
  // The cache key: the normalized path, without a copy when the path is already normal.
  absl::string_view key;
  std::string normalized;
  if (!PlainPath(PathOnly(request_path), &key)) {
    absl::StatusOr<std::string> n = NormalizePath(request_path);
    if (!n.ok()) return n.status();
    normalized = std::move(*n);
    key = normalized;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && now - it->second.checked < kRecheck) {
      return Content{it->second.bytes, -1, it->second.bytes->size(), it->second.content_type};
    }
  }
  absl::StatusOr<File> file = Resolve(request_path);
  if (!file.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end()) {
      cached_bytes_ -= it->second.bytes->size();
      cache_.erase(it);
    }
    return file.status();
  }
  if (file->size > kMaxCachedFile) return Content{nullptr, file->fd, file->size, file->content_type};
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second.dev == file->dev && it->second.ino == file->ino &&
        it->second.mtime_ns == file->mtime_ns && it->second.bytes->size() == file->size) {
      it->second.checked = now;  // unchanged on disk
      close(file->fd);
      return Content{it->second.bytes, -1, file->size, file->content_type};
    }
  }
  auto bytes = std::make_shared<std::string>(file->size, '\0');
  size_t done = 0;
  while (done < bytes->size()) {
    const ssize_t n = pread(file->fd, &(*bytes)[done], bytes->size() - done, done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  close(file->fd);
  bytes->resize(done);  // a file that shrank meanwhile: what was there
  std::lock_guard<std::mutex> lock(mu_);
  Entry& e = cache_[std::string(key)];
  if (e.bytes) cached_bytes_ -= e.bytes->size();
  if (cached_bytes_ + done > kMaxCachedBytes || cache_.size() > 4096) {
    cache_.clear();  // bounded: start over rather than track recency
    cached_bytes_ = 0;
  }
  Entry& fresh = cache_[std::string(key)];
  fresh = Entry{bytes, file->content_type, file->dev, file->ino, file->mtime_ns, now};
  cached_bytes_ += done;
  return Content{std::move(bytes), -1, done, file->content_type};
}

}  // namespace server
}  // namespace http2
