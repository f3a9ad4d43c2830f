// A body for the session fuzzers' applications: deterministic octets, in pieces, optionally
// deferred ("nothing now" until resumed), failing, or ending with trailers to follow.
#ifndef H2HARNESS_FUZZ_HTTP2_BODY_SOURCE_H_
#define H2HARNESS_FUZZ_HTTP2_BODY_SOURCE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "http2/visitor.h"

namespace fuzz {
namespace h2 {

// A body: `total` octets, in pieces of at most `chunk`; `defer` makes every other
// Read() say "nothing now" (the handler resumes it later); `fail_after` fails the stream
// once that many octets went out.
class BodySource : public http2::DataSource {
 public:
  BodySource(size_t total, size_t chunk, bool defer, size_t fail_after, bool trailers_follow)
      : total_(total), chunk_(chunk), defer_(defer), fail_after_(fail_after),
        trailers_follow_(trailers_follow) {}
  Result Read(uint32_t stream_id, char* dest, size_t max) override {
    Result r;
    if (sent_ >= fail_after_) {
      r.error = true;
      return r;
    }
    if (defer_ && (calls_++ % 2 == 0)) {
      deferred_ = true;
      return r;
    }
    const char* from = Pattern() + sent_ % 26;
    r = Take(max);
    std::memcpy(dest, from, r.length);
    return r;
  }
  // The same octets by reference (Session::Send with pieces); deferring and failing bodies
  // are left to Read().
  bool Lend(uint32_t stream_id, size_t max, const char** data, Result* result) override {
    if (defer_ || sent_ >= fail_after_) return false;
    *data = Pattern() + sent_ % 26;
    *result = Take(max);
    return true;
  }
  bool deferred() const { return deferred_; }
  void clear_deferred() { deferred_ = false; }

 private:
  static constexpr size_t kPatternSize = 64 * 1024;
  // 'a'..'z' repeated: the body's octet i is Pattern()[i % 26].
  static const char* Pattern() {
    static const std::string* const pattern = [] {
      auto* p = new std::string(kPatternSize + 26, '\0');
      for (size_t i = 0; i < p->size(); ++i) (*p)[i] = static_cast<char>('a' + i % 26);
      return p;
    }();
    return pattern->data();
  }
  // The next piece of at most `max` octets (and of the pattern's length).
  Result Take(size_t max) {
    Result r;
    r.length = std::min({max, chunk_, total_ - sent_, kPatternSize});
    sent_ += r.length;
    r.end = sent_ == total_;
    r.trailers_follow = r.end && trailers_follow_;
    return r;
  }
  size_t total_, chunk_;
  bool defer_;
  size_t fail_after_;
  bool trailers_follow_;
  size_t sent_ = 0;
  size_t calls_ = 0;
  bool deferred_ = false;
};

}  // namespace h2
}  // namespace fuzz

#endif  // H2HARNESS_FUZZ_HTTP2_BODY_SOURCE_H_
