// What a Session tells the layer above (Visitor), and where the bodies it sends come from
// (DataSource). Modelled on quiche's Http2VisitorInterface and nghttp2's callbacks.
//
// Every string_view and Span passed to a Visitor is valid only during the call. A Visitor
// may call the Session's Submit*/Consume/ResumeData from any callback.
#ifndef H2HARNESS_HTTP2_VISITOR_H_
#define H2HARNESS_HTTP2_VISITOR_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "http2/error_code.h"
#include "http2/settings.h"

namespace http2 {

// One field line: submitted (the session copies what it needs) or received (views into the
// session's buffers).
struct Header {
  absl::string_view name;
  absl::string_view value;
};

enum class HeadersKind : uint8_t {
  kRequest,        // a request's header section (server)
  kInformational,  // a 1xx response (client); more may follow
  kResponse,       // the final response's header section (client)
  kTrailers,       // a trailer section (either side)
  kPushRequest,    // the request of a PUSH_PROMISE (client; see OnPushPromise)
};

// A whole, validated field section (§8.1, §8.2, §8.3): only valid messages reach the
// Visitor; malformed ones are reset with PROTOCOL_ERROR (§8.1.1) and reported with
// OnStreamError instead.
struct ReceivedHeaders {
  uint32_t stream_id = 0;
  HeadersKind kind = HeadersKind::kRequest;
  // The peer will send nothing more on the stream (END_STREAM on this HEADERS).
  bool end_stream = false;
  // Every field line in wire order, pseudo-header fields first (cookie crumbs as sent).
  absl::Span<const Header> fields;
  // Pseudo-header fields (empty when absent). Requests: method, scheme, authority, path,
  // protocol (RFC 8441). Responses: status.
  absl::string_view method;
  absl::string_view scheme;
  absl::string_view authority;
  absl::string_view path;
  absl::string_view protocol;
  int status = 0;
  std::optional<uint64_t> content_length;
  // All cookie fields joined with "; " (§8.2.3); empty when there are none.
  absl::string_view cookie;
};

// A body the session pulls as flow control allows: it never holds more than one DATA frame
// of it, so a large body never sits in memory (unless the source keeps it).
class DataSource {
 public:
  struct Result {
    size_t length = 0;  // octets written to `dest`
    // The body ends with these octets (0 octets is fine).
    bool end = false;
    // With `end`: trailers follow, so END_STREAM is left for Session::SubmitTrailers()
    // (needed only when the trailers are not submitted before the body ends).
    bool trailers_follow = false;
    // The source failed: the stream is reset with INTERNAL_ERROR.
    bool error = false;
  };
  virtual ~DataSource() = default;
  // Writes up to `max` octets of the body into `dest`. length 0 without `end` means
  // "nothing now": the stream waits until Session::ResumeData(stream_id).
  virtual Result Read(uint32_t stream_id, char* dest, size_t max) = 0;
  // Optional, for a body already in memory, asked instead of Read() by a Send() that can
  // take DATA payloads by reference (Session::Send with `pieces`): points `*data` at the
  // next up to `max` octets and returns true, or returns false to be Read(). The octets
  // must stay valid until the caller of that Send() has written them (the server: until
  // its send() returns; the source is not destroyed before).
  virtual bool Lend(uint32_t stream_id, size_t max, const char** data, Result* result) {
    return false;
  }
};

// A body held in memory.
class StringSource : public DataSource {
 public:
  explicit StringSource(std::string body) : body_(std::move(body)) {}
  Result Read(uint32_t stream_id, char* dest, size_t max) override;

 private:
  std::string body_;
  size_t offset_ = 0;
};

class Visitor {
 public:
  virtual ~Visitor() = default;

  // A request, response (1xx or final) or trailer section arrived.
  virtual void OnHeaders(const ReceivedHeaders& headers) = 0;
  // Content octets of a DATA frame (padding excluded), as they arrive.
  virtual void OnData(uint32_t stream_id, absl::string_view data) = 0;
  // The peer ended its side of the stream (END_STREAM), after the last OnData/OnHeaders.
  virtual void OnEndStream(uint32_t stream_id) {}
  // The stream is closed: NO_ERROR when both sides ended it, otherwise the code of the
  // RST_STREAM sent or received (REFUSED_STREAM for our streams a GOAWAY did not cover).
  // Called once for each stream the Visitor learned of (its own, or one whose headers or
  // push promise it received). The stream's DataSource is no longer used.
  virtual void OnStreamClose(uint32_t stream_id, ErrorCode code) {}
  // The session reset a stream because of the peer (§5.4.2): malformed message, flow
  // control, state. OnStreamClose follows.
  virtual void OnStreamError(const ProtocolError& error) {}

  // The peer's SETTINGS, applied (and acknowledged).
  virtual void OnSettings(absl::Span<const Setting> settings) {}
  // The peer acknowledged our SETTINGS.
  virtual void OnSettingsAck() {}
  // A PING (already answered when !ack) or the answer to ours.
  virtual void OnPing(uint64_t opaque, bool ack) {}
  // GOAWAY received. `debug_data` is truncated to SessionOptions::max_goaway_debug_data.
  virtual void OnGoAway(uint32_t last_stream_id, ErrorCode code, absl::string_view debug_data) {}
  // A valid PUSH_PROMISE (client): `request.kind` is kPushRequest; the response comes with
  // OnHeaders on `promised_stream_id`.
  virtual void OnPushPromise(uint32_t associated_stream_id, uint32_t promised_stream_id,
                             const ReceivedHeaders& request) {}
  // PRIORITY_UPDATE (RFC 9218 §7.1, server): the Priority field value for a stream.
  virtual void OnPriorityUpdate(uint32_t stream_id, absl::string_view field_value) {}
  // WINDOW_UPDATE received (stream_id 0: the connection).
  virtual void OnWindowUpdate(uint32_t stream_id, uint32_t increment) {}
  // The session found a connection error (§5.4.1): GOAWAY is queued and no more input is
  // processed. Send() still delivers what is queued.
  virtual void OnConnectionError(const ProtocolError& error) {}
};

}  // namespace http2

#endif  // H2HARNESS_HTTP2_VISITOR_H_
