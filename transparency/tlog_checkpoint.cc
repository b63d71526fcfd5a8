#include "transparency/tlog_checkpoint.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace gavel::note {

namespace {

constexpr absl::string_view kTimePrefix = "time ";
constexpr char kTimeFormat[] = "%Y-%m-%dT%H:%M:%SZ";

}  // namespace

std::string TimeExtension(absl::Time signed_at) {
  return absl::StrCat(kTimePrefix, absl::FormatTime(kTimeFormat, signed_at,
                                                    absl::UTCTimeZone()));
}

absl::StatusOr<std::optional<absl::Time>> SignedAt(
    const TlogCheckpoint& checkpoint) {
  for (const std::string& line : checkpoint.extensions) {
    absl::string_view text(line);
    if (!absl::ConsumePrefix(&text, kTimePrefix)) continue;
    absl::Time time;
    std::string error;
    if (!absl::ParseTime(kTimeFormat, text, absl::UTCTimeZone(), &time,
                         &error)) {
      return absl::InvalidArgumentError(
          absl::StrCat("checkpoint time \"", text, "\" does not parse"));
    }
    return time;
  }
  return std::nullopt;
}

std::string FormatCheckpoint(const TlogCheckpoint& checkpoint) {
  std::string body =
      absl::StrCat(checkpoint.origin, "\n", checkpoint.tree_size, "\n",
                   absl::Base64Escape(rfc9162::AsBytes(checkpoint.root)), "\n");
  for (const std::string& extension : checkpoint.extensions) {
    absl::StrAppend(&body, extension, "\n");
  }
  return body;
}

absl::StatusOr<TlogCheckpoint> ParseCheckpoint(absl::string_view body) {
  if (body.empty() || body.back() != '\n') {
    return absl::InvalidArgumentError("checkpoint does not end in a newline");
  }
  body.remove_suffix(1);
  std::vector<absl::string_view> lines = absl::StrSplit(body, '\n');
  if (lines.size() < 3) {
    return absl::InvalidArgumentError(
        "checkpoint needs an origin, a tree size and a root hash line");
  }
  TlogCheckpoint checkpoint;
  if (lines[0].empty()) {
    return absl::InvalidArgumentError("checkpoint origin is empty");
  }
  checkpoint.origin = std::string(lines[0]);
  const absl::string_view size = lines[1];
  if (size.empty() || size.size() > 20 ||
      !std::all_of(size.begin(), size.end(), absl::ascii_isdigit) ||
      (size.size() > 1 && size[0] == '0') ||
      !absl::SimpleAtoi(size, &checkpoint.tree_size)) {
    return absl::InvalidArgumentError(
        absl::StrCat("checkpoint tree size \"", size,
                     "\" is not a decimal number without leading zeros"));
  }
  std::string root;
  if (!absl::Base64Unescape(lines[2], &root) ||
      absl::Base64Escape(root) != lines[2]) {
    return absl::InvalidArgumentError("checkpoint root hash is not base64");
  }
  absl::StatusOr<rfc9162::Hash> hash = rfc9162::HashFromBytes(root);
  if (!hash.ok()) {
    return absl::InvalidArgumentError(
        "checkpoint root hash is not 32 bytes long");
  }
  checkpoint.root = *hash;
  for (size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) {
      return absl::InvalidArgumentError("checkpoint has an empty line");
    }
    checkpoint.extensions.emplace_back(lines[i]);
  }
  return checkpoint;
}

absl::StatusOr<TlogCheckpoint> VerifyCheckpoint(absl::string_view note,
                                                absl::string_view origin,
                                                const NoteVerifier& verifier) {
  absl::StatusOr<std::string> body = VerifyNote(note, verifier);
  if (!body.ok()) return body.status();
  absl::StatusOr<TlogCheckpoint> checkpoint = ParseCheckpoint(*body);
  if (!checkpoint.ok()) return checkpoint.status();
  if (checkpoint->origin != origin) {
    return absl::FailedPreconditionError(
        absl::StrCat("the checkpoint is for log \"", checkpoint->origin,
                     "\", not \"", origin, "\""));
  }
  return checkpoint;
}

}  // namespace gavel::note
