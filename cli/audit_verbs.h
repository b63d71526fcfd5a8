// gavel audit ...: the log's signed checkpoints, checked against the
// auditor's trusted state, exported with every record into a bundle that
// verifies offline, and raw RFC 9162 proofs checked by hand. (The one
// decision proven record by record is cli/audit_decision.h.)
//
// Each verb takes the run's options and the words after its name, prints
// its result (JSON with options.json where a verb has it) and returns the
// exit code (cli/output.h): 0 verified, 1 not verified or a failed call, 2
// unusable input (a missing or malformed argument, an unreadable key).
#ifndef GAVEL_CLI_AUDIT_VERBS_H_
#define GAVEL_CLI_AUDIT_VERBS_H_

#include <string>

#include "absl/types/span.h"
#include "cli/cli_options.h"

namespace gavel::cli {

// gavel audit checkpoint [--key=FILE]: prints the latest signed checkpoint;
// with a key, verifies its signature (1 if it does not verify).
int AuditCheckpoint(const CliOptions& options,
                    absl::Span<const std::string> args);

// gavel audit verify --state=FILE --key=FILE [--replay=false]: accepts the
// latest checkpoint only if it extends the trusted one in FILE (trust on
// first use) and, with replay, the roots recomputed from every record
// match both; then saves it to FILE. 1 (FILE unchanged) otherwise.
int AuditVerify(const CliOptions& options, absl::Span<const std::string> args);

// gavel audit export --out=DIR [--key=FILE]: writes the records and the
// latest signed checkpoint into DIR (cli/audit_export.h), failing (1) if
// the records do not hash to the signed root.
int AuditExport(const CliOptions& options, absl::Span<const std::string> args);

// gavel audit verify-export DIR --key=FILE: verifies a bundle offline, then
// prints the decision history in it. No server.
int AuditVerifyExport(const CliOptions& options,
                      absl::Span<const std::string> args);

// gavel audit verify-inclusion --index=N --size=N --leaf_hash=H --root=R
// --proof=P1,...: checks a raw RFC 9162 inclusion proof. No server.
int AuditVerifyInclusion(const CliOptions& options,
                         absl::Span<const std::string> args);

// gavel audit verify-consistency --size1=N --size2=N --root1=R --root2=R
// --proof=P1,...: checks a raw RFC 9162 consistency proof. No server.
int AuditVerifyConsistency(const CliOptions& options,
                           absl::Span<const std::string> args);

}  // namespace gavel::cli

#endif  // GAVEL_CLI_AUDIT_VERBS_H_
