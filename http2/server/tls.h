// TLS for the reference server (OpenSSL 3): the server context, ALPN, an ephemeral
// self-signed certificate, and the TLS rules of RFC 9113 §9.2.
//
// ALPN: "h2" is chosen whenever the client offers it. A client offering "http/1.1" but not
// "h2" gets "http/1.1" and then a plain HTTP/1.1 505 response saying the server speaks
// HTTP/2 only (a person with an HTTP/1.1-only client reads why, instead of a bare TLS
// alert); a client offering neither gets the fatal no_application_protocol alert
// (RFC 7301 §3.2). Without ALPN the first octets decide, as on cleartext.
#ifndef H2HARNESS_HTTP2_SERVER_TLS_H_
#define H2HARNESS_HTTP2_SERVER_TLS_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

namespace http2 {
namespace server {

struct TlsOptions {
  // PEM files: the certificate (chain) and its private key.
  std::string cert_file;
  std::string key_file;
  // Instead: an ephemeral certificate made at start (EC P-256, CN and SAN localhost,
  // 127.0.0.1 and ::1, valid for 7 days).
  bool self_signed = false;
  // TLS 1.2 cipher list (OpenSSL syntax). The default allows only what RFC 9113 §9.2.2
  // allows: ephemeral key exchange with AEAD ciphers, AES-128-GCM first (as h2o).
  std::string ciphers =
      "ECDHE+AES128GCM:ECDHE+AES256GCM:ECDHE+CHACHA20:DHE+AES128GCM:DHE+AES256GCM:"
      "DHE+CHACHA20";
  // TLS 1.3 suites, in the server's order of preference (all are allowed by §9.2).
  std::string ciphersuites =
      "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
};

class TlsContext {
 public:
  static absl::StatusOr<std::unique_ptr<TlsContext>> Create(const TlsOptions& options);
  ~TlsContext();

  // A server-side SSL for an accepted socket, in accept state. It reads records from `fd`
  // (noting short reads, TlsSocketDrained) but writes none there: every record it makes is
  // appended to `*sink`, which the caller sends (all records of one SSL_write leave in one
  // send(), not one write() per 16 KiB record) and must empty after each SSL_* call.
  SSL* NewSsl(int fd, std::string* sink) const;
  // The certificate in use, PEM.
  const std::string& certificate_pem() const { return cert_pem_; }
  // base64(SHA-256(SubjectPublicKeyInfo)): what Chromium's
  // --ignore-certificate-errors-spki-list takes.
  const std::string& spki_sha256() const { return spki_sha256_; }

 private:
  TlsContext() = default;
  SSL_CTX* ctx_ = nullptr;
  std::string cert_pem_;
  std::string spki_sha256_;
};

// After the handshake of a connection that chose "h2": the RFC 9113 §9.2 rule it breaks,
// if any (TLS older than 1.2, §9.2; a TLS 1.2 cipher suite of Appendix A's block list,
// §9.2.2). The server then answers with GOAWAY INADEQUATE_SECURITY (§9.2.2: "MAY").
std::optional<std::string> CheckHttp2Tls(const SSL* ssl);

// After an SSL_read of an SSL from NewSsl that returned data: true when OpenSSL holds no
// more input and its last read() of the socket came back short, so the socket was empty
// then. With edge-triggered epoll the next arrival is reported anyway, so the caller can
// wait for it instead of reading again only to get EAGAIN.
bool TlsSocketDrained(SSL* ssl);

// The error queue of OpenSSL as text (and cleared).
std::string OpenSslErrors();

}  // namespace server
}  // namespace http2

#endif  // H2HARNESS_HTTP2_SERVER_TLS_H_
