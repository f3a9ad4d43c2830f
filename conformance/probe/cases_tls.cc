// RFC 9113 §3.2 and §9.2: ALPN, TLS versions, the TLS 1.2 cipher rules, renegotiation and
// TLS 1.3 post-handshake authentication. These cases open their own TLS connections.
#include <openssl/ssl.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "conformance/probe/cases.h"
#include "conformance/probe/engine.h"

namespace probe {
namespace {

using internal::Add;

TlsOptions Options(const Exchange& ex) { return ex.target().tls_options; }

// An HTTP/2 GET over `t`; "" when it was answered, else what went wrong.
std::string H2Get(Exchange& ex, std::unique_ptr<Transport> t, uint32_t* goaway_code = nullptr) {
  Conn c(std::move(t));
  absl::Status s = c.Handshake(ex.deadline());
  if (!s.ok()) return absl::StrCat("HTTP/2 preface: ", s.message());
  Exchange inner(&c, &ex.target(), &ex.controls(), ex.deadline());
  const uint32_t id = inner.Get();
  inner.WaitResponse(id);
  for (const TraceLine& l : c.obs().trace) ex.conn().Note(absl::StrCat("[tls] ", l.text));
  if (const GoAwayObs* g = c.obs().goaway()) {
    if (goaway_code) *goaway_code = g->code;
    return absl::StrCat("GOAWAY ", http2::ErrorCodeToString(g->code));
  }
  const StreamObs* o = c.obs().stream(id);
  if (!o || o->status == 0) return c.obs().closed ? "connection closed" : "no response";
  return "";
}

}  // namespace

void AddTlsCases(std::vector<Case>* v) {
  auto tls = [&](std::string id, Level level, std::string req, std::string sends,
                 std::function<void(Exchange&)> run) -> Case& {
    Case& c = Add(v, std::move(id), level, std::move(req), std::move(sends), Custom(), std::move(run));
    c.tls_only = true;
    return c;
  };
  tls("9113/3.2/1", Level::kMust,
      "HTTP/2 over TLS uses the \"h2\" protocol identifier. ... Once TLS negotiation is complete, "
      "both the client and the server MUST send a connection preface (Section 3.4).",
      "TLS with ALPN [h2]; the server selects h2 and sends its SETTINGS", [](Exchange& ex) {
        TlsInfo info;
        TlsOptions o = Options(ex);
        auto t = ex.Connect(&o, &info);
        if (!t.ok()) return ex.Fail(absl::StrCat("TLS: ", t.status().message()));
        if (info.alpn != "h2") return ex.Fail(absl::StrCat("ALPN selected \"", info.alpn, "\", not h2"));
        const std::string err = H2Get(ex, std::move(*t));
        if (!err.empty()) return ex.Fail(err);
        ex.Pass(absl::StrCat(info.version, " ", info.cipher));
      });
  tls("9113/3.2/2", Level::kMust,
      "The \"h2c\" protocol identifier MUST NOT be sent by a client or selected by a server; the "
      "\"h2c\" protocol identifier describes a protocol that does not use TLS.",
      "TLS with ALPN [h2c, http/1.1]", [](Exchange& ex) {
        TlsInfo info;
        TlsOptions o = Options(ex);
        o.alpn = {"h2c", "http/1.1"};
        auto t = ex.Connect(&o, &info);
        if (info.alpn == "h2c") return ex.Fail("the server selected ALPN h2c over TLS");
        ex.Pass(t.ok() ? absl::StrCat("selected \"", info.alpn, "\"") : "handshake refused");
      });
  tls("9113/9.2/1", Level::kMust,
      "Implementations of HTTP/2 MUST use TLS version 1.2 [TLS12] or higher for HTTP/2 over TLS.",
      "TLS with ALPN [h2] offering only TLS 1.0 and 1.1", [](Exchange& ex) {
        TlsInfo info;
        TlsOptions o = Options(ex);
        o.min_version = TLS1_VERSION;
        o.max_version = TLS1_1_VERSION;
        auto t = ex.Connect(&o, &info);
        if (t.ok() && info.alpn == "h2") {
          return ex.Fail(absl::StrCat("HTTP/2 negotiated over ", info.version));
        }
        ex.Pass(t.ok() ? absl::StrCat(info.version, " without h2") : "handshake refused");
      });
  tls("9113/9.2/2", Level::kMust,
      "Implementations of HTTP/2 MUST use TLS version 1.2 [TLS12] or higher for HTTP/2 over TLS.",
      "TLS with ALPN [h2], any version: the negotiated version", [](Exchange& ex) {
        TlsInfo info;
        TlsOptions o = Options(ex);
        auto t = ex.Connect(&o, &info);
        if (!t.ok()) return ex.Fail(absl::StrCat("TLS: ", t.status().message()));
        if (info.version_number < TLS1_2_VERSION) return ex.Fail(absl::StrCat("negotiated ", info.version));
        ex.Pass(info.version);
      });
  auto tls12 = [](Exchange& ex, const std::string& ciphers, TlsInfo* info) {
    TlsOptions o = Options(ex);
    o.min_version = o.max_version = TLS1_2_VERSION;
    o.cipher_list = ciphers;
    if (!ciphers.empty()) o.groups = "P-256";
    return ex.Connect(&o, info);
  };
  tls("9113/9.2.2/1", Level::kMust,
      "deployments of HTTP/2 that use TLS 1.2 MUST support TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 "
      "[TLS-ECDHE] with the P-256 elliptic curve [RFC8422].",
      "TLS 1.2 offering only ECDHE-RSA-AES128-GCM-SHA256 on P-256, ALPN [h2]", [tls12](Exchange& ex) {
        TlsInfo any;
        if (!tls12(ex, "", &any).ok()) return ex.Skip("the server does not offer TLS 1.2");
        if (any.key_type != "RSA") return ex.Skip(absl::StrCat("the server's key is ", any.key_type, ", not RSA"));
        TlsInfo info;
        auto t = tls12(ex, "ECDHE-RSA-AES128-GCM-SHA256", &info);
        if (!t.ok()) return ex.Fail(absl::StrCat("handshake failed: ", t.status().message()));
        if (info.alpn != "h2") return ex.Fail(absl::StrCat("ALPN \"", info.alpn, "\""));
        ex.Pass(info.cipher);
      });
  tls("9113/9.2.2/2", Level::kShould,
      "A deployment of HTTP/2 over TLS 1.2 SHOULD NOT use any of the prohibited cipher suites "
      "listed in Appendix A. Endpoints MAY choose to generate a connection error (Section 5.4.1) "
      "of type INADEQUATE_SECURITY if one of the prohibited cipher suites is negotiated.",
      "TLS 1.2 offering only TLS_RSA_WITH_AES_128_CBC_SHA (prohibited), ALPN [h2]", [tls12](Exchange& ex) {
        TlsInfo any;
        if (!tls12(ex, "", &any).ok()) return ex.Skip("the server does not offer TLS 1.2");
        TlsInfo info;
        auto t = tls12(ex, "AES128-SHA", &info);
        if (!t.ok()) return ex.Pass("handshake refused");
        if (info.alpn != "h2") return ex.Pass(absl::StrCat("ALPN \"", info.alpn, "\" with the prohibited suite"));
        uint32_t code = 0;
        const std::string err = H2Get(ex, std::move(*t), &code);
        if (code == static_cast<uint32_t>(http2::ErrorCode::kInadequateSecurity)) return ex.Pass("GOAWAY INADEQUATE_SECURITY");
        ex.Tolerate(absl::StrCat("HTTP/2 over ", info.cipher, " (prohibited; a SHOULD NOT)"));
      });
  tls("9113/9.2.2/3", Level::kMust,
      "Implementations MUST NOT generate this error in reaction to the negotiation of a cipher "
      "suite that is not prohibited.",
      "TLS 1.2 with ECDHE-RSA-AES128-GCM-SHA256 or ECDHE-ECDSA-AES128-GCM-SHA256; GET",
      [tls12](Exchange& ex) {
        TlsInfo info;
        auto t = tls12(ex, "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256", &info);
        if (!t.ok()) return ex.Skip("no TLS 1.2 handshake with these suites");
        uint32_t code = 0;
        const std::string err = H2Get(ex, std::move(*t), &code);
        if (!err.empty()) return ex.Fail(absl::StrCat(info.cipher, ": ", err));
        ex.Pass(info.cipher);
      });
  tls("9113/9.2.1/1", Level::kMust,
      "A deployment of HTTP/2 over TLS 1.2 MUST disable renegotiation. An endpoint MUST treat a "
      "TLS renegotiation as a connection error (Section 5.4.1) of type PROTOCOL_ERROR.",
      "TLS 1.2 HTTP/2 connection; after the preface the client starts a renegotiation",
      [tls12](Exchange& ex) {
        TlsInfo info;
        auto t = tls12(ex, "", &info);
        if (!t.ok()) return ex.Skip("the server does not offer TLS 1.2");
        Conn c(std::move(*t));
        if (!c.Handshake(ex.deadline()).ok()) return ex.Fail("HTTP/2 preface failed");
        absl::StatusOr<bool> r = TryRenegotiate(c.transport(), ex.deadline());
        if (!r.ok()) return ex.Skip(std::string(r.status().message()));
        if (!*r) return ex.Pass("renegotiation refused");
        // Completed: the server must now end the connection with PROTOCOL_ERROR.
        const uint64_t p = c.SendPing(ex.deadline());
        c.WaitFor([&] { return c.PingAcked(p); }, ex.deadline());
        if (const GoAwayObs* g = c.obs().goaway()) return ex.Pass(absl::StrCat("GOAWAY ", http2::ErrorCodeToString(g->code)));
        if (c.obs().closed) return ex.Pass("closed after renegotiation");
        ex.Fail("the server renegotiated TLS 1.2 and the HTTP/2 connection went on");
      });
  tls("9113/9.2.3/1", Level::kMust,
      "HTTP/2 servers MUST NOT send post-handshake TLS 1.3 CertificateRequest messages.",
      "TLS 1.3 with the post_handshake_auth extension offered; GET; no CertificateRequest",
      [](Exchange& ex) {
        TlsInfo info;
        TlsOptions o = Options(ex);
        o.min_version = TLS1_3_VERSION;
        o.post_handshake_auth = true;
        auto t = ex.Connect(&o, &info);
        if (!t.ok()) return ex.Skip("the server does not offer TLS 1.3");
        Transport* raw = t->get();
        Conn c(std::move(*t));
        if (!c.Handshake(ex.deadline()).ok()) return ex.Fail("HTTP/2 preface failed");
        Exchange inner(&c, &ex.target(), &ex.controls(), ex.deadline());
        inner.WaitResponse(inner.Get());
        c.Sync(ex.deadline());
        if (CertificateRequested(raw)) return ex.Fail("the server sent a post-handshake CertificateRequest");
        ex.Pass();
      });
}

}  // namespace probe
