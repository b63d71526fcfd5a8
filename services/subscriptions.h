// Subscriptions to the event log (EventStreamService.Subscribe): catch-up
// from disk, then live, with no gap and no duplicate.
//
// How it works. Each subscription is a gRPC callback reactor with one
// cursor: the next position to scan. Catch-up and live delivery are the
// same step: scan the log from the cursor (RocksDB; just-committed records
// come from its memtable), put the matching records into one message,
// write it, and only when gRPC is done with it take the next step. So
// there is exactly one reader of the log per subscription and one message
// in flight: order, no gap and no duplicate follow from the single cursor,
// and a slow consumer costs the server one message, however far behind it
// falls. A subscription that reached the head is "live" and waits; the
// log's head listener wakes it (no polling). A live one found more than
// max_live_lag records behind the head (a slow consumer, or a burst larger
// than that) is counted as a fallback and reads on from disk until it is
// back at the head, where it gets a new CaughtUp.
//
// Steps run on a small pool of workers (not on gRPC's threads, and never
// on the writer's), so thousands of idle subscriptions hold no thread.
#ifndef GAVEL_SERVICES_SUBSCRIPTIONS_H_
#define GAVEL_SERVICES_SUBSCRIPTIONS_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gavel/v1/admin_service.pb.h"
#include "gavel/v1/event_stream_service.pb.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "services/event_filter.h"
#include "storage/event_log.h"

namespace gavel::services {

struct SubscriptionOptions {
  // A subscription that sent nothing for this long sends a Heartbeat.
  absl::Duration heartbeat_interval = absl::Seconds(5);
  // A subscription whose position advanced without a message (its filter
  // matched nothing) sends a StreamCheckpoint this long after its last
  // message.
  absl::Duration checkpoint_interval = absl::Seconds(1);
  // ... and at once after scanning this many records without a match.
  uint64_t checkpoint_every_records = 10000;
  // A live subscription further than this behind the head has fallen
  // behind (SubscriberStatus.fallbacks).
  uint64_t max_live_lag = 1000;
  // Threads that read the log and build messages.
  int workers = 2;
  // More concurrent subscriptions are refused (RESOURCE_EXHAUSTED).
  size_t max_subscriptions = 10000;
  // ... and more of one principal's.
  size_t max_subscriptions_per_principal = 100;
  // The bytes of one principal's messages in flight (written, not yet
  // taken by its consumers) at most, plus one record: a subscription whose
  // principal has no room left waits until a message of its goes out, so
  // readers that never read hold at most this much of the server's memory.
  size_t max_buffered_bytes_per_principal = 32 << 20;
};

// Largest number of records in one message, and its byte bound (a message
// holds at least one record, however large).
inline constexpr uint32_t kDefaultBatchRecords = 100;
inline constexpr uint32_t kMaxBatchRecords = 1000;
inline constexpr size_t kMaxBatchBytes = 1 << 20;
// Records one step scans at most (for filters that match little).
inline constexpr uint64_t kMaxScanRecords = 10000;

// What one Subscribe call asked for, validated.
struct SubscriptionRequest {
  // Deliver positions > after_position; ignored when from_now.
  uint64_t after_position = 0;
  bool from_now = false;
  EventFilter filter;
  // 1..kMaxBatchRecords.
  uint32_t max_batch_records = kDefaultBatchRecords;
  std::string principal;
  std::string peer;
  // When the principal's credentials expire: the subscription ends then
  // with UNAUTHENTICATED (CREDENTIAL_EXPIRED).
  absl::Time credentials_expire = absl::InfiniteFuture();
};

class Subscription;

// The subscriptions of one server. Thread-safe. Borrows the log, which
// must outlive it.
class Subscriptions {
 public:
  // Starts the workers and listens to the log's head.
  static std::unique_ptr<Subscriptions> Start(
      storage::EventLog* log, const SubscriptionOptions& options);

  Subscriptions(const Subscriptions&) = delete;
  Subscriptions& operator=(const Subscriptions&) = delete;
  // Stop().
  ~Subscriptions();

  // The reactor serving one Subscribe call on `context`; gRPC owns it and
  // it deletes itself when done. When `status` is not OK, or the server is
  // ending subscriptions, or max_subscriptions are running, the call
  // finishes at once with that status (UNAVAILABLE, RESOURCE_EXHAUSTED),
  // as it does when its principal already runs
  // max_subscriptions_per_principal.
  grpc::ServerWriteReactor<gavel::v1::SubscribeReply>* Subscribe(
      grpc::CallbackServerContext* context, const absl::Status& status,
      SubscriptionRequest request);

  // Refuses new subscriptions and ends every running one with UNAVAILABLE
  // once its message in flight is sent; cancels those whose message is
  // still in flight (a stalled consumer) after `patience`. Returns when all
  // have ended or once it has cancelled the rest. For server shutdown,
  // before the gRPC server is shut down.
  void EndAll(absl::Duration patience);

  // Blocks until fewer than `count` subscriptions are running or
  // `deadline` passes; returns how many run.
  size_t WaitUntilFewerThan(size_t count, absl::Time deadline) const;

  // Stops the workers and stops listening to the log. Call once no
  // subscription runs any more (after the gRPC server shut down).
  // Idempotent.
  void Stop();

  // One entry per running subscription, by id.
  std::vector<gavel::v1::SubscriberStatus> Status() const;

  // The options it was started with.
  const SubscriptionOptions& options() const { return options_; }
  // The log it reads.
  const storage::EventLog& log() const { return *log_; }

 private:
  friend class Subscription;

  struct Entry {
    Subscription* subscription = nullptr;
    // In ready_.
    bool queued = false;
    // A worker is running its step.
    bool running = false;
    // Scheduled while running: run again after.
    bool rerun = false;
    // Idle: waiting for the head to pass its position, or for a timer.
    bool waiting = false;
    // Its call is done: delete it when the running step returns.
    bool done = false;
    // Whose it is (per_principal_).
    std::string principal;
  };

  Subscriptions(storage::EventLog* log, const SubscriptionOptions& options);

  // Runs subscription `id`'s next step on a worker soon.
  void Schedule(uint64_t id) ABSL_LOCKS_EXCLUDED(mu_);
  void ScheduleLocked(uint64_t id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Subscription `id` has nothing to do until the head passes `position`
  // or a timer fires.
  void Idle(uint64_t id, uint64_t position) ABSL_LOCKS_EXCLUDED(mu_);
  // Forgets subscription `id` (its call is done) and deletes it, now or,
  // if a worker runs its step, when the step returns.
  void Release(uint64_t id) ABSL_LOCKS_EXCLUDED(mu_);
  bool ending() const { return ending_.load(std::memory_order_acquire); }
  bool cancelling_stuck() const {
    return cancelling_stuck_.load(std::memory_order_acquire);
  }
  void OnHead(uint64_t head) ABSL_LOCKS_EXCLUDED(mu_);
  // Erases `it` and counts it off its principal's subscriptions.
  void EraseLocked(absl::flat_hash_map<uint64_t, Entry>::iterator it)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The bytes `principal` may still put in flight (the per-principal
  // budget less what is in flight), and their accounting.
  size_t BytesAvailable(const std::string& principal) const
      ABSL_LOCKS_EXCLUDED(budget_mu_);
  void AddBytesInFlight(const std::string& principal, size_t bytes)
      ABSL_LOCKS_EXCLUDED(budget_mu_);
  void RemoveBytesInFlight(const std::string& principal, size_t bytes)
      ABSL_LOCKS_EXCLUDED(budget_mu_);
  void Work() ABSL_LOCKS_EXCLUDED(mu_);

  // Constant after construction.
  storage::EventLog* const log_;
  const SubscriptionOptions options_;
  const absl::Duration tick_;
  uint64_t listener_id_ = 0;
  std::vector<std::thread> workers_;

  std::atomic<bool> ending_{false};
  std::atomic<bool> cancelling_stuck_{false};
  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t head_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  absl::Time next_tick_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<uint64_t, Entry> entries_ ABSL_GUARDED_BY(mu_);
  std::deque<uint64_t> ready_ ABSL_GUARDED_BY(mu_);
  // Running subscriptions per principal.
  absl::flat_hash_map<std::string, size_t> per_principal_ ABSL_GUARDED_BY(mu_);
  // A leaf lock: nothing else is locked or called while it is held.
  mutable absl::Mutex budget_mu_;
  absl::flat_hash_map<std::string, size_t> bytes_in_flight_
      ABSL_GUARDED_BY(budget_mu_);
};

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_SUBSCRIPTIONS_H_
