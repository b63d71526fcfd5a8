#include "cli/query_verbs.h"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "cli/connection.h"
#include "cli/decision_view.h"
#include "cli/metrics_table.h"
#include "cli/output.h"
#include "gavel/v1/portfolio_query_service.grpc.pb.h"
#include "google/protobuf/text_format.h"

namespace gavel::cli {
namespace {

// Fills the request's ReadOptions from --as_of and --min_position.
absl::Status SetReadOptions(const QueryOptions& query,
                            google::protobuf::Message& request) {
  const google::protobuf::FieldDescriptor* field =
      request.GetDescriptor()->FindFieldByName("read");
  if (field == nullptr) return absl::OkStatus();
  gavel::v1::ReadOptions& read =
      *google::protobuf::DynamicCastToGenerated<gavel::v1::ReadOptions>(
          request.GetReflection()->MutableMessage(&request, field));
  if (query.min_position > 0) read.set_min_position(query.min_position);
  const std::string& as_of = query.as_of;
  if (as_of.empty()) return absl::OkStatus();
  uint64_t position = 0;
  if (absl::SimpleAtoi(as_of, &position)) {
    read.set_as_of_position(position);
    return absl::OkStatus();
  }
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, as_of, &time, &error) &&
      !absl::ParseTime("%Y-%m-%d", as_of, absl::UTCTimeZone(), &time, &error)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--as_of: a position or a time (2026-03-31, RFC 3339): ", error));
  }
  read.mutable_as_of_time()->set_seconds(absl::ToUnixSeconds(time));
  return absl::OkStatus();
}

// The ranked portfolio as a table: rank is by priority tier, then weighted
// score, then age.
void PrintPortfolio(const gavel::v1::ListInitiativesReply& reply) {
  std::printf("%-5s %-8s %-22s %-34s %-6s %-12s %-7s %-16s %s\n", "RANK",
              "PRIORITY", "ID", "TITLE", "STAGE", "STATUS", "SCORE", "COST",
              "OBJECTIVE");
  for (const gavel::v1::InitiativeSummary& i : reply.initiatives()) {
    std::string status = gavel::v1::InitiativeStatus_Name(i.status());
    if (absl::StartsWith(status, "INITIATIVE_STATUS_"))
      status = status.substr(18);
    std::string priority = absl::AsciiStrToLower(
        gavel::v1::Priority_Name(i.priority()).substr(sizeof("PRIORITY_") - 1));
    if (i.priority() == gavel::v1::PRIORITY_UNSPECIFIED) priority = "-";
    std::printf(
        "%-5s %-8s %-22s %-34.34s %-6s %-12s %-7s %-16s %s\n",
        i.rank() > 0 ? absl::StrCat(i.rank()).c_str() : "-", priority.c_str(),
        i.initiative_id().c_str(), i.title().c_str(),
        i.stage().empty() ? "-" : i.stage().c_str(), status.c_str(),
        i.scored()
            ? absl::StrFormat("%.2f", i.weighted_score_bp() / 100.0).c_str()
            : "-",
        MoneyText(i.cost_estimate()).c_str(), i.primary_objective_id().c_str());
  }
  std::printf("%d initiatives (position %llu)\n", reply.initiatives_size(),
              static_cast<unsigned long long>(reply.read().position()));
}

}  // namespace

int RunQuery(const catalogue::Method& verb, const CliOptions& options,
             absl::Span<const std::string> args) {
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> request =
      NewRequest(verb);
  if (!request.ok()) return FailLocal(request.status(), 1);
  for (const std::string& arg : args) {
    const size_t eq = arg.find('=');
    absl::Status status =
        eq == std::string::npos
            ? (!verb.cli->positional().empty()
                   ? SetField(**request, verb.cli->positional(), arg)
                   : absl::InvalidArgumentError(
                         absl::StrCat("\"", arg, "\" is not field=value")))
            : SetField(**request, arg.substr(0, eq), arg.substr(eq + 1));
    if (!status.ok()) return FailLocal(status, 2);
  }
  if (absl::Status status = SetReadOptions(options.query, **request);
      !status.ok()) {
    return FailLocal(status, 2);
  }
  std::optional<absl::CivilDay> since;
  if (auto* metrics = google::protobuf::DynamicCastToGenerated<
          gavel::v1::GetGovernanceMetricsRequest>(request->get())) {
    if (const std::string& board = options.query.board; !board.empty()) {
      metrics->set_board_id(board);
    }
    if (const std::string& text = options.query.since; !text.empty()) {
      absl::CivilDay day;
      if (!absl::ParseCivilTime(text, &day)) {
        return FailLocal(
            absl::InvalidArgumentError("--since: a date such as 2025-01-01"),
            2);
      }
      since = day;
    }
  }
  absl::StatusOr<std::unique_ptr<Connection>> connection =
      Connection::Create(options.connection);
  if (!connection.ok()) return FailLocal(connection.status(), 2);
  const Connection& server = **connection;
  if (verb.descriptor->server_streaming()) {
    auto* export_request = google::protobuf::DynamicCastToGenerated<
        gavel::v1::ExportDecisionsRequest>(request->get());
    if (export_request->format() == gavel::v1::EXPORT_FORMAT_UNSPECIFIED) {
      export_request->set_format(gavel::v1::EXPORT_FORMAT_JSONL);
    }
    auto stub = gavel::v1::PortfolioQueryService::NewStub(server.channel());
    std::unique_ptr<grpc::ClientContext> context = server.NewStreamContext();
    auto reader = stub->ExportDecisions(context.get(), *export_request);
    gavel::v1::ExportDecisionsChunk chunk;
    while (reader->Read(&chunk)) {
      std::fwrite(chunk.data().data(), 1, chunk.data().size(), stdout);
    }
    grpc::Status status = reader->Finish();
    return status.ok() ? 0 : FailRpc(status, server.address());
  }
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> reply =
      NewReply(verb);
  if (!reply.ok()) return FailLocal(reply.status(), 1);
  const google::protobuf::FieldDescriptor* token_in =
      (*request)->GetDescriptor()->FindFieldByName("page_token");
  const google::protobuf::FieldDescriptor* token_out =
      (*reply)->GetDescriptor()->FindFieldByName("next_page_token");
  while (true) {
    const UnaryReply call =
        server.CallUnary(verb.path, (*request)->SerializeAsString());
    if (!call.status.ok()) return FailRpc(call.status, server.address());
    std::unique_ptr<google::protobuf::Message> page((*reply)->New());
    if (!page->ParseFromString(call.bytes)) {
      return FailLocal(absl::DataLossError("the reply does not parse"), 1);
    }
    const std::string next =
        token_out == nullptr
            ? ""
            : page->GetReflection()->GetString(*page, token_out);
    (*reply)->MergeFrom(*page);
    if (next.empty() || token_in == nullptr) break;
    (*request)->GetReflection()->SetString(request->get(), token_in, next);
  }
  if (token_out != nullptr) {
    (*reply)->GetReflection()->ClearField(reply->get(), token_out);
  }
  auto* metrics = google::protobuf::DynamicCastToGenerated<
      gavel::v1::GetGovernanceMetricsReply>(reply->get());
  if (metrics != nullptr && since.has_value()) {
    KeepCyclesSince(*since, *metrics->mutable_metrics());
  }
  if (options.json) {
    PrintJson(**reply);
  } else if (metrics != nullptr) {
    std::printf("%s", MetricsTable(metrics->metrics()).c_str());
  } else if (auto* one = google::protobuf::DynamicCastToGenerated<
                 gavel::v1::GetDecisionReply>(reply->get())) {
    std::printf("%s", DecisionView(one->decision()).c_str());
  } else if (auto* many = google::protobuf::DynamicCastToGenerated<
                 gavel::v1::ListDecisionsReply>(reply->get())) {
    std::printf("%s", DecisionsTable(many->decisions()).c_str());
  } else if (auto* list = google::protobuf::DynamicCastToGenerated<
                 gavel::v1::ListInitiativesReply>(reply->get())) {
    PrintPortfolio(*list);
  } else {
    std::string text;
    google::protobuf::TextFormat::PrintToString(**reply, &text);
    std::printf("%s", text.c_str());
  }
  return 0;
}

}  // namespace gavel::cli
