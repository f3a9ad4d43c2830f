// The handler API of the reference server, the C++ form of nghttp2's Python binding
// (`BaseRequestHandler`): one RequestHandler per stream, made by the server's handler
// factory when a request's header section arrives, destroyed after OnClose().
//
//   class Hello : public http2::server::RequestHandler {
//    public:
//     using RequestHandler::RequestHandler;
//     void OnRequestDone() override { SendResponse(200, {{"content-type", "text/plain"}}, "hi\n"); }
//   };
//   http2::server::Server server("127.0.0.1:8080", http2::server::MakeFactory<Hello>());
//
// Every method runs on the connection's event-loop thread: callbacks are called there, and
// the handler's own methods must be called there too (from a callback, from RunAfter(), or
// from another thread through ref().Post()). Errors are absl::Status: misuse (a second
// SendResponse, Push after SendResponse, a call after the stream closed) is an error, never
// a crash. An exception thrown by a callback is caught: the stream is reset with
// INTERNAL_ERROR.
#ifndef H2HARNESS_HTTP2_SERVER_REQUEST_HANDLER_H_
#define H2HARNESS_HTTP2_SERVER_REQUEST_HANDLER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "http2/error_code.h"
#include "http2/server/event_loop.h"
#include "http2/visitor.h"

namespace http2 {
namespace server {

class Connection;
class RequestHandler;
class Worker;

// Response or request header fields given by the application: names are lowercased by the
// library (RFC 9113 §8.2.1); pseudo-header fields and connection-specific fields
// (§8.2.2) are refused.
using HeaderList = std::vector<std::pair<std::string, std::string>>;

// What a body producer returns.
struct Chunk {
  size_t length = 0;   // octets written to `dest`
  bool end = false;    // the body ends after these octets
  bool error = false;  // the body failed: the stream is reset with INTERNAL_ERROR
  // length == 0 && !end && !error: nothing now; call RequestHandler::ResumeBody() when
  // there is more.
};
// Writes up to `max` octets into `dest`. Called as flow control allows, on the loop thread.
using Producer = std::function<Chunk(char* dest, size_t max)>;

// A response body: empty, bytes, a file, or a producer pulled as flow control allows.
class Body {
 public:
  enum class Kind { kEmpty, kBytes, kFile, kProducer };

  Body() = default;
  Body(Body&& other) noexcept
      : kind_(other.kind_),
        bytes_(std::move(other.bytes_)),
        shared_(std::move(other.shared_)),
        path_(std::move(other.path_)),
        fd_(std::exchange(other.fd_, -1)),
        producer_(std::move(other.producer_)),
        length_(other.length_) {}
  Body& operator=(Body&& other) noexcept;
  Body(const Body&) = delete;
  Body& operator=(const Body&) = delete;
  ~Body();  // closes a descriptor it still owns
  Body(std::string bytes) : kind_(Kind::kBytes), bytes_(std::move(bytes)) {}  // NOLINT
  Body(const char* bytes) : Body(std::string(bytes)) {}                      // NOLINT
  Body(absl::string_view bytes) : Body(std::string(bytes)) {}                // NOLINT
  // Bytes shared with other responses (a cache), not copied.
  static Body Shared(std::shared_ptr<const std::string> bytes);
  // The file at `path`, opened by SendResponse (which fails when it cannot be opened).
  static Body File(std::string path);
  // An open file descriptor, which the body takes over (closed when the stream ends);
  // sent from its current size.
  static Body FileDescriptor(int fd);
  // `length`, when known, becomes content-length.
  static Body FromProducer(Producer producer, std::optional<uint64_t> length = std::nullopt);

  Kind kind() const { return kind_; }

 private:
  friend class RequestHandler;
  Kind kind_ = Kind::kEmpty;
  std::string bytes_;
  std::shared_ptr<const std::string> shared_;  // kBytes: instead of bytes_ when set
  std::string path_;
  int fd_ = -1;
  Producer producer_;
  std::optional<uint64_t> length_;
};

// A handle on a stream's handler usable from any thread: Post() runs `fn` on the
// connection's loop thread with the handler, if the stream is still open then (otherwise
// `fn` is dropped). Cheap to copy.
class StreamRef {
 public:
  StreamRef() = default;
  // Thread-safe. Fails when the event loop has stopped or its inbox is full
  // (Inbox::kMaxPending): the post is not made.
  absl::Status Post(std::function<void(RequestHandler&)> fn) const;

 private:
  friend class RequestHandler;
  std::shared_ptr<Inbox> inbox_;
  Worker* worker_ = nullptr;
  uint64_t connection_id_ = 0;
  uint32_t stream_id_ = 0;
};

class RequestHandler {
 public:
  struct Address {
    std::string host;
    uint16_t port = 0;
  };

  // `session` is the connection the stream belongs to.
  RequestHandler(Connection* session, uint32_t stream_id);
  virtual ~RequestHandler();
  RequestHandler(const RequestHandler&) = delete;
  RequestHandler& operator=(const RequestHandler&) = delete;

  // ---- The request ----
  Connection* session() const { return session_; }
  const Address& client_address() const;
  uint32_t stream_id() const { return stream_id_; }
  absl::string_view scheme() const { return scheme_; }
  absl::string_view method() const { return method_; }
  // :authority, else the host header field.
  absl::string_view host() const { return host_; }
  absl::string_view path() const { return path_; }
  // Every request header field in wire order, pseudo-header fields first.
  absl::Span<const Header> headers() const { return headers_; }
  // The first value of field `name` (lowercase), or "".
  absl::string_view header(absl::string_view name) const;
  // The request's trailer section (after OnRequestDone), if it had one.
  absl::Span<const Header> trailers() const { return trailers_; }
  // A stream this server pushed (Push() made this handler).
  bool pushed() const { return pushed_; }
  bool response_sent() const { return response_sent_; }
  bool closed() const { return closed_; }

  // ---- Callbacks (do nothing by default) ----
  // The request's header section arrived (the fields above are set).
  virtual void OnHeaders() {}
  // A chunk of the request body, as it arrives.
  virtual void OnData(absl::string_view data) {}
  // The client ended the request (after the last OnData).
  virtual void OnRequestDone() {}
  // The stream closed: 0 (NO_ERROR) when both sides ended it, else the RST_STREAM code;
  // CANCEL (0x8) when the connection went away first. The handler is destroyed after this.
  virtual void OnClose(uint32_t error_code) {}

  // ---- Responding ----
  // The response: `:status` is added, and content-length (when the body's size is known),
  // date and server unless `headers` has them. For HEAD requests the body is not sent.
  absl::Status SendResponse(int status = 200, HeaderList headers = {}, Body body = {});
  // Server push (RFC 9113 §8.4), before SendResponse: PUSH_PROMISE for `path` (inheriting
  // :scheme and :authority), then the pushed response (status, headers, body). Returns the
  // pushed stream's handler (made by the server's factory; owned by the connection).
  // FailedPrecondition when the client disabled push (SETTINGS_ENABLE_PUSH = 0), after
  // SendResponse, on a pushed stream, or after the stream closed.
  absl::StatusOr<RequestHandler*> Push(std::string path, std::string method = "GET",
                                       HeaderList request_headers = {}, int status = 200,
                                       HeaderList headers = {}, Body body = {});
  // A producer that returned "nothing now" has more.
  absl::Status ResumeBody();
  // Ends the stream with RST_STREAM (`error_code`, CANCEL by default).
  absl::Status Reset(uint32_t error_code = static_cast<uint32_t>(ErrorCode::kCancel));

  // ---- Later ----
  // Runs `fn` on the loop thread after `delay`, unless the stream has closed by then.
  void RunAfter(absl::Duration delay, std::function<void()> fn);
  // For other threads: see StreamRef.
  StreamRef ref() const;

 protected:
  // SendResponse() for fields the server's own code built (not a handler's): `headers` are
  // views, read during the call only, and must already be lowercase and valid (RFC 9113
  // §8.2): they are neither checked nor copied. Everything else is as SendResponse().
  absl::Status SendTrustedResponse(int status, absl::Span<const Header> headers, Body body);

 private:
  friend class Connection;
  // The session pulls the response body from here as flow control allows. Held in the
  // handler itself: no allocation per response.
  class BodySource : public DataSource {
   public:
    BodySource(RequestHandler* handler, Body&& body)
        : handler_(handler), body_(std::move(body)) {}
    bool is_producer() const { return body_.kind_ == Body::Kind::kProducer; }
    Result Read(uint32_t stream_id, char* dest, size_t max) override;
    // Bytes bodies (the docroot's cached files among them): the handler, and so the bytes,
    // outlive the write of the Send() that borrowed them (Connection::Flush).
    bool Lend(uint32_t stream_id, size_t max, const char** data, Result* result) override;

   private:
    RequestHandler* handler_;
    Body body_;
    uint64_t offset_ = 0;
  };

  absl::Status CheckOpen(absl::string_view what) const;
  // Digits of the values the library adds.
  struct ResponseScratch {
    char status[8];
    char length[24];
  };
  // Checks and lowercases `checked` (a handler's fields), takes `trusted` as they are; adds
  // the library's fields; fills `out`.
  absl::Status BuildResponseHeaders(int status, HeaderList* checked,
                                    absl::Span<const Header> trusted, const Body& body,
                                    ResponseScratch* scratch, absl::InlinedVector<Header, 12>* out);
  absl::Status Respond(int status, HeaderList* checked, absl::Span<const Header> trusted,
                       Body&& body);
  void SetRequest(const ReceivedHeaders& request);
  void SetTrailers(absl::Span<const Header> trailers);
  void CancelTimers();

  Connection* const session_;
  const uint32_t stream_id_;
  // The request's fields, views into `storage_`.
  std::unique_ptr<char[]> storage_;
  absl::InlinedVector<Header, 12> headers_;  // one allocation fewer for most requests
  std::string trailer_storage_;
  std::vector<Header> trailers_;
  absl::string_view scheme_, method_, host_, path_;
  bool pushed_ = false;
  bool request_done_ = false;
  bool response_sent_ = false;
  bool closed_ = false;
  bool head_ = false;
  // Access log.
  absl::Time started_;
  int status_ = 0;
  std::optional<BodySource> body_;
  uint64_t body_bytes_sent_ = 0;
  std::vector<EventLoop::TimerId> timers_;
};

// The server's handler factory: called on a loop thread (concurrently on several: it must
// be thread-safe) for each request and each pushed stream.
using HandlerFactory =
    std::function<std::unique_ptr<RequestHandler>(Connection* session, uint32_t stream_id)>;

template <typename Handler>
HandlerFactory MakeFactory() {
  return [](Connection* session, uint32_t stream_id) {
    return std::make_unique<Handler>(session, stream_id);
  };
}

}  // namespace server
}  // namespace http2

#endif  // H2HARNESS_HTTP2_SERVER_REQUEST_HANDLER_H_
