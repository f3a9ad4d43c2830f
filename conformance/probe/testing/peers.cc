#include "conformance/probe/testing/peers.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <vector>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "conformance/probe/procfs.h"

namespace probe {
namespace testing {
namespace {

std::string Which(const std::string& program) {
  for (const char* dir : {"/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/bin"}) {
    const std::string p = absl::StrCat(dir, "/", program);
    if (access(p.c_str(), X_OK) == 0) return p;
  }
  return "";
}

absl::Status WriteCert(const std::string& dir) {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  X509* x = X509_new();
  if (!key || !x) return absl::InternalError("OpenSSL: cannot create a key or certificate");
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x), 7 * 24 * 3600);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(x, name);
  X509_sign(x, key, EVP_sha256());
  FILE* c = fopen(absl::StrCat(dir, "/cert.pem").c_str(), "w");
  FILE* k = fopen(absl::StrCat(dir, "/key.pem").c_str(), "w");
  const bool ok = c && k && PEM_write_X509(c, x) && PEM_write_PrivateKey(k, key, nullptr, nullptr, 0, nullptr, nullptr);
  if (c) fclose(c);
  if (k) fclose(k);
  X509_free(x);
  EVP_PKEY_free(key);
  return ok ? absl::OkStatus() : absl::InternalError("cannot write cert.pem / key.pem");
}

// Starts `argv` in its own process group (output to `log`) and waits for it to listen.
absl::StatusOr<std::unique_ptr<PeerProcess>> Spawn(const std::string& name, const std::vector<std::string>& argv,
                                                   const std::string& log) {
  const pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    setpgid(0, 0);
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  setpgid(pid, pid);
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (absl::Now() < deadline) {
    const std::vector<uint16_t> ports = ListeningPorts(pid);
    if (!ports.empty()) return std::make_unique<PeerProcess>(name, pid, ports.front(), log);
    int status;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      std::ifstream in(log);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      return absl::UnavailableError(absl::StrCat(name, " exited at once: ", text));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  kill(-pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return absl::DeadlineExceededError(absl::StrCat(name, " did not listen within 10 s (log: ", log, ")"));
}

absl::Status Missing(const std::string& program, const std::string& package) {
  return absl::NotFoundError(absl::StrCat(program, " is not installed: run tools/deps (it installs ", package,
                                          "; by hand: apt-get install -y ", package, ")"));
}

}  // namespace

PeerProcess::~PeerProcess() {
  kill(-pid_, SIGTERM);
  const absl::Time deadline = absl::Now() + absl::Seconds(3);
  while (absl::Now() < deadline) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) return;
    absl::SleepFor(absl::Milliseconds(10));
  }
  kill(-pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

absl::StatusOr<std::string> MakePeerDir() {
  const char* tmp = getenv("TEST_TMPDIR");
  std::string templ = absl::StrCat(tmp ? tmp : "/tmp", "/probe-peer-XXXXXX");
  if (!mkdtemp(templ.data())) return absl::InternalError("mkdtemp failed");
  const std::string www = templ + "/www";
  mkdir(www.c_str(), 0755);
  std::ofstream(www + "/index.html") << "hello\n";
  absl::Status s = WriteCert(templ);
  if (!s.ok()) return s;
  return templ;
}

absl::StatusOr<std::unique_ptr<PeerProcess>> StartNghttpd(const std::string& dir, bool tls) {
  const std::string bin = Which("nghttpd");
  if (bin.empty()) return Missing("nghttpd", "nghttp2-server");
  std::vector<std::string> argv = {bin, "--address=127.0.0.1", "-d", dir + "/www"};
  if (!tls) argv.push_back("--no-tls");
  argv.push_back("0");
  if (tls) {
    argv.push_back(dir + "/key.pem");
    argv.push_back(dir + "/cert.pem");
  }
  return Spawn(tls ? "nghttpd (TLS)" : "nghttpd (h2c)", argv, absl::StrCat(dir, "/nghttpd", tls ? "-tls" : "", ".log"));
}

absl::StatusOr<std::unique_ptr<PeerProcess>> StartH2o(const std::string& dir, bool tls) {
  const std::string bin = Which("h2o");
  if (bin.empty()) return Missing("h2o", "h2o");
  const std::string conf = absl::StrCat(dir, "/h2o", tls ? "-tls" : "", ".conf");
  std::ofstream out(conf);
  out << "listen:\n  host: 127.0.0.1\n  port: 0\n";
  if (tls) out << "  ssl:\n    certificate-file: " << dir << "/cert.pem\n    key-file: " << dir << "/key.pem\n";
  out << "hosts:\n  default:\n    paths:\n      /:\n        file.dir: " << dir << "/www\n"
      << "error-log: " << dir << "/h2o-error" << (tls ? "-tls" : "") << ".log\n";
  out.close();
  return Spawn(tls ? "h2o (TLS)" : "h2o (h2c)", {bin, "-c", conf}, absl::StrCat(dir, "/h2o", tls ? "-tls" : "", ".log"));
}

}  // namespace testing
}  // namespace probe
