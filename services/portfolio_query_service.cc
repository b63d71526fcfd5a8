#include "services/portfolio_query_service.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/types/span.h"
#include "domain/calendar.h"
#include "domain/reasons.h"
#include "domain/rejection.h"
#include "projections/decision_export.h"
#include "projections/decision_history_projection.h"
#include "projections/governance_metrics_projection.h"
#include "projections/portfolio_projection.h"
#include "projections/portfolio_state.h"
#include "services/decision_export_reactor.h"
#include "services/grpc_status.h"
#include "services/read_options.h"

namespace gavel::services {
namespace {

using projections::DecisionHistoryProjection;
using projections::GovernanceMetricsProjection;
using projections::PortfolioProjection;
using projections::Projection;

// Answers a query from `projection` at `position`.
using Answer = std::function<absl::Status(const Projection&, uint64_t)>;

absl::Status Authorize(const Authenticator& auth,
                       const grpc::CallbackServerContext& context,
                       absl::string_view method) {
  return auth
      .Authorize(context,
                 absl::StrCat("/gavel.v1.PortfolioQueryService/", method))
      .status();
}

// Answers a query that combines read models (models[k] is the k-th name
// given to ServeModels), all at `position`.
using ModelsAnswer = std::function<absl::Status(
    absl::Span<const Projection* const> models, uint64_t position)>;

// Validates, authorizes, waits for min_position or travels to as_of (each
// of `projections` at the same position), runs `answer` and finishes
// `reactor` exactly once.
void ServeModels(const Authenticator& auth, projections::ProjectionHost& host,
                 ReplayPool& replays, const QueryLimits& limits,
                 grpc::CallbackServerContext* context,
                 grpc::ServerUnaryReactor* reactor, absl::string_view method,
                 const gavel::v1::ReadOptions& read,
                 std::vector<std::string> projections,
                 gavel::v1::ReadInfo* info, ModelsAnswer answer) {
  if (absl::Status s = Authorize(auth, *context, method); !s.ok()) {
    reactor->Finish(ToGrpcStatus(s));
    return;
  }
  absl::StatusOr<std::optional<uint64_t>> as_of = ReadPosition(host, read);
  if (!as_of.ok()) {
    reactor->Finish(ToGrpcStatus(as_of.status()));
    return;
  }
  if (as_of->has_value()) {
    // The log up to as_of is committed: no need to wait for min_position.
    // The replay runs on the replay pool, never on this gRPC thread.
    absl::Status queued = replays.Submit(
        [&host, projections = std::move(projections), position = **as_of, info,
         answer = std::move(answer), reactor]() {
          std::vector<std::unique_ptr<Projection>> then;
          std::vector<const Projection*> models;
          absl::Status status;
          for (const std::string& name : projections) {
            absl::StatusOr<std::unique_ptr<Projection>> model =
                host.ProjectAt(name, position);
            if (!model.ok()) {
              status = model.status();
              break;
            }
            then.push_back(*std::move(model));
            models.push_back(then.back().get());
          }
          if (status.ok()) {
            info->set_position(position);
            status = answer(models, position);
          }
          reactor->Finish(ToGrpcStatus(status));
        },
        [reactor]() {
          reactor->Finish(
              ToGrpcStatus(absl::UnavailableError("the server is stopping")));
        });
    if (!queued.ok()) reactor->Finish(ToGrpcStatus(queued));
    return;
  }
  auto respond = [&host, projections = std::move(projections), info,
                  answer = std::move(answer), reactor]() {
    absl::Status result;
    absl::Status read_status = host.Read(
        projections,
        [&](absl::Span<const Projection* const> models, uint64_t position) {
          info->set_position(position);
          result = answer(models, position);
        });
    reactor->Finish(ToGrpcStatus(read_status.ok() ? result : read_status));
  };
  if (read.min_position() == 0) {
    respond();
    return;
  }
  const absl::Time deadline = std::min(absl::FromChrono(context->deadline()),
                                       absl::Now() + limits.max_wait);
  const uint64_t wanted = read.min_position();
  host.NotifyWhenApplied(
      wanted, deadline,
      [respond = std::move(respond), reactor, wanted, &host](bool reached) {
        if (reached) {
          respond();
          return;
        }
        reactor->Finish(ToGrpcStatus(
            domain::Reject(domain::kProjectionBehind, "read.min_position",
                           absl::StrCat("the projections had applied position ",
                                        host.Position(), ", not ", wanted,
                                        ", by the deadline"))));
      });
}

// ServeModels for a query of one read model.
void Serve(const Authenticator& auth, projections::ProjectionHost& host,
           ReplayPool& replays, const QueryLimits& limits,
           grpc::CallbackServerContext* context,
           grpc::ServerUnaryReactor* reactor, absl::string_view method,
           const gavel::v1::ReadOptions& read, absl::string_view projection,
           gavel::v1::ReadInfo* info, Answer answer) {
  ServeModels(auth, host, replays, limits, context, reactor, method, read,
              {std::string(projection)}, info,
              [answer = std::move(answer)](
                  absl::Span<const Projection* const> models,
                  uint64_t position) { return answer(*models[0], position); });
}

uint32_t PageSize(uint32_t asked, const QueryLimits& limits) {
  if (asked == 0) return limits.default_page_size;
  return std::min(asked, limits.max_page_size);
}

// Page tokens: web-safe base64 of "<kind>:<offset>".
std::string PageToken(absl::string_view kind, uint64_t offset) {
  return absl::WebSafeBase64Escape(absl::StrCat(kind, ":", offset));
}

absl::StatusOr<uint64_t> PageOffset(absl::string_view token,
                                    absl::string_view kind) {
  if (token.empty()) return 0;
  std::string raw;
  uint64_t offset = 0;
  if (!absl::WebSafeBase64Unescape(token, &raw) ||
      !absl::StartsWith(raw, absl::StrCat(kind, ":")) ||
      !absl::SimpleAtoi(absl::string_view(raw).substr(kind.size() + 1),
                        &offset)) {
    return domain::Reject(domain::kInvalidPageToken, "page_token",
                          "page_token is not one this query returned");
  }
  return offset;
}

// Fills a page of `matched` from `offset`; returns the next page's token.
template <typename T, typename Add>
std::string Page(const std::vector<T>& matched, uint64_t offset,
                 uint32_t page_size, absl::string_view kind, Add add) {
  const uint64_t end = std::min<uint64_t>(matched.size(), offset + page_size);
  for (uint64_t k = offset; k < end; ++k) add(matched[k]);
  return end < matched.size() ? PageToken(kind, end) : "";
}

bool MatchesInitiative(const gavel::v1::InitiativeSummary& i,
                       const gavel::v1::ListInitiativesRequest& r) {
  if (r.statuses_size() > 0 &&
      std::find(r.statuses().begin(), r.statuses().end(), i.status()) ==
          r.statuses().end()) {
    return false;
  }
  if (!r.stage().empty() && i.stage() != r.stage()) return false;
  if (!r.business_unit().empty() && i.business_unit() != r.business_unit()) {
    return false;
  }
  if (r.priority() != gavel::v1::PRIORITY_UNSPECIFIED &&
      i.priority() != r.priority()) {
    return false;
  }
  if (!r.objective_id().empty() &&
      std::none_of(i.objectives().begin(), i.objectives().end(),
                   [&](const gavel::v1::ObjectiveLinkSummary& l) {
                     return l.objective_id() == r.objective_id();
                   })) {
    return false;
  }
  return true;
}

const PortfolioProjection& AsPortfolio(const Projection& p) {
  return static_cast<const PortfolioProjection&>(p);
}
const DecisionHistoryProjection& AsDecisions(const Projection& p) {
  return static_cast<const DecisionHistoryProjection&>(p);
}

}  // namespace

grpc::ServerUnaryReactor* PortfolioQueryService::GetInitiative(
    grpc::CallbackServerContext* context,
    const gavel::v1::GetInitiativeRequest* request,
    gavel::v1::GetInitiativeReply* reply) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  Serve(*auth_, *host_, *replays_, limits_, context, reactor, "GetInitiative",
        request->read(), projections::kPortfolioProjection,
        reply->mutable_read(), [request, reply](const Projection& p, uint64_t) {
          const projections::PortfolioState& state = AsPortfolio(p).state();
          const gavel::v1::InitiativeSummary* found =
              state.FindInitiative(request->initiative_id());
          if (found == nullptr) {
            return domain::Reject(
                domain::kInitiativeNotFound, "initiative_id",
                absl::StrCat("no initiative ", request->initiative_id()));
          }
          *reply->mutable_initiative() = *found;
          reply->mutable_initiative()->set_rank(state.RankOf(*found));
          return absl::OkStatus();
        });
  return reactor;
}

grpc::ServerUnaryReactor* PortfolioQueryService::ListInitiatives(
    grpc::CallbackServerContext* context,
    const gavel::v1::ListInitiativesRequest* request,
    gavel::v1::ListInitiativesReply* reply) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const uint32_t page_size = PageSize(request->page_size(), limits_);
  Serve(*auth_, *host_, *replays_, limits_, context, reactor, "ListInitiatives",
        request->read(), projections::kPortfolioProjection,
        reply->mutable_read(),
        [request, reply, page_size](const Projection& p, uint64_t) {
          absl::StatusOr<uint64_t> offset =
              PageOffset(request->page_token(), "initiatives");
          if (!offset.ok()) return offset.status();
          const projections::PortfolioState& state = AsPortfolio(p).state();
          std::vector<std::pair<const gavel::v1::InitiativeSummary*, uint32_t>>
              matched;
          uint32_t rank = 0;
          for (const gavel::v1::InitiativeSummary* i : state.Ranked()) {
            ++rank;
            if (MatchesInitiative(*i, *request)) matched.emplace_back(i, rank);
          }
          const bool terminal_asked =
              request->include_terminal() ||
              std::any_of(request->statuses().begin(),
                          request->statuses().end(), [](int s) {
                            return projections::IsTerminalStatus(
                                static_cast<gavel::v1::InitiativeStatus>(s));
                          });
          if (terminal_asked) {
            for (const gavel::v1::InitiativeSummary& i :
                 state.model().initiatives()) {
              if (projections::IsTerminalStatus(i.status()) &&
                  MatchesInitiative(i, *request)) {
                matched.emplace_back(&i, 0);
              }
            }
          }
          reply->set_total(matched.size());
          reply->set_next_page_token(Page(
              matched, *offset, page_size, "initiatives", [&](const auto& m) {
                gavel::v1::InitiativeSummary* out = reply->add_initiatives();
                *out = *m.first;
                out->set_rank(m.second);
              }));
          return absl::OkStatus();
        });
  return reactor;
}

grpc::ServerUnaryReactor* PortfolioQueryService::GetObjective(
    grpc::CallbackServerContext* context,
    const gavel::v1::GetObjectiveRequest* request,
    gavel::v1::GetObjectiveReply* reply) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  Serve(*auth_, *host_, *replays_, limits_, context, reactor, "GetObjective",
        request->read(), projections::kPortfolioProjection,
        reply->mutable_read(), [request, reply](const Projection& p, uint64_t) {
          const gavel::v1::ObjectiveSummary* found =
              AsPortfolio(p).state().FindObjective(request->objective_id());
          if (found == nullptr) {
            return domain::Reject(
                domain::kObjectiveNotFound, "objective_id",
                absl::StrCat("no objective ", request->objective_id()));
          }
          *reply->mutable_objective() = *found;
          return absl::OkStatus();
        });
  return reactor;
}

grpc::ServerUnaryReactor* PortfolioQueryService::ListObjectives(
    grpc::CallbackServerContext* context,
    const gavel::v1::ListObjectivesRequest* request,
    gavel::v1::ListObjectivesReply* reply) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const uint32_t page_size = PageSize(request->page_size(), limits_);
  Serve(*auth_, *host_, *replays_, limits_, context, reactor, "ListObjectives",
        request->read(), projections::kPortfolioProjection,
        reply->mutable_read(),
        [request, reply, page_size](const Projection& p, uint64_t) {
          absl::StatusOr<uint64_t> offset =
              PageOffset(request->page_token(), "objectives");
          if (!offset.ok()) return offset.status();
          std::vector<const gavel::v1::ObjectiveSummary*> matched;
          for (const gavel::v1::ObjectiveSummary& o :
               AsPortfolio(p).state().model().objectives()) {
            if (!o.retired() || request->include_retired()) {
              matched.push_back(&o);
            }
          }
          reply->set_next_page_token(
              Page(matched, *offset, page_size, "objectives",
                   [&](const gavel::v1::ObjectiveSummary* o) {
                     *reply->add_objectives() = *o;
                   }));
          return absl::OkStatus();
        });
  return reactor;
}

grpc::ServerUnaryReactor* PortfolioQueryService::GetCapacity(
    grpc::CallbackServerContext* context,
    const gavel::v1::GetCapacityRequest* request,
    gavel::v1::GetCapacityReply* reply) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  Serve(*auth_, *host_, *replays_, limits_, context, reactor, "GetCapacity",
        request->read(), projections::kPortfolioProjection,
        reply->mutable_read(), [request, reply](const Projection& p, uint64_t) {
          const projections::PortfolioState& state = AsPortfolio(p).state();
          if (!request->pool_id().empty() &&
              state.FindPool(request->pool_id()) == nullptr) {
            return domain::Reject(
                domain::kCapacityPoolNotFound, "pool_id",
                absl::StrCat("no capacity pool ", request->pool_id()));
          }
          for (const gavel::v1::PoolSummary& pool : state.model().pools()) {
            if (!request->pool_id().empty() &&
                pool.pool_id() != request->pool_id()) {
              continue;
            }
            gavel::v1::PoolSummary* out = reply->add_pools();
            *out = pool;
            if (request->over_committed_only()) {
              out->clear_periods();
              for (const gavel::v1::PeriodCapacity& period : pool.periods()) {
                if (period.over_committed()) *out->add_periods() = period;
              }
            }
          }
          return absl::OkStatus();
        });
  return reactor;
}

grpc::ServerUnaryReactor* PortfolioQueryService::ListDecisions(
    grpc::CallbackServerContext* context,
    const gavel::v1::ListDecisionsRequest* request,
    gavel::v1::ListDecisionsReply* reply) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const uint32_t page_size = PageSize(request->page_size(), limits_);
  Serve(*auth_, *host_, *replays_, limits_, context, reactor, "ListDecisions",
        request->read(), projections::kDecisionHistoryProjection,
        reply->mutable_read(),
        [request, reply, page_size](const Projection& p, uint64_t) {
          absl::StatusOr<projections::DecisionQuery> query =
              DecisionQueryOf(request->filter());
          if (!query.ok()) return query.status();
          absl::StatusOr<uint64_t> offset =
              PageOffset(request->page_token(), "decisions");
          if (!offset.ok()) return offset.status();
          const DecisionHistoryProjection& history = AsDecisions(p);
          std::vector<int> matched;
          for (int i = 0; i < history.size(); ++i) {
            if (history.Matches(i, *query)) matched.push_back(i);
          }
          reply->set_next_page_token(Page(
              matched, *offset, page_size, "decisions",
              [&](int i) { *reply->add_decisions() = history.Decision(i); }));
          return absl::OkStatus();
        });
  return reactor;
}

grpc::ServerUnaryReactor* PortfolioQueryService::GetDecision(
    grpc::CallbackServerContext* context,
    const gavel::v1::GetDecisionRequest* request,
    gavel::v1::GetDecisionReply* reply) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  Serve(*auth_, *host_, *replays_, limits_, context, reactor, "GetDecision",
        request->read(), projections::kDecisionHistoryProjection,
        reply->mutable_read(), [request, reply](const Projection& p, uint64_t) {
          std::optional<gavel::v1::DecisionRecord> found =
              AsDecisions(p).Find(request->decision_id());
          if (!found.has_value()) {
            return domain::Reject(
                domain::kDecisionNotFound, "decision_id",
                absl::StrCat("no decision ", request->decision_id()));
          }
          *reply->mutable_decision() = *std::move(found);
          return absl::OkStatus();
        });
  return reactor;
}

grpc::ServerUnaryReactor* PortfolioQueryService::GetGovernanceMetrics(
    grpc::CallbackServerContext* context,
    const gavel::v1::GetGovernanceMetricsRequest* request,
    gavel::v1::GetGovernanceMetricsReply* reply) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  // The portfolio KPIs come from the portfolio projection at the same
  // position.
  ServeModels(
      *auth_, *host_, *replays_, limits_, context, reactor,
      "GetGovernanceMetrics", request->read(),
      {std::string(projections::kGovernanceMetricsProjection),
       std::string(projections::kPortfolioProjection)},
      reply->mutable_read(),
      [request, reply](absl::Span<const Projection* const> models, uint64_t) {
        *reply->mutable_metrics() =
            static_cast<const GovernanceMetricsProjection&>(*models[0])
                .Compute(request->board_id(), AsPortfolio(*models[1]).state());
        if (!request->board_id().empty() && reply->metrics().boards().empty()) {
          return domain::Reject(domain::kBoardNotFound, "board_id",
                                absl::StrCat("no board ", request->board_id()));
        }
        return absl::OkStatus();
      });
  return reactor;
}

grpc::ServerWriteReactor<gavel::v1::ExportDecisionsChunk>*
PortfolioQueryService::ExportDecisions(
    grpc::CallbackServerContext* context,
    const gavel::v1::ExportDecisionsRequest* request) {
  absl::Status status = Authorize(*auth_, *context, "ExportDecisions");
  std::optional<uint64_t> as_of;
  if (status.ok()) {
    absl::StatusOr<std::optional<uint64_t>> resolved =
        ReadPosition(*host_, request->read());
    if (resolved.ok()) {
      as_of = *resolved;
    } else {
      status = resolved.status();
    }
  }
  return StartDecisionExport(host_, replays_, *request,
                             limits_.export_chunk_decisions, status, as_of,
                             std::min(absl::FromChrono(context->deadline()),
                                      absl::Now() + limits_.max_wait));
}

grpc::ServerUnaryReactor* PortfolioQueryService::GetPlanOfRecord(
    grpc::CallbackServerContext* context,
    const gavel::v1::GetPlanOfRecordRequest* request,
    gavel::v1::GetPlanOfRecordReply* reply) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  Serve(*auth_, *host_, *replays_, limits_, context, reactor, "GetPlanOfRecord",
        request->read(), projections::kPortfolioProjection,
        reply->mutable_read(), [request, reply](const Projection& p, uint64_t) {
          const projections::PortfolioState& state = AsPortfolio(p).state();
          for (const gavel::v1::PlanOfRecord& plan : state.model().plans()) {
            if (request->horizon() == gavel::v1::HORIZON_UNSPECIFIED ||
                plan.horizon() == request->horizon()) {
              *reply->add_plans() = plan;
            }
          }
          if (request->horizon() != gavel::v1::HORIZON_UNSPECIFIED &&
              reply->plans().empty()) {
            return domain::Reject(domain::kPlanNotPublished, "horizon",
                                  "no plan of record for the horizon");
          }
          return absl::OkStatus();
        });
  return reactor;
}

}  // namespace gavel::services
