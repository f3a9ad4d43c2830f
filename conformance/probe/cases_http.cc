// RFC 9113 §8 (HTTP semantics: message framing, fields, pseudo-headers, CONNECT) and §9.1.
#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "conformance/probe/cases.h"
#include "conformance/probe/engine.h"

namespace probe {
namespace {

using http2::ErrorCode;
using http2::kFlagEndHeaders;
using http2::kFlagEndStream;
using internal::Add;

// A GET whose fields are exactly `fields` (no defaults added).
std::function<void(Exchange&)> SendFields(std::function<hpack::HeaderList(const Exchange&)> fields) {
  return [fields](Exchange& ex) { ex.Open(fields(ex), true); };
}

// A GET whose fields are the usual ones with `field` inserted at `position`.
std::function<void(Exchange&)> GetWithFieldAt(size_t position, hpack::HeaderField field) {
  return SendFields([position, field](const Exchange& ex) {
    hpack::HeaderList h = ex.Request();
    h.insert(h.begin() + position, field);
    return h;
  });
}

// A GET with the usual pseudo-headers and `extra`.
std::function<void(Exchange&)> GetWith(hpack::HeaderList extra) {
  return [extra](Exchange& ex) { ex.Get(extra); };
}

const char kFieldRules[] =
    "Implementations MUST perform the following minimal validation of field names and values: ... "
    "A request or response that contains a field that violates any of these conditions MUST be "
    "treated as malformed (Section 8.1.1).";

std::string Hex(absl::string_view s) {
  std::string out;
  for (unsigned char c : s) absl::StrAppendFormat(&out, (c < 0x21 || c > 0x7e) ? "\\x%02x" : "%c", c);
  return out;
}

}  // namespace

void AddHttpCases(std::vector<Case>* v) {
  // --- §8.1 Message framing ---
  Add(v, "9113/8.1/1", Level::kMust,
      "An HTTP message (request or response) consists of: 1. one HEADERS frame ... 2. zero or more "
      "DATA frames ... 3. optionally, one HEADERS frame ... containing the trailer section",
      "POST with content-length 5; DATA \"probe\"; trailers (x-checksum) with END_STREAM", Accepted(),
      [](Exchange& ex) {
        const uint32_t id = ex.Post(5);
        ex.f().Data(id, "probe").Headers(id, {{"x-checksum", "abc"}}, kFlagEndStream);
      });
  Add(v, "9113/8.1/2", Level::kMust,
      "An endpoint that receives a HEADERS frame without the END_STREAM flag set after receiving "
      "the HEADERS frame that opens a request or after receiving a final (non-informational) "
      "status code MUST treat the corresponding request or response as malformed (Section 8.1.1).",
      "POST; DATA; trailers HEADERS without END_STREAM", Malformed(), [](Exchange& ex) {
        const uint32_t id = ex.Post(5);
        ex.f().Data(id, "probe").Headers(id, {{"x-checksum", "abc"}}, 0);
        ex.set_focus_post(true);
      });
  Add(v, "9113/8.1/3", Level::kMust,
      "An endpoint that receives a HEADERS frame without the END_STREAM flag set after receiving "
      "the HEADERS frame that opens a request ... MUST treat the corresponding request or response "
      "as malformed (Section 8.1.1).",
      "POST headers, then a second HEADERS without END_STREAM (no DATA between)", Malformed(),
      [](Exchange& ex) {
        const uint32_t id = ex.Post(-1);
        ex.f().Headers(id, {{"x-second", "1"}}, 0);
        ex.set_focus_post(true);
      });
  Add(v, "9113/8.1/4", Level::kMust,
      "Trailers MUST NOT include pseudo-header fields (Section 8.3). An endpoint that receives "
      "pseudo-header fields in trailers MUST treat the request or response as malformed (Section "
      "8.1.1).",
      "POST; DATA; trailers containing :path", Malformed(), [](Exchange& ex) {
        const uint32_t id = ex.Post(5);
        ex.f().Data(id, "probe").Headers(id, {{":path", "/"}}, kFlagEndStream);
        ex.set_focus_post(true);
      });
  Add(v, "9113/8.1/5", Level::kMust,
      "Pseudo-header fields MUST NOT appear in a trailer section. ... Endpoints MUST treat a "
      "request or response that contains undefined or invalid pseudo-header fields as malformed "
      "(§8.3)",
      "POST; DATA; trailers containing :status", Malformed(), [](Exchange& ex) {
        const uint32_t id = ex.Post(5);
        ex.f().Data(id, "probe").Headers(id, {{":status", "200"}}, kFlagEndStream);
        ex.set_focus_post(true);
      });
  Add(v, "9113/8.1/6", Level::kMust,
      "The last frame in the sequence bears an END_STREAM flag (here an empty DATA frame after the "
      "HEADERS of a GET)",
      "GET headers without END_STREAM, then an empty DATA with END_STREAM", Accepted(),
      [](Exchange& ex) {
        const uint32_t id = ex.Open(ex.Request(), false);
        ex.f().Data(id, "", kFlagEndStream);
      });

  // --- §8.1.1 Malformed messages: content-length ---
  const char kContentLength[] =
      "A request or response is also malformed if the value of a content-length header field does "
      "not equal the sum of the DATA frame payload lengths that form the content, unless the "
      "message is defined as having no content.";
  struct Body {
    const char* id;
    long content_length;
    std::vector<std::string> data;
    bool trailers;
    bool malformed;
    const char* sends;
  };
  const Body bodies[] = {
      {"9113/8.1.1/1", 10, {"probe"}, false, true, "POST with content-length 10; DATA of 5 octets"},
      {"9113/8.1.1/2", 3, {"probe"}, false, true, "POST with content-length 3; DATA of 5 octets"},
      {"9113/8.1.1/3", 0, {"p"}, false, true, "POST with content-length 0; DATA of 1 octet"},
      {"9113/8.1.1/4", 10, {"probe"}, true, true,
       "POST with content-length 10; DATA of 5 octets; trailers with END_STREAM"},
      {"9113/8.1.1/5", 5, {"pr", "obe"}, false, false,
       "POST with content-length 5; DATA of 2 and 3 octets"},
      {"9113/8.1.1/6", 5, {"probe"}, true, false,
       "POST with content-length 5; DATA of 5 octets; trailers with END_STREAM"},
      {"9113/8.1.1/7", 4, {"pr", "obe"}, false, true,
       "POST with content-length 4; DATA of 2 and 3 octets (the excess is in the second frame)"},
  };
  for (const Body& b : bodies) {
    Add(v, b.id, Level::kMust, kContentLength, b.sends, b.malformed ? Malformed() : Accepted(),
        [b](Exchange& ex) {
          const uint32_t id = ex.Post(b.content_length);
          for (size_t i = 0; i < b.data.size(); ++i) {
            const bool last = i + 1 == b.data.size() && !b.trailers;
            ex.f().Data(id, b.data[i], last ? kFlagEndStream : 0);
          }
          if (b.trailers) ex.f().Headers(id, {{"x-checksum", "abc"}}, kFlagEndStream);
        });
  }
  Add(v, "9113/8.1.1/8", Level::kMust, kContentLength,
      "GET with content-length 5 and END_STREAM on HEADERS (no DATA)", Malformed(),
      GetWith({{"content-length", "5"}}));

  // --- §8.2 Fields ---
  Add(v, "9113/8.2/1", Level::kMust,
      "Field names MUST be converted to lowercase when constructing an HTTP/2 message. (§8.2.1: A "
      "field name MUST NOT contain characters in the ranges ... 0x41-0x5a)",
      "GET with field \"X-Probe: 1\" (uppercase name)", Malformed(), GetWith({{"X-Probe", "1"}}));
  const struct {
    const char* id;
    std::string name;
  } bad_names[] = {
      {"9113/8.2.1/1", std::string("x-pro\0be", 8)}, {"9113/8.2.1/2", "x-pro\nbe"},
      {"9113/8.2.1/3", "x-pro\rbe"},                 {"9113/8.2.1/4", "x-pro be"},
      {"9113/8.2.1/5", "x-pro\tbe"},                 {"9113/8.2.1/6", "x-pro\x7f" "be"},
      {"9113/8.2.1/7", "x-pro\x80" "be"},            {"9113/8.2.1/8", "x-pro\xff" "be"},
      {"9113/8.2.1/9", "x-probeA"},
  };
  for (const auto& b : bad_names) {
    Add(v, b.id, Level::kMust,
        absl::StrCat("A field name MUST NOT contain characters in the ranges 0x00-0x20, 0x41-0x5a, "
                     "or 0x7f-0xff (all ranges inclusive). ",
                     "A request ... that contains a field that violates any of these conditions "
                     "MUST be treated as malformed (Section 8.1.1)."),
        absl::StrCat("GET with field name \"", Hex(b.name), "\""), Malformed(), GetWith({{b.name, "1"}}));
  }
  Add(v, "9113/8.2.1/10", Level::kMust,
      "With the exception of pseudo-header fields (Section 8.3), which have a name that starts "
      "with a single colon, field names MUST NOT include a colon (ASCII COLON, 0x3a).",
      "GET with field name \"x-pro:be\"", Malformed(), GetWith({{"x-pro:be", "1"}}));
  const struct {
    const char* id;
    std::string value;
    const char* rule;
  } bad_values[] = {
      {"9113/8.2.1/11", std::string("a\0b", 3),
       "A field value MUST NOT contain the zero value (ASCII NUL, 0x00), line feed (ASCII LF, 0x0a), "
       "or carriage return (ASCII CR, 0x0d) at any position."},
      {"9113/8.2.1/12", "a\nb",
       "A field value MUST NOT contain the zero value (ASCII NUL, 0x00), line feed (ASCII LF, 0x0a), "
       "or carriage return (ASCII CR, 0x0d) at any position."},
      {"9113/8.2.1/13", "a\rb",
       "A field value MUST NOT contain the zero value (ASCII NUL, 0x00), line feed (ASCII LF, 0x0a), "
       "or carriage return (ASCII CR, 0x0d) at any position."},
      {"9113/8.2.1/14", " ab", "A field value MUST NOT start or end with an ASCII whitespace character (ASCII SP or HTAB, 0x20 or 0x09)."},
      {"9113/8.2.1/15", "ab ", "A field value MUST NOT start or end with an ASCII whitespace character (ASCII SP or HTAB, 0x20 or 0x09)."},
      {"9113/8.2.1/16", "\tab", "A field value MUST NOT start or end with an ASCII whitespace character (ASCII SP or HTAB, 0x20 or 0x09)."},
      {"9113/8.2.1/17", "ab\t", "A field value MUST NOT start or end with an ASCII whitespace character (ASCII SP or HTAB, 0x20 or 0x09)."},
  };
  for (const auto& b : bad_values) {
    Add(v, b.id, Level::kMust, absl::StrCat(b.rule, " ", kFieldRules),
        absl::StrCat("GET with field \"x-probe: ", Hex(b.value), "\""), Malformed(),
        GetWith({{"x-probe", b.value}}));
  }
  Add(v, "9113/8.2.1/18", Level::kMust,
      "A field value MUST NOT start or end with an ASCII whitespace character (inside the value, SP "
      "and HTAB are allowed)",
      "GET with field \"x-probe: a b\\tc\"", Accepted(), GetWith({{"x-probe", "a b\tc"}}));
  Add(v, "9113/8.2.1/19", Level::kMust,
      "Implementations MUST perform the following minimal validation of field names and values "
      "(an empty value breaks none of them)",
      "GET with field \"x-probe\" and an empty value", Accepted(), GetWith({{"x-probe", ""}}));
  {
    Expectation e = Malformed();
    Outcome ok = Response(100, 599,
                          "§8.2.1: \"HTTP/2 implementations SHOULD validate field names and values "
                          "according to their definitions in Sections 5.1 and 5.5 of [HTTP]\" (a "
                          "SHOULD)");
    ok.same_as_control = true;
    e.tolerated.push_back(ok);
    const struct {
      const char* id;
      std::string name, value, what;
    } should[] = {
        {"9113/8.2.1/20", "", "1", "an empty field name (not a token)"},
        {"9113/8.2.1/21", "x-pro(be", "1", "field name \"x-pro(be\" (\"(\" is not a token character)"},
        {"9113/8.2.1/22", "x-probe", "a\x7f" "b", "field value with DEL (0x7f), not a field-vchar"},
        {"9113/8.2.1/23", "x-probe", "a\x01" "b", "field value with 0x01, a control character"},
    };
    for (const auto& s : should) {
      Add(v, s.id, Level::kShould,
          "HTTP/2 implementations SHOULD validate field names and values according to their "
          "definitions in Sections 5.1 and 5.5 of [HTTP], respectively, and treat messages that "
          "contain prohibited characters as malformed (Section 8.1.1).",
          absl::StrCat("GET with ", s.what), e, GetWith({{s.name, s.value}}));
    }
  }

  // --- §8.2.2 Connection-specific fields ---
  const char kConnSpecific[] =
      "An endpoint MUST NOT generate an HTTP/2 message containing connection-specific header "
      "fields. ... Any message containing connection-specific header fields MUST be treated as "
      "malformed (Section 8.1.1).";
  const std::pair<const char*, hpack::HeaderField> conn_fields[] = {
      {"9113/8.2.2/1", {"connection", "keep-alive"}},
      {"9113/8.2.2/2", {"proxy-connection", "keep-alive"}},
      {"9113/8.2.2/3", {"keep-alive", "timeout=5"}},
      {"9113/8.2.2/4", {"transfer-encoding", "chunked"}},
      {"9113/8.2.2/5", {"upgrade", "websocket"}},
  };
  for (const auto& [id, field] : conn_fields) {
    Add(v, id, Level::kMust, kConnSpecific, absl::StrCat("GET with \"", field.name, ": ", field.value, "\""),
        Malformed(), GetWith({field}));
  }
  const char kTe[] =
      "The only exception to this is the TE header field, which MAY be present in an HTTP/2 "
      "request; when it is, it MUST NOT contain any value other than \"trailers\".";
  Add(v, "9113/8.2.2/6", Level::kMust, kTe, "GET with \"te: gzip\"", Malformed(), GetWith({{"te", "gzip"}}));
  Add(v, "9113/8.2.2/7", Level::kMust, kTe, "GET with \"te: trailers\"", Accepted(), GetWith({{"te", "trailers"}}));
  Add(v, "9113/8.2.2/8", Level::kMust, kTe, "GET with \"te: trailers, deflate\"", Malformed(),
      GetWith({{"te", "trailers, deflate"}}));
  Add(v, "9113/8.2.2/9", Level::kMust, kConnSpecific,
      "POST; DATA; trailers with \"transfer-encoding: chunked\"", Malformed(), [](Exchange& ex) {
        const uint32_t id = ex.Post(5);
        ex.f().Data(id, "probe").Headers(id, {{"transfer-encoding", "chunked"}}, kFlagEndStream);
        ex.set_focus_post(true);
      });
  Add(v, "9113/8.2.3/1", Level::kMay,
      "To allow for better compression efficiency, the Cookie header field MAY be split into "
      "separate header fields, each with one or more cookie-pairs.",
      "GET with \"cookie: a=b\", \"cookie: c=d\", \"cookie: e=f\"", Accepted(),
      GetWith({{"cookie", "a=b"}, {"cookie", "c=d"}, {"cookie", "e=f"}}));

  // --- §8.3 Pseudo-header fields ---
  Add(v, "9113/8.3/1", Level::kMust,
      "Endpoints MUST treat a request or response that contains undefined or invalid pseudo-header "
      "fields as malformed (Section 8.1.1).",
      "GET with pseudo-header \":probe: 1\"", Malformed(), GetWithFieldAt(4, {":probe", "1"}));
  Add(v, "9113/8.3/2", Level::kMust,
      "pseudo-header fields defined for responses MUST NOT appear in requests. ... Endpoints MUST "
      "treat a request or response that contains undefined or invalid pseudo-header fields as "
      "malformed",
      "GET with \":status: 200\"", Malformed(), GetWithFieldAt(4, {":status", "200"}));
  Add(v, "9113/8.3/3", Level::kMust,
      "All pseudo-header fields MUST appear in a field block before all regular field lines. Any "
      "request or response that contains a pseudo-header field that appears in a field block after "
      "a regular field line MUST be treated as malformed (Section 8.1.1).",
      "GET with a regular field before :path", Malformed(), GetWithFieldAt(3, {"x-probe", "1"}));
  const char* const pseudo[] = {":method", ":scheme", ":authority", ":path"};
  for (int i = 0; i < 4; ++i) {
    Add(v, absl::StrCat("9113/8.3/", 4 + i), Level::kMust,
        "The same pseudo-header field name MUST NOT appear more than once in a field block. A field "
        "block for an HTTP request or response that contains a repeated pseudo-header field name "
        "MUST be treated as malformed (Section 8.1.1).",
        absl::StrCat("GET with ", pseudo[i], " twice"), Malformed(), SendFields([i](const Exchange& ex) {
          hpack::HeaderList h = ex.Request();
          h.insert(h.begin() + 4, h[i]);
          return h;
        }));
  }
  const char kMandatory[] =
      "All HTTP/2 requests MUST include exactly one valid value for the \":method\", \":scheme\", "
      "and \":path\" pseudo-header fields, unless they are CONNECT requests (Section 8.5). An HTTP "
      "request that omits mandatory pseudo-header fields is malformed (Section 8.1.1).";
  const std::pair<const char*, int> missing[] = {
      {"9113/8.3.1/1", 0}, {"9113/8.3.1/2", 1}, {"9113/8.3.1/3", 3}};
  for (const auto& [id, index] : missing) {
    Add(v, id, Level::kMust, kMandatory, absl::StrCat("GET without ", pseudo[index]), Malformed(),
        SendFields([index = index](const Exchange& ex) {
          hpack::HeaderList h = ex.Request();
          h.erase(h.begin() + index);
          return h;
        }));
  }
  Add(v, "9113/8.3.1/4", Level::kMust,
      "This pseudo-header field MUST NOT be empty for \"http\" or \"https\" URIs; \"http\" or "
      "\"https\" URIs that do not contain a path component MUST include a value of '/'.",
      "GET with an empty :path", Malformed(), SendFields([](const Exchange& ex) {
        hpack::HeaderList h = ex.Request();
        h[3].value = "";
        return h;
      }));
  Add(v, "9113/8.3.1/5", Level::kMust,
      "an OPTIONS request for an \"http\" or \"https\" URI that does not include a path "
      "component; these MUST include a \":path\" pseudo-header field with a value of '*'",
      "OPTIONS with :path \"*\" (any response: it is not malformed)", AnyResponse(),
      SendFields([](const Exchange& ex) {
        hpack::HeaderList h = ex.Request("OPTIONS");
        h[3].value = "*";
        return h;
      }));
  Add(v, "9113/8.3.1/6", Level::kMust,
      "\":authority\" MUST NOT include the deprecated userinfo subcomponent for \"http\" or "
      "\"https\" schemed URIs. (§8.3: Endpoints MUST treat a request ... that contains undefined or "
      "invalid pseudo-header fields as malformed)",
      "GET with :authority \"user@<authority>\"", Malformed(), SendFields([](const Exchange& ex) {
        hpack::HeaderList h = ex.Request();
        h[2].value = "user@" + h[2].value;
        return h;
      }));
  {
    Expectation e = Malformed();
    e.tolerated.push_back(Response(100, 599,
                                   "§8.3.1: \"A server SHOULD treat a request as malformed if it "
                                   "contains a Host header field that identifies an entity that "
                                   "differs from the entity in the \":authority\" pseudo-header "
                                   "field\" (a SHOULD)"));
    Add(v, "9113/8.3.1/7", Level::kShould,
        "A server SHOULD treat a request as malformed if it contains a Host header field that "
        "identifies an entity that differs from the entity in the \":authority\" pseudo-header "
        "field.",
        "GET with \"host: other.invalid\"", e, GetWith({{"host", "other.invalid"}}));
  }
  Add(v, "9113/8.3.1/8", Level::kMust,
      "Clients that generate HTTP/2 requests directly MUST use the \":authority\" pseudo-header "
      "field to convey authority information, unless there is no authority information to convey "
      "(a request with Host and without :authority is well-formed: any response)",
      "GET without :authority, with \"host\"", AnyResponse(), SendFields([](const Exchange& ex) {
        hpack::HeaderList h = ex.Request();
        h.erase(h.begin() + 2);
        h.push_back({"host", ex.authority()});
        return h;
      }));
  Add(v, "9113/8.3.1/9", Level::kMust,
      "Clients MUST NOT generate a request with a Host header field that differs from the "
      "\":authority\" pseudo-header field. (One that agrees is well-formed.)",
      "GET with \"host\" equal to :authority", Accepted(), [](Exchange& ex) {
        ex.Get({{"host", ex.authority()}});
      });
  Add(v, "9113/8.3.1/10", Level::kMust,
      "The \":path\" pseudo-header field includes the path and query parts of the target URI (the "
      "absolute-path production ...) (§8.3: invalid pseudo-header fields make a request malformed)",
      "GET with :path \"index.html\" (no leading '/')", Malformed(), SendFields([](const Exchange& ex) {
        hpack::HeaderList h = ex.Request();
        h[3].value = "index.html";
        return h;
      }));

  // --- §8.5 CONNECT ---
  const char kConnect[] =
      "The \":scheme\" and \":path\" pseudo-header fields MUST be omitted. ... A CONNECT request "
      "that does not conform to these restrictions is malformed (Section 8.1.1).";
  Add(v, "9113/8.5/1", Level::kMust, kConnect, "CONNECT with :scheme", Malformed(),
      SendFields([](const Exchange& ex) {
        return hpack::HeaderList{{":method", "CONNECT"}, {":scheme", ex.scheme()}, {":authority", ex.authority()}};
      }));
  Add(v, "9113/8.5/2", Level::kMust, kConnect, "CONNECT with :path", Malformed(),
      SendFields([](const Exchange& ex) {
        return hpack::HeaderList{{":method", "CONNECT"}, {":authority", ex.authority()}, {":path", "/"}};
      }));
  Add(v, "9113/8.5/3", Level::kMust,
      "The \":authority\" pseudo-header field contains the host and port to connect to ... A "
      "CONNECT request that does not conform to these restrictions is malformed (Section 8.1.1).",
      "CONNECT without :authority", Malformed(),
      SendFields([](const Exchange&) { return hpack::HeaderList{{":method", "CONNECT"}}; }));
  {
    Expectation e;
    e.exact = {Response(100, 599), Ignored("a server may wait for the tunnel's data")};
    e.tolerated = {RstStream(ErrorCode::kRefusedStream,
                             "§8.7: REFUSED_STREAM: the stream was closed before any processing"),
                   RstStream(ErrorCode::kConnectError,
                             "§8.5: a CONNECT that cannot be established is reset with CONNECT_ERROR")};
    e.generic_code_tolerated = false;
    Add(v, "9113/8.5/4", Level::kMust,
        "A CONNECT header section is constructed as defined in Section 8.3.1 (\"Request "
        "Pseudo-Header Fields\"), with a few differences. (A conforming CONNECT is not malformed: "
        "any response)",
        "CONNECT with only :method and :authority (127.0.0.1:9, without END_STREAM): a "
        "response, or nothing while the server waits, but no PROTOCOL_ERROR",
        e, [](Exchange& ex) { ex.Open({{":method", "CONNECT"}, {":authority", "127.0.0.1:9"}}, false); });
  }
  Add(v, "8441/4/1", Level::kMust,
      "RFC 9113 §8.3: Endpoints MUST treat a request or response that contains undefined or "
      "invalid pseudo-header fields as malformed. (RFC 8441 defines \":protocol\" only once the "
      "server sends SETTINGS_ENABLE_CONNECT_PROTOCOL=1.)",
      "extended CONNECT with :protocol websocket to a server without SETTINGS_ENABLE_CONNECT_PROTOCOL",
      Malformed(), [](Exchange& ex) {
        if (ex.conn().server_settings().enable_connect_protocol == 1) {
          return ex.Skip("the server supports extended CONNECT (RFC 8441)");
        }
        ex.Open({{":method", "CONNECT"}, {":protocol", "websocket"}, {":scheme", ex.scheme()},
                 {":authority", ex.authority()}, {":path", ex.path()}},
                true);
      });

  // --- Server behaviour in responses (§8.1.1, §8.2, §8.2.2, §8.3.2) ---
  const struct {
    const char* id;
    const char* requirement;
    const char* needle;
  } response_checks[] = {
      {"9113/8.3.2/1",
       "For HTTP/2 responses, a single \":status\" pseudo-header field is defined ... This "
       "pseudo-header field MUST be included in all responses, including interim responses",
       ":status"},
      {"9113/8.2.2/10",
       "An endpoint MUST NOT generate an HTTP/2 message containing connection-specific header "
       "fields.",
       "connection-specific"},
      {"9113/8.2/2",
       "Field names MUST be converted to lowercase when constructing an HTTP/2 message. "
       "Implementations MUST perform the following minimal validation of field names and values",
       "§8.2.1"},
      {"9113/8.3/8",
       "Pseudo-header fields defined for requests MUST NOT appear in responses ... All "
       "pseudo-header fields MUST appear in a field block before all regular field lines.",
       "pseudo-header"},
      {"9113/8.1.1/9",
       "A request or response is also malformed if the value of a content-length header field "
       "does not equal the sum of the DATA frame payload lengths that form the content",
       "content-length"},
  };
  for (const auto& r : response_checks) {
    Add(v, r.id, Level::kMust, r.requirement,
        "GET and POST; the server's responses checked", Custom(), [needle = std::string(r.needle)](Exchange& ex) {
          const uint32_t get = ex.Get();
          const uint32_t post = ex.Post(5);
          ex.f().Data(post, "probe", kFlagEndStream);
          ex.conn().NoteRequestEnd(post);
          ex.WaitResponse(get);
          ex.WaitResponse(post);
          for (const std::string& s : ex.conn().obs().violations) {
            if (s.find(needle) != std::string::npos) return ex.Fail(s);
          }
          const StreamObs* g = ex.conn().obs().stream(get);
          if (!g || g->status == 0) return ex.Fail("no response to the GET");
          ex.Pass();
        });
  }

  // --- §9.1 Connection management ---
  Add(v, "9113/9.1/1", Level::kMust,
      "HTTP/2 connections are persistent. ... A single HTTP/2 connection can contain multiple "
      "concurrently open streams (§5)",
      "10 GETs on streams 1-19 in one write (fewer if SETTINGS_MAX_CONCURRENT_STREAMS is "
      "lower); every one answered",
      Custom(), [](Exchange& ex) {
        const int n = static_cast<int>(std::min<uint32_t>(10, ex.conn().server_settings().max_concurrent_streams));
        if (n < 2) return ex.Skip("the server allows fewer than 2 concurrent streams");
        std::vector<uint32_t> ids;
        for (int i = 0; i < n; ++i) ids.push_back(ex.Get());
        int ok = 0;
        for (uint32_t id : ids) ok += ex.WaitResponse(id) ? 1 : 0;
        if (ok == n) return ex.Pass();
        ex.Fail(absl::StrCat(ok, " of ", n, " concurrent GETs answered"));
      });
}

}  // namespace probe
