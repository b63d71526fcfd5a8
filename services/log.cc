#include "services/log.h"

#include <atomic>
#include <cstdio>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace gavel::services {
namespace {

std::atomic<LogFormat> log_format{LogFormat::kText};

std::string JsonString(absl::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppend(&out, "\\u00", absl::Hex(c, absl::kZeroPad2));
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

std::string TextValue(absl::string_view s) {
  const bool plain = !s.empty() && s.find_first_of(" \"=\n\t") == s.npos;
  return plain ? std::string(s) : JsonString(s);
}

void Write(absl::string_view level, absl::string_view event, LogFields fields) {
  const std::string ts = absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::Now(),
                                          absl::UTCTimeZone());
  std::string line;
  if (log_format.load() == LogFormat::kJson) {
    absl::StrAppend(&line, "{\"ts\":", JsonString(ts),
                    ",\"level\":", JsonString(level),
                    ",\"event\":", JsonString(event));
    for (const auto& [key, value] : fields) {
      absl::StrAppend(&line, ",", JsonString(key), ":", JsonString(value));
    }
    line += "}\n";
  } else {
    absl::StrAppend(&line, "ts=", ts, " level=", level, " event=", event);
    for (const auto& [key, value] : fields) {
      absl::StrAppend(&line, " ", key, "=", TextValue(value));
    }
    line += "\n";
  }
  // One write per line keeps lines whole across threads.
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace

void SetLogFormat(LogFormat format) { log_format.store(format); }

void LogInfo(absl::string_view event, LogFields fields) {
  Write("info", event, fields);
}
void LogWarning(absl::string_view event, LogFields fields) {
  Write("warning", event, fields);
}
void LogError(absl::string_view event, LogFields fields) {
  Write("error", event, fields);
}

}  // namespace gavel::services
