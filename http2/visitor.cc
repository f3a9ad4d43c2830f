#include "http2/visitor.h"

#include <algorithm>
#include <cstring>

namespace http2 {

DataSource::Result StringSource::Read(uint32_t, char* dest, size_t max) {
  Result r;
  r.length = std::min(max, body_.size() - offset_);
  if (r.length > 0) std::memcpy(dest, body_.data() + offset_, r.length);
  offset_ += r.length;
  r.end = offset_ == body_.size();
  return r;
}

}  // namespace http2
