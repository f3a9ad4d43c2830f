// ns/field for the 8 fields of a browser GET: http2::FieldValidator (every check of
// field_validation.h) against libnghttp2's public per-field checks (name, value, :method,
// :path, :authority octets: the character work nghttp2_http_on_header does, without its
// pseudo-header bookkeeping, which is not public). Rounds are interleaved; min and median.
//
//   bazel run -c opt //http2:field_validation_bench -- [blocks_per_round] [rounds]
#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "http2/field_validation.h"

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

Fields BrowserGet() {
  return {
      {":method", "GET"},
      {":authority", "www.example.com"},
      {":scheme", "https"},
      {":path", "/search/index.html?q=http2+field+validation&lang=en"},
      {"user-agent",
       "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/120.0.0.0 Safari/537.36"},
      {"accept",
       "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"},
      {"accept-encoding", "gzip, deflate, br"},
      {"accept-language", "en-US,en;q=0.9"},
  };
}

const uint8_t* U(const std::string& s) { return reinterpret_cast<const uint8_t*>(s.data()); }

int NghttpField(const std::string& name, const std::string& value) {
  if (name[0] == ':') {
    if (!nghttp2_check_header_name(U(name) + 1, name.size() - 1)) return 0;
    switch (name[1]) {
      case 'm':
        return nghttp2_check_method(U(value), value.size());
      case 'p':
        return nghttp2_check_path(U(value), value.size());
      case 'a':
        return nghttp2_check_authority(U(value), value.size());
      default:
        return nghttp2_check_header_value_rfc9113(U(value), value.size());
    }
  }
  return nghttp2_check_header_name(U(name), name.size()) &&
         nghttp2_check_header_value_rfc9113(U(value), value.size());
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const long blocks = argc > 1 ? std::atol(argv[1]) : 1000000;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 7;
  if (blocks <= 0 || rounds <= 0) {
    std::fprintf(stderr, "usage: field_validation_bench [blocks_per_round>0] [rounds>0]\n");
    return 2;
  }
  const Fields fields = BrowserGet();
  const double per_round_fields = static_cast<double>(blocks) * fields.size();
  http2::FieldValidator validator;
  std::vector<double> ours, peer;
  long sink = 0;
  for (int r = 0; r < rounds; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    for (long b = 0; b < blocks; ++b) {
      validator.StartBlock(http2::FieldBlockKind::kRequest, true);
      for (const auto& [n, v] : fields) sink += validator.OnField(n, v);
      sink += validator.FinishBlock();
    }
    auto t1 = std::chrono::steady_clock::now();
    for (long b = 0; b < blocks; ++b) {
      for (const auto& [n, v] : fields) sink += NghttpField(n, v);
    }
    auto t2 = std::chrono::steady_clock::now();
    ours.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count() / per_round_fields);
    peer.push_back(std::chrono::duration<double, std::nano>(t2 - t1).count() / per_round_fields);
  }
  if (sink != static_cast<long>(rounds) * blocks * (2 * static_cast<long>(fields.size()) + 1)) {
    std::fprintf(stderr, "a field was rejected: the benchmark input is wrong\n");
    return 1;
  }
  std::printf("browser GET, %zu fields, %ld blocks x %d rounds\n", fields.size(), blocks, rounds);
  std::printf("%-44s %10s %10s\n", "", "min ns/f", "median");
  std::printf("%-44s %10.2f %10.2f\n", "h2harness FieldValidator (all checks)",
              *std::min_element(ours.begin(), ours.end()), Median(ours));
  std::printf("%-44s %10.2f %10.2f\n", "libnghttp2 nghttp2_check_* (octets only)",
              *std::min_element(peer.begin(), peer.end()), Median(peer));
  std::printf("ratio libnghttp2/h2harness (median): %.2fx\n", Median(peer) / Median(ours));
  return 0;
}
