#include "cli/cli_commands.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gavel/v1/governance_service.pb.h"
#include "gavel/v1/initiative_service.pb.h"
#include "gavel/v1/portfolio_plan_service.pb.h"
#include "gavel/v1/portfolio_query_service.pb.h"
#include "gavel/v1/strategy_service.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"

namespace gavel::cli {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr char kStrategy[] = "gavel.v1.StrategyService";
constexpr char kGovernance[] = "gavel.v1.GovernanceService";
constexpr char kInitiative[] = "gavel.v1.InitiativeService";
constexpr char kPlan[] = "gavel.v1.PortfolioPlanService";

absl::Status Bad(absl::string_view path, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", why));
}

// The enum value named `text`, with or without the enum's prefix
// (GATE_VOTE_GO, go), case-insensitive.
const google::protobuf::EnumValueDescriptor* FindEnumValue(
    const google::protobuf::EnumDescriptor& type, absl::string_view text) {
  const std::string upper = absl::AsciiStrToUpper(text);
  for (int i = 0; i < type.value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* value = type.value(i);
    if (value->name() == upper || absl::EndsWith(value->name(), "_" + upper)) {
      return value;
    }
  }
  int number = 0;
  if (absl::SimpleAtoi(text, &number)) return type.FindValueByNumber(number);
  return nullptr;
}

absl::Status SetScalar(Message& message, const FieldDescriptor& field,
                       absl::string_view path, absl::string_view value) {
  const Reflection& r = *message.GetReflection();
  const bool repeated = field.is_repeated();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string text(value);
      if (field.type() == FieldDescriptor::TYPE_BYTES &&
          absl::StartsWith(value, "hex:")) {
        text = absl::HexStringToBytes(value.substr(4));
      }
      repeated ? r.AddString(&message, &field, text)
               : r.SetString(&message, &field, text);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t v;
      if (!absl::SimpleAtoi(value, &v)) return Bad(path, "not an integer");
      repeated ? r.AddInt32(&message, &field, v)
               : r.SetInt32(&message, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t v;
      if (!absl::SimpleAtoi(value, &v)) return Bad(path, "not an integer");
      repeated ? r.AddInt64(&message, &field, v)
               : r.SetInt64(&message, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t v;
      if (!absl::SimpleAtoi(value, &v)) return Bad(path, "not an integer");
      repeated ? r.AddUInt32(&message, &field, v)
               : r.SetUInt32(&message, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t v;
      if (!absl::SimpleAtoi(value, &v)) return Bad(path, "not an integer");
      repeated ? r.AddUInt64(&message, &field, v)
               : r.SetUInt64(&message, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      double v;
      if (!absl::SimpleAtod(value, &v)) return Bad(path, "not a number");
      if (field.cpp_type() == FieldDescriptor::CPPTYPE_FLOAT) {
        repeated ? r.AddFloat(&message, &field, static_cast<float>(v))
                 : r.SetFloat(&message, &field, static_cast<float>(v));
      } else {
        repeated ? r.AddDouble(&message, &field, v)
                 : r.SetDouble(&message, &field, v);
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool v;
      if (!absl::SimpleAtob(value, &v)) return Bad(path, "not true/false");
      repeated ? r.AddBool(&message, &field, v)
               : r.SetBool(&message, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const google::protobuf::EnumValueDescriptor* v =
          FindEnumValue(*field.enum_type(), value);
      if (v == nullptr) {
        std::string names;
        for (int i = 0; i < field.enum_type()->value_count(); ++i) {
          absl::StrAppend(&names, i ? ", " : "",
                          field.enum_type()->value(i)->name());
        }
        return Bad(path, absl::StrCat("not one of ", names));
      }
      repeated ? r.AddEnum(&message, &field, v)
               : r.SetEnum(&message, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return Bad(path, "a message: give it in the JSON file (--file)");
}

}  // namespace

const std::vector<CommandVerb>& CommandVerbs() {
  static const std::vector<CommandVerb>* verbs = new std::vector<CommandVerb>{
      {"objective", "define", kStrategy, "DefineObjective",
       "define a strategic objective"},
      {"objective", "add-measure", kStrategy, "AddSuccessMeasure",
       "add a success measure with its baseline"},
      {"objective", "set-target", kStrategy, "SetMeasureTarget",
       "set a measure's target"},
      {"objective", "retire", kStrategy, "RetireObjective",
       "retire an objective"},
      {"framework", "draft", kStrategy, "DraftFramework",
       "draft a prioritization framework (criteria in --file)"},
      {"framework", "approve", kStrategy, "ApproveFramework",
       "approve a framework version by a board decision"},
      {"framework", "retire", kStrategy, "RetireFramework",
       "retire a framework"},
      {"lifecycle", "define", kStrategy, "DefineLifecycleModel",
       "define a stage-gate lifecycle model (gates in --file)"},
      {"lifecycle", "retire", kStrategy, "RetireLifecycleModel",
       "retire a lifecycle model"},
      {"pool", "define", kStrategy, "DefineCapacityPool",
       "define a capacity pool with its supply per period"},
      {"pool", "adjust", kStrategy, "AdjustCapacity", "adjust a pool's supply"},
      {"board", "charter", kGovernance, "CharterBoard",
       "charter a governance board (members, mandate in --file)"},
      {"board", "appoint", kGovernance, "AppointMember", "appoint a member"},
      {"board", "remove-member", kGovernance, "RemoveMember",
       "remove a member"},
      {"board", "delegate", kGovernance, "DelegateAuthority",
       "delegate a member's vote for a time"},
      {"board", "revoke-delegation", kGovernance, "RevokeDelegation",
       "revoke a delegation"},
      {"cycle", "schedule", kGovernance, "ScheduleCycle",
       "schedule a governance cycle (a board meeting)"},
      {"cycle", "add-item", kGovernance, "AddAgendaItem",
       "put an item on a cycle's agenda"},
      {"cycle", "defer-item", kGovernance, "DeferAgendaItem",
       "defer an agenda item to a later cycle"},
      {"cycle", "close", kGovernance, "CloseCycle", "close a cycle"},
      {"pmo", "define-service-level", kGovernance, "DefineServiceLevel",
       "define a service level the PMO is measured by"},
      {"pmo", "record-feedback", kGovernance, "RecordStakeholderFeedback",
       "record stakeholder satisfaction"},
      {"gate", "request", kGovernance, "RequestGateReview",
       "request a gate review of an initiative"},
      {"gate", "recuse", kGovernance, "RecuseMember",
       "recuse a member from a review"},
      {"gate", "vote", kGovernance, "CastGateVote", "cast a gate vote"},
      {"gate", "decide", kGovernance, "RecordGateDecision",
       "record the board's gate decision"},
      {"gate", "release-hold", kGovernance, "ReleaseHold",
       "release an initiative on hold"},
      {"initiative", "prioritize", kGovernance, "ChangePriority",
       "change an initiative's priority tier"},
      {"initiative", "submit", kInitiative, "SubmitInitiative",
       "submit an initiative (demand, milestones in --file)"},
      {"initiative", "link", kInitiative, "LinkObjective",
       "link an initiative to an objective"},
      {"initiative", "unlink", kInitiative, "UnlinkObjective",
       "unlink an objective"},
      {"initiative", "register-benefit", kInitiative, "RegisterBenefit",
       "register a benefit with baseline and target"},
      {"initiative", "assign-scorers", kInitiative, "AssignScorers",
       "assign scorers"},
      {"initiative", "score", kInitiative, "ScoreCriterion",
       "score one criterion"},
      {"initiative", "lock-scorecard", kInitiative, "LockScorecard",
       "lock the scorecard"},
      {"initiative", "satisfy-condition", kInitiative, "SatisfyCondition",
       "satisfy a conditional-go condition"},
      {"initiative", "forecast", kInitiative, "ReviseForecast",
       "re-forecast cost, finish and benefits"},
      {"initiative", "report-cost", kInitiative, "ReportCost",
       "report an actual cost"},
      {"initiative", "achieve-milestone", kInitiative, "AchieveMilestone",
       "record a milestone achieved"},
      {"initiative", "assess-bau", kInitiative, "AssessBauImpact",
       "record the business-as-usual impact"},
      {"initiative", "measure", kInitiative, "MeasureBenefit",
       "measure a benefit"},
      {"initiative", "raise-risk", kInitiative, "RaiseRisk", "raise a risk"},
      {"initiative", "close-risk", kInitiative, "CloseRisk", "close a risk"},
      {"initiative", "declare-dependency", kInitiative, "DeclareDependency",
       "declare a dependency on another initiative"},
      {"initiative", "resolve-dependency", kInitiative, "ResolveDependency",
       "resolve a dependency"},
      {"initiative", "withdraw", kInitiative, "WithdrawInitiative",
       "withdraw an initiative"},
      {"initiative", "close", kInitiative, "CloseInitiative",
       "close a delivered initiative"},
      {"plan", "create", kPlan, "CreateScenario",
       "create a portfolio scenario (budget, capacity, exclusive groups in "
       "--file)"},
      {"plan", "force", kPlan, "ForceInitiative",
       "force an initiative in or out of a scenario (direction=in|out|clear)"},
      {"plan", "publish", kPlan, "PublishPlan",
       "publish the optimized plan by a board decision "
       "(decision.board_id=...)"},
  };
  return *verbs;
}

const CommandVerb* FindCommandVerb(absl::string_view group,
                                   absl::string_view verb) {
  for (const CommandVerb& candidate : CommandVerbs()) {
    if (group == candidate.group && verb == candidate.verb) return &candidate;
  }
  return nullptr;
}

namespace {

const google::protobuf::MethodDescriptor* FindMethod(absl::string_view service,
                                                     absl::string_view method) {
  // Referencing one type of each service's generated file links it in, and
  // with it the service's descriptor.
  static const bool linked = gavel::v1::DefineObjectiveRequest::descriptor() &&
                             gavel::v1::CharterBoardRequest::descriptor() &&
                             gavel::v1::SubmitInitiativeRequest::descriptor() &&
                             gavel::v1::GetDecisionRequest::descriptor() &&
                             gavel::v1::CreateScenarioRequest::descriptor();
  (void)linked;
  const google::protobuf::ServiceDescriptor* found =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          std::string(service));
  return found == nullptr ? nullptr
                          : found->FindMethodByName(std::string(method));
}

absl::StatusOr<std::unique_ptr<Message>> NewOf(const Descriptor* type) {
  const Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type);
  if (prototype == nullptr) {
    return absl::InternalError(
        absl::StrCat("no generated type ", type->full_name()));
  }
  return std::unique_ptr<Message>(prototype->New());
}

}  // namespace

absl::StatusOr<std::unique_ptr<Message>> NewRpcRequest(
    absl::string_view service, absl::string_view method) {
  const google::protobuf::MethodDescriptor* found = FindMethod(service, method);
  if (found == nullptr) {
    return absl::InternalError(absl::StrCat("no RPC ", service, "/", method));
  }
  return NewOf(found->input_type());
}

absl::StatusOr<std::unique_ptr<Message>> NewRpcReply(absl::string_view service,
                                                     absl::string_view method) {
  const google::protobuf::MethodDescriptor* found = FindMethod(service, method);
  if (found == nullptr) {
    return absl::InternalError(absl::StrCat("no RPC ", service, "/", method));
  }
  return NewOf(found->output_type());
}

absl::StatusOr<std::unique_ptr<Message>> NewRequest(const CommandVerb& verb) {
  return NewRpcRequest(verb.service, verb.method);
}

absl::StatusOr<CommandRequest> BuildCommandRequest(
    const gavel::v1::Command& command, absl::string_view command_id) {
  const Reflection& reflection = *command.GetReflection();
  const google::protobuf::OneofDescriptor* oneof =
      command.GetDescriptor()->FindOneofByName("command");
  const FieldDescriptor* set =
      oneof == nullptr ? nullptr
                       : reflection.GetOneofFieldDescriptor(command, oneof);
  if (set == nullptr) return absl::InvalidArgumentError("no command is set");
  for (const CommandVerb& verb : CommandVerbs()) {
    absl::StatusOr<std::unique_ptr<Message>> request = NewRequest(verb);
    if (!request.ok()) return request.status();
    const Descriptor& descriptor = *(*request)->GetDescriptor();
    const FieldDescriptor* field = descriptor.FindFieldByName("command");
    if (field == nullptr || field->message_type() != set->message_type()) {
      continue;
    }
    const Reflection& r = *(*request)->GetReflection();
    r.MutableMessage(request->get(), field)
        ->CopyFrom(reflection.GetMessage(command, set));
    auto* options =
        google::protobuf::DynamicCastToGenerated<gavel::v1::CommandOptions>(
            r.MutableMessage(request->get(),
                             descriptor.FindFieldByName("options")));
    options->set_command_id(std::string(command_id));
    return CommandRequest{&verb, (*request)->SerializeAsString()};
  }
  return absl::InvalidArgumentError(
      absl::StrCat("no command verb carries ", set->message_type()->name()));
}

const std::vector<QueryVerb>& QueryVerbs() {
  static const std::vector<QueryVerb>* verbs = new std::vector<QueryVerb>{
      {"portfolio", "show", "ListInitiatives", "",
       "the ranked portfolio (filters: stage=, business_unit=, "
       "objective_id=, include_terminal=true)"},
      {"initiative", "show", "GetInitiative", "initiative_id",
       "one initiative: stage, score, rank, cost, risks, benefits"},
      {"objective", "list", "ListObjectives", "",
       "objectives with their initiatives and measures"},
      {"objective", "show", "GetObjective", "objective_id", "one objective"},
      {"capacity", "show", "GetCapacity", "pool_id",
       "demand vs supply per pool and period (over_committed_only=true)"},
      {"decisions", "list", "ListDecisions", "",
       "gate decisions (filter.initiative_id=, filter.board_id=, "
       "filter.gate_id=)"},
      {"decisions", "show", "GetDecision", "decision_id",
       "one decision with votes, conditions and what the board knew"},
      {"decisions", "export", "ExportDecisions", "",
       "every decision as JSON lines (format=csv for CSV)"},
      {"metrics", "show", "GetGovernanceMetrics", "board_id",
       "governance metrics and portfolio KPIs per cycle"},
      {"plan", "of-record", "GetPlanOfRecord", "horizon",
       "the published plan of record per horizon, ranked, with its cut line"},
  };
  return *verbs;
}

const QueryVerb* FindQueryVerb(absl::string_view group,
                               absl::string_view verb) {
  for (const QueryVerb& candidate : QueryVerbs()) {
    if (group == candidate.group && verb == candidate.verb) return &candidate;
  }
  return nullptr;
}

absl::Status MergeJson(absl::string_view json, Message& command) {
  std::unique_ptr<Message> parsed(command.New());
  google::protobuf::util::JsonParseOptions options;
  if (const auto status = google::protobuf::util::JsonStringToMessage(
          std::string(json), parsed.get(), options);
      !status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the JSON is not a ", command.GetTypeName(), ": ", status.ToString()));
  }
  command.MergeFrom(*parsed);
  return absl::OkStatus();
}

absl::Status SetField(Message& message, absl::string_view path,
                      absl::string_view value) {
  Message* current = &message;
  const std::vector<absl::string_view> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* field =
        current->GetDescriptor()->FindFieldByName(std::string(parts[i]));
    if (field == nullptr) {
      return Bad(path, absl::StrCat(current->GetDescriptor()->name(),
                                    " has no field ", parts[i]));
    }
    if (i + 1 == parts.size()) return SetScalar(*current, *field, path, value);
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE ||
        field->is_repeated()) {
      return Bad(path,
                 absl::StrCat(parts[i], field->is_repeated()
                                            ? " is repeated: give it in --file"
                                            : " is not a message"));
    }
    current = current->GetReflection()->MutableMessage(current, field);
  }
  return Bad(path, "empty field path");
}

std::string DescribeFields(const Descriptor& descriptor) {
  std::string out;
  for (int i = 0; i < descriptor.field_count(); ++i) {
    const FieldDescriptor* field = descriptor.field(i);
    std::string type = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE
                           ? field->message_type()->name()
                       : field->cpp_type() == FieldDescriptor::CPPTYPE_ENUM
                           ? field->enum_type()->name()
                           : field->type_name();
    absl::StrAppend(
        &out, "  ", field->name(), "  ",
        field->is_repeated() ? "repeated " : "", type,
        field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE
            ? (field->is_repeated() ? " (--file)" : " (a.b=value or --file)")
            : "",
        "\n");
  }
  return out;
}

}  // namespace gavel::cli
