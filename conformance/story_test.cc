#include "conformance/story.h"

#include "gtest/gtest.h"

namespace conformance {
namespace {

TEST(Story, ParsesTheHpackTestCaseFormat) {
  absl::StatusOr<Story> s = ParseStory(R"({
    "cases": [
      {"seqno": 0, "header_table_size": 4096, "wire": "8286 8441 0f77",
       "headers": [{":method": "GET"}, {"x": "1"}, {"x": "2"}]},
      {"seqno": 1, "headers": []}
    ],
    "draft": 9,
    "description": "demo"})",
                                       "demo.json");
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->cases.size(), 2u);
  EXPECT_EQ(s->description, "demo");
  EXPECT_EQ(*s->cases[0].header_table_size, 4096u);
  EXPECT_EQ(*s->cases[0].wire, std::string("\x82\x86\x84\x41\x0f\x77"));
  ASSERT_EQ(s->cases[0].headers->size(), 3u);
  EXPECT_EQ((*s->cases[0].headers)[2].name, "x");
  EXPECT_EQ((*s->cases[0].headers)[2].value, "2");
  EXPECT_FALSE(s->cases[1].wire.has_value());
  EXPECT_FALSE(s->cases[1].header_table_size.has_value());
  EXPECT_EQ(s->HeaderCount(), 3u);
  ASSERT_EQ(s->extra.size(), 1u);
  EXPECT_EQ(s->extra[0].first, "draft");
}

TEST(Story, WriteThenReadIsIdentity) {
  Story s;
  s.description = "round trip \xc3\xa9";
  StoryCase c;
  c.seqno = 7;
  c.header_table_size = 256;
  c.wire = std::string("\x00\xff\x10", 3);
  c.headers = hpack::HeaderList{{"a", std::string("\x00\xe9\xff", 3)}, {"a", ""}};
  s.cases.push_back(c);
  StoryCase neg;
  neg.seqno = 8;
  neg.wire = "\x80";
  neg.error = "index_zero";
  s.cases.push_back(neg);
  const std::string text = SerializeStory(s);
  absl::StatusOr<Story> back = ParseStory(text, "mem");
  ASSERT_TRUE(back.ok()) << back.status() << "\n" << text;
  EXPECT_EQ(SerializeStory(*back), text);
  EXPECT_EQ(*back->cases[0].headers, *c.headers);
  EXPECT_EQ(*back->cases[1].error, "index_zero");
  EXPECT_NE(text.find("{\"a\": \"\\u0000\\udce9\\udcff\"}"), std::string::npos) << text;
}

struct BadInput {
  const char* json;
  const char* error;  // expected message
};

TEST(Story, MalformedFilesNameFileCaseAndField) {
  const BadInput cases[] = {
      {"{",
       "f.json: invalid JSON at line 1, column 2: expected a member name (a string), found end "
       "of input"},
      {"{\"cases\": [\n", "f.json: invalid JSON at line 2, column 1: expected a value, found end of input"},
      {"{\"cases\": [{\"seqno\": 0, \"wire\": \"82\n\"}]}",
       "f.json: invalid JSON at line 1, column 36: control character in a string (write it as "
       "\\u00XX)"},
      {"{\"cases\": [{\"seqno\": 0 \"wire\": \"82\"}]}",
       "f.json: invalid JSON at line 1, column 24: expected ',' or '}' after a member, found '\"'"},
      {R"({"cases": [{"seqno": 0, "wire": "82", "headers": [{"a": "\ud800"}]}]})",
       "f.json: invalid JSON at line 1, column 58: \\ud800 is a lone high surrogate"},
      {R"({"cases": [{"seqno": 0, "wire": "82", "headers": [{"a": "\udc7f"}]}]})",
       "f.json: invalid JSON at line 1, column 58: \\udc7f is a lone low surrogate outside "
       "\\udc80..\\udcff"},
      {"{\"cases\": [], \"cases\": []}", "f.json: invalid JSON at line 1, column 14: duplicate member \"cases\""},
      {"{\"cases\": []} x",
       "f.json: invalid JSON at line 1, column 15: expected the end of input after the story, "
       "found 'x'"},
      {"{\"cases\": [{\"seqno\": 01}]}", "f.json: invalid JSON at line 1, column 22: invalid number (leading 0)"},
      {"{\"cases\": [{\"seqno\": 0, \"wire\": \"82\", \"headers\": [{\"a\": \"\xff\"}]}]}",
       "f.json: invalid JSON at line 1, column 58: invalid UTF-8 in a string (write such octets "
       "as \\udcXX)"},
      {"[]", "f.json: expected a JSON object with \"cases\", got array"},
      {"{}", "f.json: missing \"cases\""},
      {R"({"cases": {}})", "f.json: field \"cases\": expected an array, got object"},
      {R"({"cases": [1]})", "f.json: case 0: expected an object, got number"},
      {R"({"cases": [{"seqno": 3, "wire": "abc"}]})",
       "f.json: case 0 (seqno 3): field \"wire\": odd number of hex digits (3)"},
      {R"({"cases": [{"seqno": 3, "wire": "zz"}]})",
       "f.json: case 0 (seqno 3): field \"wire\": non-hex character 'z' at position 0"},
      {R"({"cases": [{"seqno": 0, "wire": 12}]})",
       "f.json: case 0 (seqno 0): field \"wire\": expected a hex string, got number"},
      {R"({"cases": [{"seqno": "0", "headers": []}]})",
       "f.json: case 0: field \"seqno\": expected an integer, got string"},
      {R"({"cases": [{"seqno": 0}, {"seqno": 1, "headers": [["a", "b"]]}]})",
       "f.json: case 0 (seqno 0): needs \"headers\" or \"wire\" (or \"error\" with \"wire\")"},
      {R"({"cases": [{"seqno": 1, "headers": [["a", "b"]]}]})",
       "f.json: case 0 (seqno 1): field \"headers\": header 0: expected an object with one "
       "member {\"name\": \"value\"}, got array"},
      {R"({"cases": [{"seqno": 1, "headers": [{"a": "b", "c": "d"}]}]})",
       "f.json: case 0 (seqno 1): field \"headers\": header 0: expected an object with one "
       "member {\"name\": \"value\"}, got an object with 2 members"},
      {R"({"cases": [{"seqno": 1, "headers": [{"a": 5}]}]})",
       "f.json: case 0 (seqno 1): field \"headers\": header 0 (\"a\"): value must be a "
       "string, got number"},
      {R"({"cases": [{"seqno": 1, "headers": {}}]})",
       "f.json: case 0 (seqno 1): field \"headers\": expected an array, got object"},
      {R"({"cases": [{"seqno": 1, "header_table_size": -1, "headers": []}]})",
       "f.json: case 0 (seqno 1): field \"header_table_size\": expected an integer in "
       "0..4294967295"},
      {R"({"cases": [{"seqno": 1, "error": "index_zero"}]})",
       "f.json: case 0 (seqno 1): field \"error\": a negative case needs \"wire\""},
      {R"({"cases": [], "description": 5})",
       "f.json: field \"description\": expected a string, got number"},
  };
  for (const BadInput& b : cases) {
    absl::StatusOr<Story> s = ParseStory(b.json, "f.json");
    ASSERT_FALSE(s.ok()) << b.json;
    EXPECT_EQ(std::string(s.status().message()), std::string(b.error)) << b.json;
  }
}

TEST(Story, DeepNestingIsAnErrorNotACrash) {
  const std::string deep = "{\"cases\": [], \"x\": " + std::string(100000, '[') +
                           std::string(100000, ']') + "}";
  absl::StatusOr<Story> s = ParseStory(deep, "deep.json");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "deep.json: JSON nested deeper than 64 levels");
}

TEST(Story, NoncharacterU_FDD0InTextSurvivesRoundTrips) {
  // U+FDD0 is the marker json_bytes uses internally; as real text it must stay itself.
  const std::string text =
      "{\"cases\": [{\"seqno\": 0, \"wire\": \"80\", \"error\": \"x\xef\xb7\x90\"}], "
      "\"k\xef\xb7\x90\": 1, \"description\": \"a\xef\xb7\x90\xc3\xa9\"}";
  absl::StatusOr<Story> s = ParseStory(text, "m.json");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->description, "a\xef\xb7\x90\xc3\xa9");
  EXPECT_EQ(*s->cases[0].error, "x\xef\xb7\x90");
  EXPECT_EQ(s->extra[0].first, "k\xef\xb7\x90");
  const std::string once = SerializeStory(*s);
  absl::StatusOr<Story> again = ParseStory(once, "m.json");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(SerializeStory(*again), once);
}

// Published corpora write "header_table_size": null: null means absent, for every optional
// member.
TEST(Story, NullMembersAreAbsent) {
  absl::StatusOr<Story> s = ParseStory(R"({
    "context" : "request",
    "cases" : [ {"wire" : "82", "seqno" : null, "headers" : [{":method" : "GET"}],
                 "header_table_size" : null, "error": null, "never_indexed": null},
                {"seqno": 1, "wire": null, "headers": []} ],
    "description": null, "rests_on": null, "draft": null})",
                                       "pub.json");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_FALSE(s->cases[0].header_table_size.has_value());
  EXPECT_EQ(s->cases[0].seqno, 0);
  EXPECT_FALSE(s->cases[0].error.has_value());
  EXPECT_FALSE(s->cases[0].never_indexed_listed);
  EXPECT_FALSE(s->cases[1].wire.has_value());
  EXPECT_EQ(s->description, "");
  EXPECT_FALSE(s->rests_on.has_value());
  ASSERT_EQ(s->extra.size(), 1u);  // "context"; the null "draft" is absent
  EXPECT_EQ(s->extra[0].first, "context");
}

TEST(Story, NeverIndexedAndRestsOnRoundTrip) {
  absl::StatusOr<Story> s = ParseStory(R"({"cases": [
      {"seqno": 0, "wire": "82", "headers": [{"a": "1"}, {"b": "2"}, {"c": "3"}],
       "never_indexed": [2, 0]},
      {"seqno": 1, "wire": "82", "headers": [{"a": "1"}], "never_indexed": []}],
    "rests_on": {"requirement": "must_accept_large_limits", "rfc": "RFC 7541 §5.1",
                 "text": "Integer encodings ...", "limits": "5 continuation octets"}})",
                                       "n.json");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_TRUE((*s->cases[0].headers)[0].never_indexed);
  EXPECT_FALSE((*s->cases[0].headers)[1].never_indexed);
  EXPECT_TRUE((*s->cases[0].headers)[2].never_indexed);
  EXPECT_TRUE(s->cases[1].never_indexed_listed);
  ASSERT_TRUE(s->rests_on.has_value());
  EXPECT_EQ(s->rests_on->requirement, Requirement::kMustAcceptLargeLimits);
  EXPECT_EQ(s->rests_on->rfc, "RFC 7541 \xc2\xa7" "5.1");
  EXPECT_EQ(s->rests_on->limits, "5 continuation octets");
  const std::string text = SerializeStory(*s);
  EXPECT_NE(text.find("\"never_indexed\": [0, 2]"), std::string::npos) << text;
  EXPECT_NE(text.find("\"never_indexed\": []"), std::string::npos) << text;
  for (const std::string& t : {text, SerializeStoryLine(*s)}) {
    absl::StatusOr<Story> back = ParseStory(t, "n.json");
    ASSERT_TRUE(back.ok()) << back.status() << "\n" << t;
    EXPECT_EQ(SerializeStory(*back), text);
  }
  EXPECT_EQ(SerializeStoryLine(*s).find('\n'), std::string::npos);
}

TEST(Story, ExtensionErrorsNameTheField) {
  const BadInput cases[] = {
      {R"({"cases": [{"seqno": 0, "wire": "82", "headers": [{"a": "1"}], "never_indexed": [1]}]})",
       "f.json: case 0 (seqno 0): field \"never_indexed\": expected indices into \"headers\" "
       "(0..1), got 1"},
      {R"({"cases": [{"seqno": 0, "wire": "82", "never_indexed": [0]}]})",
       "f.json: case 0 (seqno 0): field \"never_indexed\": needs \"headers\""},
      {R"({"cases": [], "rests_on": {"requirement": "should_accept"}})",
       "f.json: field \"rests_on\": \"requirement\" must be one of must_accept, "
       "must_accept_large_limits, must_reject, may_reject"},
  };
  for (const BadInput& b : cases) {
    absl::StatusOr<Story> s = ParseStory(b.json, "f.json");
    ASSERT_FALSE(s.ok()) << b.json;
    EXPECT_EQ(std::string(s.status().message()), std::string(b.error)) << b.json;
  }
}

TEST(Story, RelativeOutputPathsKeepDirectories) {
  EXPECT_EQ(RelativeOutputPaths({"/c/s/a/story_00.json", "/c/s/b/story_00.json"}),
            (std::vector<std::string>{"a/story_00.json", "b/story_00.json"}));
  EXPECT_EQ(RelativeOutputPaths({"/c/s/raw/story_00.json", "/c/s/raw/story_01.json"}),
            (std::vector<std::string>{"story_00.json", "story_01.json"}));
  EXPECT_EQ(RelativeOutputPaths({"/c/s/raw/x/story_00.json", "/c/s/raw/story_01.json"}),
            (std::vector<std::string>{"x/story_00.json", "story_01.json"}));
}

TEST(Story, MissingFileIsNotFound) {
  absl::StatusOr<Story> s = LoadStory("/nonexistent/x.json");
  EXPECT_EQ(s.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(s.status().message(), "/nonexistent/x.json: cannot open");
}

}  // namespace
}  // namespace conformance
