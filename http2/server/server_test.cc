// The handler API end to end: a Server on 127.0.0.1 (port 0, one loop thread) and a client
// http2::Session over a real socket. Handlers record what the API returned; the client
// checks what went over the wire.
#include "http2/server/server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "http2/server/static_files.h"
#include "http2/testing.h"

namespace http2 {
namespace server {
namespace {

// A blocking client: an http2::Session over a TCP socket.
class Client {
 public:
  explicit Client(int port, SessionOptions options = {})
      : session(Perspective::kClient, &visitor, options) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected = connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
    timeval tv{0, 20 * 1000};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    authority_ = absl::StrCat("127.0.0.1:", port);
  }
  ~Client() { close(fd_); }

  uint32_t Request(absl::string_view method, absl::string_view path,
                   std::vector<Header> extra = {}, DataSource* body = nullptr) {
    std::vector<Header> h = {{":method", method}, {":scheme", "http"},
                             {":authority", authority_}, {":path", path}};
    h.insert(h.end(), extra.begin(), extra.end());
    absl::StatusOr<uint32_t> id = session.SubmitRequest(h, body);
    EXPECT_TRUE(id.ok()) << id.status();
    return id.ok() ? *id : 0;
  }

  // Runs I/O until `done` or `limit`; false on timeout or when the server closed.
  bool RunUntil(const std::function<bool()>& done, absl::Duration limit = absl::Seconds(5)) {
    const absl::Time deadline = absl::Now() + limit;
    while (absl::Now() < deadline) {
      std::string out;
      if (!mute) session.Send(&out);
      if (!out.empty() && send(fd_, out.data(), out.size(), MSG_NOSIGNAL) < 0) return done();
      if (done()) return true;
      char buf[65536];
      const ssize_t r = recv(fd_, buf, sizeof(buf), 0);
      if (r == 0) {
        eof = true;
        return done();
      }
      if (r > 0) session.Receive(absl::string_view(buf, r));
    }
    return done();
  }
  bool Closed(uint32_t id) {
    return RunUntil([&] { return visitor.IsClosed(id); });
  }
  int Status(uint32_t id) {
    const RecordedHeaders* h = visitor.HeadersFor(id);
    return h ? h->status : 0;
  }
  std::string Field(uint32_t id, absl::string_view name) {
    const RecordedHeaders* h = visitor.HeadersFor(id);
    if (!h) return "";
    for (const auto& f : h->fields) {
      if (f.name == name) return f.value;
    }
    return "";
  }
  ErrorCode CloseCode(uint32_t id) {
    for (auto& [s, code] : visitor.closed) {
      if (s == id) return code;
    }
    return ErrorCode::kHttp11Required;  // not closed
  }

  RecordingVisitor visitor;
  Session session;
  bool connected = false;
  bool eof = false;
  bool mute = false;  // sends nothing (not even PING ACKs)

 private:
  int fd_;
  std::string authority_;
};

// What handlers saw and what the API returned them, read by the test thread.
struct Record {
  absl::Mutex mu;
  std::vector<std::string> lines ABSL_GUARDED_BY(mu);
  void Add(std::string s) {
    absl::MutexLock l(&mu);
    lines.push_back(std::move(s));
  }
  bool Has(absl::string_view s) {
    absl::MutexLock l(&mu);
    for (const auto& line : lines) {
      if (line == s) return true;
    }
    return false;
  }
  std::string All() {
    absl::MutexLock l(&mu);
    std::string out;
    for (const auto& line : lines) absl::StrAppend(&out, line, "\n");
    return out;
  }
  bool WaitFor(absl::string_view s) {
    const absl::Time deadline = absl::Now() + absl::Seconds(5);
    while (absl::Now() < deadline) {
      if (Has(s)) return true;
      absl::SleepFor(absl::Milliseconds(5));
    }
    return false;
  }
};

// A handler whose behaviour is a function of the test, called in OnRequestDone.
class FnHandler : public RequestHandler {
 public:
  FnHandler(Connection* s, uint32_t id, Record* record,
            std::function<void(FnHandler&)>* on_request)
      : RequestHandler(s, id), record_(record), on_request_(on_request) {}
  void OnData(absl::string_view d) override { body.append(d.data(), d.size()); }
  void OnRequestDone() override { (*on_request_)(*this); }
  void OnClose(uint32_t code) override {
    record_->Add(absl::StrCat("close ", stream_id(), " ", code, pushed() ? " pushed" : ""));
  }
  Record* record() { return record_; }
  using RequestHandler::SendTrustedResponse;
  std::string body;

 private:
  Record* record_;
  std::function<void(FnHandler&)>* on_request_;
};

class ServerTest : public ::testing::Test {
 protected:
  void Start(std::function<void(FnHandler&)> fn, ServerOptions options = {}) {
    on_request_ = std::move(fn);
    options.threads = 1;
    server_ = std::make_unique<Server>(
        "127.0.0.1:0",
        [this](Connection* s, uint32_t id) {
          return std::make_unique<FnHandler>(s, id, &record_, &on_request_);
        },
        std::nullopt, options);
    ASSERT_TRUE(server_->Start().ok());
  }
  void TearDown() override {
    if (server_) {
      server_->Shutdown();
      server_->Wait();
    }
  }
  Record record_;
  std::function<void(FnHandler&)> on_request_;
  std::unique_ptr<Server> server_;
};

std::string Str(const absl::Status& s) { return s.ok() ? "OK" : std::string(s.message()); }

TEST_F(ServerTest, RequestAccessorsAndResponse) {
  Start([](FnHandler& h) {
    h.record()->Add(absl::StrCat(h.method(), " ", h.scheme(), " ", h.host(), " ", h.path(), " ",
                                 h.header("x-a"), " ", h.client_address().host, " ",
                                 h.client_address().port > 0, " body=", h.body));
    h.record()->Add(absl::StrCat("send ", Str(h.SendResponse(201, {{"X-Mixed-Case", "v"}},
                                                                 "created\n"))));
  });
  Client c(server_->port());
  StringSource body("payload");
  const uint32_t id = c.Request("POST", "/p?q", {{"x-a", "1"}}, &body);
  ASSERT_TRUE(c.Closed(id));
  EXPECT_EQ(c.Status(id), 201);
  EXPECT_EQ(c.visitor.bodies[id], "created\n");
  EXPECT_EQ(c.Field(id, "x-mixed-case"), "v");  // lowercased (RFC 9113 §8.2.1)
  EXPECT_EQ(c.Field(id, "content-length"), "8");
  EXPECT_EQ(c.Field(id, "server"), "h2harness");
  EXPECT_FALSE(c.Field(id, "date").empty());
  EXPECT_EQ(c.CloseCode(id), ErrorCode::kNoError);
  ASSERT_TRUE(record_.WaitFor(absl::StrCat("close ", id, " 0")));
  EXPECT_TRUE(record_.Has("POST http 127.0.0.1:" + std::to_string(server_->port()) +
                          " /p?q 1 127.0.0.1 1 body=payload"))
      << record_.All();
  EXPECT_TRUE(record_.Has("send OK"));
}

TEST_F(ServerTest, TrustedResponseFieldsAreSentAsGivenWithTheLibrarysOwn) {
  Start([](FnHandler& h) {
    const Header fields[] = {{"content-type", "text/x"}, {"server", "site"}};
    h.record()->Add(absl::StrCat("send ", Str(h.SendTrustedResponse(203, fields, "abc"))));
    // The rules on misuse are SendResponse's.
    h.record()->Add(absl::StrCat("again ", Str(h.SendTrustedResponse(200, {}, "x"))));
  });
  Client c(server_->port());
  const uint32_t id = c.Request("GET", "/t");
  ASSERT_TRUE(c.Closed(id));
  EXPECT_EQ(c.Status(id), 203);
  EXPECT_EQ(c.visitor.bodies[id], "abc");
  EXPECT_EQ(c.Field(id, "content-type"), "text/x");
  EXPECT_EQ(c.Field(id, "server"), "site");  // given: not added again
  int servers = 0;
  for (const auto& f : c.visitor.HeadersFor(id)->fields) servers += f.name == "server";
  EXPECT_EQ(servers, 1);
  EXPECT_EQ(c.Field(id, "content-length"), "3");
  EXPECT_FALSE(c.Field(id, "date").empty());
  EXPECT_TRUE(record_.WaitFor(absl::StrCat("again SendResponse: stream ", id,
                                           " already has its response")))
      << record_.All();
  EXPECT_TRUE(record_.Has("send OK")) << record_.All();
}

TEST_F(ServerTest, MisuseIsAnErrorNotACrash) {
  Start([](FnHandler& h) {
    Record* r = h.record();
    r->Add("bad status: " + Str(h.SendResponse(99)));
    r->Add("connection field: " + Str(h.SendResponse(200, {{"connection", "close"}})));
    r->Add("pseudo field: " + Str(h.SendResponse(200, {{":status", "200"}})));
    r->Add("CR in value: " + Str(h.SendResponse(200, {{"x", "a\r\nb"}})));
    r->Add("missing file: " + Str(h.SendResponse(200, {}, Body::File("/nonexistent/file"))));
    r->Add("first: " + Str(h.SendResponse(200, {}, "ok")));
    r->Add("second: " + Str(h.SendResponse(200, {}, "again")));
    r->Add("push after: " + Str(h.Push("/x").status()));
    r->Add("resume without producer: " + Str(h.ResumeBody()));
  });
  Client c(server_->port());
  const uint32_t id = c.Request("GET", "/");
  ASSERT_TRUE(c.Closed(id));
  EXPECT_EQ(c.Status(id), 200);
  EXPECT_EQ(c.visitor.bodies[id], "ok");
  ASSERT_TRUE(record_.WaitFor(absl::StrCat("close ", id, " 0")));
  const std::string all = record_.All();
  EXPECT_NE(all.find("bad status: status 99: a final response has a status from 200 to 599"),
            std::string::npos) << all;
  EXPECT_NE(all.find("connection field: header field \"connection\" is connection-specific"),
            std::string::npos) << all;
  EXPECT_NE(all.find("pseudo field: header field \":status\": pseudo-header fields are the "
                     "library's"), std::string::npos) << all;
  EXPECT_NE(all.find("CR in value: header field \"x\": value has NUL, CR or LF"),
            std::string::npos) << all;
  EXPECT_NE(all.find("missing file: SendResponse: /nonexistent/file: No such file"),
            std::string::npos) << all;
  EXPECT_NE(all.find("first: OK"), std::string::npos);
  EXPECT_NE(all.find("second: SendResponse: stream 1 already has its response"),
            std::string::npos) << all;
  EXPECT_NE(all.find("push after: Push: stream 1 already has its response; push before "
                     "SendResponse"), std::string::npos) << all;
  EXPECT_NE(all.find("resume without producer: ResumeBody: stream 1 has no producer body being sent"),
            std::string::npos) << all;
}

TEST_F(ServerTest, PushRefusedWhenTheClientDisabledIt) {
  Start([](FnHandler& h) {
    h.record()->Add("push: " + Str(h.Push("/style.css", "GET", {}, 200, {}, "css").status()));
    h.SendResponse(200, {}, "page").IgnoreError();
  });
  Client c(server_->port());  // enable_push = false: SETTINGS_ENABLE_PUSH 0
  const uint32_t id = c.Request("GET", "/");
  ASSERT_TRUE(c.Closed(id));
  EXPECT_EQ(c.visitor.bodies[id], "page");
  ASSERT_TRUE(record_.WaitFor(absl::StrCat("close ", id, " 0")));
  EXPECT_NE(record_.All().find("push: Push: the client disabled push (SETTINGS_ENABLE_PUSH = 0"),
            std::string::npos)
      << record_.All();
}

TEST_F(ServerTest, PushInheritsSchemeAndAuthority) {
  Start([](FnHandler& h) {
    absl::StatusOr<RequestHandler*> p =
        h.Push("/style.css", "GET", {{"accept", "text/css"}}, 200, {{"content-type", "text/css"}},
               "p{}");
    h.record()->Add(p.ok() ? absl::StrCat("pushed ", (*p)->stream_id(), " ", (*p)->scheme(), " ",
                                          (*p)->path(), " ", (*p)->pushed())
                           : Str(p.status()));
    h.record()->Add("bad method: " + Str(h.Push("/x", "POST").status()));
    h.SendResponse(200, {}, "page").IgnoreError();
  });
  SessionOptions o;
  o.enable_push = true;
  Client c(server_->port(), o);
  const uint32_t id = c.Request("GET", "/");
  ASSERT_TRUE(c.RunUntil([&] { return c.visitor.IsClosed(id) && c.visitor.IsClosed(2); }));
  ASSERT_TRUE(record_.WaitFor("pushed 2 http /style.css 1")) << record_.All();
  EXPECT_NE(record_.All().find("bad method: Push: method POST: promised requests must be safe"),
            std::string::npos);
  EXPECT_EQ(c.visitor.bodies[2], "p{}");
  EXPECT_EQ(c.Status(2), 200);
  bool promised = false;
  for (const RecordedHeaders& h : c.visitor.headers) {
    if (h.kind == HeadersKind::kPushRequest && h.path == "/style.css") {
      promised = true;
      EXPECT_EQ(h.scheme, "http");
      EXPECT_EQ(h.authority, absl::StrCat("127.0.0.1:", server_->port()));
      EXPECT_EQ(h.associated_stream_id, id);
    }
  }
  EXPECT_TRUE(promised);
  EXPECT_TRUE(record_.WaitFor("close 2 0 pushed"));
}

TEST_F(ServerTest, ProducerFedFromAnotherThread) {
  // The body comes from a producer that has nothing until another thread posts chunks.
  struct Feed {
    std::string pending;
    bool end = false;
  };
  std::vector<std::thread> threads;
  Start([&threads](FnHandler& h) {
    auto feed = std::make_shared<Feed>();
    absl::Status s = h.SendResponse(
        200, {}, Body::FromProducer([feed](char* dest, size_t max) {
          Chunk c;
          c.length = std::min(max, feed->pending.size());
          std::memcpy(dest, feed->pending.data(), c.length);
          feed->pending.erase(0, c.length);
          c.end = feed->end && feed->pending.empty();
          return c;
        }));
    h.record()->Add("send " + Str(s));
    StreamRef ref = h.ref();
    threads.emplace_back([ref, feed] {
      for (int i = 0; i < 5; ++i) {
        absl::SleepFor(absl::Milliseconds(10));
        ref.Post([feed, i](RequestHandler& h) {
             absl::StrAppend(&feed->pending, "chunk", i, ";");
             feed->end = i == 4;
             h.ResumeBody().IgnoreError();
           }).IgnoreError();
      }
    });
  });
  Client c(server_->port());
  const uint32_t id = c.Request("GET", "/stream");
  ASSERT_TRUE(c.Closed(id));
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(c.visitor.bodies[id], "chunk0;chunk1;chunk2;chunk3;chunk4;");
  EXPECT_EQ(c.Field(id, "content-length"), "");  // unknown length
  EXPECT_TRUE(record_.Has("send OK"));
}

TEST_F(ServerTest, RunAfterAnswersLater) {
  Start([](FnHandler& h) {
    FnHandler* self = &h;
    h.RunAfter(absl::Milliseconds(50), [self] {
      self->record()->Add("timer " + Str(self->SendResponse(200, {}, "later")));
    });
  });
  Client c(server_->port());
  const absl::Time start = absl::Now();
  const uint32_t id = c.Request("GET", "/");
  ASSERT_TRUE(c.Closed(id));
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(50));
  EXPECT_EQ(c.visitor.bodies[id], "later");
  EXPECT_TRUE(record_.WaitFor("timer OK"));
}

TEST_F(ServerTest, ExceptionInACallbackResetsTheStream) {
  Start([](FnHandler& h) { throw std::runtime_error("handler bug"); });
  Client c(server_->port());
  const uint32_t id = c.Request("GET", "/");
  ASSERT_TRUE(c.Closed(id));
  EXPECT_EQ(c.CloseCode(id), ErrorCode::kInternalError);
  ASSERT_TRUE(record_.WaitFor(absl::StrCat("close ", id, " 2")));
  // The connection goes on.
  const uint32_t id2 = c.Request("GET", "/");
  ASSERT_TRUE(c.Closed(id2));
}

TEST_F(ServerTest, ClientResetReachesOnCloseAndLaterPostsAreDropped) {
  std::atomic<int> ran{0};
  StreamRef saved;
  absl::Mutex mu;
  Start([&](FnHandler& h) {
    absl::MutexLock l(&mu);
    saved = h.ref();  // answers never: the client resets
  });
  Client c(server_->port());
  const uint32_t id = c.Request("GET", "/");
  ASSERT_TRUE(c.RunUntil([&] {
    absl::MutexLock l(&mu);
    return saved.Post([](RequestHandler&) {}).ok();
  }));
  ASSERT_TRUE(c.session.SubmitRstStream(id, ErrorCode::kCancel).ok());
  ASSERT_TRUE(c.RunUntil([&] { return record_.Has(absl::StrCat("close ", id, " 8")); }))
      << record_.All();
  {
    absl::MutexLock l(&mu);
    EXPECT_TRUE(saved.Post([&](RequestHandler&) { ran++; }).ok());
  }
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_EQ(ran.load(), 0);  // the stream is gone: the post is dropped
}

TEST_F(ServerTest, HeadHasNoBodyAndFilesAreSent) {
  char path[] = "/tmp/h2harness_server_test_XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  const std::string content(100000, 'f');
  ASSERT_EQ(write(fd, content.data(), content.size()), static_cast<ssize_t>(content.size()));
  close(fd);
  const std::string file = path;
  Start([file](FnHandler& h) {
    h.SendResponse(200, {{"content-type", "application/octet-stream"}}, Body::File(file))
        .IgnoreError();
  });
  Client c(server_->port());
  const uint32_t get = c.Request("GET", "/f");
  const uint32_t head = c.Request("HEAD", "/f");
  ASSERT_TRUE(c.RunUntil([&] { return c.visitor.IsClosed(get) && c.visitor.IsClosed(head); }));
  EXPECT_EQ(c.visitor.bodies[get], content);
  EXPECT_EQ(c.Field(get, "content-length"), "100000");
  EXPECT_EQ(c.visitor.bodies[head], "");
  EXPECT_EQ(c.Field(head, "content-length"), "100000");
  unlink(path);
}

TEST_F(ServerTest, GracefulShutdownFinishesInFlightStreams) {
  Start([](FnHandler& h) {
    FnHandler* self = &h;
    h.RunAfter(absl::Milliseconds(200),
               [self] { self->SendResponse(200, {}, "finished").IgnoreError(); });
  });
  Client c(server_->port());
  const uint32_t id = c.Request("GET", "/slow");
  ASSERT_TRUE(c.RunUntil([&] { return c.session.stats().bytes_received > 0; }));
  const absl::Time start = absl::Now();
  std::thread stopper([&] { server_->Shutdown(); });
  ASSERT_TRUE(c.Closed(id));
  EXPECT_EQ(c.visitor.bodies[id], "finished");
  ASSERT_FALSE(c.visitor.goaways.empty());
  EXPECT_EQ(c.visitor.goaways.back().code, ErrorCode::kNoError);
  EXPECT_EQ(c.visitor.goaways.back().last_stream_id, id);
  ASSERT_TRUE(c.RunUntil([&] { return c.eof; }));  // then the server closes
  EXPECT_LT(absl::Now() - start, absl::Milliseconds(900));
  stopper.join();
  server_->Wait();
}

TEST_F(ServerTest, AnIdleServerStillAcceptsAfterItsTimeouts) {
  // The loop's clock must be read after it wakes, or a connection accepted after a long
  // idle wait looks older than the handshake timeout and is closed at once.
  ServerOptions o;
  o.handshake_timeout = absl::Milliseconds(200);
  o.idle_timeout = absl::Milliseconds(200);
  Start([](FnHandler& h) { h.SendResponse(200, {}, "awake").IgnoreError(); }, o);
  absl::SleepFor(absl::Milliseconds(500));
  Client c(server_->port());
  const uint32_t id = c.Request("GET", "/");
  ASSERT_TRUE(c.Closed(id));
  EXPECT_EQ(c.visitor.bodies[id], "awake");
}

int OpenFds() {
  int n = 0;
  for (int fd = 0; fd < 4096; ++fd) n += fcntl(fd, F_GETFD) != -1;
  return n;
}

TEST_F(ServerTest, FileDescriptorBodiesAreClosedWhetherSentOrNot) {
  char path[] = "/tmp/h2harness_fd_test_XXXXXX";
  const int tmp = mkstemp(path);
  ASSERT_GE(tmp, 0);
  ASSERT_EQ(write(tmp, "0123456789", 10), 10);
  close(tmp);
  const std::string file = path;
  Start([file](FnHandler& h) {
    const int fd = open(file.c_str(), O_RDONLY);
    // Sent (GET), dropped (HEAD), refused (a bad status): the descriptor is closed each time.
    if (h.path() == "/bad") {
      h.record()->Add("bad: " + Str(h.SendResponse(42, {}, Body::FileDescriptor(fd))));
      h.SendResponse(500).IgnoreError();
      return;
    }
    h.SendResponse(200, {}, Body::FileDescriptor(fd)).IgnoreError();
  });
  Client c(server_->port());
  ASSERT_TRUE(c.Closed(c.Request("GET", "/warm-up")));
  absl::SleepFor(absl::Milliseconds(20));
  const int before = OpenFds();
  const uint32_t get = c.Request("GET", "/f");
  const uint32_t head = c.Request("HEAD", "/f");
  const uint32_t bad = c.Request("GET", "/bad");
  ASSERT_TRUE(c.RunUntil([&] {
    return c.visitor.IsClosed(get) && c.visitor.IsClosed(head) && c.visitor.IsClosed(bad);
  }));
  EXPECT_EQ(c.visitor.bodies[get], "0123456789");
  EXPECT_EQ(c.Field(head, "content-length"), "10");
  EXPECT_EQ(c.Status(bad), 500);
  absl::SleepFor(absl::Milliseconds(20));
  EXPECT_EQ(OpenFds(), before);
  unlink(path);
}

TEST_F(ServerTest, ConnectionsBeyondTheLimitWaitInTheBacklog) {
  ServerOptions o;
  o.max_connections = 1;
  Start([](FnHandler& h) { h.SendResponse(200, {}, "hi").IgnoreError(); }, o);
  auto first = std::make_unique<Client>(server_->port());
  const uint32_t a = first->Request("GET", "/");
  ASSERT_TRUE(first->Closed(a));
  // The second connection is not accepted while the first is open...
  Client second(server_->port());
  ASSERT_TRUE(second.connected);  // the kernel's backlog took it
  const uint32_t b = second.Request("GET", "/");
  EXPECT_FALSE(second.RunUntil([&] { return second.visitor.IsClosed(b); }, absl::Milliseconds(300)));
  // ... and is served once the first has gone.
  first.reset();
  ASSERT_TRUE(second.Closed(b));
  EXPECT_EQ(second.visitor.bodies[b], "hi");
}

TEST_F(ServerTest, GracefulShutdownOfAnIdleConnectionSendsBothGoAways) {
  ServerOptions o;
  o.session.graceful_shutdown_delay = absl::Milliseconds(200);
  Start([](FnHandler& h) { h.SendResponse(200, {}, "x").IgnoreError(); }, o);
  Client c(server_->port());
  const uint32_t id = c.Request("GET", "/");
  ASSERT_TRUE(c.Closed(id));
  // A client that does not answer the shutdown PING: the final GOAWAY comes after the delay.
  c.mute = true;
  server_->Shutdown();
  ASSERT_TRUE(c.RunUntil([&] { return c.eof; }));
  // §6.8: first 2^31-1, then (after the PING round trip) the last stream processed.
  ASSERT_EQ(c.visitor.goaways.size(), 2u);
  EXPECT_EQ(c.visitor.goaways[0].last_stream_id, 0x7fffffffu);
  EXPECT_EQ(c.visitor.goaways[1].last_stream_id, id);
  EXPECT_EQ(c.visitor.goaways[1].code, ErrorCode::kNoError);
}

TEST(ParseAddress, Forms) {
  std::string host;
  int port;
  ASSERT_TRUE(ParseAddress("127.0.0.1:8443", &host, &port).ok());
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(port, 8443);
  ASSERT_TRUE(ParseAddress("[::1]:0", &host, &port).ok());
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, 0);
  ASSERT_TRUE(ParseAddress(":80", &host, &port).ok());
  EXPECT_EQ(host, "");
  EXPECT_EQ(ParseAddress("localhost", &host, &port).message(),
            "address \"localhost\": expected host:port (or :port for all)");
  EXPECT_EQ(ParseAddress("h:70000", &host, &port).message(),
            "address \"h:70000\": port \"70000\" is not 0-65535");
}

TEST(StaticFiles, NormalizePath) {
  EXPECT_EQ(*NormalizePath("/"), "");
  EXPECT_EQ(*NormalizePath("/a//./b/?x=1#f"), "a/b");
  EXPECT_EQ(*NormalizePath("/a%2Fb%20c"), "a/b c");
  EXPECT_EQ(NormalizePath("/a/../b").status().message(), "path \"/a/../b\" has a \"..\" segment");
  EXPECT_EQ(NormalizePath("/%2e%2e/x").status().message(),
            "path \"/%2e%2e/x\" has a \"..\" segment");
  EXPECT_EQ(NormalizePath("/a%zz").status().message(), "path \"/a%zz\": bad percent-encoding at 2");
  EXPECT_EQ(NormalizePath("/a%00").status().message(), "path has a NUL");
  EXPECT_EQ(NormalizePath("x").status().message(), "path \"x\" does not start with /");
  EXPECT_EQ(ContentType("/a/b.CSS"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentType("/a.b/c"), "application/octet-stream");
}

}  // namespace
}  // namespace server
}  // namespace http2
