// Tests for http2/field_validation.h, by RFC section. Each malformed input asserts the
// exact FieldErrorCode, and the option that relaxes it.
#include "http2/field_validation.h"
#include "http2/field_validation_testdata.h"

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace http2 {
namespace {

using Fields = testdata::Fields;
using C = FieldErrorCode;
using K = FieldBlockKind;

// Runs one block through a fresh validator; returns the error code (kOk when valid).
// `end_stream` unset: the one-argument StartBlock.
FieldErrorCode Check(K kind, const Fields& fields, const FieldValidationOptions& o = {},
                     std::optional<bool> end_stream = std::nullopt,
                     FieldValidator* out = nullptr) {
  FieldValidator local(o);
  FieldValidator& v = out ? *out : local;
  if (out) v.set_options(o);
  if (end_stream.has_value()) {
    v.StartBlock(kind, *end_stream);
  } else {
    v.StartBlock(kind);
  }
  bool ok = true;
  for (const auto& [n, val] : fields) {
    if (!v.OnField(n, val)) {
      ok = false;
      break;
    }
  }
  if (ok) ok = v.FinishBlock();
  EXPECT_EQ(ok, v.ok());
  EXPECT_EQ(ok, v.error().code == C::kOk) << v.error().message;
  return v.error().code;
}

const Fields kGet = {{":method", "GET"},
                     {":scheme", "https"},
                     {":authority", "example.org"},
                     {":path", "/resource"}};

Fields With(Fields base, const Fields& more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

Fields Replace(Fields base, const std::string& name, const std::string& value) {
  for (auto& f : base) {
    if (f.first == name) f.second = value;
  }
  return base;
}

Fields Without(Fields base, const std::string& name) {
  Fields out;
  for (auto& f : base) {
    if (f.first != name) out.push_back(f);
  }
  return out;
}

FieldValidationOptions Opts(const std::function<void(FieldValidationOptions&)>& f) {
  FieldValidationOptions o;
  f(o);
  return o;
}

// ---------------------------------------------------------------------------------------
// RFC 9113 §8.8: the RFC's own examples, in its notation, are valid.

TEST(Rfc9113Examples, SimpleRequest_8_8_1) {
  FieldValidator v;
  EXPECT_EQ(Check(K::kRequest,
                  {{":method", "GET"},
                   {":scheme", "https"},
                   {":authority", "example.org"},
                   {":path", "/resource"},
                   {"host", "example.org"},
                   {"accept", "image/jpeg"}},
                  {}, true, &v),
            C::kOk);
  EXPECT_EQ(v.method(), "GET");
  EXPECT_EQ(v.scheme(), "https");
  EXPECT_EQ(v.authority(), "example.org");
  EXPECT_EQ(v.path(), "/resource");
  EXPECT_EQ(v.host(), "example.org");
  EXPECT_TRUE(v.has_authority());
  EXPECT_TRUE(v.has_host());
  EXPECT_FALSE(v.is_connect());
  EXPECT_FALSE(v.is_head());
  EXPECT_FALSE(v.content_length().has_value());
}

TEST(Rfc9113Examples, SimpleResponse_8_8_2) {
  FieldValidator v;
  EXPECT_EQ(Check(K::kResponse,
                  {{":status", "304"}, {"etag", "\"xyzzy\""},
                   {"expires", "Thu, 23 Jan 2025 00:00:00 GMT"}},
                  {}, true, &v),
            C::kOk);
  EXPECT_EQ(v.status(), 304);
  EXPECT_FALSE(v.is_informational());
}

TEST(Rfc9113Examples, ComplexRequest_8_8_3) {
  FieldValidator v;
  // Fields split over HEADERS + CONTINUATION arrive as one block.
  EXPECT_EQ(Check(K::kRequest,
                  {{":method", "POST"},
                   {":authority", "example.org"},
                   {":path", "/resource"},
                   {":scheme", "https"},
                   {"content-type", "image/jpeg"},
                   {"host", "example.org"},
                   {"content-length", "123"}},
                  {}, false, &v),
            C::kOk);
  ASSERT_EQ(v.content_length(), std::optional<uint64_t>(123));
  ContentLengthTracker t = ContentLengthTracker::ForRequest(v);
  EXPECT_TRUE(t.OnData(100));
  EXPECT_TRUE(t.OnData(23));
  EXPECT_TRUE(t.OnEndStream());
}

TEST(Rfc9113Examples, ResponseWithBody_8_8_4) {
  FieldValidator v;
  EXPECT_EQ(Check(K::kResponse,
                  {{":status", "200"}, {"content-type", "image/jpeg"},
                   {"content-length", "123"}},
                  {}, false, &v),
            C::kOk);
  ContentLengthTracker t = ContentLengthTracker::ForResponse(v, false, false);
  EXPECT_TRUE(t.OnData(123));
  EXPECT_TRUE(t.OnEndStream());
}

TEST(Rfc9113Examples, InformationalResponseAndTrailers_8_8_5) {
  FieldValidator v;
  EXPECT_EQ(Check(K::kResponse, {{":status", "100"}, {"extension-field", "bar"}}, {}, false, &v),
            C::kOk);
  EXPECT_TRUE(v.is_informational());
  ContentLengthTracker interim = ContentLengthTracker::ForResponse(v, false, false);
  EXPECT_EQ(Check(K::kResponse,
                  {{":status", "200"}, {"content-type", "image/jpeg"}, {"trailer", "Foo"}},
                  {}, false, &v),
            C::kOk);
  ContentLengthTracker t = ContentLengthTracker::ForResponse(v, false, false);
  EXPECT_TRUE(t.OnData(123));
  EXPECT_EQ(Check(K::kTrailers, {{"foo", "bar"}}, {}, true, &v), C::kOk);
  EXPECT_TRUE(t.OnEndStream());
  (void)interim;
}

// What real clients send (captured from curl 7.88.1, nghttp 1.52.0, Node.js 20 and headless
// Chromium on Debian 12 against a python3-h2 server) is valid under the defaults. curl and
// Chromium send '[', ']' and '|' unescaped in :path, which is why validate_path is opt-in.

TEST(RealClients, RequestsAreValid) {
  const std::vector<testdata::ClientRequest> clients = testdata::CapturedRequests();
  for (const auto& [who, fields] : clients) {
    EXPECT_EQ(Check(K::kRequest, fields, {}, true), C::kOk) << who;
    EXPECT_EQ(Check(K::kRequest, fields, Opts([](auto& o) { o.require_authority_or_host = true; }),
                    true),
              C::kOk)
        << who;
  }
  const auto strict = Opts([](auto& o) { o.validate_path = true; });
  EXPECT_EQ(Check(K::kRequest, clients[0].fields, strict), C::kInvalidPath);
  EXPECT_EQ(Check(K::kRequest, clients[3].fields, strict), C::kInvalidPath);
}

// ---------------------------------------------------------------------------------------
// §8.2.1 field names: every octet, against the RFC's ranges written out independently.

TEST(FieldNames_8_2_1, EveryOctetInARegularName) {
  const std::string tchar_specials = "!#$%&'*+-.^_`|~";
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    const std::string name = std::string("x") + c + "y";
    C want;
    if (b <= 0x20 || b >= 0x7f || b == ':') {
      want = C::kInvalidNameChar;  // §8.2.1 MUST
    } else if (b >= 'A' && b <= 'Z') {
      want = C::kUppercaseName;  // §8.2.1 MUST
    } else if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') ||
               tchar_specials.find(c) != std::string::npos) {
      want = C::kOk;
    } else {
      want = C::kNonTokenNameChar;  // RFC 9110 §5.1 via §8.2.1 SHOULD
    }
    EXPECT_EQ(Check(K::kRequest, With(kGet, {{name, "v"}})), want) << "octet " << b;
    // allow_non_token_names relaxes only the SHOULD.
    const C relaxed = want == C::kNonTokenNameChar ? C::kOk : want;
    EXPECT_EQ(Check(K::kRequest, With(kGet, {{name, "v"}}),
                    Opts([](auto& o) { o.allow_non_token_names = true; })),
              relaxed)
        << "octet " << b;
  }
}

TEST(FieldNames_8_2_1, UppercaseIsMalformedEverywhere) {
  EXPECT_EQ(Check(K::kRequest, With(kGet, {{"Accept", "*/*"}})), C::kUppercaseName);
  EXPECT_EQ(Check(K::kResponse, {{":status", "200"}, {"Content-Type", "a"}}), C::kUppercaseName);
  EXPECT_EQ(Check(K::kTrailers, {{"X-Trailer", "a"}}), C::kUppercaseName);
  // A pseudo-header field with an uppercase letter is not ":path" either.
  EXPECT_EQ(Check(K::kRequest, {{":method", "GET"}, {":scheme", "https"}, {":Path", "/"}}),
            C::kUppercaseName);
}

TEST(FieldNames_8_2_1, ColonOnlyAsFirstOctetOfAPseudoHeader) {
  EXPECT_EQ(Check(K::kRequest, With(kGet, {{"a:b", "v"}})), C::kInvalidNameChar);
  EXPECT_EQ(Check(K::kRequest, {{"::path", "/"}}), C::kInvalidNameChar);
  EXPECT_EQ(Check(K::kRequest, {{":", "x"}}), C::kUnknownPseudoHeader);
}

TEST(FieldNames_8_2_1, EmptyName) {
  EXPECT_EQ(Check(K::kRequest, With(kGet, {{"", "v"}})), C::kEmptyName);
}

// ---------------------------------------------------------------------------------------
// §8.2.1 field values (RFC 9110 §5.5): every octet inside a value.

TEST(FieldValues_8_2_1, EveryOctetInsideAValue) {
  for (int b = 0; b < 256; ++b) {
    const std::string value = std::string("a") + static_cast<char>(b) + "z";
    C want = C::kOk;
    if (b == 0x00 || b == 0x0a || b == 0x0d) {
      want = C::kInvalidValueChar;  // §8.2.1 MUST
    } else if ((b < 0x20 && b != 0x09) || b == 0x7f) {
      want = C::kValueControlChar;  // RFC 9110 §5.5, §8.2.1 SHOULD
    }
    EXPECT_EQ(Check(K::kRequest, With(kGet, {{"x", value}})), want) << "octet " << b;
    // obs-text only when refused explicitly.
    const C strict_obs = b >= 0x80 ? C::kValueObsText : want;
    EXPECT_EQ(Check(K::kRequest, With(kGet, {{"x", value}}),
                    Opts([](auto& o) { o.allow_obs_text = false; })),
              strict_obs)
        << "octet " << b;
    const C relaxed_ctl = want == C::kValueControlChar ? C::kOk : want;
    EXPECT_EQ(Check(K::kRequest, With(kGet, {{"x", value}}),
                    Opts([](auto& o) { o.allow_ctl_in_values = true; })),
              relaxed_ctl)
        << "octet " << b;
  }
}

TEST(FieldValues_8_2_1, BadOctetAtEveryPositionOfLongValues) {
  // Regular values are scanned 8 octets at a time: every length and offset.
  const auto no_obs = Opts([](auto& o) { o.allow_obs_text = false; });
  for (size_t len = 1; len <= 26; ++len) {
    for (size_t pos = 0; pos < len; ++pos) {
      std::string v(len, 'a');
      for (const auto& [octet, want] : std::vector<std::pair<char, C>>{
               {'\0', C::kInvalidValueChar}, {'\n', C::kInvalidValueChar},
               {'\r', C::kInvalidValueChar}, {'\x1f', C::kValueControlChar},
               {'\x7f', C::kValueControlChar}, {'\x80', C::kValueObsText},
               {'\xff', C::kValueObsText}, {'~', C::kOk}, {'\t', C::kOk}}) {
        v[pos] = octet;
        const bool edge_ws = octet == '\t' && (pos == 0 || pos == len - 1);
        EXPECT_EQ(Check(K::kRequest, With(kGet, {{"x", v}}), no_obs),
                  edge_ws ? C::kValueWhitespace : want)
            << "len " << len << " pos " << pos << " octet " << int(octet);
      }
    }
  }
}

TEST(FieldValues_8_2_1, LeadingAndTrailingWhitespace) {
  for (const char* v : {" a", "a ", "\ta", "a\t", " ", "\t", "  a  "}) {
    EXPECT_EQ(Check(K::kRequest, With(kGet, {{"x", v}})), C::kValueWhitespace) << v;
    EXPECT_EQ(Check(K::kRequest, With(kGet, {{"x", v}}),
                    Opts([](auto& o) { o.no_rfc9113_leading_and_trailing_ws_validation = true; })),
              C::kOk)
        << v;
  }
  // Inside a value whitespace is fine.
  EXPECT_EQ(Check(K::kRequest, With(kGet, {{"x", "a b\tc"}})), C::kOk);
  // Like nghttp2, the relaxation never applies to pseudo-header fields.
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":path", "/ "),
                  Opts([](auto& o) { o.no_rfc9113_leading_and_trailing_ws_validation = true; })),
            C::kValueWhitespace);
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":method", " GET")), C::kValueWhitespace);
}

TEST(FieldValues_8_2_1, EmptyValuesAreValid) {
  EXPECT_EQ(Check(K::kRequest, With(kGet, {{"x-empty", ""}, {"accept", ""}})), C::kOk);
  EXPECT_EQ(Check(K::kTrailers, {{"x-empty", ""}}, {}, true), C::kOk);
}

TEST(FieldValues_8_2_1, ObsTextAllowedByDefault) {
  EXPECT_EQ(Check(K::kResponse, {{":status", "200"}, {"x-name", "caf\xc3\xa9"}}), C::kOk);
  EXPECT_EQ(Check(K::kResponse, {{":status", "200"}, {"x-name", "caf\xc3\xa9"}},
                  Opts([](auto& o) { o.allow_obs_text = false; })),
            C::kValueObsText);
}

// ---------------------------------------------------------------------------------------
// §8.2.2 connection-specific fields.

TEST(ConnectionSpecific_8_2_2, MalformedInEveryKindOfBlock) {
  for (const char* name :
       {"connection", "proxy-connection", "keep-alive", "transfer-encoding", "upgrade"}) {
    EXPECT_EQ(Check(K::kRequest, With(kGet, {{name, "x"}})), C::kConnectionSpecificField)
        << name;
    EXPECT_EQ(Check(K::kResponse, {{":status", "200"}, {name, "x"}}),
              C::kConnectionSpecificField)
        << name;
    EXPECT_EQ(Check(K::kTrailers, {{name, "x"}}), C::kConnectionSpecificField) << name;
    EXPECT_EQ(Check(K::kPushPromise, With(kGet, {{name, "x"}})), C::kConnectionSpecificField)
        << name;
    EXPECT_EQ(Check(K::kRequest, With(kGet, {{name, "x"}}),
                    Opts([](auto& o) { o.validate_http_headers = false; })),
              C::kOk);
  }
  // Names that merely look alike are fine.
  EXPECT_EQ(Check(K::kRequest, With(kGet, {{"connections", "x"}, {"upgrade-insecure-requests",
                                                                    "1"}})),
            C::kOk);
}

TEST(ConnectionSpecific_8_2_2, TeOnlyTrailers) {
  EXPECT_EQ(Check(K::kRequest, With(kGet, {{"te", "trailers"}})), C::kOk);
  // "trailers" is an ABNF literal: case-insensitive (RFC 5234 §2.3).
  EXPECT_EQ(Check(K::kRequest, With(kGet, {{"te", "Trailers"}})), C::kOk);
  EXPECT_EQ(Check(K::kRequest, With(kGet, {{"te", "gzip"}})), C::kInvalidTe);
  EXPECT_EQ(Check(K::kRequest, With(kGet, {{"te", "trailers, deflate"}})), C::kInvalidTe);
  EXPECT_EQ(Check(K::kRequest, With(kGet, {{"te", ""}})), C::kInvalidTe);
  EXPECT_EQ(Check(K::kTrailers, {{"te", "gzip"}}), C::kInvalidTe);
}

// ---------------------------------------------------------------------------------------
// §8.2.3 cookies.

TEST(Cookies_8_2_3, JoinCrumbsInOrderAtTheFirstPlace) {
  hpack::HeaderList fields = {{":method", "GET"}, {"cookie", "a=b"},   {"accept", "*/*"},
                              {"cookie", "c=d"},  {"x", "y"},          {"cookie", "e=f"}};
  JoinCookieCrumbs(&fields);
  const hpack::HeaderList want = {
      {":method", "GET"}, {"cookie", "a=b; c=d; e=f"}, {"accept", "*/*"}, {"x", "y"}};
  EXPECT_EQ(fields, want);
}

TEST(Cookies_8_2_3, JoinKeepsSingleAndAbsentCookiesAsIs) {
  hpack::HeaderList one = {{"cookie", "a=b"}, {"x", "y"}};
  JoinCookieCrumbs(&one);
  EXPECT_EQ(one, (hpack::HeaderList{{"cookie", "a=b"}, {"x", "y"}}));
  hpack::HeaderList none = {{"x", "y"}};
  JoinCookieCrumbs(&none);
  EXPECT_EQ(none, (hpack::HeaderList{{"x", "y"}}));
}

TEST(Cookies_8_2_3, JoinKeepsNeverIndexed) {
  hpack::HeaderList fields = {{"cookie", "a=b"}, {"cookie", "secret=1", true}};
  JoinCookieCrumbs(&fields);
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0].value, "a=b; secret=1");
  EXPECT_TRUE(fields[0].never_indexed);
}

TEST(Cookies_8_2_3, AppendCookieCrumbOnViews) {
  std::string joined;
  for (absl::string_view crumb : {"a=b", "c=d", "e=f"}) AppendCookieCrumb(&joined, crumb);
  EXPECT_EQ(joined, "a=b; c=d; e=f");
}

TEST(Cookies_8_2_3, CrumbleThenJoinRoundTrips) {
  hpack::HeaderList fields = {{"x", "1"}, {"cookie", "a=b; c=d;e=f", true}, {"y", "2"}};
  CrumbleCookies(&fields);
  const hpack::HeaderList crumbs = {
      {"x", "1"},
      {"cookie", "a=b", true},
      {"cookie", "c=d", true},
      {"cookie", "e=f", true},
      {"y", "2"}};
  // HeaderField's == compares the never-indexed mark too: each crumb keeps it (§7.1.3).
  EXPECT_EQ(fields, crumbs);
  JoinCookieCrumbs(&fields);
  EXPECT_EQ(fields,
            (hpack::HeaderList{{"x", "1"}, {"cookie", "a=b; c=d; e=f", true}, {"y", "2"}}));
}

// ---------------------------------------------------------------------------------------
// §8.3 pseudo-header fields.

TEST(PseudoHeaders_8_3, Unknown) {
  EXPECT_EQ(Check(K::kRequest, With({{":foo", "x"}}, kGet)), C::kUnknownPseudoHeader);
  EXPECT_EQ(Check(K::kResponse, {{":status", "200"}, {":reason", "OK"}}),
            C::kUnknownPseudoHeader);
}

TEST(PseudoHeaders_8_3, WrongKind) {
  EXPECT_EQ(Check(K::kRequest, With(kGet, {})), C::kOk);
  Fields req_with_status = kGet;
  req_with_status.insert(req_with_status.begin(), {":status", "200"});
  EXPECT_EQ(Check(K::kRequest, req_with_status), C::kResponsePseudoHeaderInRequest);
  EXPECT_EQ(Check(K::kPushPromise, req_with_status), C::kResponsePseudoHeaderInRequest);
  for (const char* name : {":method", ":scheme", ":authority", ":path", ":protocol"}) {
    EXPECT_EQ(Check(K::kResponse, {{":status", "200"}, {name, "x"}}),
              C::kRequestPseudoHeaderInResponse)
        << name;
  }
}

TEST(PseudoHeaders_8_3, NoneInTrailers) {
  for (const char* name : {":method", ":scheme", ":authority", ":path", ":status", ":x"}) {
    EXPECT_EQ(Check(K::kTrailers, {{name, "x"}}, {}, true), C::kPseudoHeaderInTrailers) << name;
  }
}

TEST(PseudoHeaders_8_3, AllBeforeRegularFields) {
  Fields f = {{":method", "GET"}, {":scheme", "https"}, {"accept", "*/*"}, {":path", "/"}};
  EXPECT_EQ(Check(K::kRequest, f), C::kPseudoHeaderAfterRegular);
  EXPECT_EQ(Check(K::kResponse, {{"server", "x"}, {":status", "200"}}),
            C::kPseudoHeaderAfterRegular);
}

TEST(PseudoHeaders_8_3, NoDuplicates) {
  for (const auto& [n, v] : kGet) {
    Fields f = kGet;
    f.insert(f.begin() + 1, {n, v});
    EXPECT_EQ(Check(K::kRequest, f), C::kDuplicatePseudoHeader) << n;
  }
  EXPECT_EQ(Check(K::kResponse, {{":status", "200"}, {":status", "200"}}),
            C::kDuplicatePseudoHeader);
  EXPECT_EQ(Check(K::kRequest, {{":method", "CONNECT"},
                                {":protocol", "websocket"},
                                {":protocol", "websocket"}}),
            C::kDuplicatePseudoHeader);
}

TEST(PseudoHeaders_8_3, AnyOrderAmongPseudoHeaders) {
  EXPECT_EQ(Check(K::kRequest, {{":path", "/"}, {":authority", "a"}, {":scheme", "http"},
                                {":method", "GET"}}),
            C::kOk);
}

// ---------------------------------------------------------------------------------------
// §8.3.1 request pseudo-header fields.

TEST(RequestPseudoHeaders_8_3_1, Required) {
  EXPECT_EQ(Check(K::kRequest, Without(kGet, ":method")), C::kMissingMethod);
  EXPECT_EQ(Check(K::kRequest, Without(kGet, ":scheme")), C::kMissingScheme);
  EXPECT_EQ(Check(K::kRequest, Without(kGet, ":path")), C::kMissingPath);
  EXPECT_EQ(Check(K::kRequest, {}), C::kMissingMethod);
  // :authority is not required (RFC 9110 §7.1: the server's default authority applies).
  EXPECT_EQ(Check(K::kRequest, Without(kGet, ":authority")), C::kOk);
  // Missing fields are found at the end of the block, not before.
  FieldValidator v;
  v.StartBlock(K::kRequest);
  EXPECT_TRUE(v.OnField(":method", "GET"));
  EXPECT_FALSE(v.FinishBlock());
  EXPECT_EQ(v.error().code, C::kMissingScheme);
}

TEST(RequestPseudoHeaders_8_3_1, Method) {
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":method", "")), C::kInvalidMethod);
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":method", "GE(T")), C::kInvalidMethod);
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":method", "G T")), C::kInvalidMethod);
  // Any token is a method (RFC 9110 §9.1); methods are case-sensitive, "get" is not GET.
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":method", "PROPFIND")), C::kOk);
  FieldValidator v;
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":method", "head"), {}, std::nullopt, &v), C::kOk);
  EXPECT_FALSE(v.is_head());
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":method", "HEAD"), {}, std::nullopt, &v), C::kOk);
  EXPECT_TRUE(v.is_head());
}

TEST(RequestPseudoHeaders_8_3_1, Scheme) {
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":scheme", "")), C::kInvalidScheme);
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":scheme", "1http")), C::kInvalidScheme);
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":scheme", "ht_tp")), C::kInvalidScheme);
  // Not restricted to http/https (§8.3.1); schemes are case-insensitive (RFC 3986 §3.1).
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":scheme", "coap+tcp")), C::kOk);
  EXPECT_EQ(Check(K::kRequest, Replace(Replace(kGet, ":scheme", "HTTPS"), ":path", "x")),
            C::kPathNotAbsolute);
}

TEST(RequestPseudoHeaders_8_3_1, PathForHttpSchemes) {
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":path", "")), C::kEmptyPath);
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":path", "index.html")), C::kPathNotAbsolute);
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":path", "https://example.org/")),
            C::kPathNotAbsolute);
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":path", "/a/b?c=d&e=%41")), C::kOk);
  // Other schemes: only asterisk-form is constrained.
  EXPECT_EQ(Check(K::kRequest, Replace(Replace(kGet, ":scheme", "foo"), ":path", "")), C::kOk);
  EXPECT_EQ(Check(K::kRequest, Replace(Replace(kGet, ":scheme", "foo"), ":path", "x")), C::kOk);
}

TEST(RequestPseudoHeaders_8_3_1, AsteriskOnlyForOptions) {
  const Fields options = Replace(Replace(kGet, ":method", "OPTIONS"), ":path", "*");
  EXPECT_EQ(Check(K::kRequest, options), C::kOk);
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":path", "*")), C::kAsteriskPathNotOptions);
  EXPECT_EQ(Check(K::kRequest, Replace(Replace(kGet, ":scheme", "foo"), ":path", "*")),
            C::kAsteriskPathNotOptions);
  EXPECT_EQ(Check(K::kRequest, Replace(options, ":path", "/")), C::kOk);
}

TEST(RequestPseudoHeaders_8_3_1, PathNeverHasSpacesOrControls) {
  for (const char* bad : {"/a b", "/a\tb", "/a\x01", "/a\x7f", "/a\x1f?q"}) {
    // A CTL is already refused as a field value (RFC 9110 §5.5); :path refuses it even when
    // values may carry CTLs.
    const bool ctl = std::string(bad).find_first_of(" \t") == std::string::npos;
    EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":path", bad)),
              ctl ? C::kValueControlChar : C::kInvalidPath)
        << bad;
    EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":path", bad),
                    Opts([](auto& o) { o.allow_ctl_in_values = true; })),
              C::kInvalidPath)
        << bad;
    EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":path", bad),
                    Opts([](auto& o) { o.validate_http_headers = false; })),
              C::kOk)
        << bad;
  }
}

TEST(RequestPseudoHeaders_8_3_1, PathCharactersWithValidatePath) {
  const auto strict = Opts([](auto& o) { o.validate_path = true; });
  // What browsers send unescaped (WHATWG URL) is accepted by default.
  for (const char* bad : {"/a\"b", "/<x>", "/a\\b", "/{x}", "/a|b", "/a^b", "/a`b",
                          "/caf\xc3\xa9", "/%zz", "/%4", "/a%", "/api?filter[name]=x",
                          "/a#frag"}) {
    EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":path", bad)), C::kOk) << bad;
    EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":path", bad), strict), C::kInvalidPath) << bad;
  }
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":path", "/a#frag"),
                  Opts([](auto& o) {
                    o.validate_path = true;
                    o.allow_fragment_in_path = true;
                  })),
            C::kOk);
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":path", "/!$&'()*+,;=:@-._~/?q=/?%2F"), strict),
            C::kOk);
  EXPECT_EQ(Check(K::kRequest, Replace(Replace(kGet, ":method", "OPTIONS"), ":path", "*"), strict),
            C::kOk);
}

TEST(RequestPseudoHeaders_8_3_1, Authority) {
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":authority", "example.org:8443")), C::kOk);
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":authority", "[::1]:8443")), C::kOk);
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":authority", "127.0.0.1")), C::kOk);
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":authority", "ex%41mple.org")), C::kOk);
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":authority", "exa mple.org")),
            C::kInvalidAuthority);
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":authority", "example.org/x")),
            C::kInvalidAuthority);
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":authority", "ex%zzample")), C::kInvalidAuthority);
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":authority", "")), C::kInvalidAuthority);
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":authority", ":443")), C::kInvalidAuthority);
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":authority", "example.org:https")),
            C::kInvalidAuthority);
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":authority", "[::1")), C::kInvalidAuthority);
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":authority", "user:pw@example.org")),
            C::kAuthorityUserinfo);
  // userinfo is only deprecated for http and https.
  EXPECT_EQ(Check(K::kRequest,
                  Replace(Replace(kGet, ":scheme", "ftp"), ":authority", "user@example.org")),
            C::kOk);
  for (const char* bad : {"exa mple.org", "", "user@example.org", "[::1"}) {
    EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":authority", bad),
                    Opts([](auto& o) { o.validate_authority = false; })),
              C::kOk)
        << bad;
  }
}

TEST(RequestPseudoHeaders_8_3_1, HostAgreesWithAuthority) {
  // Same entity after case, percent-encoding and scheme-based normalization (RFC 3986 §6.2).
  for (const char* host : {"example.org", "EXAMPLE.org", "example.org:443", "example.org:",
                           "%65xample.org", "example.org:0443"}) {
    EXPECT_EQ(Check(K::kRequest, With(kGet, {{"host", host}})), C::kOk) << host;
  }
  for (const char* host : {"example.com", "example.org:80", "example.org:8443",
                           "example.org.", "www.example.org", ""}) {
    EXPECT_EQ(Check(K::kRequest, With(kGet, {{"host", host}})), C::kHostAuthorityMismatch)
        << host;
    EXPECT_EQ(Check(K::kRequest, With(kGet, {{"host", host}}),
                    Opts([](auto& o) { o.allow_different_host_and_authority = true; })),
              C::kOk)
        << host;
  }
  // http: default port 80.
  const Fields http = Replace(kGet, ":scheme", "http");
  EXPECT_EQ(Check(K::kRequest, With(http, {{"host", "example.org:80"}})), C::kOk);
  EXPECT_EQ(Check(K::kRequest, With(http, {{"host", "example.org:443"}})),
            C::kHostAuthorityMismatch);
  // IP literals.
  EXPECT_EQ(Check(K::kRequest,
                  With(Replace(kGet, ":authority", "[::1]:443"), {{"host", "[::1]"}})),
            C::kOk);
  EXPECT_EQ(Check(K::kRequest,
                  With(Replace(kGet, ":authority", "[::1]:443"), {{"host", "[::2]"}})),
            C::kHostAuthorityMismatch);
}

TEST(RequestPseudoHeaders_8_3_1, SeveralHostFieldsMustAgree) {
  const Fields no_authority = Without(kGet, ":authority");
  FieldValidator v;
  EXPECT_EQ(Check(K::kRequest, With(no_authority, {{"host", "a.example"}}), {}, std::nullopt, &v),
            C::kOk);
  EXPECT_EQ(v.host(), "a.example");
  EXPECT_FALSE(v.has_authority());
  EXPECT_EQ(Check(K::kRequest, With(no_authority, {{"host", "a.example"}, {"host", "A.example"}})),
            C::kOk);
  EXPECT_EQ(Check(K::kRequest, With(no_authority, {{"host", "a.example"}, {"host", "b.example"}})),
            C::kHostAuthorityMismatch);
}

TEST(RequestPseudoHeaders_8_3_1, HostInResponsesMeansNothing) {
  EXPECT_EQ(Check(K::kResponse, {{":status", "200"}, {"host", "anything at all"}}), C::kOk);
}

TEST(RequestPseudoHeaders_8_3_1, AuthorityOrHostOnlyRequiredOnRequest) {
  const Fields bare = Without(kGet, ":authority");
  const auto require = Opts([](auto& o) { o.require_authority_or_host = true; });
  EXPECT_EQ(Check(K::kRequest, bare), C::kOk);
  EXPECT_EQ(Check(K::kRequest, bare, require), C::kMissingAuthorityAndHost);
  EXPECT_EQ(Check(K::kRequest, With(bare, {{"host", "example.org"}}), require), C::kOk);
  EXPECT_EQ(Check(K::kRequest, kGet, require), C::kOk);
}

// ---------------------------------------------------------------------------------------
// §8.5 CONNECT and RFC 8441 §4 extended CONNECT.

TEST(Connect_8_5, OnlyMethodAndAuthority) {
  FieldValidator v;
  EXPECT_EQ(Check(K::kRequest, {{":method", "CONNECT"}, {":authority", "example.org:443"}}, {},
                  false, &v),
            C::kOk);
  EXPECT_TRUE(v.is_connect());
  EXPECT_FALSE(v.is_extended_connect());
  EXPECT_EQ(v.authority(), "example.org:443");
  EXPECT_EQ(Check(K::kRequest, {{":method", "CONNECT"}, {":authority", "[2001:db8::1]:22"}}),
            C::kOk);
}

TEST(Connect_8_5, Malformed) {
  const Fields connect = {{":method", "CONNECT"}, {":authority", "example.org:443"}};
  EXPECT_EQ(Check(K::kRequest, {{":method", "CONNECT"}}), C::kMissingAuthority);
  EXPECT_EQ(Check(K::kRequest, With(connect, {{":scheme", "https"}})),
            C::kConnectWithSchemeOrPath);
  EXPECT_EQ(Check(K::kRequest, With(connect, {{":path", "/"}})), C::kConnectWithSchemeOrPath);
  for (const char* bad : {"example.org", "example.org:", ":443", "example.org:99999",
                          "example.org:ab", "user@example.org:443", "[::1]"}) {
    EXPECT_EQ(Check(K::kRequest, Replace(connect, ":authority", bad)),
              C::kInvalidConnectAuthority)
        << bad;
    EXPECT_EQ(Check(K::kRequest, Replace(connect, ":authority", bad),
                    Opts([](auto& o) { o.validate_authority = false; })),
              C::kOk)
        << bad;
  }
}

TEST(Connect_8_5, HostWithoutPortMatchesConnectAuthority) {
  // No :scheme, so no default port: a port on one side only is not a difference.
  EXPECT_EQ(Check(K::kRequest, {{":method", "CONNECT"},
                                {":authority", "example.org:443"},
                                {"host", "example.org"}}),
            C::kOk);
  EXPECT_EQ(Check(K::kRequest, {{":method", "CONNECT"},
                                {":authority", "example.org:443"},
                                {"host", "example.org:80"}}),
            C::kHostAuthorityMismatch);
}

const Fields kWebSocket = {{":method", "CONNECT"},
                           {":protocol", "websocket"},
                           {":scheme", "https"},
                           {":path", "/chat"},
                           {":authority", "server.example.com"},
                           {"sec-websocket-version", "13"}};

TEST(ExtendedConnect_RFC8441, Valid) {
  FieldValidator v;
  EXPECT_EQ(Check(K::kRequest, kWebSocket, {}, false, &v), C::kOk);
  EXPECT_TRUE(v.is_connect());
  EXPECT_TRUE(v.is_extended_connect());
  EXPECT_EQ(v.protocol(), "websocket");
  EXPECT_EQ(v.path(), "/chat");
}

TEST(ExtendedConnect_RFC8441, Malformed) {
  EXPECT_EQ(Check(K::kRequest, Without(kWebSocket, ":path")), C::kMissingPath);
  EXPECT_EQ(Check(K::kRequest, Without(kWebSocket, ":scheme")), C::kMissingScheme);
  EXPECT_EQ(Check(K::kRequest, Replace(kWebSocket, ":method", "GET")),
            C::kProtocolWithoutConnect);
  EXPECT_EQ(Check(K::kRequest, Replace(kWebSocket, ":protocol", "")), C::kInvalidProtocol);
  EXPECT_EQ(Check(K::kRequest, Replace(kWebSocket, ":protocol", "web socket")),
            C::kInvalidProtocol);
  EXPECT_EQ(Check(K::kRequest, Replace(kWebSocket, ":path", "chat")), C::kPathNotAbsolute);
  // Without SETTINGS_ENABLE_CONNECT_PROTOCOL sent, :protocol is not defined (RFC 8441 §3).
  EXPECT_EQ(Check(K::kRequest, kWebSocket, Opts([](auto& o) { o.allow_extended_connect = false; })),
            C::kExtendedConnectDisabled);
}

// ---------------------------------------------------------------------------------------
// §8.4 push requests.

TEST(Push_8_4, SafeAndCacheableWithoutContent) {
  EXPECT_EQ(Check(K::kPushPromise, kGet, {}, false), C::kOk);
  EXPECT_EQ(Check(K::kPushPromise, Replace(kGet, ":method", "HEAD")), C::kOk);
  EXPECT_EQ(Check(K::kPushPromise, With(kGet, {{"content-length", "0"}})), C::kOk);
  for (const char* m : {"POST", "PUT", "DELETE", "OPTIONS", "TRACE", "get"}) {
    EXPECT_EQ(Check(K::kPushPromise, Replace(kGet, ":method", m)), C::kPushUnsafeMethod) << m;
  }
  EXPECT_EQ(Check(K::kPushPromise, {{":method", "CONNECT"}, {":authority", "a:1"}}),
            C::kPushUnsafeMethod);
  EXPECT_EQ(Check(K::kPushPromise, With(kGet, {{"content-length", "10"}})), C::kPushWithContent);
  // The same requests are fine as ordinary requests.
  EXPECT_EQ(Check(K::kRequest, Replace(kGet, ":method", "POST")), C::kOk);
  EXPECT_EQ(Check(K::kPushPromise, Replace(kGet, ":method", "POST"),
                  Opts([](auto& o) { o.validate_http_headers = false; })),
            C::kOk);
}

// ---------------------------------------------------------------------------------------
// §8.3.2 response pseudo-header fields, §8.6 (101).

TEST(ResponsePseudoHeaders_8_3_2, Status) {
  EXPECT_EQ(Check(K::kResponse, {}), C::kMissingStatus);
  EXPECT_EQ(Check(K::kResponse, {{"server", "x"}}), C::kMissingStatus);
  for (const char* bad : {"", "20", "2000", "abc", "20a", " 200", "+20", "2 0"}) {
    const C want = std::string(bad) == " 200" ? C::kValueWhitespace : C::kInvalidStatus;
    EXPECT_EQ(Check(K::kResponse, {{":status", bad}}), want) << bad;
  }
  FieldValidator v;
  EXPECT_EQ(Check(K::kResponse, {{":status", "418"}}, {}, std::nullopt, &v), C::kOk);
  EXPECT_EQ(v.status(), 418);
  EXPECT_TRUE(v.has_status());
  // Outside 100-599: invalid codes a client SHOULD treat as 5xx (RFC 9110 §15), not
  // malformed.
  EXPECT_EQ(Check(K::kResponse, {{":status", "099"}}, {}, std::nullopt, &v), C::kOk);
  EXPECT_EQ(v.status(), 99);
  EXPECT_EQ(Check(K::kResponse, {{":status", "999"}}), C::kOk);
}

TEST(ResponsePseudoHeaders_8_3_2, Status101IsNotHttp2_8_6) {
  EXPECT_EQ(Check(K::kResponse, {{":status", "101"}}), C::kStatus101);
  EXPECT_EQ(Check(K::kResponse, {{":status", "101"}}, Opts([](auto& o) { o.allow_status_101 = true; })),
            C::kOk);
}

// ---------------------------------------------------------------------------------------
// §8.1 message framing: END_STREAM.

TEST(MessageFraming_8_1, InformationalMustNotEndTheStream) {
  FieldValidator v;
  EXPECT_EQ(Check(K::kResponse, {{":status", "103"}, {"link", "</a.css>; rel=preload"}}, {},
                  false, &v),
            C::kOk);
  EXPECT_TRUE(v.is_informational());
  EXPECT_EQ(Check(K::kResponse, {{":status", "100"}}, {}, true), C::kInformationalEndStream);
  EXPECT_EQ(Check(K::kResponse, {{":status", "199"}}, {}, true), C::kInformationalEndStream);
  EXPECT_EQ(Check(K::kResponse, {{":status", "200"}}, {}, true), C::kOk);
  // Without the flag (one-argument StartBlock) the session checks it: is_informational().
  EXPECT_EQ(Check(K::kResponse, {{":status", "100"}}), C::kOk);
}

TEST(MessageFraming_8_1, TrailersMustEndTheStream) {
  FieldValidator v;
  v.StartBlock(K::kTrailers, false);
  EXPECT_FALSE(v.OnField("x", "y"));
  EXPECT_FALSE(v.FinishBlock());
  EXPECT_EQ(v.error().code, C::kTrailersWithoutEndStream);
  // Also an empty trailer block.
  v.StartBlock(K::kTrailers, false);
  EXPECT_FALSE(v.FinishBlock());
  EXPECT_EQ(v.error().code, C::kTrailersWithoutEndStream);
  EXPECT_EQ(Check(K::kTrailers, {{"x", "y"}}, {}, true), C::kOk);
  EXPECT_EQ(Check(K::kTrailers, {{"x", "y"}}), C::kOk);
  EXPECT_EQ(Check(K::kTrailers, {{"x", "y"}}, Opts([](auto& o) { o.validate_http_headers = false; }),
                  false),
            C::kOk);
}

// ---------------------------------------------------------------------------------------
// Content-Length (RFC 9110 §8.6) in the field block.

TEST(ContentLength_RFC9110_8_6, Syntax) {
  FieldValidator v;
  for (const auto& [value, want] : std::vector<std::pair<std::string, uint64_t>>{
           {"0", 0}, {"42", 42}, {"007", 7}, {"9223372036854775807", 9223372036854775807ull}}) {
    EXPECT_EQ(Check(K::kRequest, With(kGet, {{"content-length", value}}), {}, false, &v), C::kOk)
        << value;
    EXPECT_EQ(v.content_length(), std::optional<uint64_t>(want)) << value;
  }
  for (const char* bad : {"", "-1", "+5", "0x10", "4 2", "1.0", "42;", "9223372036854775808",
                          "99999999999999999999999", ",", "42,", ",42", "42,,42"}) {
    EXPECT_EQ(Check(K::kRequest, With(kGet, {{"content-length", bad}})),
              C::kInvalidContentLength)
        << bad;
    EXPECT_EQ(Check(K::kRequest, With(kGet, {{"content-length", bad}}),
                    Opts([](auto& o) { o.validate_content_length = false; }), false, &v),
              C::kOk)
        << bad;
    EXPECT_FALSE(v.content_length().has_value());
  }
}

TEST(ContentLength_RFC9110_8_6, RepeatedValues) {
  FieldValidator v;
  EXPECT_EQ(Check(K::kRequest, With(kGet, {{"content-length", "42, 42"}}), {}, false, &v), C::kOk);
  EXPECT_EQ(v.content_length(), std::optional<uint64_t>(42));
  EXPECT_EQ(Check(K::kRequest, With(kGet, {{"content-length", "42"}, {"content-length", "42"}})),
            C::kOk);
  EXPECT_EQ(Check(K::kRequest, With(kGet, {{"content-length", "42,43"}})),
            C::kConflictingContentLength);
  EXPECT_EQ(Check(K::kRequest, With(kGet, {{"content-length", "42"}, {"content-length", "43"}})),
            C::kConflictingContentLength);
  const auto strict = Opts([](auto& o) { o.allow_repeated_content_length = false; });
  EXPECT_EQ(Check(K::kRequest, With(kGet, {{"content-length", "42, 42"}}), strict),
            C::kRepeatedContentLength);
  EXPECT_EQ(Check(K::kRequest, With(kGet, {{"content-length", "42"}, {"content-length", "42"}}),
                  strict),
            C::kRepeatedContentLength);
  EXPECT_EQ(Check(K::kRequest, With(kGet, {{"content-length", "42"}}), strict), C::kOk);
}

TEST(ContentLength_RFC9110_8_6, NotIn1xxOrNonZeroIn204) {
  const auto allow = Opts([](auto& o) { o.allow_content_length_in_no_content_response = true; });
  EXPECT_EQ(Check(K::kResponse, {{":status", "100"}, {"content-length", "0"}}),
            C::kContentLengthInNoContentResponse);
  EXPECT_EQ(Check(K::kResponse, {{":status", "204"}, {"content-length", "5"}}),
            C::kContentLengthInNoContentResponse);
  EXPECT_EQ(Check(K::kResponse, {{":status", "204"}, {"content-length", "0"}}), C::kOk);
  EXPECT_EQ(Check(K::kResponse, {{":status", "100"}, {"content-length", "0"}}, allow), C::kOk);
  EXPECT_EQ(Check(K::kResponse, {{":status", "204"}, {"content-length", "5"}}, allow), C::kOk);
  // 304 and responses to HEAD MAY carry the length of the content they do not have (§8.1.1).
  EXPECT_EQ(Check(K::kResponse, {{":status", "304"}, {"content-length", "1000"}}), C::kOk);
}

TEST(ContentLength_RFC9110_8_6, IgnoredInTrailers) {
  FieldValidator v;
  EXPECT_EQ(Check(K::kTrailers, {{"content-length", "x"}}, {}, true, &v), C::kOk);
  EXPECT_FALSE(v.content_length().has_value());
}

// ---------------------------------------------------------------------------------------
// ContentLengthTracker: DATA against content-length (§8.1.1, RFC 9110 §6.4.1).

TEST(ContentLengthTracker_8_1_1, RequestTotalsMustMatch) {
  ContentLengthTracker t = ContentLengthTracker::ForRequest(10, false);
  EXPECT_EQ(t.expected(), std::optional<uint64_t>(10));
  EXPECT_TRUE(t.OnData(4));
  EXPECT_TRUE(t.OnData(0));
  EXPECT_TRUE(t.OnData(6));
  EXPECT_TRUE(t.OnEndStream());
  EXPECT_EQ(t.received(), 10u);

  ContentLengthTracker over = ContentLengthTracker::ForRequest(10, false);
  EXPECT_TRUE(over.OnData(10));
  EXPECT_FALSE(over.OnData(1));  // found at the DATA frame, not at the end
  EXPECT_EQ(over.code(), C::kContentLengthExceeded);
  EXPECT_FALSE(over.OnEndStream());
  EXPECT_EQ(over.code(), C::kContentLengthExceeded);  // first error sticks
  EXPECT_TRUE(absl::StrContains(over.error().message, "content-length 10, DATA so far 11"))
      << over.error().message;

  ContentLengthTracker short_ = ContentLengthTracker::ForRequest(10, false);
  EXPECT_TRUE(short_.OnData(9));
  EXPECT_FALSE(short_.OnEndStream());
  EXPECT_EQ(short_.code(), C::kContentLengthShort);

  // HEADERS with END_STREAM and a non-zero content-length: the session ends at once.
  ContentLengthTracker headers_only = ContentLengthTracker::ForRequest(5, false);
  EXPECT_FALSE(headers_only.OnEndStream());
  EXPECT_EQ(headers_only.code(), C::kContentLengthShort);
}

TEST(ContentLengthTracker_8_1_1, WithoutContentLengthAnythingGoes) {
  ContentLengthTracker t = ContentLengthTracker::ForRequest(std::nullopt, false);
  EXPECT_FALSE(t.expected().has_value());
  EXPECT_TRUE(t.OnData(1 << 20));
  EXPECT_TRUE(t.OnEndStream());
  ContentLengthTracker d;
  EXPECT_TRUE(d.OnData(~uint64_t{0}));
  EXPECT_TRUE(d.OnData(5));  // saturates, no overflow
  EXPECT_EQ(d.received(), ~uint64_t{0});
}

TEST(ContentLengthTracker_8_1_1, ConnectCarriesTunnelData) {
  ContentLengthTracker t = ContentLengthTracker::ForRequest(3, true);
  EXPECT_TRUE(t.OnData(100));
  EXPECT_TRUE(t.OnEndStream());
  ContentLengthTracker r = ContentLengthTracker::ForResponse(200, 3, false, true);
  EXPECT_TRUE(r.OnData(100));
  EXPECT_TRUE(r.OnEndStream());
  // A failed CONNECT's response has ordinary content.
  ContentLengthTracker denied = ContentLengthTracker::ForResponse(407, 3, false, true);
  EXPECT_FALSE(denied.OnData(4));
  EXPECT_EQ(denied.code(), C::kContentLengthExceeded);
}

TEST(ContentLengthTracker_8_1_1, NoContentResponses) {
  struct Case {
    int status;
    bool head;
  };
  for (const Case& c : {Case{200, true}, Case{204, false}, Case{304, false}, Case{404, true}}) {
    ContentLengthTracker t = ContentLengthTracker::ForResponse(c.status, 1000, c.head, false);
    EXPECT_TRUE(t.OnData(0)) << c.status;
    EXPECT_TRUE(t.OnEndStream()) << c.status;  // content-length 1000 is not checked
    ContentLengthTracker bad = ContentLengthTracker::ForResponse(c.status, 1000, c.head, false);
    EXPECT_FALSE(bad.OnData(1)) << c.status;
    EXPECT_EQ(bad.code(), C::kContentNotAllowed) << c.status;
  }
}

TEST(ContentLengthTracker_8_1_1, InterimResponse) {
  ContentLengthTracker t = ContentLengthTracker::ForResponse(100, std::nullopt, false, false);
  EXPECT_FALSE(t.OnData(0));
  EXPECT_EQ(t.code(), C::kDataBeforeFinalResponse);
  ContentLengthTracker e = ContentLengthTracker::ForResponse(103, std::nullopt, false, false);
  EXPECT_FALSE(e.OnEndStream());
  EXPECT_EQ(e.code(), C::kNoFinalResponse);
}

TEST(ContentLengthTracker_8_1_1, FromValidatorsHonourOptions) {
  FieldValidator v;
  ASSERT_EQ(Check(K::kRequest, With(kGet, {{"content-length", "2"}}), {}, false, &v), C::kOk);
  ContentLengthTracker t = ContentLengthTracker::ForRequest(v);
  EXPECT_FALSE(t.OnData(3));
  FieldValidator off(Opts([](auto& o) { o.validate_content_length = false; }));
  off.StartBlock(K::kRequest, false);
  for (const auto& [n, val] : With(kGet, {{"content-length", "2"}})) ASSERT_TRUE(off.OnField(n, val));
  ASSERT_TRUE(off.FinishBlock());
  ContentLengthTracker any = ContentLengthTracker::ForRequest(off);
  EXPECT_TRUE(any.OnData(3));
  EXPECT_TRUE(any.OnEndStream());
  // Response side.
  ASSERT_EQ(Check(K::kResponse, {{":status", "200"}, {"content-length", "5"}}, {}, false, &v),
            C::kOk);
  ContentLengthTracker r = ContentLengthTracker::ForResponse(v, /*head=*/true, false);
  EXPECT_FALSE(r.OnData(5));
  EXPECT_EQ(r.code(), C::kContentNotAllowed);
}

// ---------------------------------------------------------------------------------------
// Validator behaviour.

TEST(Validator, FirstErrorSticksUntilTheNextBlock) {
  FieldValidator v;
  v.StartBlock(K::kRequest);
  EXPECT_TRUE(v.OnField(":method", "GET"));
  EXPECT_FALSE(v.OnField("Bad", "x"));
  EXPECT_FALSE(v.OnField("connection", "close"));
  EXPECT_FALSE(v.OnField("good", "x"));
  EXPECT_FALSE(v.FinishBlock());
  EXPECT_EQ(v.error().code, C::kUppercaseName);
  EXPECT_FALSE(v.ok());
  v.StartBlock(K::kRequest);
  EXPECT_TRUE(v.ok());
  EXPECT_EQ(v.error().message, "");
}

TEST(Validator, ReusedAcrossBlocksForgetsThePrevious) {
  FieldValidator v;
  ASSERT_EQ(Check(K::kRequest, With(kGet, {{"host", "example.org"}, {"content-length", "1"}}), {},
                  false, &v),
            C::kOk);
  ASSERT_EQ(Check(K::kRequest, {{":method", "GET"}, {":scheme", "http"}, {":path", "/x"}}, {},
                  false, &v),
            C::kOk);
  EXPECT_FALSE(v.has_authority());
  EXPECT_FALSE(v.has_host());
  EXPECT_EQ(v.authority(), "");
  EXPECT_EQ(v.host(), "");
  EXPECT_FALSE(v.content_length().has_value());
  EXPECT_EQ(v.path(), "/x");
  EXPECT_EQ(v.status(), 0);
}

TEST(Validator, ResultsAreCopiesNotViewsOfTheCallersFields) {
  FieldValidator v;
  v.StartBlock(K::kRequest);
  {
    std::string method = "GET", scheme = "https", path = "/p", authority = "a.example";
    ASSERT_TRUE(v.OnField(":method", method));
    ASSERT_TRUE(v.OnField(":scheme", scheme));
    ASSERT_TRUE(v.OnField(":authority", authority));
    ASSERT_TRUE(v.OnField(":path", path));
    method.assign(20, 'x');
    path.assign(20, 'x');
    authority.assign(20, 'x');
  }
  ASSERT_TRUE(v.FinishBlock());
  EXPECT_EQ(v.method(), "GET");
  EXPECT_EQ(v.path(), "/p");
  EXPECT_EQ(v.authority(), "a.example");
}

TEST(Validator, ValidationOffChecksNothingButStillExtracts) {
  const auto off = Opts([](auto& o) { o.validate_http_headers = false; });
  FieldValidator v(off);
  EXPECT_EQ(Check(K::kRequest,
                  {{"Bad Name", "\r\n"}, {":method", "HEAD"}, {":status", "200"},
                   {"connection", "x"}, {"content-length", "12"}, {"host", "h"}},
                  off, true, &v),
            C::kOk);
  EXPECT_TRUE(v.is_head());
  EXPECT_EQ(v.method(), "HEAD");
  EXPECT_EQ(v.content_length(), std::optional<uint64_t>(12));
  EXPECT_EQ(v.host(), "h");
  EXPECT_EQ(Check(K::kResponse, {{":status", "101"}}, off, true, &v), C::kOk);
  EXPECT_EQ(v.status(), 101);
}

TEST(Validator, MessageNamesTheFieldAndTheRule) {
  FieldValidator v;
  v.StartBlock(K::kRequest);
  EXPECT_FALSE(v.OnField("X-Bad\x01", "value"));
  EXPECT_EQ(v.error().code, C::kInvalidNameChar);
  EXPECT_TRUE(absl::StrContains(v.error().message, "field 'X-Bad\\x01'")) << v.error().message;
  EXPECT_TRUE(absl::StrContains(v.error().message, "RFC 9113 §8.2.1")) << v.error().message;
  absl::Status s = v.error().ToStatus();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), v.error().message);
  // Long values are cut.
  v.StartBlock(K::kRequest);
  EXPECT_FALSE(v.OnField("x", std::string(1000, 'a') + "\n"));
  EXPECT_LT(v.error().message.size(), 600u);
  EXPECT_TRUE(absl::StrContains(v.error().message, "...'"));
  // Block-level errors name the missing pseudo-header field.
  v.StartBlock(K::kRequest);
  EXPECT_TRUE(v.OnField(":method", "GET"));
  EXPECT_TRUE(v.OnField(":scheme", "https"));
  EXPECT_FALSE(v.FinishBlock());
  EXPECT_TRUE(absl::StrContains(v.error().message, "':path'")) << v.error().message;
  EXPECT_TRUE(v.FinishBlock() == false);
  EXPECT_TRUE(FieldError().ToStatus().ok());
}

TEST(ErrorTable, EveryCodeHasANameARuleAndAText) {
  std::set<std::string> names;
  size_t n = 0;
  for (FieldErrorCode c : AllFieldErrors()) {
    ++n;
    const std::string name(FieldErrorName(c));
    EXPECT_FALSE(name.empty());
    EXPECT_TRUE(names.insert(name).second) << "duplicate name " << name;
    EXPECT_TRUE(absl::StartsWith(FieldErrorRule(c), "RFC ")) << name;
  }
  EXPECT_EQ(n, static_cast<size_t>(C::kNoFinalResponse));
  EXPECT_EQ(FieldErrorName(C::kOk), "ok");
  EXPECT_EQ(FieldErrorRequirement(C::kUppercaseName), Requirement::kMust);
  EXPECT_EQ(FieldErrorRequirement(C::kHostAuthorityMismatch), Requirement::kShould);
  EXPECT_EQ(FieldErrorRequirement(C::kRepeatedContentLength), Requirement::kMay);
  EXPECT_EQ(FieldErrorRequirement(C::kValueObsText), Requirement::kMay);
}

TEST(Validator, RandomFieldsNeverCrashAndVerdictsAreConsistent) {
  // Deterministic pseudo-random blocks mixing real names, pseudo-header fields and junk.
  uint64_t state = 0x9e3779b97f4a7c15ull;
  auto next = [&state]() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  const std::vector<std::string> names = {
      ":method", ":scheme", ":authority", ":path", ":protocol", ":status", "host",
      "content-length", "te", "cookie", "connection", "x", "Accept", ":", "", "a:b"};
  const std::vector<std::string> values = {
      "GET", "CONNECT", "https", "http", "/", "*", "a.example:443", "200", "101", "42",
      "42, 42", "trailers", "", " ", "\r", std::string(1, '\0'), "\xff", "u@h", "[::1]"};
  FieldValidator v;
  size_t accepted = 0;
  for (int block = 0; block < 20000; ++block) {
    const K kind = static_cast<K>(next() % 4);
    v.StartBlock(kind, next() % 2 == 0);
    bool ok = v.ok();
    const int n = static_cast<int>(next() % 8);
    for (int i = 0; i < n; ++i) {
      std::string name = names[next() % names.size()];
      std::string value = values[next() % values.size()];
      if (next() % 5 == 0) value.push_back(static_cast<char>(next()));
      const bool r = v.OnField(name, value);
      if (!ok) {
        EXPECT_FALSE(r);  // the first error sticks
      }
      ok = ok && r;
      EXPECT_EQ(r, v.ok());
    }
    const bool done = v.FinishBlock();
    if (!ok) {
      EXPECT_FALSE(done);
    }
    EXPECT_EQ(done, v.error().code == C::kOk);
    if (!done) {
      EXPECT_FALSE(v.error().message.empty());
      EXPECT_TRUE(absl::StrContains(v.error().message, "RFC")) << v.error().message;
    } else {
      ++accepted;
    }
  }
  EXPECT_GT(accepted, 0u);
}

// ---------------------------------------------------------------------------------------
// One table: every block-level error code, an input producing it, and the option that
// relaxes it. Also checks that every code reachable from a block appears here.

struct Case {
  const char* what;
  K kind;
  Fields fields;
  std::optional<bool> end_stream;
  C code;
  std::function<void(FieldValidationOptions&)> relax;  // specific option, or null
};

std::vector<Case> AllCases() {
  const std::function<void(FieldValidationOptions&)> none;
  return {
      {"empty name", K::kRequest, With(kGet, {{"", "x"}}), {}, C::kEmptyName, none},
      {"uppercase", K::kRequest, With(kGet, {{"Accept", "x"}}), {}, C::kUppercaseName, none},
      {"space in name", K::kRequest, With(kGet, {{"a b", "x"}}), {}, C::kInvalidNameChar, none},
      {"non-token", K::kRequest, With(kGet, {{"a\"b", "x"}}), {}, C::kNonTokenNameChar,
       [](auto& o) { o.allow_non_token_names = true; }},
      {"CR in value", K::kRequest, With(kGet, {{"x", "a\rb"}}), {}, C::kInvalidValueChar, none},
      {"leading SP", K::kRequest, With(kGet, {{"x", " a"}}), {}, C::kValueWhitespace,
       [](auto& o) { o.no_rfc9113_leading_and_trailing_ws_validation = true; }},
      {"CTL", K::kRequest, With(kGet, {{"x", "a\x01"}}), {}, C::kValueControlChar,
       [](auto& o) { o.allow_ctl_in_values = true; }},
      {"connection", K::kRequest, With(kGet, {{"connection", "close"}}), {},
       C::kConnectionSpecificField, none},
      {"te gzip", K::kRequest, With(kGet, {{"te", "gzip"}}), {}, C::kInvalidTe, none},
      {"unknown pseudo", K::kRequest, With({{":x", "1"}}, kGet), {}, C::kUnknownPseudoHeader,
       none},
      {":status in request", K::kRequest, With({{":status", "200"}}, kGet), {},
       C::kResponsePseudoHeaderInRequest, none},
      {":path in response", K::kResponse, {{":status", "200"}, {":path", "/"}}, {},
       C::kRequestPseudoHeaderInResponse, none},
      {"pseudo in trailers", K::kTrailers, {{":status", "200"}}, true, C::kPseudoHeaderInTrailers,
       none},
      {"pseudo after regular", K::kResponse, {{"a", "b"}, {":status", "200"}}, {},
       C::kPseudoHeaderAfterRegular, none},
      {"duplicate pseudo", K::kRequest, With({{":method", "GET"}}, kGet), {},
       C::kDuplicatePseudoHeader, none},
      {"no :method", K::kRequest, Without(kGet, ":method"), {}, C::kMissingMethod, none},
      {"no :scheme", K::kRequest, Without(kGet, ":scheme"), {}, C::kMissingScheme, none},
      {"no :path", K::kRequest, Without(kGet, ":path"), {}, C::kMissingPath, none},
      {"bad method", K::kRequest, Replace(kGet, ":method", "G{T"), {}, C::kInvalidMethod, none},
      {"bad scheme", K::kRequest, Replace(kGet, ":scheme", "h ttp"), {}, C::kInvalidScheme, none},
      {"empty path", K::kRequest, Replace(kGet, ":path", ""), {}, C::kEmptyPath, none},
      {"relative path", K::kRequest, Replace(kGet, ":path", "a"), {}, C::kPathNotAbsolute, none},
      {"* for GET", K::kRequest, Replace(kGet, ":path", "*"), {}, C::kAsteriskPathNotOptions,
       none},
      {"path chars", K::kRequest, Replace(kGet, ":path", "/a|b"), {}, C::kInvalidPath,
       [](auto& o) { o.validate_path = false; }},
      {"authority chars", K::kRequest, Replace(kGet, ":authority", "a b"), {},
       C::kInvalidAuthority, [](auto& o) { o.validate_authority = false; }},
      {"userinfo", K::kRequest, Replace(kGet, ":authority", "u@a"), {}, C::kAuthorityUserinfo,
       [](auto& o) { o.validate_authority = false; }},
      {"CONNECT no authority", K::kRequest, {{":method", "CONNECT"}}, {}, C::kMissingAuthority,
       none},
      {"CONNECT no port", K::kRequest, {{":method", "CONNECT"}, {":authority", "a"}}, {},
       C::kInvalidConnectAuthority, [](auto& o) { o.validate_authority = false; }},
      {"CONNECT with :path", K::kRequest,
       {{":method", "CONNECT"}, {":authority", "a:1"}, {":path", "/"}}, {},
       C::kConnectWithSchemeOrPath, none},
      {":protocol disabled", K::kRequest, kWebSocket, {}, C::kExtendedConnectDisabled,
       [](auto& o) { o.allow_extended_connect = true; }},
      {":protocol on GET", K::kRequest, Replace(kWebSocket, ":method", "GET"), {},
       C::kProtocolWithoutConnect, none},
      {"bad :protocol", K::kRequest, Replace(kWebSocket, ":protocol", "a/b"), {},
       C::kInvalidProtocol, none},
      {"host mismatch", K::kRequest, With(kGet, {{"host", "other.example"}}), {},
       C::kHostAuthorityMismatch, [](auto& o) { o.allow_different_host_and_authority = true; }},
      {"no authority or host", K::kRequest, Without(kGet, ":authority"), {},
       C::kMissingAuthorityAndHost, [](auto& o) { o.require_authority_or_host = false; }},
      {"no :status", K::kResponse, {{"a", "b"}}, {}, C::kMissingStatus, none},
      {"bad :status", K::kResponse, {{":status", "2000"}}, {}, C::kInvalidStatus, none},
      {"101", K::kResponse, {{":status", "101"}}, {}, C::kStatus101,
       [](auto& o) { o.allow_status_101 = true; }},
      {"1xx END_STREAM", K::kResponse, {{":status", "100"}}, true, C::kInformationalEndStream,
       none},
      {"trailers no END_STREAM", K::kTrailers, {{"a", "b"}}, false, C::kTrailersWithoutEndStream,
       none},
      {"bad content-length", K::kRequest, With(kGet, {{"content-length", "x"}}), {},
       C::kInvalidContentLength, [](auto& o) { o.validate_content_length = false; }},
      {"conflicting content-length", K::kRequest, With(kGet, {{"content-length", "1, 2"}}), {},
       C::kConflictingContentLength, [](auto& o) { o.validate_content_length = false; }},
      {"repeated content-length", K::kRequest, With(kGet, {{"content-length", "1, 1"}}), {},
       C::kRepeatedContentLength, [](auto& o) { o.allow_repeated_content_length = true; }},
      {"content-length in 1xx", K::kResponse, {{":status", "103"}, {"content-length", "0"}}, {},
       C::kContentLengthInNoContentResponse,
       [](auto& o) { o.allow_content_length_in_no_content_response = true; }},
      {"push POST", K::kPushPromise, Replace(kGet, ":method", "POST"), false,
       C::kPushUnsafeMethod, none},
      {"push with content", K::kPushPromise, With(kGet, {{"content-length", "1"}}), false,
       C::kPushWithContent, [](auto& o) { o.validate_content_length = false; }},
  };
}

// The options a case runs under by default (the non-default ones the case needs).
FieldValidationOptions CaseOptions(C code) {
  FieldValidationOptions o;
  if (code == C::kExtendedConnectDisabled) o.allow_extended_connect = false;
  if (code == C::kMissingAuthorityAndHost) o.require_authority_or_host = true;
  if (code == C::kRepeatedContentLength) o.allow_repeated_content_length = false;
  if (code == C::kInvalidPath) o.validate_path = true;
  return o;
}

TEST(AllRules, EachMalformedInputGivesItsCodeAndItsOptionRelaxesIt) {
  std::set<C> covered;
  for (const Case& c : AllCases()) {
    SCOPED_TRACE(c.what);
    FieldValidationOptions o = CaseOptions(c.code);
    EXPECT_EQ(Check(c.kind, c.fields, o, c.end_stream), c.code);
    covered.insert(c.code);
    if (c.relax) {
      FieldValidationOptions relaxed = o;
      c.relax(relaxed);
      EXPECT_EQ(Check(c.kind, c.fields, relaxed, c.end_stream), C::kOk);
    }
    FieldValidationOptions off = o;
    off.validate_http_headers = false;
    EXPECT_EQ(Check(c.kind, c.fields, off, c.end_stream), C::kOk);
    // The same input cut into single fields gives the same verdict through one reused
    // validator (the per-connection use).
    FieldValidator shared(o);
    const Fields valid = c.kind == K::kResponse   ? Fields{{":status", "200"}}
                         : c.kind == K::kTrailers ? Fields{{"ok", "ok"}}
                                                  : kGet;
    EXPECT_EQ(Check(c.kind, valid, {}, std::nullopt, &shared), C::kOk);
    EXPECT_EQ(Check(c.kind, c.fields, o, c.end_stream, &shared), c.code);
  }
  // Every code a field block can produce (all but kOk and the ContentLengthTracker's
  // and the kValueObsText tested above) is in the table.
  for (FieldErrorCode code : AllFieldErrors()) {
    if (code == C::kValueObsText || code == C::kContentLengthExceeded ||
        code == C::kContentLengthShort || code == C::kContentNotAllowed ||
        code == C::kDataBeforeFinalResponse || code == C::kNoFinalResponse) {
      continue;
    }
    EXPECT_TRUE(covered.count(code)) << "no case for " << FieldErrorName(code);
  }
}

}  // namespace
}  // namespace http2
