#include "conformance/probe/procfs.h"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace probe {
namespace {

// "socket:[INODE]" -> port, for every listening TCP socket.
std::map<std::string, uint16_t> ListeningSockets() {
  std::map<std::string, uint16_t> out;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      std::vector<std::string> f = absl::StrSplit(line, ' ', absl::SkipEmpty());
      if (f.size() < 10 || f[3] != "0A") continue;  // 0A: LISTEN
      const size_t colon = f[1].rfind(':');
      unsigned port = 0;
      if (colon == std::string::npos || !absl::SimpleHexAtoi(f[1].substr(colon + 1), &port)) continue;
      out[absl::StrCat("socket:[", f[9], "]")] = static_cast<uint16_t>(port);
    }
  }
  return out;
}

// The socket links of `pid`'s open files.
std::vector<std::string> SocketLinks(int pid) {
  std::vector<std::string> links;
  const std::string dir = absl::StrCat("/proc/", pid, "/fd");
  DIR* d = opendir(dir.c_str());
  if (!d) return links;
  while (dirent* e = readdir(d)) {
    char buf[64];
    const ssize_t n = readlink(absl::StrCat(dir, "/", e->d_name).c_str(), buf, sizeof buf - 1);
    if (n > 0 && absl::StartsWith(absl::string_view(buf, n), "socket:")) links.emplace_back(buf, n);
  }
  closedir(d);
  return links;
}

}  // namespace

int FindServerPid(uint16_t port) {
  std::set<std::string> wanted;
  for (const auto& [inode, p] : ListeningSockets()) {
    if (p == port) wanted.insert(inode);
  }
  if (wanted.empty()) return -1;
  DIR* proc = opendir("/proc");
  if (!proc) return -1;
  int found = -1;
  while (dirent* e = readdir(proc)) {
    int pid = 0;
    if (!absl::SimpleAtoi(e->d_name, &pid)) continue;
    for (const std::string& link : SocketLinks(pid)) {
      if (wanted.count(link)) found = pid;
    }
    if (found > 0) break;
  }
  closedir(proc);
  return found;
}

std::vector<uint16_t> ListeningPorts(int pid) {
  const std::map<std::string, uint16_t> sockets = ListeningSockets();
  std::set<uint16_t> ports;
  for (const std::string& link : SocketLinks(pid)) {
    auto it = sockets.find(link);
    if (it != sockets.end()) ports.insert(it->second);
  }
  return std::vector<uint16_t>(ports.begin(), ports.end());
}

long RssKb(int pid) {
  if (pid <= 0) return -1;
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    long kb = 0;
    if (absl::StartsWith(line, "VmRSS:") &&
        absl::SimpleAtoi(absl::StripAsciiWhitespace(absl::StripSuffix(absl::StripAsciiWhitespace(line.substr(6)), "kB")), &kb)) {
      return kb;
    }
  }
  return -1;
}

}  // namespace probe
