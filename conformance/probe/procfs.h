// Linux /proc lookups for local servers: which process listens on a port, which ports a
// process listens on, and its memory.
#ifndef H2HARNESS_CONFORMANCE_PROBE_PROCFS_H_
#define H2HARNESS_CONFORMANCE_PROBE_PROCFS_H_

#include <cstdint>
#include <vector>

namespace probe {

// The process listening on TCP `port` (IPv4 or IPv6), or -1 when none is visible.
int FindServerPid(uint16_t port);
// TCP ports `pid` listens on (sorted; empty when none or not visible).
std::vector<uint16_t> ListeningPorts(int pid);
// Resident set size of `pid` in KiB, or -1.
long RssKb(int pid);

}  // namespace probe

#endif  // H2HARNESS_CONFORMANCE_PROBE_PROCFS_H_
