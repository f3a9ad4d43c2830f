#include <string>

#include "conformance/probe/cases.h"
#include "hpack/integer.h"

namespace probe {
namespace internal {

Case& Add(std::vector<Case>* cases, std::string id, Level level, std::string requirement,
          std::string sends, Expectation expect, std::function<void(Exchange&)> run) {
  Case c;
  c.id = std::move(id);
  c.level = level;
  c.requirement = std::move(requirement);
  c.sends = std::move(sends);
  c.expect = std::move(expect);
  c.run = std::move(run);
  cases->push_back(std::move(c));
  return cases->back();
}

namespace {
void AppendString(std::string* out, const std::string& s) {
  char buf[16];
  char* end = hpack::EncodeIntegerTo(buf, s.size(), 7, 0x00);  // H = 0: raw octets
  out->append(buf, end - buf);
  out->append(s);
}
}  // namespace

std::string LiteralField(const std::string& name, const std::string& value) {
  std::string out(1, '\0');  // §6.2.2 with a literal name: 0000 0000
  AppendString(&out, name);
  AppendString(&out, value);
  return out;
}

std::string LiteralRequestBlock(const Exchange& ex, const hpack::HeaderList& extra) {
  std::string block;
  for (const hpack::HeaderField& f : ex.Request("GET", extra)) block += LiteralField(f.name, f.value);
  return block;
}

}  // namespace internal

std::vector<Case> AllCases(const std::string& stories_dir) {
  std::vector<Case> cases;
  AddFrameLayerCases(&cases);
  AddHttpCases(&cases);
  AddTlsCases(&cases);
  AddPriorityCases(&cases);
  if (!stories_dir.empty()) AddHpackCases(stories_dir, &cases);
  return cases;
}

}  // namespace probe
