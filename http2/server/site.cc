#include "http2/server/site.h"

#include <unistd.h>

#include "absl/strings/ascii.h"
#include "absl/time/clock.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "http2/server/connection.h"
#include "http2/server/worker.h"

namespace http2 {
namespace server {
namespace {

// The demo site: a page that says which protocol the browser used (Chromium's interop test
// reads it), its stylesheet (pushed) and script.
constexpr absl::string_view kIndexHtml = R"(<!doctype html>
<html><head><meta charset="utf-8"><title>h2harness</title>
<link rel="stylesheet" href="/style.css"></head>
<body><h1>h2harness reference server</h1>
<p>Protocol: <b id="protocol">?</b></p>
<p>Try <a href="/echo">/echo</a> (request headers and body back), or any other path.</p>
<script src="/script.js"></script>
</body></html>
)";
constexpr absl::string_view kStyleCss = "body { font-family: sans-serif; margin: 2em; }\n";
constexpr absl::string_view kScriptJs =
    "const nav = performance.getEntriesByType('navigation')[0];\n"
    "document.getElementById('protocol').textContent = 'protocol=' + "
    "(nav ? nav.nextHopProtocol : 'unknown');\n";

struct DemoFile {
  absl::string_view path;
  absl::string_view body;
  absl::string_view type;
};
constexpr DemoFile kDemo[] = {
    {"/", kIndexHtml, "text/html; charset=utf-8"},
    {"/index.html", kIndexHtml, "text/html; charset=utf-8"},
    {"/style.css", kStyleCss, "text/css; charset=utf-8"},
    {"/script.js", kScriptJs, "text/javascript; charset=utf-8"},
};

const DemoFile* FindDemo(absl::string_view path) {
  for (const DemoFile& f : kDemo) {
    if (f.path == path) return &f;
  }
  return nullptr;
}

class SiteHandler : public RequestHandler {
 public:
  // The factory holds the site for as long as the server runs (longer than any handler).
  SiteHandler(Connection* session, uint32_t stream_id, Site* site)
      : RequestHandler(session, stream_id), site_(site) {}

  void OnHeaders() override { echo_ = PathOnly(path()) == "/echo"; }

  void OnData(absl::string_view data) override {
    body_length_ += data.size();
    if (echo_ && body_.size() < site_->options().max_echo_body) {
      const absl::string_view part = data.substr(0, site_->options().max_echo_body - body_.size());
      body_.append(part.data(), part.size());
    }
  }

  void OnRequestDone() override {
    if (echo_) {
      Echo();
      return;
    }
    if (const std::vector<std::string>* pushes = site_->PushesFor(PathOnly(path()))) {
      for (const std::string& p : *pushes) {
        Response pushed = Resolve("GET", p);
        HeaderList headers;
        for (const Header& h : pushed.fields()) headers.emplace_back(h.name, h.value);
        // Refused when the client disabled push: the response goes out all the same.
        Push(p, "GET", {}, pushed.status, std::move(headers), std::move(pushed.body))
            .IgnoreError();
      }
    }
    Response r = Resolve(method(), path());
    // The fields are the site's own constants: valid as they are, not checked again.
    SendTrustedResponse(r.status, r.fields(), std::move(r.body)).IgnoreError();
  }

 private:
  void Echo() {
    std::string text;
    for (const Header& h : headers()) absl::StrAppend(&text, h.name, ": ", h.value, "\n");
    absl::StrAppend(&text, "\n", body_);
    if (body_length_ > body_.size()) {
      absl::StrAppend(&text, "\n[request body: ", body_length_, " octets, the first ",
                      body_.size(), " echoed]\n");
    }
    SendResponse(200, {{"content-type", "text/plain; charset=utf-8"}}, std::move(text))
        .IgnoreError();
  }

  // A response of the site's: status, its own constant fields, body.
  struct Response {
    int status = 200;
    Header field[2];
    size_t n = 0;
    Body body;
    absl::Span<const Header> fields() const { return absl::MakeConstSpan(field, n); }
  };

  Response Resolve(absl::string_view method, absl::string_view path) {
    constexpr absl::string_view kText = "text/plain; charset=utf-8";
    Response r;
    r.field[0] = {"content-type", kText};
    r.n = 1;
    StaticFiles* files = site_->files();
    if (!files) {
      if (const DemoFile* f = FindDemo(PathOnly(path))) {
        r.field[0].value = f->type;
        r.body = Body(f->body);
        return r;
      }
      r.body = Body(absl::StrCat("h2harness: ", method, " ", path, " (", body_length_,
                                 " request body octets)\n"));
      return r;
    }
    if (method != "GET" && method != "HEAD") {
      r.status = 405;
      r.field[1] = r.field[0];
      r.field[0] = {"allow", "GET, HEAD"};
      r.n = 2;
      r.body = Body(absl::StrCat(method, " is not allowed here: GET or HEAD\n"));
      return r;
    }
    // The loop's clock: no clock read per request.
    absl::StatusOr<StaticFiles::Content> file = files->Get(path, session()->worker()->loop().now());
    if (!file.ok()) {
      const bool bad = absl::IsInvalidArgument(file.status());
      r.status = bad ? 400 : 404;
      r.body = Body(bad ? absl::StrCat("bad path: ", file.status().message(), "\n")
                        : std::string("not found\n"));
      return r;
    }
    r.field[0].value = file->content_type;
    r.body = file->bytes ? Body::Shared(std::move(file->bytes)) : Body::FileDescriptor(file->fd);
    return r;
  }

  Site* site_;
  bool echo_ = false;
  std::string body_;
  uint64_t body_length_ = 0;
};

}  // namespace

absl::StatusOr<std::vector<std::pair<std::string, std::vector<std::string>>>> ParsePushRules(
    absl::string_view text) {
  std::vector<std::pair<std::string, std::vector<std::string>>> rules;
  for (absl::string_view rule : absl::StrSplit(text, absl::ByAnyChar("; \t\n"), absl::SkipEmpty())) {
    const size_t eq = rule.find('=');
    if (eq == absl::string_view::npos || eq == 0 || rule[0] != '/') {
      return absl::InvalidArgumentError(
          absl::StrCat("push rule \"", rule, "\": expected PATH=PUSHED[,PUSHED] (paths start with /)"));
    }
    std::vector<std::string> pushed;
    for (absl::string_view p : absl::StrSplit(rule.substr(eq + 1), ',', absl::SkipEmpty())) {
      if (p[0] != '/') {
        return absl::InvalidArgumentError(
            absl::StrCat("push rule \"", rule, "\": pushed path \"", p, "\" must start with /"));
      }
      pushed.emplace_back(p);
    }
    if (pushed.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("push rule \"", rule, "\": nothing to push"));
    }
    rules.emplace_back(std::string(rule.substr(0, eq)), std::move(pushed));
  }
  return rules;
}

absl::StatusOr<std::shared_ptr<Site>> Site::Create(SiteOptions options) {
  std::shared_ptr<Site> site(new Site(std::move(options)));
  if (!site->options_.docroot.empty()) {
    absl::StatusOr<std::unique_ptr<StaticFiles>> files = StaticFiles::Open(site->options_.docroot);
    if (!files.ok()) return files.status();
    site->files_ = std::move(*files);
  } else if (site->options_.push.empty()) {
    site->options_.push = {{"/", {"/style.css"}}, {"/index.html", {"/style.css"}}};
  }
  return site;
}

HandlerFactory Site::Factory() {
  std::shared_ptr<Site> self = shared_from_this();
  return [self](Connection* session, uint32_t stream_id) {
    return std::make_unique<SiteHandler>(session, stream_id, self.get());
  };
}

const std::vector<std::string>* Site::PushesFor(absl::string_view path) const {
  for (const auto& [from, to] : options_.push) {
    if (from == path) return &to;
  }
  return nullptr;
}

}  // namespace server
}  // namespace http2
