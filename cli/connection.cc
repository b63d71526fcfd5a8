#include "cli/connection.h"

#include <chrono>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "cli/audit_verifier.h"
#include "gavel/v1/admin_service.grpc.pb.h"
#include "gavel/v1/audit_service.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/channel_arguments.h"

namespace gavel::cli {
namespace {

// The contents of the PEM file at `path`; "" when no file is named.
absl::StatusOr<std::string> ReadPem(const std::string& path) {
  if (path.empty()) return std::string();
  return ReadWholeFile(path);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Connection>> Connection::Create(
    const ConnectionOptions& options) {
  // In this order, as the error a run reports is the first unreadable one.
  absl::StatusOr<std::string> ca_cert = ReadPem(options.ca_cert_file);
  if (!ca_cert.ok()) return ca_cert.status();
  absl::StatusOr<std::string> client_cert = ReadPem(options.client_cert_file);
  if (!client_cert.ok()) return client_cert.status();
  absl::StatusOr<std::string> client_key = ReadPem(options.client_key_file);
  if (!client_key.ok()) return client_key.status();
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = *std::move(ca_cert);
  ssl.pem_cert_chain = *std::move(client_cert);
  ssl.pem_private_key = *std::move(client_key);
  std::shared_ptr<grpc::Channel> channel;
  if (ssl.pem_root_certs.empty() && ssl.pem_cert_chain.empty()) {
    channel = grpc::CreateChannel(options.address,
                                  grpc::InsecureChannelCredentials());
  } else {
    grpc::ChannelArguments args;
    if (!options.tls_server_name.empty()) {
      args.SetSslTargetNameOverride(options.tls_server_name);
    }
    channel = grpc::CreateCustomChannel(options.address,
                                        grpc::SslCredentials(ssl), args);
  }
  return std::unique_ptr<Connection>(
      new Connection(options, std::move(channel)));
}

Connection::Connection(ConnectionOptions options,
                       std::shared_ptr<grpc::Channel> channel)
    : options_(std::move(options)), channel_(std::move(channel)) {}

std::unique_ptr<grpc::ClientContext> Connection::NewCallContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::milliseconds(
                            static_cast<int64_t>(options_.timeout_s * 1000)));
  if (!options_.token.empty()) {
    context->AddMetadata("authorization",
                         absl::StrCat("Bearer ", options_.token));
  }
  return context;
}

std::unique_ptr<grpc::ClientContext> Connection::NewStreamContext() const {
  std::unique_ptr<grpc::ClientContext> context = NewCallContext();
  context->set_deadline(std::chrono::system_clock::time_point::max());
  return context;
}

UnaryReply Connection::CallUnary(absl::string_view method,
                                 const std::string& request) const {
  grpc::GenericStub stub(channel_);
  grpc::Slice slice(request);
  grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer response;
  std::unique_ptr<grpc::ClientContext> context = NewCallContext();
  UnaryReply reply;
  // Written by the callback before Notify(), read after the wait.
  absl::Notification done;
  stub.UnaryCall(context.get(), std::string(method), grpc::StubOptions(),
                 &request_buffer, &response, [&](grpc::Status status) {
                   reply.status = std::move(status);
                   done.Notify();
                 });
  done.WaitForNotification();
  if (!reply.status.ok()) return reply;
  std::vector<grpc::Slice> slices;
  (void)response.Dump(&slices);
  for (const grpc::Slice& part : slices) {
    reply.bytes.append(reinterpret_cast<const char*>(part.begin()),
                       part.size());
  }
  return reply;
}

Answer<gavel::v1::GetStatusReply> Connection::GetStatus() const {
  Answer<gavel::v1::GetStatusReply> answer;
  answer.status = gavel::v1::AdminService::NewStub(channel_)->GetStatus(
      NewCallContext().get(), {}, &answer.reply);
  return answer;
}

Answer<gavel::v1::GetCheckpointReply> Connection::GetCheckpoint() const {
  Answer<gavel::v1::GetCheckpointReply> answer;
  answer.status = gavel::v1::AuditService::NewStub(channel_)->GetCheckpoint(
      NewCallContext().get(), {}, &answer.reply);
  return answer;
}

}  // namespace gavel::cli
