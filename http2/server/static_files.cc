#include "http2/server/static_files.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <vector>

#include "absl/strings/ascii.h"
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
int OpenBeneath(int dir_fd, const char* path) {
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

absl::StatusOr<std::string> NormalizePath(absl::string_view request_path) {
  request_path = request_path.substr(0, request_path.find_first_of("?#"));
  if (request_path.empty() || request_path[0] != '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("path \"", request_path, "\" does not start with /"));
  }
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
  // Check once that openat2 works here (Linux 5.6+).
  const int probe = OpenBeneath(fd, ".");
  if (probe < 0) {
    const int e = errno;
    close(fd);
    return absl::UnimplementedError(
        absl::StrCat("openat2 (Linux 5.6+) is needed for --docroot: ", strerror(e)));
  }
  close(probe);
  return std::unique_ptr<StaticFiles>(new StaticFiles(docroot, fd));
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
  return f;
}

}  // namespace server
}  // namespace http2
