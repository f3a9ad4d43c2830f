// The probe's case table: RFC 9113 (frames, streams, HTTP semantics, TLS), RFC 7541 through
// the story corpus' edge and negative blocks, and the RFC 7540 priority profile.
#ifndef H2HARNESS_CONFORMANCE_PROBE_CASES_H_
#define H2HARNESS_CONFORMANCE_PROBE_CASES_H_

#include <functional>
#include <string>
#include <vector>

#include "conformance/probe/case.h"

namespace probe {

// Every case. `stories_dir` holds the story corpus (edge/ and negative/); "" leaves out
// the RFC 7541 story cases.
std::vector<Case> AllCases(const std::string& stories_dir);

// One group each (cases_*.cc).
void AddFrameLayerCases(std::vector<Case>* cases);   // §3 - §7
void AddHttpCases(std::vector<Case>* cases);         // §8, §9.1
void AddTlsCases(std::vector<Case>* cases);          // §3.2, §9.2
void AddPriorityCases(std::vector<Case>* cases);     // RFC 7540 §5.3 profile, RFC 9218
void AddHpackCases(const std::string& stories_dir, std::vector<Case>* cases);  // RFC 7541

namespace internal {
// Appends a case and returns it for further settings.
Case& Add(std::vector<Case>* cases, std::string id, Level level, std::string requirement,
          std::string sends, Expectation expect, std::function<void(Exchange&)> run);
// An HPACK literal field without indexing, name and value as raw octets (RFC 7541 §6.2.2):
// it changes no table, so hand-made blocks stay in step with the connection's encoder.
std::string LiteralField(const std::string& name, const std::string& value);
// A request block of such literals (:method GET, :scheme, :authority, :path + extra).
std::string LiteralRequestBlock(const Exchange& ex, const hpack::HeaderList& extra = {});
}  // namespace internal

}  // namespace probe

#endif  // H2HARNESS_CONFORMANCE_PROBE_CASES_H_
