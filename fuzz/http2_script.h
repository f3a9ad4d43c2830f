// The structured input of the HTTP/2 session fuzzers ("frames or junk", as envoy's HTTP/2
// fuzzers have): a sequence of records, each a frame description (HEADERS with a field list
// the script HPACK-encodes in one client context, DATA, SETTINGS, ...), raw junk, a raw frame
// header with any length, or an instruction to the fuzzer (deliver the client's octets in
// pieces, let the server send, advance the clock, make the server act, repeat the last
// records). Raw bytes reach shallow states; descriptions reach deep ones (open streams,
// bodies, trailers, flow control, limits) that random octets rarely do.
//
// Layout: a record is an op octet (op % kOpCount) and its fields, read from the front; reads
// past the end give 0, so every input means something. ScriptWriter writes the same layout
// (for seeds); ScriptRunner decodes it.
#ifndef H2HARNESS_FUZZ_HTTP2_SCRIPT_H_
#define H2HARNESS_FUZZ_HTTP2_SCRIPT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "hpack/deflater.h"
#include "hpack/header.h"

namespace fuzz {
namespace h2 {

enum Op : uint8_t {
  kPreface = 0,       // the 24-octet client magic
  kSettings,          // flags, n, n x (id selector, value selector)
  kHeaders,           // stream, flags, fields, split, [pad], handler action
  kContinuation,      // stream, flags (0x80: encoded fields, else a raw fragment), ...
  kData,              // stream, flags, length (0x80 in flags: octets from the input), [pad]
  kRstStream,         // stream, code
  kPriority,          // stream, dependency stream, weight, flags (0x1 exclusive, 0x2 bad length)
  kPing,              // flags, opaque selector
  kGoAway,            // last stream, code, debug length
  kWindowUpdate,      // stream, increment selector
  kPushPromise,       // stream, promised stream, fields
  kPriorityUpdate,    // prioritized stream, value
  kUnknownFrame,      // type, flags, stream, payload
  kJunk,              // n, n octets as they are
  kRawFrame,          // length (24 bits), type, flags, stream id (32 bits), payload
  kDeliver,           // piece size selector: hand the client's octets to the server now
  kServerSend,        // budget selector: the server's Send(); 0xff toggles "client not reading"
  kClock,             // advance selector: the clock moves, the server's OnTimer() runs
  kServerAction,      // action, stream: the server application calls the session
  kRepeat,            // records back (1-4), times: the last records again
  kOpCount,
};

// Flags of kHeaders (others are written as given): kOpenBlock leaves END_HEADERS off.
inline constexpr uint8_t kOpenBlock = 0x40;
// Field count octet: with this bit a valid GET request's four pseudo-header fields come first
// (then count & 0x1f fields); with kStandardResponse (and not kStandardRequest), ":status: 200".
inline constexpr uint8_t kStandardRequest = 0x80;
inline constexpr uint8_t kStandardResponse = 0x40;

// Stream selectors (low 3 bits; the rest is a parameter).
enum StreamSel : uint8_t {
  kNewStream = 0,   // the next client stream id (highest + 2)
  kCurrent = 1,     // the highest client stream id so far
  kPrevious = 2,    // the one before it
  kRecent = 3,      // one of the ids used so far (parameter: which)
  kZero = 4,        // stream 0
  kEven = 5,        // 2 * (parameter + 1): a server (pushed) stream
  kRawId = 6,       // 4 octets as they are (reserved bit included)
  kSkipAhead = 7,   // a new client stream id, parameter * 2 ids ahead
};
constexpr uint8_t Sel(StreamSel s, uint8_t param = 0) {
  return static_cast<uint8_t>(s | (param << 3));
}

// Fields a header list draws from by index (kind octet < kCommonFieldCount); other kinds
// are literal fields (name and value from the input).
extern const std::pair<absl::string_view, absl::string_view> kCommonFields[];
extern const size_t kCommonFieldCount;

// What a script asks for, besides the client's octets.
class ScriptListener {
 public:
  virtual ~ScriptListener() = default;
  // Octets the client sends (a frame, the magic, or junk). `frame_op` is the record's op.
  virtual void OnClientBytes(absl::string_view bytes, Op frame_op) = 0;
  // kDeliver: hand what the client sent so far to the server, in pieces of `piece` octets.
  virtual void OnDeliver(size_t piece) {}
  // kServerSend: let the server write at most `budget` octets (0: all it has);
  // `toggle_reading`: the client stops (or resumes) reading.
  virtual void OnServerSend(size_t budget, bool toggle_reading) {}
  virtual void OnClock(absl::Duration advance) {}
  virtual void OnServerAction(uint8_t action, uint32_t stream_id) {}
  // A HEADERS record's handler action for the stream it opens or continues.
  virtual void OnHandlerAction(uint32_t stream_id, uint8_t action) {}
  // The client's HPACK encoder should now honour the server's SETTINGS_HEADER_TABLE_SIZE
  // (the first SETTINGS ACK the client sends means it has applied the server's SETTINGS).
  virtual uint32_t ServerHeaderTableSize() { return 4096; }
};

// Decodes records and drives a listener. One runner per connection: it keeps the client's
// HPACK context and the stream ids used.
class ScriptRunner {
 public:
  // `max_output`: a cap on the octets the script may generate (kRepeat multiplies).
  // Records that write nothing (deliveries, server calls, clock steps) are capped by count
  // instead: nested repeats could otherwise run a million application calls per input.
  static constexpr size_t kMaxRecords = 20000;
  explicit ScriptRunner(size_t max_output = 4 << 20);
  void Run(absl::string_view records, ScriptListener* listener);
  size_t records() const { return records_; }
  bool Exhausted() const { return output_ > max_output_ || records_ >= kMaxRecords; }

 private:
  class Reader;
  void RunOne(Reader& r, ScriptListener* l, int depth, size_t index);
  uint32_t Stream(Reader& r);
  std::string Fields(Reader& r);
  void Emit(ScriptListener* l, const std::string& bytes, Op op);

  hpack::Deflater deflater_;
  bool settings_acked_ = false;
  int64_t highest_ = -1;
  std::vector<uint32_t> used_;
  size_t output_ = 0;
  size_t max_output_;
  size_t records_ = 0;
  absl::string_view input_;
  std::vector<std::pair<size_t, size_t>> spans_;  // [begin, end) of the top-level records
  std::string frame_;
};

// Writes records (for seeds and tests): the same layout ScriptRunner reads.
class ScriptWriter {
 public:
  // Config octets come first in the session fuzzer's inputs.
  ScriptWriter& Config(absl::string_view octets) {
    out_.append(octets.data(), octets.size());
    return *this;
  }
  ScriptWriter& Preface() { return Op1(kPreface); }
  // `settings`: (id selector, value selector) pairs; see the runner for the tables.
  ScriptWriter& Settings(std::vector<std::pair<uint8_t, uint8_t>> settings, uint8_t flags = 0);
  ScriptWriter& SettingsAck() { return Settings({}, 1); }
  // `fields`: kind octets (indices into kCommonFields) after the count octet.
  ScriptWriter& Headers(uint8_t stream, uint8_t flags, uint8_t count,
                        const std::vector<uint8_t>& kinds, uint8_t split = 0,
                        uint8_t pad = 0, uint8_t action = 0);
  // The kind octet of a field in kCommonFields (dies if there is none).
  static uint8_t Kind(absl::string_view name, absl::string_view value);
  ScriptWriter& Data(uint8_t stream, uint8_t flags, uint16_t length, uint8_t pad = 0);
  ScriptWriter& RstStream(uint8_t stream, uint8_t code);
  ScriptWriter& Priority(uint8_t stream, uint8_t dependency, uint8_t weight, uint8_t flags = 0);
  ScriptWriter& Ping(uint8_t flags, uint8_t opaque);
  ScriptWriter& GoAway(uint8_t last, uint8_t code, uint8_t debug_length);
  ScriptWriter& WindowUpdate(uint8_t stream, uint8_t increment);
  ScriptWriter& PushPromise(uint8_t stream, uint8_t promised, uint8_t count,
                            const std::vector<uint8_t>& kinds);
  ScriptWriter& PriorityUpdate(uint8_t stream, absl::string_view value);
  ScriptWriter& UnknownFrame(uint8_t type, uint8_t flags, uint8_t stream,
                             absl::string_view payload);
  ScriptWriter& Junk(absl::string_view octets);
  ScriptWriter& RawFrame(uint32_t length, uint8_t type, uint8_t flags, uint32_t stream_id,
                         absl::string_view payload);
  ScriptWriter& Continuation(uint8_t stream, uint8_t flags, absl::string_view raw_fragment);
  ScriptWriter& Deliver(uint8_t piece) { return Op1(kDeliver).U8(piece); }
  ScriptWriter& ServerSend(uint8_t budget) { return Op1(kServerSend).U8(budget); }
  ScriptWriter& Clock(uint8_t advance) { return Op1(kClock).U8(advance); }
  ScriptWriter& ServerAction(uint8_t action, uint8_t stream) {
    return Op1(kServerAction).U8(action).U8(stream);
  }
  // The last `records_back` (1-4) records, `times` times more.
  ScriptWriter& Repeat(uint8_t records_back, uint8_t times) {
    return Op1(kRepeat).U8(static_cast<uint8_t>(records_back - 1)).U8(times);
  }
  ScriptWriter& U8(uint8_t v) {
    out_.push_back(static_cast<char>(v));
    return *this;
  }
  ScriptWriter& Raw(absl::string_view s) {
    out_.append(s.data(), s.size());
    return *this;
  }
  const std::string& bytes() const { return out_; }

 private:
  ScriptWriter& Op1(Op op) { return U8(op); }
  std::string out_;
};

}  // namespace h2
}  // namespace fuzz

#endif  // H2HARNESS_FUZZ_HTTP2_SCRIPT_H_
