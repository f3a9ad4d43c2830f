// Requests captured from real clients (curl 7.88.1, nghttp 1.52.0, Node.js 20, headless
// Chromium 156; Debian 12, against a python3-h2 server): what conforming peers send, for the
// field validation tests and benchmark. Facts, not code.
#ifndef H2HARNESS_HTTP2_FIELD_VALIDATION_TESTDATA_H_
#define H2HARNESS_HTTP2_FIELD_VALIDATION_TESTDATA_H_

#include <string>
#include <utility>
#include <vector>

namespace http2 {
namespace testdata {

using Fields = std::vector<std::pair<std::string, std::string>>;

struct ClientRequest {
  const char* client;
  Fields fields;
};

// curl and Chromium send '[', ']' and '|' unescaped in :path.
inline std::vector<ClientRequest> CapturedRequests() {
  return {
      {"curl",
       {{":method", "GET"}, {":path", "/api?filter[name]=x&q=a|b"}, {":scheme", "http"},
        {":authority", "127.0.0.1:55853"}, {"user-agent", "curl/7.88.1"}, {"accept", "*/*"},
        {"cookie", "a=b; c=d"}}},
      {"nghttp",
       {{":method", "GET"}, {":path", "/index.html?x=1"}, {":scheme", "http"},
        {":authority", "127.0.0.1:55853"}, {"accept", "*/*"},
        {"accept-encoding", "gzip, deflate"}, {"user-agent", "nghttp2/1.52.0"}}},
      {"node",
       {{":path", "/node"}, {":method", "GET"}, {":authority", "127.0.0.1:55853"},
        {":scheme", "http"}, {"accept", "*/*"}}},
      {"chromium",
       {{":method", "GET"}, {":authority", "127.0.0.1:55879"}, {":scheme", "https"},
        {":path", "/search?q=a%20b&filter[x]=1|2"},
        {"sec-ch-ua", "\"Not:A-Brand\";v=\"8\", \"Chromium\";v=\"156\""},
        {"sec-ch-ua-mobile", "?0"}, {"sec-ch-ua-platform", "\"Linux\""},
        {"upgrade-insecure-requests", "1"},
        {"user-agent",
         "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
         "HeadlessChrome/156.0.0.0 Safari/537.36"},
        {"accept",
         "text/html,application/xhtml+xml,application/xml;q=0.9,image/jxl,image/avif,"
         "image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"},
        {"sec-fetch-site", "none"}, {"sec-fetch-mode", "navigate"}, {"sec-fetch-user", "?1"},
        {"sec-fetch-dest", "document"}, {"accept-encoding", "gzip, deflate, br, zstd"},
        {"accept-language", "en-US,en;q=0.9"}, {"priority", "u=0, i"}}},
  };
}

}  // namespace testdata
}  // namespace http2

#endif  // H2HARNESS_HTTP2_FIELD_VALIDATION_TESTDATA_H_
