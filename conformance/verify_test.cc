#include "conformance/verify.h"

#include "gtest/gtest.h"

namespace conformance {
namespace {

Story Parse(const std::string& json) {
  absl::StatusOr<Story> s = ParseStory(json, "t.json");
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *s : Story{};
}

TEST(Verify, MatchingStoryPasses) {
  StoryResult r = VerifyStory(Parse(R"({"cases": [
      {"seqno": 0, "wire": "828441 0161", "headers": [{":method": "GET"}, {":path": "/"}, {":authority": "a"}]},
      {"seqno": 1, "wire": "be", "headers": [{":authority": "a"}]}]})"));
  EXPECT_TRUE(r.passed) << r.failure;
  EXPECT_EQ(r.cases, 2u);
  EXPECT_EQ(r.headers, 4u);
  EXPECT_EQ(r.kind, StoryResult::Kind::kWire);
}

TEST(Verify, ReportsSeqnoHeaderIndexExpectedAndGot) {
  StoryResult r = VerifyStory(Parse(R"({"cases": [
      {"seqno": 0, "wire": "82", "headers": [{":method": "GET"}]},
      {"seqno": 7, "wire": "8284", "headers": [{":method": "GET"}, {":path": "/x\u00e9"}]}]})"));
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.failure,
            "case 1 (seqno 7): header 1: expected \":path: /x\\xc3\\xa9\", got \":path: /\"");
}

TEST(Verify, CountMismatch) {
  StoryResult r = VerifyStory(Parse(R"({"cases": [
      {"seqno": 0, "wire": "8284", "headers": [{":method": "GET"}]}]})"));
  EXPECT_EQ(r.failure,
            "case 0 (seqno 0): expected 1 headers, got 2; first extra: header 1 \":path: /\"");
}

TEST(Verify, DecoderErrorIsReported) {
  StoryResult r = VerifyStory(Parse(R"({"cases": [{"seqno": 3, "wire": "80", "headers": []}]})"));
  EXPECT_EQ(r.failure,
            "case 0 (seqno 3): decoder error: hpack: octet 0 of the header block: index 0 in an "
            "indexed header field representation (RFC 7541 §6.1)");
}

TEST(Verify, HeaderTableSizeIsTheDecodersLimit) {
  // Case 1 lowers the limit to 0; its block must start with a size update.
  StoryResult ok = VerifyStory(Parse(R"({"cases": [
      {"seqno": 0, "wire": "4001 6101 62", "headers": [{"a": "b"}]},
      {"seqno": 1, "header_table_size": 0, "wire": "2082", "headers": [{":method": "GET"}]}]})"));
  EXPECT_TRUE(ok.passed) << ok.failure;
  StoryResult missing = VerifyStory(Parse(R"({"cases": [
      {"seqno": 0, "wire": "4001 6101 62", "headers": [{"a": "b"}]},
      {"seqno": 1, "header_table_size": 0, "wire": "82", "headers": [{":method": "GET"}]}]})"));
  EXPECT_FALSE(missing.passed);
  EXPECT_NE(missing.failure.find("does not start with a dynamic table size update"),
            std::string::npos)
      << missing.failure;
}

TEST(Verify, NegativeCaseMustBeRejectedForItsRule) {
  StoryResult ok = VerifyStory(Parse(R"({"cases": [
      {"seqno": 0, "wire": "82", "headers": [{":method": "GET"}]},
      {"seqno": 1, "wire": "80", "error": "index_zero"}]})"));
  EXPECT_TRUE(ok.passed) << ok.failure;
  EXPECT_EQ(ok.kind, StoryResult::Kind::kNegative);

  StoryResult wrong_rule = VerifyStory(Parse(R"({"cases": [
      {"seqno": 1, "wire": "80", "error": "index_out_of_range"}]})"));
  EXPECT_EQ(wrong_rule.failure,
            "case 0 (seqno 1): expected rejection for index_out_of_range, got index_zero: hpack: "
            "octet 0 of the header block: index 0 in an indexed header field representation "
            "(RFC 7541 §6.1)");

  StoryResult accepted = VerifyStory(Parse(R"({"cases": [
      {"seqno": 1, "wire": "82", "error": "index_zero"}]})"));
  EXPECT_EQ(accepted.failure,
            "case 0 (seqno 1): expected the block to be rejected (index_zero), but it decoded to 1 "
            "fields");

  StoryResult unknown = VerifyStory(Parse(R"({"cases": [
      {"seqno": 1, "wire": "80", "error": "bad_karma"}]})"));
  EXPECT_EQ(unknown.failure, "case 0 (seqno 1): unknown rule \"bad_karma\" in \"error\"");

  StoryResult after = VerifyStory(Parse(R"({"cases": [
      {"seqno": 1, "wire": "80", "error": "index_zero"},
      {"seqno": 2, "wire": "82", "headers": [{":method": "GET"}]}]})"));
  EXPECT_EQ(after.failure,
            "case 1 (seqno 2): follows a rejected block; the context is dead (RFC 9113 §4.3)");
}

TEST(Verify, RawStoriesRoundTrip) {
  StoryResult r = VerifyStory(Parse(R"({"cases": [
      {"seqno": 0, "headers": [{":method": "GET"}, {"x-a": "\udcff\u0000"}]},
      {"seqno": 1, "header_table_size": 0, "headers": [{"x-a": "\udcff\u0000"}]}]})"));
  EXPECT_TRUE(r.passed) << r.failure;
  EXPECT_EQ(r.kind, StoryResult::Kind::kRaw);
  EXPECT_EQ(r.headers, 3u);
}

TEST(Verify, MixedWireAndRawIsAnError) {
  StoryResult r = VerifyStory(Parse(R"({"cases": [
      {"seqno": 0, "wire": "82", "headers": [{":method": "GET"}]},
      {"seqno": 1, "headers": [{":method": "GET"}]}]})"));
  EXPECT_EQ(r.failure, "case 1 (seqno 1): no \"wire\" (other cases have one)");
}

TEST(Verify, UnreadableFileIsAFailedResult) {
  StoryResult r = VerifyStoryFile("/nonexistent/story.json");
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.kind, StoryResult::Kind::kUnreadable);
  EXPECT_EQ(r.failure, "cannot open");
}


TEST(DiffHeaders, LongValuesAreCutAroundTheFirstDifference) {
  const std::string v(20000, 'a');
  std::string w = v;
  w[16000] = 'b';
  const std::string diff = DiffHeaders({{"x-long", v}}, {{"x-long", w}});
  EXPECT_EQ(diff, "header 0 (\"x-long\"): value differs at octet 16000 (expected 20000 octets, "
                  "got 20000): expected \"..." + std::string(48, 'a') + "...\", got \"..." +
                      std::string(24, 'a') + "b" + std::string(23, 'a') + "...\"");
  const std::string extra = DiffHeaders({}, {{"x-long", v}});
  EXPECT_LT(extra.size(), 250u) << extra;
  EXPECT_NE(extra.find("(20000-octet value)"), std::string::npos) << extra;
}

TEST(DiffHeaders, NeverIndexedMarks) {
  hpack::HeaderList want = {{"a", "1", true}, {"b", "2"}};
  hpack::HeaderList got = {{"a", "1"}, {"b", "2", true}};
  EXPECT_EQ(DiffHeaders(want, got), "");
  EXPECT_EQ(DiffHeaders(want, got, NeverIndexedCheck::kExact),
            "header 0 \"a: 1\": expected a never-indexed literal, got another (RFC 7541 §6.2.3, "
            "§7.1.3)");
  EXPECT_EQ(DiffHeaders(want, got, NeverIndexedCheck::kMarked),
            "header 0 \"a: 1\": expected a never-indexed literal, got another (RFC 7541 §6.2.3, "
            "§7.1.3)");
  got[0].never_indexed = true;  // b's extra mark: an encoder may add marks
  EXPECT_EQ(DiffHeaders(want, got, NeverIndexedCheck::kMarked), "");
  EXPECT_NE(DiffHeaders(want, got, NeverIndexedCheck::kExact), "");
}

TEST(VerifyStory, CheckEncoderLimitsAreLifted) {
  Story s;
  StoryCase c;
  c.headers = hpack::HeaderList(1501, hpack::HeaderField("x", "1"));
  s.cases.push_back(c);
  EXPECT_FALSE(VerifyStory(s).passed);  // the default decoder: 1024 fields
  VerifyOptions big;
  big.inflater.max_header_fields = 1 << 20;
  EXPECT_TRUE(VerifyStory(s, big).passed);
}

}  // namespace
}  // namespace conformance
