// EventStreamService (proto/gavel/v1/event_stream_service.proto): reads of
// one stream or of the whole log, and subscriptions (services/
// subscriptions.h). Who may call each is its (rpc) option: everyone with
// a reading duty; submitters are left out, the log holds every business
// unit's initiatives. Records are served as stored (services/event_filter.h).
#ifndef GAVEL_SERVICES_EVENT_STREAM_SERVICE_H_
#define GAVEL_SERVICES_EVENT_STREAM_SERVICE_H_

#include "gavel/v1/event_stream_service.grpc.pb.h"
#include "services/authenticator.h"
#include "services/principal.h"
#include "services/subscriptions.h"
#include "storage/event_log.h"

namespace gavel::services {

// Records per ReadStream / ReadAll reply: the default and the cap.
inline constexpr uint32_t kDefaultReadLimit = 100;
inline constexpr uint32_t kMaxReadLimit = 1000;

// Thread-safe. Borrows everything it is given; it must all outlive it.
class EventStreamService final
    : public gavel::v1::EventStreamService::CallbackService {
 public:
  EventStreamService(const Authenticator* auth, const storage::EventLog* log,
                     Subscriptions* subscriptions)
      : auth_(auth), log_(log), subscriptions_(subscriptions) {}

  // Records of one stream; empty for an unknown stream or a version beyond
  // its end. INVALID_ARGUMENT (MISSING_FIELD) without a stream id.
  grpc::ServerUnaryReactor* ReadStream(
      grpc::CallbackServerContext* context,
      const gavel::v1::ReadStreamRequest* request,
      gavel::v1::ReadStreamReply* reply) override;

  // Matching records after a position; empty beyond the head.
  // INVALID_ARGUMENT for a malformed filter (EventFilter::FromProto).
  grpc::ServerUnaryReactor* ReadAll(grpc::CallbackServerContext* context,
                                    const gavel::v1::ReadAllRequest* request,
                                    gavel::v1::ReadAllReply* reply) override;

  // A subscription (services/subscriptions.h). INVALID_ARGUMENT for a
  // malformed filter; UNAVAILABLE once the server is stopping.
  grpc::ServerWriteReactor<gavel::v1::SubscribeReply>* Subscribe(
      grpc::CallbackServerContext* context,
      const gavel::v1::SubscribeRequest* request) override;

 private:
  // The caller, if it may read events.
  absl::StatusOr<Principal> Authorize(
      const grpc::CallbackServerContext& context,
      absl::string_view method) const;

  const Authenticator* const auth_;
  const storage::EventLog* const log_;
  Subscriptions* const subscriptions_;
};

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_EVENT_STREAM_SERVICE_H_
