// Arbitrary octets through the HTTP/2 frame parser (http2/frame_parser.h), checked against an
// independent model of the frame-layer rules of RFC 9113 §4 and §6 (and RFC 9218 §7.1):
//
//  - the parser's verdict on every frame is one the model allows: a frame breaking no rule is
//    delivered; a frame breaking rules is reported with one of them, with that rule's error
//    code and scope (stream or connection error), and a connection error is the last thing
//    reported;
//  - what parses re-serialises (SerializeFrame) to exactly the octets it came from;
//  - any split of the input gives the same frames and errors: the whole input at once, in
//    pieces whose sizes come from the input, and (for short inputs) octet by octet, with the
//    parser paused and resumed at some frame ends.
//
// A second mode builds frames with the serializer (Append*), from descriptions taken from
// the input, and checks that they parse back to the same fields, with no error.
//
// Input: the connection's octets after the client preface; parameters (the largest frame
// size, setting validation, the mode, the split seed) are read from the input's end.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "fuzz/http2_frame_model.h"
#include "fuzz/http2_fuzz_util.h"
#include "http2/error_code.h"
#include "http2/frame.h"
#include "http2/frame_parser.h"
#include "http2/settings.h"

namespace {

using fuzz::Check;
using fuzz::Fail;
using fuzz::h2::Get32;
using fuzz::h2::Model;
using fuzz::h2::Violation;
using http2::Error;
using http2::ErrorCode;
using http2::FrameType;

// Records the parse: frames with their offsets, errors; pauses the parser after chosen
// frames.
class Recorder : public http2::FrameCollector {
 public:
  std::vector<uint64_t> offsets;    // of frames[i]
  std::vector<size_t> pause_after;  // frame indices, increasing
  size_t pauses_done = 0;
  http2::FrameParser* parser = nullptr;

  void OnFrameEnd(const http2::FrameHeader& h) override {
    offsets.push_back(parser->frame_offset());
    http2::FrameCollector::OnFrameEnd(h);
    if (pauses_done < pause_after.size() && pause_after[pauses_done] == frames.size() - 1) {
      ++pauses_done;
      parser->Pause();
    }
  }
};

struct Run {
  explicit Run(const http2::FrameParserOptions& options) : parser(&rec, options) {
    rec.parser = &parser;
  }
  Recorder rec;
  http2::FrameParser parser;
};

struct Result {
  std::vector<std::string> frames;  // serialised, with their offsets
  std::vector<std::string> errors;
  size_t consumed = 0;
  bool boundary = false;
  bool halted = false;
};

std::string DescribeError(const http2::ProtocolError& e) {
  return absl::StrCat(http2::ErrorName(e.error), " code=", static_cast<uint32_t>(e.code),
                      e.connection ? " connection" : " stream", " stream=", e.stream_id,
                      " type=", e.frame_type, " offset=", e.offset, ": ", e.message);
}

// Parses `bytes` cut at `cuts` (increasing offsets), pausing after the frames in `pauses`.
Result Parse(Run& run, absl::string_view bytes, const std::vector<size_t>& cuts,
             const std::vector<size_t>& pauses) {
  http2::FrameParser& parser = run.parser;
  Recorder& rec = run.rec;
  rec.pause_after = pauses;
  Result r;
  size_t from = 0;
  std::vector<size_t> ends = cuts;
  ends.push_back(bytes.size());
  for (size_t end : ends) {
    if (end < from) continue;
    absl::string_view piece = bytes.substr(from, end - from);
    from = end;
    // A paused parser returns early; the rest of the piece is offered again.
    while (!piece.empty() && !parser.halted()) {
      const size_t before = rec.pauses_done;
      const size_t n = parser.Parse(piece);
      Check(n <= piece.size(), "Parse() consumed more than it was given");
      r.consumed += n;
      piece.remove_prefix(n);
      Check(piece.empty() || parser.halted() || rec.pauses_done > before,
            "Parse() stopped early without a pause or an error");
    }
    if (parser.halted()) {
      Check(parser.Parse(bytes.substr(r.consumed)) == 0, "a halted parser consumed input");
      break;
    }
  }
  Check(parser.offset() == r.consumed, "offset() differs from the octets consumed");
  for (size_t i = 0; i < rec.frames.size(); ++i) {
    std::string s = absl::StrCat(rec.offsets[i], ":");
    http2::SerializeFrame(rec.frames[i], &s);
    r.frames.push_back(std::move(s));
  }
  for (const http2::ProtocolError& e : rec.errors) r.errors.push_back(DescribeError(e));
  r.boundary = parser.at_frame_boundary();
  r.halted = parser.halted();
  return r;
}

void CheckSame(const Result& a, const Result& b, const char* how) {
  if (a.frames == b.frames && a.errors == b.errors && a.consumed == b.consumed &&
      a.boundary == b.boundary && a.halted == b.halted) {
    return;
  }
  std::string why = absl::StrCat("parsing ", how, " differs from parsing the whole input: ");
  absl::StrAppend(&why, "frames ", a.frames.size(), " vs ", b.frames.size(), ", errors ",
                  a.errors.size(), " vs ", b.errors.size(), ", consumed ", a.consumed, " vs ",
                  b.consumed);
  for (const std::string& e : a.errors) absl::StrAppend(&why, "\n  whole: ", e);
  for (const std::string& e : b.errors) absl::StrAppend(&why, "\n  split: ", e);
  Fail(why);
}

// Walks the input with the model and compares with what the parser reported.
void CheckAgainstModel(absl::string_view bytes, const http2::FrameParserOptions& options,
                       const Recorder& rec, const http2::FrameParser& parser) {
  Model model(options.max_frame_size, options.validate_setting_values);
  size_t pos = 0, next_frame = 0, next_error = 0;
  while (pos + 9 <= bytes.size()) {
    const uint32_t length = (uint32_t{static_cast<uint8_t>(bytes[pos])} << 16) |
                            (uint32_t{static_cast<uint8_t>(bytes[pos + 1])} << 8) |
                            static_cast<uint8_t>(bytes[pos + 2]);
    const absl::string_view f = bytes.substr(pos, 9 + length);  // may be cut short
    const std::vector<Violation> v = model.Judge(f);
    const bool complete = f.size() == 9 + length;
    const bool errored = next_error < rec.errors.size() && rec.errors[next_error].offset == pos;
    if (errored) {
      const http2::ProtocolError& e = rec.errors[next_error++];
      bool allowed = false;
      for (const Violation& x : v) {
        allowed |= x.error == e.error && x.code == e.code && x.connection == e.connection;
      }
      if (!allowed) {
        std::string rules;
        for (const Violation& x : v) {
          absl::StrAppend(&rules, " ", http2::ErrorName(x.error), x.connection ? "/conn" : "/stream");
        }
        Fail(absl::StrCat("the parser reports ", DescribeError(e),
                          "\nthe model allows only:", rules.empty() ? " none" : rules));
      }
      Check(e.stream_id == (Get32(bytes, pos + 5) & 0x7fffffff), "error names the wrong stream");
      // The message names only the fields the frame has.
      const uint8_t fl = static_cast<uint8_t>(bytes[pos + 4]);
      Check(!(e.error == Error::kFrameTooShort && !(fl & 0x20) &&
              e.message.find("priority") != std::string::npos),
            "a too-short error names priority fields the frame does not have");
      Check(e.frame_type == static_cast<uint8_t>(bytes[pos + 3]), "error names the wrong type");
      if (e.connection) {
        Check(next_error == rec.errors.size(), "something reported after a connection error");
        Check(next_frame == rec.frames.size(), "a frame delivered after a connection error");
        Check(parser.halted(), "a connection error did not halt the parser");
        return;
      }
    } else if (!v.empty()) {
      Fail(absl::StrCat("the parser accepts a frame at octet ", pos, " that breaks ",
                        http2::ErrorName(v[0].error)));
    } else if (complete) {
      Check(next_frame < rec.frames.size() && rec.offsets[next_frame] == pos,
            "a complete valid frame was not delivered");
      const http2::Frame& fr = rec.frames[next_frame++];
      std::string again;
      http2::SerializeFrame(fr, &again);
      if (again != f) {
        Fail(absl::StrCat("SerializeFrame does not give back the octets parsed: ",
                          http2::DescribeFrame(fr)));
      }
      model.Accepted(fr.header.type, fr.header.flags, fr.header.stream_id);
      Check(absl::StrContains(http2::DescribeFrame(fr), http2::FrameTypeName(fr.header.type)),
            "DescribeFrame does not name the frame's type");
    }
    if (!complete) break;
    pos += 9 + length;
  }
  Check(next_frame == rec.frames.size(), "frames delivered that the model did not see");
  Check(next_error == rec.errors.size(), "errors reported that the model did not see");
  Check(!parser.halted(), "halted without a connection error");
}

// Builds frames with the serializer from descriptions in `in` and parses them back.
void SerializerRoundTrip(FuzzedDataProvider& in) {
  std::string wire;
  std::vector<http2::Frame> want;
  for (int i = 0; i < 64 && in.remaining_bytes() > 0; ++i) {
    http2::Frame f;
    const uint32_t sid = in.ConsumeIntegralInRange<uint32_t>(1, 0x7fffffff);
    std::optional<uint8_t> pad;
    if (in.ConsumeBool()) pad = in.ConsumeIntegral<uint8_t>();
    const std::string body = in.ConsumeRandomLengthString(256);
    const size_t at = wire.size();
    switch (in.ConsumeIntegralInRange(0, 10)) {
      case 0:
        http2::AppendData(&wire, sid, body, in.ConsumeBool() ? http2::kFlagEndStream : 0, pad);
        break;
      case 1: {
        http2::PrioritySpec p;
        p.stream_dependency = in.ConsumeIntegralInRange<uint32_t>(0, 0x7fffffff);
        p.exclusive = in.ConsumeBool();
        p.weight = in.ConsumeIntegral<uint8_t>();
        const bool with = in.ConsumeBool();
        http2::AppendHeaders(&wire, sid, body,
                             http2::kFlagEndHeaders | (in.ConsumeBool() ? http2::kFlagEndStream : 0),
                             with ? &p : nullptr, pad);
        break;
      }
      case 2: {
        http2::PrioritySpec p;
        p.stream_dependency = in.ConsumeIntegralInRange<uint32_t>(0, 0x7fffffff);
        p.exclusive = in.ConsumeBool();
        p.weight = in.ConsumeIntegral<uint8_t>();
        http2::AppendPriority(&wire, sid, p);
        break;
      }
      case 3:
        http2::AppendRstStream(&wire, sid, in.ConsumeIntegral<uint32_t>());
        break;
      case 4: {
        std::vector<http2::Setting> s;
        const size_t n = in.ConsumeIntegralInRange(0, 8);
        for (size_t k = 0; k < n; ++k) {
          http2::Setting x{in.ConsumeIntegral<uint16_t>(), in.ConsumeIntegral<uint32_t>()};
          if (http2::ValidateSetting(x) != Error::kNone) x.value = 1 << 14;
          if (http2::ValidateSetting(x) != Error::kNone) x.value = 0;
          s.push_back(x);
        }
        if (n == 0 && in.ConsumeBool()) {
          http2::AppendSettingsAck(&wire);
        } else {
          http2::AppendSettings(&wire, s);
        }
        break;
      }
      case 5:
        http2::AppendPushPromise(&wire, sid, in.ConsumeIntegralInRange<uint32_t>(0, 0x7fffffff),
                                 body, http2::kFlagEndHeaders, pad);
        break;
      case 6:
        http2::AppendPing(&wire, in.ConsumeIntegral<uint64_t>(),
                          in.ConsumeBool() ? http2::kFlagAck : 0);
        break;
      case 7:
        http2::AppendGoAway(&wire, in.ConsumeIntegralInRange<uint32_t>(0, 0x7fffffff),
                            in.ConsumeIntegral<uint32_t>(), body);
        break;
      case 8:
        http2::AppendWindowUpdate(&wire, in.ConsumeBool() ? 0 : sid,
                                  in.ConsumeIntegralInRange<uint32_t>(1, 0x7fffffff));
        break;
      case 9:
        http2::AppendPriorityUpdate(&wire, sid, body);
        break;
      default:
        http2::AppendRawFrame(&wire, in.ConsumeIntegralInRange<uint8_t>(0x11, 0xff),
                              in.ConsumeIntegral<uint8_t>(), in.ConsumeIntegral<uint32_t>(), body);
        break;
    }
    // A frame written by the serializer is what parsing it gives back.
    http2::ParsedFrames one = http2::ParseFrames(absl::string_view(wire).substr(at));
    Check(one.errors.empty() && one.frames.size() == 1 && one.complete,
          "a frame the serializer wrote does not parse as one valid frame");
    want.push_back(std::move(one.frames[0]));
  }
  // The same frames, parsed in one go, are the same (and each re-serialises to its octets).
  http2::ParsedFrames all = http2::ParseFrames(wire);
  Check(all.errors.empty() && all.complete, "serialised frames do not parse back");
  Check(all.frames.size() == want.size(), "serialised frames parse to a different count");
  std::string again;
  for (size_t i = 0; i < want.size(); ++i) {
    std::string a, b;
    http2::SerializeFrame(want[i], &a);
    http2::SerializeFrame(all.frames[i], &b);
    Check(a == b, "a frame parses differently alone and in a sequence");
    again += b;
    (void)http2::DescribeFrame(all.frames[i]);
  }
  Check(again == wire, "serialised frames do not re-serialise to the same octets");
}

// The names of every error, error code, setting and frame type are distinct and say
// something: checked once, as they appear in every message the parser and session write.
void CheckNames() {
  std::set<std::string> names, codes;
  for (int e = 0; e <= static_cast<int>(Error::kInternal); ++e) {
    const auto err = static_cast<Error>(e);
    Check(names.insert(std::string(http2::ErrorName(err))).second, "two errors share a name");
    Check(!http2::ErrorRule(err).empty() || err == Error::kNone, "an error without a rule");
    const ErrorCode code = http2::ToErrorCode(err);
    Check(http2::ErrorCodeName(code) != "UNKNOWN", "an error mapped to an unknown code");
  }
  for (uint32_t c = 0; c <= 0xe; ++c) {
    codes.insert(http2::ErrorCodeToString(c));
    (void)http2::ErrorCodeName(static_cast<ErrorCode>(c));
  }
  Check(codes.size() == 15, "error codes share a description");
  std::set<std::string> settings;
  for (uint16_t id = 0; id <= 0x0a; ++id) settings.insert(http2::SettingName(id));
  Check(settings.size() == 11, "settings share a name");
  std::set<std::string> types;
  for (int t = 0; t <= 0x11; ++t) types.insert(http2::FrameTypeName(static_cast<uint8_t>(t)));
  Check(types.size() == 18, "frame types share a name");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  CheckNames();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  // Parameters, from the end of the input.
  static constexpr uint32_t kFrameSizes[] = {16384, 16384, 16384, 16384, 16385, 65535,
                                             1 << 20, 16777215, 0, 9, 64, 1000};
  http2::FrameParserOptions options;
  options.max_frame_size = in.PickValueInArray(kFrameSizes);
  options.validate_setting_values = in.ConsumeIntegralInRange(0, 7) != 0;
  if (in.ConsumeIntegralInRange(0, 15) == 0) {
    SerializerRoundTrip(in);
    return 0;
  }
  const uint32_t seed = in.ConsumeIntegral<uint32_t>();
  const std::string bytes = in.ConsumeRemainingBytesAsString();

  Run first(options);
  const Result whole = Parse(first, bytes, {}, {});
  CheckAgainstModel(bytes, options, first.rec, first.parser);
  Check(whole.consumed == bytes.size() || whole.halted, "input left unconsumed without an error");

  // The same input in pieces; pauses after some frames.
  fuzz::SplitRng rng(seed);
  std::vector<size_t> cuts = fuzz::RandomCuts(rng, bytes.size());
  std::vector<size_t> pauses;
  for (size_t i = 0; i < whole.frames.size(); ++i) {
    if (rng.Next() % 4 == 0) pauses.push_back(i);
  }
  Run second(options);
  CheckSame(whole, Parse(second, bytes, cuts, pauses), "in pieces");
  if (bytes.size() <= 4096) {
    std::vector<size_t> every;
    for (size_t i = 1; i < bytes.size(); ++i) every.push_back(i);
    Run third(options);
    CheckSame(whole, Parse(third, bytes, every, {}), "octet by octet");
  }
  return 0;
}
