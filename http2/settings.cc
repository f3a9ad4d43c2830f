#include "http2/settings.h"

#include "absl/strings/str_format.h"

namespace http2 {

std::string SettingName(uint16_t id) {
  switch (id) {
    case kSettingsHeaderTableSize:
      return "SETTINGS_HEADER_TABLE_SIZE";
    case kSettingsEnablePush:
      return "SETTINGS_ENABLE_PUSH";
    case kSettingsMaxConcurrentStreams:
      return "SETTINGS_MAX_CONCURRENT_STREAMS";
    case kSettingsInitialWindowSize:
      return "SETTINGS_INITIAL_WINDOW_SIZE";
    case kSettingsMaxFrameSize:
      return "SETTINGS_MAX_FRAME_SIZE";
    case kSettingsMaxHeaderListSize:
      return "SETTINGS_MAX_HEADER_LIST_SIZE";
    case kSettingsEnableConnectProtocol:
      return "SETTINGS_ENABLE_CONNECT_PROTOCOL";
    case kSettingsNoRfc7540Priorities:
      return "SETTINGS_NO_RFC7540_PRIORITIES";
  }
  return absl::StrFormat("0x%x", id);
}

Error ValidateSetting(const Setting& s) {
  switch (s.id) {
    case kSettingsEnablePush:
    case kSettingsEnableConnectProtocol:
    case kSettingsNoRfc7540Priorities:
      return s.value <= 1 ? Error::kNone : Error::kInvalidSettingValue;
    case kSettingsInitialWindowSize:
      return s.value <= kMaxWindowSize ? Error::kNone : Error::kInitialWindowTooLarge;
    case kSettingsMaxFrameSize:
      return s.value >= kDefaultMaxFrameSize && s.value <= kMaxMaxFrameSize
                 ? Error::kNone
                 : Error::kInvalidSettingValue;
  }
  return Error::kNone;
}

bool Settings::Apply(const Setting& s) {
  switch (s.id) {
    case kSettingsHeaderTableSize:
      header_table_size = s.value;
      return true;
    case kSettingsEnablePush:
      enable_push = s.value;
      return true;
    case kSettingsMaxConcurrentStreams:
      max_concurrent_streams = s.value;
      return true;
    case kSettingsInitialWindowSize:
      initial_window_size = s.value;
      return true;
    case kSettingsMaxFrameSize:
      max_frame_size = s.value;
      return true;
    case kSettingsMaxHeaderListSize:
      max_header_list_size = s.value;
      return true;
    case kSettingsEnableConnectProtocol:
      enable_connect_protocol = s.value;
      return true;
    case kSettingsNoRfc7540Priorities:
      no_rfc7540_priorities = s.value;
      return true;
  }
  return false;
}

}  // namespace http2
