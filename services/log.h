// Gavel's logging facade (Abseil 20220623 has no logging library): one
// structured line per notable event on stderr, as logfmt
// (`ts=... level=info event=server_started listen=127.0.0.1:50051`) or, after
// SetLogFormat(LogFormat::kJson), as one JSON object per line. Never pass
// secrets (tokens, keys) as fields. Thread-safe.
#ifndef GAVEL_SERVICES_LOG_H_
#define GAVEL_SERVICES_LOG_H_

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace gavel::services {

enum class LogFormat { kText, kJson };

// Chooses the format of every later line; call once, from main().
void SetLogFormat(LogFormat format);

using LogFields =
    std::initializer_list<std::pair<absl::string_view, std::string>>;

// Writes one line: `event` names what happened; `fields` add detail.
void LogInfo(absl::string_view event, LogFields fields = {});
void LogWarning(absl::string_view event, LogFields fields = {});
void LogError(absl::string_view event, LogFields fields = {});

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_LOG_H_
