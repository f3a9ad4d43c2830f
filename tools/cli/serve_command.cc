// `h2harness serve`: the reference HTTP/2 server (http2/server) with its site handler.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <iostream>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "http2/server/server.h"
#include "http2/server/site.h"
#include "tools/cli/command.h"

ABSL_FLAG(std::string, listen, "",
          "address to listen on: host:port, [v6]:port, or :port for every interface; port 0 "
          "lets the kernel choose (default 127.0.0.1:8080, or 127.0.0.1:8443 with TLS)");
ABSL_FLAG(std::string, tls_cert, "", "TLS certificate chain (PEM); needs --tls-key");
ABSL_FLAG(std::string, tls_key, "", "TLS private key (PEM)");
ABSL_FLAG(bool, tls_self_signed, false,
          "TLS with an ephemeral self-signed certificate for localhost made at start (its "
          "SPKI hash is printed, for clients that pin it)");
ABSL_FLAG(std::string, tls_ciphers, "",
          "TLS 1.2 cipher list (OpenSSL syntax; default: ephemeral key exchange with AEAD, "
          "what RFC 9113 §9.2.2 allows). A prohibited suite that gets negotiated is answered "
          "with GOAWAY INADEQUATE_SECURITY");
ABSL_FLAG(std::string, tls_ciphersuites, "",
          "TLS 1.3 suites in the server's order of preference (default: AES-128-GCM, "
          "AES-256-GCM, ChaCha20-Poly1305)");
ABSL_FLAG(int, threads, 0, "event-loop threads (0: one per core)");
ABSL_FLAG(std::string, docroot, "",
          "serve static files from this directory (default: a small built-in demo site)");
ABSL_FLAG(std::string, push, "",
          "server push rules PATH=PUSHED[,PUSHED], several separated by ';' (the demo site "
          "pushes /style.css with /)");
ABSL_FLAG(std::string, access_log, "-",
          "one line per stream to this file (appended), - for standard output, empty for none");
ABSL_FLAG(std::string, idle_timeout, "60s",
          "close a connection (GOAWAY) that waits on the client this long");
ABSL_FLAG(std::string, handshake_timeout, "10s",
          "time from accept to the end of the TLS handshake and the connection preface");
ABSL_FLAG(std::string, shutdown_timeout, "10s",
          "on SIGINT/SIGTERM, how long in-flight streams may take before they are cut");
ABSL_FLAG(int, max_connections, 10000, "open connections at most; more wait in the backlog");
ABSL_FLAG(uint32_t, max_concurrent_streams, http2::kDefaultMaxConcurrentStreams,
          "SETTINGS_MAX_CONCURRENT_STREAMS");
ABSL_FLAG(uint32_t, initial_window_size, http2::kDefaultInitialWindowSize,
          "SETTINGS_INITIAL_WINDOW_SIZE: each stream's receive window");
ABSL_FLAG(uint32_t, connection_window_size, http2::kDefaultInitialWindowSize,
          "the connection's receive window (WINDOW_UPDATE on stream 0 after the preface)");
ABSL_FLAG(uint32_t, max_frame_size, http2::kDefaultMaxFrameSize, "SETTINGS_MAX_FRAME_SIZE");
ABSL_FLAG(uint32_t, max_header_list_size, http2::kDefaultMaxHeaderListSize,
          "SETTINGS_MAX_HEADER_LIST_SIZE, also the limit on a decoded field section");
ABSL_FLAG(uint32_t, header_table_size, http2::kDefaultHeaderTableSize,
          "SETTINGS_HEADER_TABLE_SIZE (HPACK decoder table)");
ABSL_FLAG(int64_t, max_header_fields, static_cast<int64_t>(http2::kDefaultMaxHeaderFields),
          "field lines per field section (HPACK bomb limit)");
ABSL_FLAG(int64_t, max_continuations, static_cast<int64_t>(http2::kDefaultMaxContinuations),
          "CONTINUATION frames per field block (CONTINUATION flood limit)");
ABSL_FLAG(uint32_t, stream_reset_burst, http2::kDefaultStreamResetBurst,
          "RST_STREAMs a client may send in a burst (Rapid Reset limit)");
ABSL_FLAG(uint32_t, stream_reset_rate, http2::kDefaultStreamResetRate,
          "... refilled at this many per second");

namespace cli {
namespace {

absl::Status DurationFlag(const std::string& name, const std::string& text, absl::Duration* d) {
  if (!absl::ParseDuration(text, d) || *d <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, ": \"", text, "\" is not a positive duration like 10s"));
  }
  return absl::OkStatus();
}

int Fail(const absl::Status& s) {
  std::cerr << "h2harness serve: " << s.message() << "\n";
  return 2;
}

int RunServe(const std::vector<std::string>& args) {
  if (!args.empty()) return Fail(absl::InvalidArgumentError("serve takes no arguments"));
  using http2::server::ServerOptions;
  ServerOptions options;
  options.threads = absl::GetFlag(FLAGS_threads);
  options.max_connections = absl::GetFlag(FLAGS_max_connections);
  for (auto [name, flag, out] :
       {std::tuple{"idle-timeout", &FLAGS_idle_timeout, &options.idle_timeout},
        std::tuple{"handshake-timeout", &FLAGS_handshake_timeout, &options.handshake_timeout},
        std::tuple{"shutdown-timeout", &FLAGS_shutdown_timeout, &options.shutdown_timeout}}) {
    if (absl::Status s = DurationFlag(name, absl::GetFlag(*flag), out); !s.ok()) return Fail(s);
  }
  http2::SessionOptions& session = options.session;
  session.max_concurrent_streams = absl::GetFlag(FLAGS_max_concurrent_streams);
  session.initial_window_size = absl::GetFlag(FLAGS_initial_window_size);
  session.connection_window_size = absl::GetFlag(FLAGS_connection_window_size);
  session.max_frame_size = absl::GetFlag(FLAGS_max_frame_size);
  session.max_header_list_size = absl::GetFlag(FLAGS_max_header_list_size);
  session.header_table_size = absl::GetFlag(FLAGS_header_table_size);
  session.max_header_fields = static_cast<size_t>(absl::GetFlag(FLAGS_max_header_fields));
  session.max_continuations = static_cast<size_t>(absl::GetFlag(FLAGS_max_continuations));
  session.stream_reset_burst = absl::GetFlag(FLAGS_stream_reset_burst);
  session.stream_reset_rate = absl::GetFlag(FLAGS_stream_reset_rate);
  if (session.initial_window_size > http2::kMaxWindowSize ||
      session.connection_window_size > http2::kMaxWindowSize) {
    return Fail(absl::InvalidArgumentError("window sizes are at most 2^31-1 (RFC 9113 §6.9.1)"));
  }
  if (session.max_frame_size < http2::kDefaultMaxFrameSize ||
      session.max_frame_size > http2::kMaxMaxFrameSize) {
    return Fail(absl::InvalidArgumentError(
        "--max-frame-size must be from 16384 to 16777215 (RFC 9113 §6.5.2)"));
  }

  std::optional<http2::server::TlsOptions> tls;
  const std::string cert = absl::GetFlag(FLAGS_tls_cert), key = absl::GetFlag(FLAGS_tls_key);
  if (absl::GetFlag(FLAGS_tls_self_signed) || !cert.empty() || !key.empty()) {
    tls.emplace();
    tls->self_signed = absl::GetFlag(FLAGS_tls_self_signed);
    tls->cert_file = cert;
    tls->key_file = key;
    if (!absl::GetFlag(FLAGS_tls_ciphers).empty()) tls->ciphers = absl::GetFlag(FLAGS_tls_ciphers);
    if (!absl::GetFlag(FLAGS_tls_ciphersuites).empty()) {
      tls->ciphersuites = absl::GetFlag(FLAGS_tls_ciphersuites);
    }
    if (tls->self_signed && (!cert.empty() || !key.empty())) {
      return Fail(absl::InvalidArgumentError(
          "--tls-self-signed and --tls-cert/--tls-key exclude each other"));
    }
  }

  http2::server::SiteOptions site_options;
  site_options.docroot = absl::GetFlag(FLAGS_docroot);
  absl::StatusOr<std::vector<std::pair<std::string, std::vector<std::string>>>> rules =
      http2::server::ParsePushRules(absl::GetFlag(FLAGS_push));
  if (!rules.ok()) return Fail(rules.status());
  site_options.push = std::move(*rules);
  absl::StatusOr<std::shared_ptr<http2::server::Site>> site =
      http2::server::Site::Create(site_options);
  if (!site.ok()) return Fail(site.status());

  const std::string log = absl::GetFlag(FLAGS_access_log);
  int log_fd = -1;
  if (log == "-") {
    log_fd = STDOUT_FILENO;
  } else if (!log.empty()) {
    log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0) {
      return Fail(absl::InvalidArgumentError(absl::StrCat("--access-log ", log, ": ",
                                                          strerror(errno))));
    }
  }
  options.access_log_fd = log_fd;

  std::string listen = absl::GetFlag(FLAGS_listen);
  if (listen.empty()) listen = tls ? "127.0.0.1:8443" : "127.0.0.1:8080";

  // SIGINT/SIGTERM go to one thread (sigtimedwait): the first starts a graceful shutdown,
  // a second stops at once. Blocked before the server's threads exist, so they inherit it.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  http2::server::Server server(listen, (*site)->Factory(), tls, options);
  if (absl::Status s = server.Start(); !s.ok()) {
    std::cerr << "h2harness serve: " << s.message() << "\n";
    if (absl::IsUnavailable(s)) {
      std::cerr << "(another address: --listen 127.0.0.1:0 lets the kernel choose a port)\n";
    }
    return 1;
  }
  const std::string url = server.url();
  std::string banner = absl::StrCat(
      "h2harness serve: listening on ", url, " (", tls ? "h2 over TLS" : "h2c, prior knowledge",
      ", ", options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency()),
      " threads, ",
      site_options.docroot.empty() ? std::string("demo site") : "docroot " + site_options.docroot,
      ")\n");
  if (tls) {
    absl::StrAppend(&banner, "try: curl --http2 ", tls->self_signed ? "-k " : "", url, "\n");
    if (tls->self_signed) {
      absl::StrAppend(&banner, "certificate SPKI (sha256, base64): ", server.tls()->spki_sha256(),
                      "\n");
    }
  } else {
    absl::StrAppend(&banner, "try: curl --http2-prior-knowledge ", url, "\n");
  }
  std::cout << banner << std::flush;

  std::atomic<bool> done{false};
  std::thread signal_thread([&] {
    int count = 0;
    const timespec tick{0, 200 * 1000 * 1000};
    while (!done.load()) {
      const int sig = sigtimedwait(&signals, nullptr, &tick);
      if (sig < 0) continue;
      if (++count == 1) {
        std::cerr << "h2harness serve: " << strsignal(sig)
                  << ": shutting down (GOAWAY; again to stop at once)\n";
        server.Shutdown();
      } else {
        server.Stop();
      }
    }
  });
  absl::Status s = server.ServeForever();
  done.store(true);
  signal_thread.join();
  if (log_fd > STDOUT_FILENO) close(log_fd);
  if (!s.ok()) return Fail(s);
  std::cerr << "h2harness serve: stopped\n";
  return 0;
}

}  // namespace

std::vector<Command> ServeCommands() {
  return {{
      "serve",
      "",
      "run the reference HTTP/2 server: h2c with prior knowledge, or TLS with ALPN h2 "
      "(--tls-cert/--tls-key or --tls-self-signed). With no flags it serves a small demo site "
      "on http://127.0.0.1:8080/. Every path and method is answered: /echo sends back the "
      "request's header fields and body; with --docroot files are served (GET, HEAD; 404, "
      "405), otherwise any path gets a 200 with a small body. One access-log line per stream "
      "(--access-log). SIGINT/SIGTERM: graceful shutdown (GOAWAY, in-flight streams finish).",
      {"listen", "tls_cert", "tls_key", "tls_self_signed", "tls_ciphers", "tls_ciphersuites",
       "threads", "docroot",
       "push", "access_log", "idle_timeout", "handshake_timeout", "shutdown_timeout",
       "max_connections", "max_concurrent_streams", "initial_window_size",
       "connection_window_size", "max_frame_size", "max_header_list_size", "header_table_size",
       "max_header_fields", "max_continuations", "stream_reset_burst", "stream_reset_rate"},
      RunServe,
  }};
}

}  // namespace cli
