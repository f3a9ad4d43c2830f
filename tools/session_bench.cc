// session_bench: small GETs between a client session and a server session in memory (no
// sockets), h2harness (http2::Session) and libnghttp2 (nghttp2_session_mem_send/mem_recv)
// side by side in one process.
//
//   session_bench [--runs N] [--min_time S] [--concurrency C] [--body_size B] [--json FILE]
//   session_bench --only=h2harness|nghttp2 --requests N   (one side once: for callgrind/perf)
//
// The workload, the same for both: a client opens one connection and keeps C requests in
// flight (GET with :authority, :path /static/app.js?v=N, user-agent, accept, accept-encoding,
// cookie); the server answers each finished request with :status 200, content-type,
// content-length, cache-control and a B-octet body pulled from a data source. Octets go
// from one session's send to the other's receive in whole batches, both ways, until every
// request has its complete response and the stream is closed. Both sides run with their
// defaults: HPACK with dynamic tables, HTTP field validation, automatic WINDOW_UPDATEs.
//
// Before timing, each side runs the workload once and must deliver every response with its
// body. A run then alternates the two (in alternating order), each until it has taken at
// least --min_time; the report gives requests per second (median over --runs runs, and the
// spread) and the ratio h2harness / libnghttp2.
#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "http2/options.h"
#include "http2/session.h"
#include "http2/visitor.h"

ABSL_FLAG(int32_t, runs, 7, "timed runs; the report gives the median and the spread");
ABSL_FLAG(double, min_time, 0.3, "seconds each implementation spends per run, at least");
ABSL_FLAG(int32_t, concurrency, 100,
          "requests in flight at once (the servers allow 100 concurrent streams)");
ABSL_FLAG(int32_t, body_size, 64, "response body octets");
ABSL_FLAG(std::string, json, "", "also write the results as JSON to this file");
ABSL_FLAG(std::string, only, "",
          "h2harness or nghttp2: run that side once for --requests (profiling), no report");
ABSL_FLAG(int64_t, requests, 100000, "with --only: the number of requests");

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "session_bench: %s\n", message.c_str());
  std::exit(1);
}

// The request's :path carries a counter, as a page's subresources do; the rest repeats.
constexpr absl::string_view kAuthority = "www.example.com";
constexpr absl::string_view kUserAgent =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 "
    "Safari/537.36";
constexpr absl::string_view kAccept = "*/*";
constexpr absl::string_view kAcceptEncoding = "gzip, deflate, br";
constexpr absl::string_view kCookie = "session=2f8a1c3e9b7d4f60; theme=dark";

struct Totals {
  uint64_t completed = 0;
  uint64_t body_octets = 0;
  uint64_t client_octets = 0;  // client -> server
  uint64_t server_octets = 0;
};

// One implementation: runs `n` requests on a fresh connection.
class Workload {
 public:
  virtual ~Workload() = default;
  virtual Totals Run(uint64_t n) = 0;
};

// The response body, the same octets for every stream; a stream that gets only part of it
// in one read (flow control) keeps its offset here.
class BodyState {
 public:
  explicit BodyState(size_t size) : body_(size, 'b') {}
  size_t size() const { return body_.size(); }
  // Copies up to `max` octets of stream `id`'s body into `dest`; sets *end when done.
  size_t Read(uint32_t id, uint8_t* dest, size_t max, bool* end) {
    size_t offset = 0;
    auto it = partial_.find(id);
    if (it != partial_.end()) offset = it->second;
    const size_t n = std::min(max, body_.size() - offset);
    if (n > 0) std::memcpy(dest, body_.data() + offset, n);
    *end = offset + n == body_.size();
    if (*end) {
      if (it != partial_.end()) partial_.erase(it);
    } else {
      partial_[id] = offset + n;
    }
    return n;
  }

 private:
  std::string body_;
  absl::flat_hash_map<uint32_t, size_t> partial_;
};

// What both implementations' workloads share: the number in flight and the response body.
class Common : public Workload {
 protected:
  Common(size_t concurrency, size_t body_size)
      : concurrency_(concurrency), body_(body_size), content_length_(absl::StrCat(body_size)) {}

  // Keeps `concurrency_` requests in flight until `n` are complete: submit(path) opens one;
  // to_server() and to_client() move what one side has to send into the other and return
  // the octets moved. t->completed counts complete responses.
  template <typename Submit, typename ToServer, typename ToClient>
  void Drive(uint64_t n, Totals* t, Submit&& submit, ToServer&& to_server, ToClient&& to_client,
             const char* name) {
    uint64_t submitted = 0;
    std::string path;
    while (t->completed < n) {
      while (submitted < n && submitted - t->completed < concurrency_) {
        path.clear();
        absl::StrAppend(&path, "/static/app.js?v=", submitted);
        submit(path);
        ++submitted;
      }
      const size_t c = to_server();
      const size_t s = to_client();
      t->client_octets += c;
      t->server_octets += s;
      if (c + s == 0) Die(absl::StrCat(name, ": the exchange stalled"));
    }
  }

  size_t concurrency_;
  BodyState body_;
  std::string content_length_;
};

// ---------------------------------------------------------------------------------------
// h2harness

class Ours : public Common {
 public:
  Ours(size_t concurrency, size_t body_size) : Common(concurrency, body_size) {}

  Totals Run(uint64_t n) override {
    Totals t;
    ServerSide server_v(this);
    ClientSide client_v(&t);
    http2::Session server(http2::Perspective::kServer, &server_v);
    http2::Session client(http2::Perspective::kClient, &client_v);
    server_v.session = &server;
    std::string buf;
    Drive(
        n, &t,
        [&](absl::string_view path) {
          const http2::Header request[] = {
              {":method", "GET"},   {":scheme", "https"},       {":authority", kAuthority},
              {":path", path},      {"user-agent", kUserAgent}, {"accept", kAccept},
              {"accept-encoding", kAcceptEncoding}, {"cookie", kCookie}};
          if (!client.SubmitRequest(request).ok()) Die("h2harness: SubmitRequest failed");
        },
        [&] { return Move(client, server, buf); }, [&] { return Move(server, client, buf); },
        "h2harness");
    return t;
  }

 private:
  // Everything `from` has to send, into `to`.
  static size_t Move(http2::Session& from, http2::Session& to, std::string& buf) {
    buf.clear();
    const size_t n = from.Send(&buf);
    size_t off = 0;
    while (off < buf.size()) {
      const size_t used = to.Receive(absl::string_view(buf).substr(off));
      if (used == 0) Die("h2harness: Receive() made no progress");
      off += used;
    }
    return n;
  }

  class Source : public http2::DataSource {
   public:
    explicit Source(BodyState* body) : body_(body) {}
    Result Read(uint32_t id, char* dest, size_t max) override {
      Result r;
      r.length = body_->Read(id, reinterpret_cast<uint8_t*>(dest), max, &r.end);
      return r;
    }

   private:
    BodyState* body_;
  };

  struct ServerSide : http2::Visitor {
    explicit ServerSide(Ours* o) : owner(o), source(&o->body_) {}
    Ours* owner;
    Source source;
    http2::Session* session = nullptr;
    void OnHeaders(const http2::ReceivedHeaders& h) override {
      if (!h.end_stream) return;
      const http2::Header response[] = {{":status", "200"},
                                        {"content-type", "application/javascript"},
                                        {"content-length", owner->content_length_},
                                        {"cache-control", "public, max-age=31536000"}};
      if (!session->SubmitResponse(h.stream_id, response, &source).ok()) {
        Die("h2harness: SubmitResponse failed");
      }
    }
    void OnData(uint32_t, absl::string_view) override {}
  };

  struct ClientSide : http2::Visitor {
    explicit ClientSide(Totals* t) : totals(t) {}
    Totals* totals;
    void OnHeaders(const http2::ReceivedHeaders& h) override {
      if (h.status != 200) Die("h2harness: a response other than 200");
    }
    void OnData(uint32_t, absl::string_view data) override { totals->body_octets += data.size(); }
    void OnStreamClose(uint32_t, http2::ErrorCode code) override {
      if (code != http2::ErrorCode::kNoError) Die("h2harness: a stream was reset");
      ++totals->completed;
    }
  };

};

// ---------------------------------------------------------------------------------------
// libnghttp2

class Theirs : public Common {
 public:
  Theirs(size_t concurrency, size_t body_size) : Common(concurrency, body_size) {}

  Totals Run(uint64_t n) override {
    Totals t;
    totals_ = &t;
    nghttp2_session_callbacks* cb;
    nghttp2_session_callbacks_new(&cb);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cb, OnFrameRecv);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, OnDataChunk);
    nghttp2_session_callbacks_set_on_stream_close_callback(cb, OnStreamClose);
    nghttp2_session_callbacks_set_on_header_callback(cb, OnHeader);
    nghttp2_session* server = nullptr;
    nghttp2_session* client = nullptr;
    nghttp2_session_server_new(&server, cb, this);
    nghttp2_session_client_new(&client, cb, this);
    nghttp2_session_callbacks_del(cb);
    // The SETTINGS h2harness sends by default (the server) and a client's usual ones.
    const nghttp2_settings_entry server_settings[] = {
        {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, http2::kDefaultMaxConcurrentStreams},
        {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, http2::kDefaultMaxHeaderListSize}};
    const nghttp2_settings_entry client_settings[] = {
        {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
        {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, http2::kDefaultMaxConcurrentStreams},
        {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, http2::kDefaultMaxHeaderListSize}};
    nghttp2_submit_settings(server, NGHTTP2_FLAG_NONE, server_settings, 2);
    nghttp2_submit_settings(client, NGHTTP2_FLAG_NONE, client_settings, 3);
    server_ = server;

    std::string buf;
    Drive(
        n, &t,
        [&](absl::string_view path) {
          const nghttp2_nv request[] = {
              Nv(":method", "GET"),      Nv(":scheme", "https"),       Nv(":authority", kAuthority),
              Nv(":path", path),         Nv("user-agent", kUserAgent), Nv("accept", kAccept),
              Nv("accept-encoding", kAcceptEncoding), Nv("cookie", kCookie)};
          if (nghttp2_submit_request(client, nullptr, request, 8, nullptr, nullptr) < 0) {
            Die("nghttp2: nghttp2_submit_request failed");
          }
        },
        [&] { return Move(client, server, buf); }, [&] { return Move(server, client, buf); },
        "nghttp2");
    nghttp2_session_del(client);
    nghttp2_session_del(server);
    totals_ = nullptr;
    return t;
  }

 private:

  static nghttp2_nv Nv(absl::string_view name, absl::string_view value) {
    return {reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
            reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())), name.size(),
            value.size(), NGHTTP2_NV_FLAG_NO_COPY_NAME | NGHTTP2_NV_FLAG_NO_COPY_VALUE};
  }

  static size_t Move(nghttp2_session* from, nghttp2_session* to, std::string& buf) {
    buf.clear();
    for (;;) {
      const uint8_t* data;
      const ssize_t n = nghttp2_session_mem_send(from, &data);
      if (n < 0) Die(absl::StrCat("nghttp2: mem_send: ", nghttp2_strerror(static_cast<int>(n))));
      if (n == 0) break;
      buf.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
    }
    if (buf.empty()) return 0;
    const ssize_t used =
        nghttp2_session_mem_recv(to, reinterpret_cast<const uint8_t*>(buf.data()), buf.size());
    if (used != static_cast<ssize_t>(buf.size())) Die("nghttp2: mem_recv failed");
    return buf.size();
  }

  static ssize_t ReadBody(nghttp2_session*, int32_t id, uint8_t* buf, size_t length,
                          uint32_t* flags, nghttp2_data_source* source, void*) {
    bool end = false;
    const size_t n = static_cast<BodyState*>(source->ptr)->Read(id, buf, length, &end);
    if (end) *flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(n);
  }

  static int OnFrameRecv(nghttp2_session* session, const nghttp2_frame* f, void* u) {
    Theirs* self = static_cast<Theirs*>(u);
    if (session != self->server_) return 0;
    if ((f->hd.type == NGHTTP2_HEADERS || f->hd.type == NGHTTP2_DATA) &&
        (f->hd.flags & NGHTTP2_FLAG_END_STREAM)) {
      const nghttp2_nv response[] = {Nv(":status", "200"),
                                     Nv("content-type", "application/javascript"),
                                     Nv("content-length", self->content_length_),
                                     Nv("cache-control", "public, max-age=31536000")};
      nghttp2_data_provider provider;
      provider.source.ptr = &self->body_;
      provider.read_callback = ReadBody;
      if (nghttp2_submit_response(session, f->hd.stream_id, response, 4, &provider) != 0) {
        Die("nghttp2: nghttp2_submit_response failed");
      }
    }
    return 0;
  }
  static int OnHeader(nghttp2_session* session, const nghttp2_frame*, const uint8_t* name,
                      size_t namelen, const uint8_t* value, size_t valuelen, uint8_t, void* u) {
    Theirs* self = static_cast<Theirs*>(u);
    if (session != self->server_ && namelen == 7 && std::memcmp(name, ":status", 7) == 0 &&
        !(valuelen == 3 && std::memcmp(value, "200", 3) == 0)) {
      Die("nghttp2: a response other than 200");
    }
    return 0;
  }
  static int OnDataChunk(nghttp2_session* session, uint8_t, int32_t, const uint8_t*, size_t len,
                         void* u) {
    Theirs* self = static_cast<Theirs*>(u);
    if (session != self->server_) self->totals_->body_octets += len;
    return 0;
  }
  static int OnStreamClose(nghttp2_session* session, int32_t, uint32_t code, void* u) {
    Theirs* self = static_cast<Theirs*>(u);
    if (session == self->server_) return 0;
    if (code != NGHTTP2_NO_ERROR) Die("nghttp2: a stream was reset");
    ++self->totals_->completed;
    return 0;
  }

  Totals* totals_ = nullptr;
  nghttp2_session* server_ = nullptr;
};

// ---------------------------------------------------------------------------------------

struct Side {
  const char* name;
  std::unique_ptr<Workload> workload;
  std::vector<double> rates;  // requests per second, per run
  Totals check;
};

// Runs batches of `batch` requests until `min_time` has passed; returns requests/s.
double Measure(Workload& w, uint64_t batch, double min_time) {
  uint64_t done = 0;
  const Clock::time_point start = Clock::now();
  double elapsed = 0;
  do {
    done += w.Run(batch).completed;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < min_time);
  return static_cast<double>(done) / elapsed;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "small GETs between two sessions in memory, h2harness vs libnghttp2.\n"
      "usage: session_bench [--runs N] [--min_time S] [--concurrency C] [--body_size B] "
      "[--json FILE]\n"
      "       session_bench --only=h2harness|nghttp2 [--requests N]");
  absl::ParseCommandLine(argc, argv);
  const int runs = absl::GetFlag(FLAGS_runs);
  const double min_time = absl::GetFlag(FLAGS_min_time);
  const int concurrency = absl::GetFlag(FLAGS_concurrency);
  const int body_size = absl::GetFlag(FLAGS_body_size);
  if (runs < 1) Die("--runs must be at least 1");
  if (concurrency < 1 || concurrency > 100) Die("--concurrency must be 1..100");
  if (body_size < 0 || body_size > 1 << 20) Die("--body_size must be 0..1048576");

  Side sides[] = {{"h2harness", std::make_unique<Ours>(concurrency, body_size), {}, {}},
                  {"libnghttp2", std::make_unique<Theirs>(concurrency, body_size), {}, {}}};

  const std::string only = absl::GetFlag(FLAGS_only);
  if (!only.empty()) {
    Side* s = only == "h2harness" ? &sides[0] : only == "nghttp2" ? &sides[1] : nullptr;
    if (s == nullptr) Die("--only takes h2harness or nghttp2");
    const int64_t n = absl::GetFlag(FLAGS_requests);
    if (n < 1) Die("--requests must be positive");
    const Clock::time_point start = Clock::now();
    const Totals t = s->workload->Run(static_cast<uint64_t>(n));
    const double secs = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("%s: %llu requests in %.3f s (%.0f requests/s)\n", s->name,
                static_cast<unsigned long long>(t.completed), secs, t.completed / secs);
    return 0;
  }

  // Both must complete the workload, every body whole.
  const uint64_t check_n = 1000;
  for (Side& s : sides) {
    s.check = s.workload->Run(check_n);
    if (s.check.completed != check_n || s.check.body_octets != check_n * body_size) {
      Die(absl::StrCat(s.name, ": the check run delivered ", s.check.completed, " responses and ",
                       s.check.body_octets, " body octets"));
    }
  }

  const uint64_t batch = 10000;
  for (int r = 0; r < runs; ++r) {
    for (int k = 0; k < 2; ++k) {
      Side& s = sides[(r + k) % 2];
      s.rates.push_back(Measure(*s.workload, batch, min_time));
    }
  }

  std::printf("session_bench: small GETs between a client and a server session in memory\n");
  std::printf("  %d in flight, %d-octet bodies, batches of %llu requests per connection; "
              "%d runs of >= %.2f s each, median (min .. max)\n\n",
              concurrency, body_size, static_cast<unsigned long long>(batch), runs, min_time);
  std::printf("  %-12s %14s %22s %11s %12s %12s\n", "", "requests/s", "(min .. max)",
              "ns/request", "c->s B/req", "s->c B/req");
  for (const Side& s : sides) {
    const double med = Median(s.rates);
    const auto [lo, hi] = std::minmax_element(s.rates.begin(), s.rates.end());
    std::printf("  %-12s %14.0f %10.0f .. %-9.0f %11.0f %12.1f %12.1f\n", s.name, med, *lo, *hi,
                1e9 / med, static_cast<double>(s.check.client_octets) / check_n,
                static_cast<double>(s.check.server_octets) / check_n);
  }
  const double ratio = Median(sides[0].rates) / Median(sides[1].rates);
  std::vector<double> per_run;
  for (int r = 0; r < runs; ++r) per_run.push_back(sides[0].rates[r] / sides[1].rates[r]);
  const auto [rlo, rhi] = std::minmax_element(per_run.begin(), per_run.end());
  std::printf("\n  ratio h2harness / libnghttp2: %.2fx (per run %.2f .. %.2f; goal >= 1.5x)\n",
              ratio, *rlo, *rhi);

  const std::string json = absl::GetFlag(FLAGS_json);
  if (!json.empty()) {
    std::ofstream out(json);
    out << absl::StrFormat(
        "{\"concurrency\": %d, \"body_size\": %d, \"runs\": %d, \"h2harness_rps\": %.0f, "
        "\"nghttp2_rps\": %.0f, \"ratio\": %.3f}\n",
        concurrency, body_size, runs, Median(sides[0].rates), Median(sides[1].rates), ratio);
    if (!out) Die("cannot write " + json);
  }
  return 0;
}
