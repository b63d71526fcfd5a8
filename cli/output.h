// How the CLI reports: a failed call or a local error on stderr with the
// exit code it ends the run with, a reply as JSON, and the few values
// (money, tree roots) several verbs print the same way.
//
//   exit code := 0 success | 1 the operation failed (a rejected call, a
//                proof that does not verify) | 2 unusable input (usage,
//                an unreadable file, a malformed argument)
#ifndef GAVEL_CLI_OUTPUT_H_
#define GAVEL_CLI_OUTPUT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "gavel/v1/events.pb.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/status.h"
#include "transparency/rfc9162.h"

namespace gavel::cli {

// Prints a failed call to stderr as "error: CODE CODE_NAME REASON: message"
// (the reason when the server gave one other than the code's name) plus a
// hint (for UNAVAILABLE, naming `address`), and returns the exit code, 1.
int FailRpc(const grpc::Status& status, absl::string_view address);

// Prints a local (non-RPC) failure to stderr as "error: STATUS" and returns
// `exit_code`.
int FailLocal(const absl::Status& status, int exit_code);

// Prints `message` to stdout as one line of proto3 JSON, with proto field
// names and every primitive field, defaults included.
void PrintJson(const google::protobuf::Message& message);

// "EUR 1234.56"; "-" when the amount has no currency.
std::string MoneyText(const gavel::v1::Money& money);

// A tree root as checkpoints print it: standard base64.
std::string RootBase64(const rfc9162::Hash& root);

}  // namespace gavel::cli

#endif  // GAVEL_CLI_OUTPUT_H_
