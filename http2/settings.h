// SETTINGS parameters (RFC 9113 §6.5.2, RFC 8441 §3, RFC 9218 §2.1): identifiers, the
// values in force for one endpoint, and the range check each value must pass.
#ifndef H2HARNESS_HTTP2_SETTINGS_H_
#define H2HARNESS_HTTP2_SETTINGS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "http2/error_code.h"

namespace http2 {

enum SettingId : uint16_t {
  kSettingsHeaderTableSize = 0x1,
  kSettingsEnablePush = 0x2,
  kSettingsMaxConcurrentStreams = 0x3,
  kSettingsInitialWindowSize = 0x4,
  kSettingsMaxFrameSize = 0x5,
  kSettingsMaxHeaderListSize = 0x6,
  kSettingsEnableConnectProtocol = 0x8,  // RFC 8441 §3
  kSettingsNoRfc7540Priorities = 0x9,    // RFC 9218 §2.1
};

// One entry of a SETTINGS frame (§6.5.1). `id` may be any value: unknown ones are ignored.
struct Setting {
  uint16_t id = 0;
  uint32_t value = 0;
  friend bool operator==(const Setting& a, const Setting& b) {
    return a.id == b.id && a.value == b.value;
  }
};

// Initial values (§6.5.2) and bounds.
inline constexpr uint32_t kDefaultHeaderTableSize = 4096;
inline constexpr uint32_t kDefaultInitialWindowSize = 65535;  // also the connection window
inline constexpr uint32_t kMaxWindowSize = 0x7fffffff;        // 2^31-1
inline constexpr uint32_t kDefaultMaxFrameSize = 16384;       // 2^14, the minimum
inline constexpr uint32_t kMaxMaxFrameSize = 16777215;        // 2^24-1
inline constexpr uint32_t kUnlimited = 0xffffffff;            // "no limit" initial values

// "SETTINGS_MAX_FRAME_SIZE", or "0x1234" for unknown identifiers.
std::string SettingName(uint16_t id);

// Error::kNone if `value` is allowed for `id` (unknown ids always are), else the error:
// kInvalidSettingValue (ENABLE_PUSH, ENABLE_CONNECT_PROTOCOL, NO_RFC7540_PRIORITIES not 0/1;
// MAX_FRAME_SIZE outside [2^14, 2^24-1]) or kInitialWindowTooLarge. Role-specific rules
// (a server's ENABLE_PUSH=1) are the session's.
Error ValidateSetting(const Setting& setting);

// The settings one endpoint has in force, starting at the RFC's initial values.
struct Settings {
  uint32_t header_table_size = kDefaultHeaderTableSize;
  uint32_t enable_push = 1;
  uint32_t max_concurrent_streams = kUnlimited;
  uint32_t initial_window_size = kDefaultInitialWindowSize;
  uint32_t max_frame_size = kDefaultMaxFrameSize;
  uint32_t max_header_list_size = kUnlimited;
  uint32_t enable_connect_protocol = 0;
  uint32_t no_rfc7540_priorities = 0;

  // Sets the known parameter `s.id` (no validation); returns false for unknown ids.
  bool Apply(const Setting& s);
};

}  // namespace http2

#endif  // H2HARNESS_HTTP2_SETTINGS_H_
