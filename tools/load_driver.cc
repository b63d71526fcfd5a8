#include "tools/load_driver.h"

#include <algorithm>
#include <atomic>
#include <random>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gavel/v1/admin_service.grpc.pb.h"
#include "gavel/v1/errors.pb.h"
#include "gavel/v1/governance_service.pb.h"
#include "gavel/v1/initiative_service.pb.h"
#include "gavel/v1/strategy_service.pb.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/channel_arguments.h"

namespace gavel::tools {
namespace {

constexpr char kPingMethod[] = "/gavel.v1.AdminService/Ping";

void AppendVarint(uint64_t value, std::string& out) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

// A length-delimited field `number` holding `bytes`.
void AppendField(int number, const std::string& bytes, std::string& out) {
  AppendVarint((static_cast<uint64_t>(number) << 3) | 2, out);
  AppendVarint(bytes.size(), out);
  out.append(bytes);
}

grpc::ByteBuffer ToByteBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

const google::protobuf::FieldDescriptor* CommandField(
    const gavel::v1::Command& command) {
  return gavel::v1::Command::descriptor()->FindFieldByNumber(
      command.command_case());
}

std::unique_ptr<grpc::ClientContext> NewContext(const LoadActor& actor,
                                                absl::Duration timeout) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  if (!actor.token.empty()) {
    context->AddMetadata("authorization", absl::StrCat("Bearer ", actor.token));
  }
  return context;
}

// Codes the domain (or the idempotency check) answers with; anything else
// is a transport or server error.
bool IsRejection(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::OUT_OF_RANGE:
      return true;
    default:
      return false;
  }
}

}  // namespace

absl::Duration Quantile(const std::vector<absl::Duration>& latencies,
                        double q) {
  if (latencies.empty()) return absl::ZeroDuration();
  const size_t rank = static_cast<size_t>(q * (latencies.size() - 1) + 0.5);
  return latencies[std::min(rank, latencies.size() - 1)];
}

std::string ReasonOf(const grpc::Status& status) {
  gavel::v1::ErrorStatus details;
  if (!status.error_details().empty() &&
      details.ParseFromString(status.error_details())) {
    for (const google::protobuf::Any& any : details.details()) {
      if (any.type_url() == "type.googleapis.com/google.rpc.ErrorInfo") {
        gavel::v1::ErrorInfo info;
        if (info.ParseFromString(any.value()) && !info.reason().empty()) {
          return info.reason();
        }
      }
    }
  }
  return absl::StatusCodeToString(
      static_cast<absl::StatusCode>(status.error_code()));
}

// What every client of one run shares.
struct LoadDriver::Shared {
  absl::Mutex workload_mu;
  LoadWorkload* workload ABSL_GUARDED_BY(workload_mu) = nullptr;
  std::atomic<int64_t> issued{0};
  int64_t count = 0;
  absl::Time deadline;
  bool ping = false;
  std::string id_prefix;
  absl::Mutex running_mu;
  int running ABSL_GUARDED_BY(running_mu) = 0;
};

// One closed-loop client: a call in flight at a time, the next started from
// the completion callback. Thread-compatible: its callbacks never overlap.
class LoadDriver::Client {
 public:
  Client(LoadDriver* driver, Shared* shared, grpc::GenericStub* stub, int id,
         uint64_t seed)
      : driver_(driver), shared_(shared), stub_(stub), id_(id), rng_(seed) {}

  void Issue() {
    if ((shared_->count > 0 &&
         shared_->issued.fetch_add(1) >= shared_->count) ||
        (shared_->count == 0 && absl::Now() >= shared_->deadline)) {
      Stop();
      return;
    }
    const std::string* method;
    const LoadActor* actor = &driver_->actors_[0];
    if (shared_->ping) {
      static const std::string* const kPing = new std::string(kPingMethod);
      method = kPing;
      request_ = ToByteBuffer(std::string());
    } else {
      std::optional<WorkloadStep> step;
      {
        absl::MutexLock lock(&shared_->workload_mu);
        step = shared_->workload->Next(rng_);
      }
      if (!step.has_value()) {
        Stop();
        return;
      }
      step_ = *std::move(step);
      actor = &driver_->actors_[std::min<size_t>(step_.actor,
                                                 driver_->actors_.size() - 1)];
      method = &driver_->MethodOf(step_.command);
      request_ = ToByteBuffer(driver_->RequestBytes(
          step_.command,
          absl::StrCat(shared_->id_prefix, "-", id_, "-", ++sent_)));
    }
    context_ = NewContext(*actor, driver_->options_.call_timeout);
    response_.Clear();
    started_ = absl::Now();
    stub_->UnaryCall(context_.get(), *method, grpc::StubOptions(), &request_,
                     &response_,
                     [this](grpc::Status status) { OnDone(status); });
  }

  LoadRunResult& result() { return result_; }

 private:
  void OnDone(const grpc::Status& status) {
    result_.latencies.push_back(absl::Now() - started_);
    ++result_.calls;
    LoadWorkload::Outcome outcome = LoadWorkload::Outcome::kAccepted;
    if (status.ok()) {
      ++result_.accepted;
      if (!shared_->ping) {
        ++result_.accepted_by_command[CommandField(step_.command)->name()];
      }
    } else if (IsRejection(status.error_code())) {
      ++result_.rejected[ReasonOf(status)];
      outcome = status.error_code() == grpc::StatusCode::ALREADY_EXISTS
                    ? LoadWorkload::Outcome::kAlreadyDone
                    : LoadWorkload::Outcome::kRejected;
    } else {
      ++result_.errors[absl::StatusCodeToString(
          static_cast<absl::StatusCode>(status.error_code()))];
      outcome = LoadWorkload::Outcome::kRejected;
    }
    if (!shared_->ping) {
      absl::MutexLock lock(&shared_->workload_mu);
      shared_->workload->Finish(step_, outcome);
    }
    Issue();
  }

  void Stop() {
    absl::MutexLock lock(&shared_->running_mu);
    --shared_->running;
  }

  LoadDriver* const driver_;
  Shared* const shared_;
  grpc::GenericStub* const stub_;
  const int id_;
  std::mt19937_64 rng_;
  int64_t sent_ = 0;
  WorkloadStep step_;
  std::unique_ptr<grpc::ClientContext> context_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  absl::Time started_;
  LoadRunResult result_;
};

LoadDriver::LoadDriver(const LoadDriverOptions& options,
                       std::vector<LoadActor> actors)
    : options_(options), actors_(std::move(actors)) {
  for (int i = 0; i < std::max(1, options_.channels); ++i) {
    grpc::ChannelArguments args;
    // Separate connections, not one shared subchannel.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetInt("gavel.loadgen_channel", i);
    args.SetMaxReceiveMessageSize(64 << 20);
    channels_.push_back(grpc::CreateCustomChannel(
        options_.address, grpc::InsecureChannelCredentials(), args));
  }
  // Every command RPC takes a request {options = 1, command = 2}.
  for (const google::protobuf::FileDescriptor* file :
       {gavel::v1::DefineObjectiveRequest::descriptor()->file(),
        gavel::v1::CharterBoardRequest::descriptor()->file(),
        gavel::v1::SubmitInitiativeRequest::descriptor()->file()}) {
    for (int s = 0; s < file->service_count(); ++s) {
      const google::protobuf::ServiceDescriptor* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        const google::protobuf::MethodDescriptor* method = service->method(m);
        const google::protobuf::FieldDescriptor* command =
            method->input_type()->FindFieldByName("command");
        if (command == nullptr || command->message_type() == nullptr) continue;
        methods_[command->message_type()->full_name()] =
            absl::StrCat("/", service->full_name(), "/", method->name());
      }
    }
  }
}

LoadDriver::~LoadDriver() = default;

const std::string& LoadDriver::MethodOf(
    const gavel::v1::Command& command) const {
  static const std::string* const kNone = new std::string("/unknown");
  const google::protobuf::FieldDescriptor* field = CommandField(command);
  if (field == nullptr) return *kNone;
  auto it = methods_.find(field->message_type()->full_name());
  return it == methods_.end() ? *kNone : it->second;
}

std::string LoadDriver::RequestBytes(const gavel::v1::Command& command,
                                     const std::string& command_id) const {
  gavel::v1::CommandOptions options;
  options.set_command_id(command_id);
  std::string bytes;
  AppendField(1, options.SerializeAsString(), bytes);
  if (const google::protobuf::FieldDescriptor* field = CommandField(command)) {
    AppendField(
        2,
        command.GetReflection()->GetMessage(command, field).SerializeAsString(),
        bytes);
  }
  return bytes;
}

absl::StatusOr<gavel::v1::GetStatusReply> LoadDriver::Status() {
  std::unique_ptr<gavel::v1::AdminService::Stub> stub =
      gavel::v1::AdminService::NewStub(channels_[0]);
  gavel::v1::GetStatusReply reply;
  std::unique_ptr<grpc::ClientContext> context =
      NewContext(actors_[0], options_.call_timeout);
  const grpc::Status status =
      stub->GetStatus(context.get(), gavel::v1::GetStatusRequest(), &reply);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        absl::StrCat("GetStatus: ", status.error_message()));
  }
  return reply;
}

std::vector<grpc::Status> LoadDriver::Send(
    const std::vector<WorkloadStep>& steps, const std::string& id_prefix) {
  grpc::GenericStub stub(channels_[0]);
  std::vector<grpc::Status> outcomes;
  for (size_t i = 0; i < steps.size(); ++i) {
    const WorkloadStep& step = steps[i];
    std::unique_ptr<grpc::ClientContext> context =
        NewContext(actors_[std::min<size_t>(step.actor, actors_.size() - 1)],
                   options_.call_timeout);
    grpc::ByteBuffer request = ToByteBuffer(
        RequestBytes(step.command, absl::StrCat(id_prefix, "-", i)));
    grpc::ByteBuffer response;
    absl::Notification done;
    grpc::Status outcome;
    stub.UnaryCall(context.get(), MethodOf(step.command), grpc::StubOptions(),
                   &request, &response, [&](grpc::Status status) {
                     outcome = std::move(status);
                     done.Notify();
                   });
    done.WaitForNotification();
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

LoadRunResult LoadDriver::Run(const LoadRunOptions& options,
                              LoadWorkload& workload,
                              const std::string& id_prefix) {
  Shared shared;
  {
    absl::MutexLock lock(&shared.workload_mu);
    shared.workload = &workload;
  }
  shared.count = options.count;
  shared.ping = options.ping;
  shared.id_prefix = id_prefix;
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
  for (const std::shared_ptr<grpc::Channel>& channel : channels_) {
    stubs.push_back(std::make_unique<grpc::GenericStub>(channel));
    // Connect before the clock starts.
    channel->WaitForConnected(
        absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  }
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < options.concurrency; ++i) {
    clients.push_back(std::make_unique<Client>(this, &shared,
                                               stubs[i % stubs.size()].get(), i,
                                               options.seed * 1000003 + i));
  }
  {
    absl::MutexLock lock(&shared.running_mu);
    shared.running = options.concurrency;
  }
  const absl::Time start = absl::Now();
  shared.deadline = start + options.duration;
  for (std::unique_ptr<Client>& client : clients) client->Issue();
  {
    absl::MutexLock lock(&shared.running_mu);
    auto finished = [&shared]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(
                        shared.running_mu) { return shared.running == 0; };
    shared.running_mu.Await(absl::Condition(&finished));
  }
  LoadRunResult total;
  total.elapsed = absl::Now() - start;
  for (std::unique_ptr<Client>& client : clients) {
    LoadRunResult& r = client->result();
    total.calls += r.calls;
    total.accepted += r.accepted;
    total.latencies.insert(total.latencies.end(), r.latencies.begin(),
                           r.latencies.end());
    for (const auto& [k, v] : r.rejected) total.rejected[k] += v;
    for (const auto& [k, v] : r.errors) total.errors[k] += v;
    for (const auto& [k, v] : r.accepted_by_command) {
      total.accepted_by_command[k] += v;
    }
  }
  std::sort(total.latencies.begin(), total.latencies.end());
  return total;
}

}  // namespace gavel::tools
