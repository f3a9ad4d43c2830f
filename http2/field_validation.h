// HTTP field validation for HTTP/2 (RFC 9113 §8.1-§8.5, RFC 8441 §4, RFC 9110 §5, §8.6):
// what makes a request or response "malformed" (§8.1.1), checked field by field as the HPACK
// Inflater delivers them, with no allocation per field.
//
// A malformed message is a stream error of type PROTOCOL_ERROR (RFC 9113 §8.1.1): every
// FieldErrorCode below maps to that, never to a connection error. A server MAY answer a
// malformed request with a 400 before resetting (§8.1.1, §8.2.1).
//
// Use:
//   FieldValidator v(options);                  // one per connection, reused for every block
//   v.StartBlock(FieldBlockKind::kRequest, end_stream);
//   for each decoded field: if (!v.OnField(name, value)) -> RST_STREAM(PROTOCOL_ERROR)
//   if (!v.FinishBlock()) -> RST_STREAM(PROTOCOL_ERROR)
//   v.method(), v.path(), v.content_length(), ... until the next StartBlock()
//   ContentLengthTracker t = ContentLengthTracker::ForRequest(v);  // per stream
//   t.OnData(n) for each DATA payload, t.OnEndStream() at END_STREAM.
//
// Which stream to reset: the stream of the block, except for kPushPromise, whose errors
// concern the promised stream (RFC 9113 §8.4, §8.4.1: "MUST respond on the promised stream
// with a stream error ... of type PROTOCOL_ERROR").
//
// Sending: run the same validator over a block before sending it; a failure means the
// application asked for a malformed message (the RFC's sender rules are the same MUSTs).
//
// Field blocks never interleave on a connection (RFC 9113 §6.10: nothing may come between
// HEADERS/PUSH_PROMISE and its CONTINUATION frames), so one validator per connection is
// enough; its copy buffer keeps its capacity, so steady-state use allocates nothing.
#ifndef H2HARNESS_HTTP2_FIELD_VALIDATION_H_
#define H2HARNESS_HTTP2_FIELD_VALIDATION_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "hpack/header.h"

namespace http2 {

// What kind of field block is being validated; the session knows it from the stream state.
enum class FieldBlockKind : uint8_t {
  // HEADERS that opens a request (server side; also a client checking what it sends).
  kRequest,
  // HEADERS with a response: 1xx informational or final (:status decides).
  kResponse,
  // A trailer section (either direction): no pseudo-header fields (§8.1).
  kTrailers,
  // PUSH_PROMISE's promised request (client side). The kRequest rules plus §8.4: the method
  // must be safe and cacheable (GET or HEAD) and the request must not indicate content.
  kPushPromise,
};

// Why a field block (or the content that follows it) is malformed. Each names one rule;
// FieldErrorRule() gives the RFC section, FieldErrorRequirement() whether the RFC demands
// that a recipient treat it as malformed (kMust) or only recommends/allows it.
enum class FieldErrorCode : uint8_t {
  kOk = 0,
  // Field names (RFC 9113 §8.2, §8.2.1; RFC 9110 §5.1).
  kEmptyName,              // MUST: a name is a token, 1*tchar (RFC 9110 §5.1) [§8.2.1]
  kUppercaseName,          // MUST: 'A'-'Z' in a name (§8.2, §8.2.1, §8.1.1)
  kInvalidNameChar,        // MUST: 0x00-0x20, 0x7f-0xff, or ':' past the first octet (§8.2.1)
  kNonTokenNameChar,       // SHOULD: other octets outside tchar (§8.2.1 -> RFC 9110 §5.1)
  // Field values (RFC 9113 §8.2.1; RFC 9110 §5.5).
  kInvalidValueChar,       // MUST: NUL, LF or CR in a value (§8.2.1)
  kValueWhitespace,        // MUST: value starts or ends with SP or HTAB (§8.2.1)
  kValueControlChar,       // SHOULD: another CTL (0x01-0x08, 0x0b, 0x0c, 0x0e-0x1f, 0x7f)
  kValueObsText,           // MAY: 0x80-0xff (obs-text is valid; only rejected on request)
  // Connection-specific fields (RFC 9113 §8.2.2).
  kConnectionSpecificField,  // MUST: connection, proxy-connection, keep-alive,
                             //       transfer-encoding, upgrade
  kInvalidTe,                // MUST: te with a value other than "trailers"
  // Pseudo-header fields (RFC 9113 §8.3, §8.1).
  kUnknownPseudoHeader,      // MUST: undefined pseudo-header field (§8.3)
  kResponsePseudoHeaderInRequest,  // MUST: :status in a request (§8.3)
  kRequestPseudoHeaderInResponse,  // MUST: :method/:scheme/:authority/:path/:protocol (§8.3)
  kPseudoHeaderInTrailers,   // MUST: any pseudo-header field in a trailer section (§8.1, §8.3)
  kPseudoHeaderAfterRegular, // MUST: pseudo-header field after a regular field (§8.3)
  kDuplicatePseudoHeader,    // MUST: the same pseudo-header field twice (§8.3)
  // Request control data (RFC 9113 §8.3.1, §8.5; RFC 8441 §4).
  kMissingMethod,            // MUST: no :method (§8.3.1)
  kMissingScheme,            // MUST: no :scheme (§8.3.1; extended CONNECT: RFC 8441 §4)
  kMissingPath,              // MUST: no :path (§8.3.1; extended CONNECT: RFC 8441 §4)
  kInvalidMethod,            // MUST: :method not a token (§8.3 invalid; RFC 9110 §9.1)
  kInvalidScheme,            // MUST: :scheme not a URI scheme (§8.3 invalid; RFC 3986 §3.1)
  kEmptyPath,                // MUST: empty :path for http/https (§8.3.1)
  kPathNotAbsolute,          // MUST: http/https :path neither "/..." nor "*" (§8.3.1)
  kAsteriskPathNotOptions,   // MUST: :path "*" with a method other than OPTIONS (§8.3.1)
  kInvalidPath,              // MUST*: SP, HTAB or a CTL in :path; or, with validate_path,
                             //        octets outside RFC 3986 path/query
  kInvalidAuthority,         // MUST: :authority octets outside RFC 3986 §3.2, or an http(s)
                             //       :authority with an empty host (RFC 9110 §4.2.1)
  kAuthorityUserinfo,        // MUST: userinfo in an http/https :authority (§8.3.1)
  kMissingAuthority,         // MUST: CONNECT without :authority (§8.5)
  kInvalidConnectAuthority,  // MUST: CONNECT :authority not host:port (§8.5; RFC 9110 §9.3.6)
  kConnectWithSchemeOrPath,  // MUST: CONNECT (not extended) with :scheme or :path (§8.5)
  kExtendedConnectDisabled,  // MUST: :protocol when extended CONNECT is not enabled
                             //       (RFC 8441 §3, §4; unknown pseudo-header, §8.3)
  kProtocolWithoutConnect,   // MUST: :protocol with a method other than CONNECT (RFC 8441 §4)
  kInvalidProtocol,          // MUST: :protocol not a token (RFC 8441 §4, RFC 9110 §7.8)
  kHostAuthorityMismatch,    // SHOULD: host identifies another entity than :authority, or
                             //         several host fields disagree (§8.3.1)
  kMissingAuthorityAndHost,  // MAY: neither :authority nor host (require_authority_or_host)
  // Response control data (RFC 9113 §8.3.2, §8.6; RFC 9110 §15).
  kMissingStatus,            // MUST: no :status in a response (§8.3.2)
  kInvalidStatus,            // MUST: :status not exactly three digits (§8.3 invalid)
  kStatus101,                // MUST: 101 is not supported in HTTP/2 (§8.6)
  // Framing of the message (RFC 9113 §8.1); needs the END_STREAM flag (StartBlock).
  kInformationalEndStream,   // MUST: 1xx response on a HEADERS with END_STREAM (§8.1)
  kTrailersWithoutEndStream, // MUST: trailer HEADERS without END_STREAM (§8.1)
  // Content-Length (RFC 9110 §8.6; RFC 9113 §8.1.1).
  kInvalidContentLength,     // MUST: not 1*DIGIT, or overflows (RFC 9110 §8.6)
  kConflictingContentLength, // MUST: several values that differ (RFC 9110 §8.6)
  kRepeatedContentLength,    // MAY: several equal values (allow_repeated_content_length)
  kContentLengthInNoContentResponse,  // MAY: content-length in 1xx, or non-zero in 204
                                      // (RFC 9110 §8.6: a server MUST NOT send it)
  // Server push (RFC 9113 §8.4, §8.4.1).
  kPushUnsafeMethod,         // MUST: promised request not safe and cacheable (GET/HEAD)
  kPushWithContent,          // MUST: promised request indicates content (content-length > 0)
  // Content against Content-Length (ContentLengthTracker; RFC 9113 §8.1.1, RFC 9110 §6.4.1).
  kContentLengthExceeded,    // MUST: more DATA than content-length (§8.1.1)
  kContentLengthShort,       // MUST: END_STREAM before content-length octets (§8.1.1)
  kContentNotAllowed,        // MUST: DATA octets in a response without content (HEAD, 204,
                             //       304; RFC 9110 §6.4.1) — extraneous frames (§8.1.1)
  kDataBeforeFinalResponse,  // MUST: DATA after a 1xx, before the final response (§8.1)
  kNoFinalResponse,          // MUST: stream ends after a 1xx without a final response (§8.1)
};

// Whether the RFC demands that a recipient treat the violation as malformed (kMust), only
// recommends it (kShould), or merely allows it (kMay). (*) kInvalidPath is kMust: an
// invalid :path is an "invalid pseudo-header field" (§8.3); the RFC 3986 character check is
// opt-in (validate_path) because browsers send '[', ']', '|', '^', '{', '}' unescaped
// (the WHATWG URL standard leaves them as they are).
enum class Requirement : uint8_t { kMust, kShould, kMay };

// Stable identifier, e.g. "uppercase_name".
absl::string_view FieldErrorName(FieldErrorCode code);
// The rule broken, e.g. "RFC 9113 §8.2.1".
absl::string_view FieldErrorRule(FieldErrorCode code);
Requirement FieldErrorRequirement(FieldErrorCode code);
// Prints FieldErrorName(code) (for logs and test failures).
std::ostream& operator<<(std::ostream& os, FieldErrorCode code);
// Every error code except kOk, in declaration order.
absl::Span<const FieldErrorCode> AllFieldErrors();

struct FieldError {
  FieldErrorCode code = FieldErrorCode::kOk;
  // Names the field (escaped) and quotes the rule, e.g.
  //   "field 'Accept': uppercase character in a field name (RFC 9113 §8.2.1: ...)".
  std::string message;

  bool ok() const { return code == FieldErrorCode::kOk; }
  // kInvalidArgument with `message`; OkStatus() when ok().
  absl::Status ToStatus() const;
};

// Every check can be relaxed. The names follow quiche's OgHttp2Session::Options and
// nghttp2's nghttp2_option_set_* where they have an equivalent; the others are h2harness's.
// The defaults reject what the RFCs say a recipient MUST or SHOULD treat as malformed. Of
// the rules that bind only the sender, they reject content-length in 1xx and a non-zero one
// in 204 (as libnghttp2 and quiche do: no conforming server sends them) and accept the rest:
// repeated equal content-length values (RFC 9110 §8.6 MAY), obs-text (valid), and requests
// with neither :authority nor host (RFC 9110 §7.1: the server "can reject the request or
// determine whether a configured default applies"; libnghttp2 and quiche reject them).
struct FieldValidationOptions {
  // Master switch (quiche: validate_http_headers; nghttp2: the inverse of
  // nghttp2_option_set_no_http_messaging). false: no check at all, the validator only
  // extracts method/status/content-length/... for the session.
  bool validate_http_headers = true;
  // nghttp2_option_set_no_rfc9113_leading_and_trailing_ws_validation: accept SP/HTAB at
  // either end of a regular field's value (§8.2.1 MUST otherwise). Like nghttp2, never
  // relaxed for pseudo-header fields.
  bool no_rfc9113_leading_and_trailing_ws_validation = false;
  // quiche allow_obs_text: accept 0x80-0xff in values. RFC 9110 §5.5 field-vchar includes
  // obs-text, so true is exact; false rejects it (kValueObsText).
  bool allow_obs_text = true;
  // Accept CTLs other than NUL/CR/LF/HTAB in values (RFC 9110 §5.5: invalid, though
  // recipients MAY retain them; RFC 9113 §8.2.1 SHOULD reject). h2harness's own option.
  bool allow_ctl_in_values = false;
  // Accept names with octets outside RFC 9110 §5.1 tchar that §8.2.1's minimal checks
  // allow (e.g. '"', '(', '/', '@', '{'): §8.2.1 SHOULD reject. h2harness's own option.
  bool allow_non_token_names = false;
  // quiche allow_different_host_and_authority: skip the §8.3.1 host/:authority comparison.
  bool allow_different_host_and_authority = false;
  // quiche allow_extended_connect (RFC 8441): accept :protocol on CONNECT. Set false when
  // this endpoint did not send SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 (RFC 8441 §3).
  bool allow_extended_connect = true;
  // quiche validate_path: :path octets must be RFC 3986 path/query characters
  // (pchar / "/" / "?" / pct-encoded) or "*". Off by default, as in quiche, because
  // browsers send characters RFC 3986 does not allow ("/a?filter[x]=1", '|', '^', '{')
  // unescaped. Either way :path never has SP, HTAB or a CTL (as libnghttp2 checks).
  bool validate_path = false;
  // quiche allow_fragment_in_path: accept '#' in :path (not part of path or query).
  bool allow_fragment_in_path = false;
  // Validate :authority octets (RFC 3986 §3.2), no userinfo for http/https, a host for
  // http/https, host:port for CONNECT (quiche and nghttp2 always check the octets).
  bool validate_authority = true;
  // Reject a request with neither :authority nor host (libnghttp2 and quiche do; RFC 9110
  // §7.2 makes sending one a user agent's MUST, and §7.1 lets the server reject the request
  // or apply its configured default authority).
  bool require_authority_or_host = false;
  // Accept :status 101 (RFC 9113 §8.6: HTTP/2 does not support it).
  bool allow_status_101 = false;
  // Accept content-length repeated with the same value, in one field ("42, 42") or several
  // (RFC 9110 §8.6: a recipient MAY reject or MAY collapse them). nghttp2: false.
  bool allow_repeated_content_length = true;
  // Accept content-length in a 1xx response and a non-zero one in 204 (RFC 9110 §8.6:
  // "A server MUST NOT send"); false rejects them as quiche and nghttp2 do.
  bool allow_content_length_in_no_content_response = false;
  // Parse content-length and check DATA against it (RFC 9113 §8.1.1); false ignores it.
  bool validate_content_length = true;
};

// Validates one field block at a time. Checks are done as each field arrives (OnField),
// and the ones needing the whole block at the end (FinishBlock). The first violation
// sticks: later calls return false and error() keeps the first reason.
class FieldValidator {
 public:
  explicit FieldValidator(const FieldValidationOptions& options = {});

  const FieldValidationOptions& options() const { return options_; }
  void set_options(const FieldValidationOptions& options) { options_ = options; }

  // Starts a block. This form does not know the frame's END_STREAM flag and skips the
  // §8.1 checks that need it (1xx with END_STREAM, trailers without END_STREAM).
  void StartBlock(FieldBlockKind kind);
  // `end_stream`: the END_STREAM flag of the HEADERS frame that starts the block (false
  // for PUSH_PROMISE). A trailer block without it fails at once (§8.1); a 1xx response
  // with it fails in FinishBlock (§8.1).
  void StartBlock(FieldBlockKind kind, bool end_stream);

  // One field as the HPACK Inflater delivers it (octet strings). Returns false at the
  // first violation (later calls keep returning false); error() says why.
  bool OnField(absl::string_view name, absl::string_view value);

  // Checks what needs the whole block: required pseudo-header fields, CONNECT, :path
  // against :method and :scheme, host/:authority, push rules, 1xx + END_STREAM.
  bool FinishBlock();

  bool ok() const { return error_.ok(); }
  const FieldError& error() const { return error_; }
  FieldBlockKind kind() const { return kind_; }

  // What the block said. Valid after FinishBlock() until the next StartBlock(); the views
  // point into the validator's own copies, not into the caller's fields. Empty when absent.
  absl::string_view method() const { return View(method_); }
  absl::string_view scheme() const { return View(scheme_); }
  absl::string_view authority() const { return View(authority_); }
  absl::string_view path() const { return View(path_); }
  absl::string_view protocol() const { return View(protocol_); }  // RFC 8441 extended CONNECT
  absl::string_view host() const { return View(host_); }           // the first host field
  bool has_authority() const { return (seen_ & kSeenAuthority) != 0; }
  bool has_status() const { return (seen_ & kSeenStatus) != 0; }
  bool has_host() const { return (seen_ & kSeenHost) != 0; }
  // :status as a number (000-999: RFC 9110 §15 says a client SHOULD treat values outside
  // 100-599 as 5xx, not as malformed), 0 in requests, trailers and when absent or invalid.
  int status() const { return status_; }
  bool is_informational() const { return status_ >= 100 && status_ <= 199; }
  // The content-length value, when present and valid (not in trailers).
  std::optional<uint64_t> content_length() const {
    return has_content_length_ ? std::optional<uint64_t>(content_length_) : std::nullopt;
  }
  bool is_connect() const { return (flags_ & kFlagConnect) != 0; }  // :method CONNECT
  bool is_extended_connect() const { return is_connect() && (seen_ & kSeenProtocol) != 0; }
  bool is_head() const { return (flags_ & kFlagHead) != 0; }        // :method HEAD

 private:
  // Pseudo-header fields (and host) seen in this block.
  enum : uint8_t {
    kSeenMethod = 1,
    kSeenScheme = 2,
    kSeenAuthority = 4,
    kSeenPath = 8,
    kSeenProtocol = 16,
    kSeenStatus = 32,
    kSeenHost = 64,
  };
  enum : uint8_t {
    kFlagConnect = 1,
    kFlagHead = 2,
    kFlagOptions = 4,
    kFlagRegularSeen = 8,     // a regular field was seen: no more pseudo-header fields
    kFlagEndStreamKnown = 16,
    kFlagEndStream = 32,
    kFlagHttpScheme = 64,          // :scheme is http or https (any case)
    kFlagAuthorityAtOrColon = 128, // :authority has '@' or ':' (userinfo or port)
  };

  // Records `code` (the first error sticks); `name`/`value` (null data: none) go into the
  // message. Returns false.
  bool Fail(FieldErrorCode code, absl::string_view name, absl::string_view value);
  static uint8_t PseudoBit(absl::string_view name);
  bool OnPseudoField(absl::string_view name, absl::string_view value, uint16_t value_class);
  bool OnRegularField(absl::string_view name, absl::string_view value);
  bool OnHost(absl::string_view name, absl::string_view value);
  bool OnContentLength(absl::string_view name, absl::string_view value);
  void SetMethod(absl::string_view value);
  bool SetStatus(absl::string_view value);
  void Record(absl::string_view name, absl::string_view value);
  bool CheckRequest();
  bool CheckResponse();

  FieldValidationOptions options_;
  FieldBlockKind kind_ = FieldBlockKind::kRequest;
  uint8_t seen_ = 0;
  uint8_t flags_ = 0;
  bool has_content_length_ = false;
  int content_length_count_ = 0;  // values seen, counting "42, 42" as two
  int status_ = 0;
  uint64_t content_length_ = 0;
  // Copies of the values the accessors return, in one buffer reused by every block (it
  // only grows, so steady-state use does not allocate).
  struct Slice {
    size_t offset = 0;
    size_t size = 0;
  };
  absl::string_view View(Slice s) const {
    return absl::string_view(store_.data() + s.offset, s.size);
  }
  Slice Keep(absl::string_view value);
  std::string store_;
  size_t store_used_ = 0;
  Slice method_;
  Slice scheme_;
  Slice authority_;
  Slice path_;
  Slice protocol_;
  Slice host_;
  FieldError error_;
};

// Checks content (DATA payloads) against the message's content-length and status
// (RFC 9113 §8.1.1, RFC 9110 §6.4.1, §8.6). One per stream and direction, made from the
// validated header block; it is small (no allocation) and copyable.
//
// - Requests: with content-length, the DATA total must equal it. CONNECT requests (plain
//   or extended) carry tunnel data, not content: nothing is checked (RFC 9110 §9.3.6).
// - Responses to HEAD, 204 and 304 have no content (RFC 9110 §6.4.1): any DATA octet is
//   malformed; their content-length (which MAY be non-zero, §8.1.1) is not checked.
// - A 2xx response to CONNECT starts a tunnel: a client MUST ignore its content-length
//   (RFC 9110 §8.6, §9.3.6); nothing is checked.
// - After a 1xx response (before the final one), DATA and END_STREAM are malformed (§8.1).
//   Make a new tracker from the final response when it arrives.
class ContentLengthTracker {
 public:
  // Accepts any content.
  ContentLengthTracker() = default;

  // From a finished kRequest block (server side).
  static ContentLengthTracker ForRequest(const FieldValidator& request);
  static ContentLengthTracker ForRequest(std::optional<uint64_t> content_length,
                                         bool is_connect);
  // From a finished kResponse block (client side); `request_was_head`/`_connect` come from
  // the request this answers (the client sent it).
  static ContentLengthTracker ForResponse(const FieldValidator& response,
                                          bool request_was_head, bool request_was_connect);
  static ContentLengthTracker ForResponse(int status, std::optional<uint64_t> content_length,
                                          bool request_was_head, bool request_was_connect);

  // One DATA frame's content octets (padding excluded). False at the first violation.
  bool OnData(uint64_t length);
  // END_STREAM (on DATA or on the trailer HEADERS). False when the total falls short.
  bool OnEndStream();

  bool ok() const { return code_ == FieldErrorCode::kOk; }
  FieldErrorCode code() const { return code_; }
  // The error with a message giving the numbers; kOk when none.
  FieldError error() const;
  uint64_t received() const { return received_; }
  std::optional<uint64_t> expected() const {
    return mode_ == Mode::kExpect ? std::optional<uint64_t>(expected_) : std::nullopt;
  }

 private:
  enum class Mode : uint8_t { kAny, kExpect, kNoContent, kInformational };
  Mode mode_ = Mode::kAny;
  FieldErrorCode code_ = FieldErrorCode::kOk;
  uint64_t expected_ = 0;
  uint64_t received_ = 0;
};

// RFC 9113 §8.2.3: several cookie fields MUST be joined with "; " before the message goes
// to a non-HTTP/2 context (an HTTP/1.1 hop, the application). Replaces every "cookie"
// field by one, at the place of the first, values joined in order.
void JoinCookieCrumbs(hpack::HeaderList* fields);
// The same on views: appends one crumb to `joined` ("; " between crumbs).
void AppendCookieCrumb(std::string* joined, absl::string_view crumb);
// The sending side (§8.2.3 MAY; quiche crumble_cookies): splits each cookie field at ';'
// into one field per cookie-pair, dropping the SP after each ';', so HPACK can index pairs.
void CrumbleCookies(hpack::HeaderList* fields);

}  // namespace http2

#endif  // H2HARNESS_HTTP2_FIELD_VALIDATION_H_
