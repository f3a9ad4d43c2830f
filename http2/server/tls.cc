#include "http2/server/tls.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <errno.h>
#include <unistd.h>

#include <cstring>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace http2 {
namespace server {
namespace {

constexpr unsigned char kH2[] = "h2";
constexpr unsigned char kHttp11[] = "http/1.1";

// RFC 7301 §3.1: the client's list is length-prefixed protocol names.
bool Offers(const unsigned char* in, unsigned int inlen, const unsigned char* name,
            size_t name_len) {
  for (unsigned int i = 0; i < inlen;) {
    const unsigned int len = in[i];
    if (i + 1 + len > inlen) return false;
    if (len == name_len && std::memcmp(in + i + 1, name, len) == 0) return true;
    i += 1 + len;
  }
  return false;
}

int SelectAlpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
               unsigned int inlen, void*) {
  if (Offers(in, inlen, kH2, 2)) {
    *out = kH2;
    *outlen = 2;
    return SSL_TLSEXT_ERR_OK;
  }
  if (Offers(in, inlen, kHttp11, 8)) {
    *out = kHttp11;
    *outlen = 8;
    return SSL_TLSEXT_ERR_OK;
  }
  return SSL_TLSEXT_ERR_ALERT_FATAL;  // no_application_protocol (RFC 7301 §3.2)
}

struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
struct PkeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

absl::Status MakeSelfSigned(std::unique_ptr<X509, X509Deleter>* cert,
                            std::unique_ptr<EVP_PKEY, PkeyDeleter>* key) {
  key->reset(EVP_EC_gen("P-256"));
  if (!*key) return absl::InternalError("EVP_EC_gen(P-256): " + OpenSslErrors());
  cert->reset(X509_new());
  X509* x = cert->get();
  X509_set_version(x, 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof(serial));
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof(serial), nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x), 7 * 24 * 3600);
  X509_set_pubkey(x, key->get());
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("h2harness ephemeral"), -1,
                             -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(x, name);
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, x, x, nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair<int, const char*>{NID_subject_alt_name,
                                                        "DNS:localhost,IP:127.0.0.1,IP:::1"},
                            {NID_basic_constraints, "critical,CA:FALSE"},
                            {NID_ext_key_usage, "serverAuth"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, nid, value);
    if (!ext) return absl::InternalError("X509V3_EXT_conf_nid: " + OpenSslErrors());
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
  }
  if (X509_sign(x, key->get(), EVP_sha256()) == 0) {
    return absl::InternalError("X509_sign: " + OpenSslErrors());
  }
  return absl::OkStatus();
}

// The write side of a connection's SSL: records are appended to a string (BIO data).
int SinkWrite(BIO* bio, const char* data, size_t len, size_t* written) {
  static_cast<std::string*>(BIO_get_data(bio))->append(data, len);
  *written = len;
  return 1;
}

long SinkCtrl(BIO*, int cmd, long, void*) {
  // Nothing is ever held back, so a flush has nothing to do; other controls (kTLS, MTU,
  // pending counts) do not apply to a memory sink.
  return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

int MarkInitialized(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

// A source/sink BIO type of ours, made once: `ctrl` answers controls, `create` marks each
// BIO ready; the caller adds the read or write side.
BIO_METHOD* NewMethod(const char* name, long (*ctrl)(BIO*, int, long, void*)) {
  BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, name);
  BIO_meth_set_ctrl(m, ctrl);
  BIO_meth_set_create(m, MarkInitialized);
  return m;
}

const BIO_METHOD* SinkMethod() {
  static const BIO_METHOD* const method = [] {
    BIO_METHOD* m = NewMethod("h2harness record sink", SinkCtrl);
    BIO_meth_set_write_ex(m, SinkWrite);
    return m;
  }();
  return method;
}

// The read side: the socket, read() as OpenSSL's socket BIO does, and whether the last
// read() came back short (the socket was empty then; see TlsSocketDrained).
struct SocketReader {
  int fd;
  bool drained = false;
};

int ReaderRead(BIO* bio, char* buf, size_t len, size_t* read_bytes) {
  auto* reader = static_cast<SocketReader*>(BIO_get_data(bio));
  BIO_clear_retry_flags(bio);
  ssize_t r;
  do {
    r = read(reader->fd, buf, len);
  } while (r < 0 && errno == EINTR);
  reader->drained = r <= 0 || static_cast<size_t>(r) < len;
  if (r > 0) {
    *read_bytes = static_cast<size_t>(r);
    return 1;
  }
  if (r == 0) {
    BIO_set_flags(bio, BIO_FLAGS_IN_EOF);  // BIO_eof(): OpenSSL tells EOF from a failure
  } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
    BIO_set_retry_read(bio);
  }
  return 0;
}

long ReaderCtrl(BIO* bio, int cmd, long, void*) {
  switch (cmd) {
    case BIO_CTRL_EOF:
      return BIO_test_flags(bio, BIO_FLAGS_IN_EOF) != 0;
    case BIO_CTRL_FLUSH:
      return 1;
    default:
      return 0;  // no kTLS, no fd handed out: the connection owns the socket
  }
}

int ReaderDestroy(BIO* bio) {
  delete static_cast<SocketReader*>(BIO_get_data(bio));
  BIO_set_data(bio, nullptr);
  return 1;
}

const BIO_METHOD* ReaderMethod() {
  static const BIO_METHOD* const method = [] {
    BIO_METHOD* m = NewMethod("h2harness socket reader", ReaderCtrl);
    BIO_meth_set_read_ex(m, ReaderRead);
    BIO_meth_set_destroy(m, ReaderDestroy);
    return m;
  }();
  return method;
}

}  // namespace

bool TlsSocketDrained(SSL* ssl) {
  const auto* reader = static_cast<const SocketReader*>(BIO_get_data(SSL_get_rbio(ssl)));
  return reader->drained && !SSL_has_pending(ssl);
}

std::string OpenSslErrors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof(buf));
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "no OpenSSL error" : out;
}

absl::StatusOr<std::unique_ptr<TlsContext>> TlsContext::Create(const TlsOptions& options) {
  std::unique_ptr<TlsContext> t(new TlsContext());
  t->ctx_ = SSL_CTX_new(TLS_server_method());
  if (!t->ctx_) return absl::InternalError("SSL_CTX_new: " + OpenSslErrors());
  SSL_CTX* ctx = t->ctx_;
  // RFC 9113 §9.2: TLS 1.2 or later; §9.2.1: no compression, no renegotiation.
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                               SSL_OP_CIPHER_SERVER_PREFERENCE);
  // Buffers freed while idle. Writes never block (records go to a memory sink, see
  // NewSsl), so SSL_write always takes everything.
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
  // Read as many records as the socket has in one read(), not a header then a body.
  SSL_CTX_set_read_ahead(ctx, 1);
  if (SSL_CTX_set_cipher_list(ctx, options.ciphers.c_str()) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("TLS cipher list \"", options.ciphers, "\": ", OpenSslErrors()));
  }
  if (SSL_CTX_set_ciphersuites(ctx, options.ciphersuites.c_str()) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("TLS 1.3 ciphersuites \"", options.ciphersuites, "\": ", OpenSslErrors()));
  }
  SSL_CTX_set_alpn_select_cb(ctx, SelectAlpn, nullptr);

  X509* cert = nullptr;
  if (options.self_signed) {
    std::unique_ptr<X509, X509Deleter> c;
    std::unique_ptr<EVP_PKEY, PkeyDeleter> k;
    if (absl::Status s = MakeSelfSigned(&c, &k); !s.ok()) return s;
    if (SSL_CTX_use_certificate(ctx, c.get()) != 1 || SSL_CTX_use_PrivateKey(ctx, k.get()) != 1) {
      return absl::InternalError("ephemeral certificate: " + OpenSslErrors());
    }
  } else {
    if (options.cert_file.empty() || options.key_file.empty()) {
      return absl::InvalidArgumentError(
          "TLS needs a certificate and a key (--tls-cert and --tls-key), or --tls-self-signed");
    }
    if (SSL_CTX_use_certificate_chain_file(ctx, options.cert_file.c_str()) != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("TLS certificate ", options.cert_file, ": ", OpenSslErrors()));
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, options.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("TLS key ", options.key_file, ": ", OpenSslErrors()));
    }
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return absl::InvalidArgumentError("the TLS key does not match the certificate: " +
                                      OpenSslErrors());
  }
  cert = SSL_CTX_get0_certificate(ctx);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data;
  long len = BIO_get_mem_data(bio, &data);
  t->cert_pem_.assign(data, len);
  BIO_free(bio);
  unsigned char* der = nullptr;
  const int der_len = i2d_PUBKEY(X509_get0_pubkey(cert), &der);
  if (der_len > 0) {
    unsigned char digest[32];
    unsigned int digest_len = 0;
    EVP_Digest(der, der_len, digest, &digest_len, EVP_sha256(), nullptr);
    t->spki_sha256_ = absl::Base64Escape(
        absl::string_view(reinterpret_cast<const char*>(digest), digest_len));
    OPENSSL_free(der);
  }
  return t;
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

SSL* TlsContext::NewSsl(int fd, std::string* sink) const {
  SSL* ssl = SSL_new(ctx_);
  if (!ssl) return nullptr;
  BIO* rbio = BIO_new(ReaderMethod());
  BIO* wbio = BIO_new(SinkMethod());
  if (!rbio || !wbio) {
    BIO_free(rbio);
    BIO_free(wbio);
    SSL_free(ssl);
    return nullptr;
  }
  BIO_set_data(rbio, new SocketReader{fd});
  BIO_set_data(wbio, sink);
  SSL_set_bio(ssl, rbio, wbio);  // the SSL owns both now
  SSL_set_accept_state(ssl);
  return ssl;
}

std::optional<std::string> CheckHttp2Tls(const SSL* ssl) {
  const int version = SSL_version(ssl);
  if (version < TLS1_2_VERSION) {
    return absl::StrCat(SSL_get_version(ssl),
                        ": HTTP/2 over TLS needs TLS 1.2 or later (RFC 9113 §9.2)");
  }
  if (version >= TLS1_3_VERSION) return std::nullopt;
  // §9.2.2 and Appendix A: TLS 1.2 cipher suites must use ephemeral key exchange
  // (ECDHE, DHE) and an AEAD cipher; everything else is on the block list.
  const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl);
  if (!cipher) return std::string("no cipher suite negotiated");
  const int kx = SSL_CIPHER_get_kx_nid(cipher);
  if ((kx != NID_kx_ecdhe && kx != NID_kx_dhe) || !SSL_CIPHER_is_aead(cipher)) {
    return absl::StrCat("TLS 1.2 cipher suite ", SSL_CIPHER_get_name(cipher),
                        " is on the block list of RFC 9113 Appendix A (§9.2.2)");
  }
  return std::nullopt;
}

}  // namespace server
}  // namespace http2
