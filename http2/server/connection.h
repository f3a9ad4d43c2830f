// One client connection of the reference server: a non-blocking socket (with TLS or
// without), the protocol it turned out to speak, and for HTTP/2 an http2::Session whose
// events become RequestHandler calls. The handlers' `session`.
//
// Backpressure, end to end:
//  - input is read only while the session wants it (Session::WantRead, false while its
//    own output is over max_output_buffer), one read buffer at a time; input the session
//    did not take is kept (at most one read) and offered again before reading more;
//  - output is pulled from the session (Session::Send, DATA as flow control allows) only
//    when what was pulled before has been written, at most kMaxOutput octets at a time;
//  - a client that neither reads nor writes is closed after ServerOptions::idle_timeout.
#ifndef H2HARNESS_HTTP2_SERVER_CONNECTION_H_
#define H2HARNESS_HTTP2_SERVER_CONNECTION_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "http2/server/event_loop.h"
#include "http2/server/request_handler.h"
#include "http2/session.h"
#include "http2/visitor.h"

typedef struct ssl_st SSL;

namespace http2 {
namespace server {

class Worker;

class Connection : private IoHandler, private Visitor {
 public:
  // Octets pulled from the session per Send(): 256 KiB rather than 64 sends 100 KiB bodies
  // over h2c 13 % faster (fewer, larger send()s; h2load -c 16 -m 10: 28.5k -> 32.3k req/s).
  static constexpr size_t kMaxOutput = 256 * 1024;
  // Pieces per sendmsg(): Send() with lending makes at most 2 * kMaxOutput /
  // Session::kMinLentPayload + 1.
  static constexpr size_t kMaxPieces = 2 * kMaxOutput / Session::kMinLentPayload + 1;

  // Takes over `fd` (non-blocking) and `ssl` (null: cleartext).
  Connection(Worker* worker, uint64_t id, int fd, SSL* ssl, RequestHandler::Address peer);
  ~Connection() override;

  // Registers with the loop and starts (TLS handshake, or reading the preface).
  void Start();

  uint64_t id() const { return id_; }
  const RequestHandler::Address& client_address() const { return peer_; }
  bool is_tls() const { return ssl_ != nullptr; }
  // "h2", "h2c", "http/1.1" or "" while undecided.
  absl::string_view protocol() const;
  // The HTTP/2 session (null before the client's preface decided for HTTP/2, or after
  // the connection closed).
  Session* session() { return session_.get(); }
  RequestHandler* FindHandler(uint32_t stream_id) const;
  Worker* worker() const { return worker_; }

  // Processes I/O after this round of events (after a handler submitted something).
  void Kick();
  // Reads, writes and runs the session as far as it can go now.
  void Process();
  // Graceful shutdown (GOAWAY, then close once streams are done).
  void BeginShutdown();
  // Closes now; open streams get OnClose(CANCEL).
  void Close();

 private:
  friend class RequestHandler;
  enum class State { kHandshake, kSniff, kHttp2, kHttp1Reply, kLinger, kClosed };

  // IoHandler.
  void OnIoEvent(uint32_t events) override;
  // Visitor.
  void OnHeaders(const ReceivedHeaders& headers) override;
  void OnData(uint32_t stream_id, absl::string_view data) override;
  void OnEndStream(uint32_t stream_id) override;
  void OnStreamClose(uint32_t stream_id, ErrorCode code) override;
  void OnConnectionError(const ProtocolError& error) override;

  void DoHandshake();
  void DoSniff();
  void DoHttp2();
  void StartHttp1Reply();
  void DoHttp1Reply();
  void DoLinger();
  void StartHttp2();
  void StartLinger();
  // Writes pending output and pulls more from the session; false if the connection closed.
  bool Flush();
  // Feeds input to the session; returns the octets it took.
  size_t Receive(absl::string_view data);
  bool SessionFinished() const;
  // Socket I/O through TLS or not: > 0 octets, 0 end of input, -1 would block, -2 error.
  ssize_t RawRead(char* buf, size_t len);
  // TLS: all of `buf` is taken (records the socket does not take wait in out_).
  ssize_t RawWrite(const char* buf, size_t len);
  // send() on the socket, no TLS.
  ssize_t SendWire(const char* buf, size_t len);
  // sendmsg() of Session::Send's pieces (one send() for one piece), no TLS.
  ssize_t SendPieces(absl::Span<const absl::string_view> pieces);
  // Keeps octets for the socket after what already waits in out_.
  void KeepOutput(const char* data, size_t len);
  // Sends the records the last SSL_* call put in the worker's sink (after out_, if that
  // is not empty) and empties it; false if the socket failed.
  bool SendTlsRecords();
  // Writes out_; true once it is empty. False if the socket would block, or failed (then
  // the connection is closed).
  bool DrainOutput();
  ssize_t TlsResult(int r, bool reading, bool* ready, bool* needs_other);
  void OnTimer();
  void UpdateTimer();
  // Handlers closed during a session call are destroyed after it returns.
  void DestroyClosedHandlers();
  void CloseHandler(uint32_t stream_id, uint32_t code);
  void LogStream(const RequestHandler& h, uint32_t code);
  // Runs a user callback; an exception resets the stream.
  template <typename F>
  void Guard(RequestHandler* h, F&& f);
  absl::StatusOr<RequestHandler*> CreatePushed(RequestHandler* parent, uint32_t promised,
                                               absl::Span<const Header> request);

  Worker* const worker_;
  const uint64_t id_;
  int fd_;
  SSL* ssl_;
  const RequestHandler::Address peer_;
  State state_;
  std::string protocol_;
  std::unique_ptr<Session> session_;
  absl::flat_hash_map<uint32_t, std::unique_ptr<RequestHandler>> handlers_;
  std::vector<std::unique_ptr<RequestHandler>> closed_handlers_;
  // Requests whose body is still expected from the client.
  int requests_reading_ = 0;
  std::string in_;  // input read but not yet taken (sniffing, or the session paused)
  std::string out_;  // wire octets (TLS: records) not yet written
  size_t out_pos_ = 0;
  bool readable_ = true;
  bool writable_ = true;
  bool read_wants_write_ = false;   // TLS: SSL_read needs the socket writable
  bool write_wants_read_ = false;   // TLS: SSL_write needs the socket readable
  bool peer_hung_up_ = false;       // EPOLLRDHUP/HUP/ERR seen: read until EOF or EAGAIN
  bool scheduled_ = false;
  bool shutting_down_ = false;
  bool closing_ = false;  // flush what is queued, then linger and close
  absl::Time last_read_;
  absl::Time last_write_;
  absl::Time idle_check_at_;
  absl::Time linger_deadline_ = absl::InfiniteFuture();
  EventLoop::TimerId timer_;
};

}  // namespace server
}  // namespace http2

#endif  // H2HARNESS_HTTP2_SERVER_CONNECTION_H_
