// Byte streams the probe talks over: TCP, TLS (OpenSSL, ALPN), and an in-memory pipe to a
// scripted peer for tests. The probe engine sees only Transport, so it runs over any of them.
#ifndef H2HARNESS_CONFORMANCE_PROBE_TRANSPORT_H_
#define H2HARNESS_CONFORMANCE_PROBE_TRANSPORT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace probe {

struct ReadResult {
  enum Kind {
    kData,     // `data` holds what arrived
    kTimeout,  // nothing before the deadline
    kClosed,   // the peer closed (EOF, TLS close_notify)
    kReset,    // connection reset or another transport error (`error`)
  };
  Kind kind = kTimeout;
  std::string data;
  std::string error;
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Writes everything, or fails (the peer closed, reset, or the deadline passed).
  virtual absl::Status Write(absl::string_view data, absl::Time deadline) = 0;
  // Waits until something arrives, the peer closes, or `deadline`.
  virtual ReadResult Read(absl::Time deadline) = 0;
  // Stops sending (TCP FIN after what is queued); reading goes on.
  virtual void ShutdownWrite() {}
  virtual void Close() = 0;
  // "tcp 127.0.0.1:8080", "tls 127.0.0.1:8443 TLSv1.3 TLS_AES_128_GCM_SHA256 alpn=h2".
  virtual std::string Describe() const = 0;
};

// TLS parameters for one connection. The defaults are what an HTTP/2 client offers.
struct TlsOptions {
  std::vector<std::string> alpn = {"h2"};
  bool verify = true;           // --insecure turns this off
  std::string sni;              // server_name; empty: none
  int min_version = 0;          // TLS1_2_VERSION, ...; 0: library default
  int max_version = 0;
  std::string cipher_list;      // TLS 1.2 ciphers (OpenSSL names); empty: default
  std::string groups;           // e.g. "P-256"; empty: default
  bool post_handshake_auth = false;  // offer post_handshake_auth (TLS 1.3)
};

// What the TLS handshake settled on.
struct TlsInfo {
  std::string alpn;     // "" when none was selected
  std::string version;  // "TLSv1.3"
  int version_number = 0;
  std::string cipher;
  std::string key_type;  // of the server certificate: "RSA", "EC", ...
  bool certificate_requested = false;  // the server asked for a client certificate
};

struct Endpoint {
  std::string host;  // name or address, as given
  uint16_t port = 0;
};

// TCP connect with TCP_NODELAY, bounded by `deadline`.
absl::StatusOr<std::unique_ptr<Transport>> ConnectTcp(const Endpoint& ep, absl::Time deadline);

// TCP connect, then the TLS handshake. `info` (may be null) receives the outcome; it is
// filled in even when the handshake fails after the ServerHello.
absl::StatusOr<std::unique_ptr<Transport>> ConnectTls(const Endpoint& ep, const TlsOptions& tls,
                                                      absl::Time deadline, TlsInfo* info = nullptr);

// For TLS transports: renegotiate (TLS 1.2) and report whether the server went along.
// Returns an error for non-TLS transports.
absl::StatusOr<bool> TryRenegotiate(Transport* t, absl::Time deadline);
// For TLS transports: whether the server sent a CertificateRequest so far.
bool CertificateRequested(Transport* t);

// A scripted peer for in-memory tests: it is handed every octet the probe writes and
// answers through the Reply it is given. Runs synchronously inside Write().
class ScriptedPeer {
 public:
  struct Reply {
    std::string bytes;    // sent to the probe
    bool close = false;   // then the peer closes
    bool reset = false;   // then the connection is reset
  };
  virtual ~ScriptedPeer() = default;
  virtual void OnConnect(Reply* reply) {}
  virtual void OnBytes(absl::string_view bytes, Reply* reply) = 0;
};

// A transport whose other end is `peer` (owned by the caller, who keeps it alive).
std::unique_ptr<Transport> MemoryTransport(ScriptedPeer* peer);

}  // namespace probe

#endif  // H2HARNESS_CONFORMANCE_PROBE_TRANSPORT_H_
