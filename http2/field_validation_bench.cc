// ns/field for a browser GET (8 fields) and a captured Chromium GET (17 fields):
// http2::FieldValidator (every check of field_validation.h) against libnghttp2's public
// per-field checks (name, value, :method, :path, :authority octets: the character work
// nghttp2_http_on_header does, without its pseudo-header bookkeeping, which is not public).
// Rounds are interleaved; min and median. Wall-clock figures are noisy on a shared machine:
// for A/B comparisons use valgrind --tool=callgrind instruction counts.
//
//   bazel run //http2:field_validation_bench -- [blocks_per_round] [rounds]
#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "http2/field_validation.h"
#include "http2/field_validation_testdata.h"

namespace {

using Fields = http2::testdata::Fields;

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
      case 'm': return nghttp2_check_method(U(value), value.size());
      case 'p': return nghttp2_check_path(U(value), value.size());
      case 'a': return nghttp2_check_authority(U(value), value.size());
      default: return nghttp2_check_header_value_rfc9113(U(value), value.size());
    }
  }
  return nghttp2_check_header_name(U(name), name.size()) &&
         nghttp2_check_header_value_rfc9113(U(value), value.size());
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct Result {
  std::vector<double> ours, peer;
};

// One round: `blocks` blocks through each side; appends ns/field.
bool Round(const Fields& fields, long blocks, http2::FieldValidator& validator, Result* r) {
  const double n = static_cast<double>(blocks) * fields.size();
  long accepted = 0, peer_accepted = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (long b = 0; b < blocks; ++b) {
    validator.StartBlock(http2::FieldBlockKind::kRequest, true);
    for (const auto& [name, value] : fields) validator.OnField(name, value);
    accepted += validator.FinishBlock();
  }
  auto t1 = std::chrono::steady_clock::now();
  for (long b = 0; b < blocks; ++b) {
    int ok = 1;
    for (const auto& [name, value] : fields) ok &= NghttpField(name, value) != 0;
    peer_accepted += ok;
  }
  auto t2 = std::chrono::steady_clock::now();
  r->ours.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count() / n);
  r->peer.push_back(std::chrono::duration<double, std::nano>(t2 - t1).count() / n);
  return accepted == blocks && peer_accepted == blocks;
}

}  // namespace

int main(int argc, char** argv) {
  const long blocks = argc > 1 ? std::atol(argv[1]) : 1000000;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 7;
  if (blocks <= 0 || rounds <= 0) {
    std::fprintf(stderr, "usage: field_validation_bench [blocks_per_round>0] [rounds>0]\n");
    return 2;
  }
  const std::vector<std::pair<const char*, Fields>> workloads = {
      {"browser GET (8 fields)", BrowserGet()},
      {"Chromium 156 GET (17 fields)", http2::testdata::CapturedRequests()[3].fields}};
  http2::FieldValidator validator;
  std::vector<Result> results(workloads.size());
  for (int r = 0; r < rounds; ++r) {
    for (size_t w = 0; w < workloads.size(); ++w) {
      if (!Round(workloads[w].second, blocks, validator, &results[w])) {
        std::fprintf(stderr, "%s: a block was rejected: the benchmark input is wrong (%s)\n",
                     workloads[w].first, validator.error().message.c_str());
        return 1;
      }
    }
  }
  std::printf("%ld blocks x %d rounds, interleaved; ns per field\n", blocks, rounds);
  std::printf("%-30s %-42s %8s %8s\n", "workload", "implementation", "min", "median");
  for (size_t w = 0; w < workloads.size(); ++w) {
    const Result& r = results[w];
    std::printf("%-30s %-42s %8.2f %8.2f\n", workloads[w].first,
                "h2harness FieldValidator (every check)",
                *std::min_element(r.ours.begin(), r.ours.end()), Median(r.ours));
    std::printf("%-30s %-42s %8.2f %8.2f\n", "", "libnghttp2 nghttp2_check_* (octets only)",
                *std::min_element(r.peer.begin(), r.peer.end()), Median(r.peer));
    std::printf("%-30s ratio libnghttp2/h2harness (median): %.2fx\n", "",
                Median(r.peer) / Median(r.ours));
  }
  return 0;
}
