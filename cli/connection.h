// The CLI's connection to a Gavel server: one gRPC channel for a whole
// `gavel` run (plaintext, TLS or mutual TLS), and the per-call context that
// carries the bearer token and the deadline. Links only the gRPC client.
//
// A verb that talks to the server creates its one Connection after it has
// checked its own arguments and files, so those errors come first; the
// offline verbs (audit verify-export, admin restore, ...) create none, so a
// TLS setting they do not use (GAVEL_CA_CERT) never stops them.
#ifndef GAVEL_CLI_CONNECTION_H_
#define GAVEL_CLI_CONNECTION_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gavel/v1/admin_service.pb.h"
#include "gavel/v1/audit_service.pb.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace gavel::cli {

// Where and how to reach the server, with the environment's defaults
// already applied (GAVEL_ADDR, GAVEL_TOKEN, GAVEL_CA_CERT, ...; see
// cli/gavel_main.cc).
struct ConnectionOptions {
  // HOST:PORT.
  std::string address = "127.0.0.1:50051";
  // Sent as "authorization: Bearer <token>"; none when empty.
  std::string token;
  // PEM files; "" for none. TLS when the CA bundle or the client
  // certificate is not empty (mutual TLS with the client certificate and
  // key); plaintext otherwise.
  std::string ca_cert_file;
  std::string client_cert_file;
  std::string client_key_file;
  // The name the server's certificate must carry, when it differs from the
  // host in `address`; empty: the host.
  std::string tls_server_name;
  // The deadline of each unary call, in seconds.
  double timeout_s = 10;
};

// What CallUnary received: the call's status and, when it is OK, the
// serialized reply.
struct UnaryReply {
  grpc::Status status;
  std::string bytes;
};

// What a typed call received: its status and, when it is OK, the reply.
template <typename Reply>
struct Answer {
  grpc::Status status;
  Reply reply;
};

// One channel to the server and the contexts of the calls made on it.
// Thread-safe: constant after Create, and gRPC's channel and stubs are
// thread-safe (the CLI itself calls from one thread).
class Connection {
 public:
  // Reads the PEM files `options` names and creates the channel (it
  // connects on the first call, so an unreachable server shows as
  // UNAVAILABLE there, not here). NOT_FOUND or UNAVAILABLE naming the file
  // when a PEM file cannot be read.
  static absl::StatusOr<std::unique_ptr<Connection>> Create(
      const ConnectionOptions& options);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // The server address this connection dials (for hints in errors).
  const std::string& address() const { return options_.address; }

  // The channel every stub of this run shares.
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }

  // A context for one unary call: the token, and a deadline of
  // options.timeout_s from now.
  std::unique_ptr<grpc::ClientContext> NewCallContext() const;

  // A context for a long stream or copy: the token and no deadline (an
  // export of a large log takes as long as it takes; interrupt to stop).
  std::unique_ptr<grpc::ClientContext> NewStreamContext() const;

  // Calls `method` ("/package.Service/Method") with the serialized
  // `request` within a NewCallContext(), and blocks until it completes. The
  // reply's bytes are set only when its status is OK.
  UnaryReply CallUnary(absl::string_view method,
                       const std::string& request) const;

  // AdminService.GetStatus and AuditService.GetCheckpoint (the latest
  // signed checkpoint), the calls many verbs start with, each within a
  // NewCallContext().
  Answer<gavel::v1::GetStatusReply> GetStatus() const;
  Answer<gavel::v1::GetCheckpointReply> GetCheckpoint() const;

 private:
  Connection(ConnectionOptions options, std::shared_ptr<grpc::Channel> channel);

  const ConnectionOptions options_;
  const std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace gavel::cli

#endif  // GAVEL_CLI_CONNECTION_H_
