#include "services/subscriptions.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "domain/reasons.h"
#include "domain/rejection.h"
#include "services/grpc_status.h"

namespace gavel::services {

using gavel::v1::SubscribeReply;

namespace {

// Least room a principal must have left for a subscription of its to read
// more events.
constexpr size_t kMinMessageRoom = 64 << 10;

google::protobuf::Timestamp ToProto(absl::Time time) {
  google::protobuf::Timestamp out;
  const int64_t nanos = absl::ToUnixNanos(time);
  out.set_seconds(nanos / 1000000000);
  out.set_nanos(static_cast<int32_t>(nanos % 1000000000));
  return out;
}

}  // namespace

// One Subscribe call. Its steps (Step) run on the workers of `hub`, never
// two at once; the gRPC reactions only record what happened and schedule
// a step. Deletes itself in OnDone.
class Subscription final : public grpc::ServerWriteReactor<SubscribeReply> {
 public:
  enum class Next {
    kNothing,
    kWrite,
    kMore,
    kIdle,
    // The principal has no room for more bytes in flight: retry on the
    // hub's next tick.
    kBlocked,
    kFinish,
    kCancel
  };

  Subscription(Subscriptions* hub, grpc::CallbackServerContext* context,
               uint64_t id, SubscriptionRequest request, uint64_t head)
      : hub_(hub),
        context_(context),
        id_(id),
        request_(std::move(request)),
        next_(request_.from_now ? head + 1 : request_.after_position + 1) {
    last_sent_position_ = next_ - 1;
    last_send_ = absl::Now();
    const uint64_t start = next_ - 1;
    if (start > 0 && start <= head) {
      if (absl::StatusOr<storage::StoredEvent> record =
              hub_->log().ReadAt(start);
          record.ok()) {
        if (absl::StatusOr<RecordHeader> header =
                ReadRecordHeader(record->bytes);
            header.ok()) {
          position_recorded_at_ = header->recorded_at;
        }
      }
    }
  }

  ~Subscription() override {
    absl::MutexLock lock(&mu_);
    ReleaseBytes();
  }

  void OnWriteDone(bool ok) override {
    {
      absl::MutexLock lock(&mu_);
      write_in_flight_ = false;
      if (!ok) write_failed_ = true;
      buffered_records_ = 0;
      buffered_bytes_ = 0;
      ReleaseBytes();
    }
    hub_->Schedule(id_);
  }

  void OnCancel() override {
    {
      absl::MutexLock lock(&mu_);
      cancelled_ = true;
    }
    hub_->Schedule(id_);
  }

  // Not `delete this`: OnDone may run inline in a worker's Finish() call,
  // while that worker still runs Step(); Release deletes this at once, or
  // the worker does when its step returns.
  void OnDone() override { hub_->Release(id_); }

  // The next step: finish, write one message, or go idle. Only on a
  // worker, never concurrently with itself.
  void Step() {
    Next next = Next::kNothing;
    absl::Status status;
    uint64_t idle_position = 0;
    {
      absl::MutexLock lock(&mu_);
      if (finished_) return;
      if (write_in_flight_) {
        // A message is stuck in flight to a consumer that does not read:
        // cancelling the call is the only way to end it now.
        if (hub_->cancelling_stuck() && !cancel_requested_) {
          cancel_requested_ = true;
          next = Next::kCancel;
        }
      }
    }
    if (next == Next::kCancel) {
      context_->TryCancel();
      return;
    }
    {
      absl::MutexLock lock(&mu_);
      if (finished_ || write_in_flight_) return;
      if (cancelled_ || write_failed_) {
        next = Next::kFinish;
        status = absl::CancelledError("the subscription was cancelled");
      } else if (absl::Now() >= request_.credentials_expire) {
        next = Next::kFinish;
        status = domain::Reject(domain::kCredentialExpired, "authorization",
                                "the subscriber's credentials expired");
      } else if (hub_->ending()) {
        next = Next::kFinish;
        status = absl::UnavailableError("the server is shutting down");
      } else {
        absl::StatusOr<Next> built = BuildMessage();
        if (!built.ok()) {
          next = Next::kFinish;
          status = built.status();
        } else {
          next = *built;
        }
      }
      if (next == Next::kFinish) finished_ = true;
      if (next == Next::kWrite) {
        write_in_flight_ = true;
        last_send_ = absl::Now();
        last_sent_position_ = reply_.position();
        ++messages_sent_;
        events_sent_ += buffered_records_;
        reserved_bytes_ = reply_.ByteSizeLong();
        hub_->AddBytesInFlight(request_.principal, reserved_bytes_);
      }
      idle_position = next_ - 1;
    }
    switch (next) {
      case Next::kFinish:
        Finish(ToGrpcStatus(status));
        return;
      case Next::kWrite:
        StartWrite(&reply_);
        return;
      case Next::kMore:
        hub_->Schedule(id_);
        return;
      case Next::kIdle:
        hub_->Idle(id_, idle_position);
        return;
      case Next::kBlocked:
        hub_->Idle(id_, std::numeric_limits<uint64_t>::max());
        return;
      case Next::kNothing:
      case Next::kCancel:
        return;
    }
  }

  gavel::v1::SubscriberStatus Status(uint64_t head,
                                     absl::Time head_recorded_at) const {
    absl::MutexLock lock(&mu_);
    gavel::v1::SubscriberStatus status;
    status.set_id(id_);
    status.set_principal(request_.principal);
    status.set_peer(request_.peer);
    const uint64_t position = next_ - 1;
    status.set_position(position);
    const uint64_t lag = head > position ? head - position : 0;
    status.set_lag_events(lag);
    if (lag > 0 && position_recorded_at_ != absl::InfinitePast()) {
      const absl::Duration behind = std::max(
          head_recorded_at - position_recorded_at_, absl::ZeroDuration());
      status.mutable_lag()->set_seconds(absl::ToInt64Seconds(behind));
      status.mutable_lag()->set_nanos(static_cast<int32_t>(
          absl::ToInt64Nanoseconds(behind % absl::Seconds(1))));
    }
    if (messages_sent_ > 0) {
      *status.mutable_last_send_time() = ToProto(last_send_);
    }
    status.set_live(live_ && lag <= hub_->options().max_live_lag);
    status.set_buffered_records(buffered_records_);
    status.set_buffered_bytes(buffered_bytes_);
    status.set_events_sent(events_sent_);
    status.set_messages_sent(messages_sent_);
    status.set_fallbacks(fallbacks_);
    return status;
  }

 private:
  // Fills reply_ with the next message (kWrite), or says there is more to
  // scan first (kMore) or nothing to do for now (kIdle).
  absl::StatusOr<Next> BuildMessage() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Gives back the bytes of the message in flight to the principal's room.
  void ReleaseBytes() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (reserved_bytes_ == 0) return;
    hub_->RemoveBytesInFlight(request_.principal, reserved_bytes_);
    reserved_bytes_ = 0;
  }
  void SetHeader(uint64_t head) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    reply_.set_position(next_ - 1);
    reply_.set_head_position(head);
  }

  Subscriptions* const hub_;
  grpc::CallbackServerContext* const context_;
  const uint64_t id_;
  const SubscriptionRequest request_;

  mutable absl::Mutex mu_;
  // The next position to scan: every record before it was delivered or
  // filtered out.
  uint64_t next_ ABSL_GUARDED_BY(mu_);
  absl::Time position_recorded_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  bool live_ ABSL_GUARDED_BY(mu_) = false;
  bool write_in_flight_ ABSL_GUARDED_BY(mu_) = false;
  bool write_failed_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool cancel_requested_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time last_send_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  uint64_t last_sent_position_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t buffered_records_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t buffered_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t events_sent_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t messages_sent_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t fallbacks_ ABSL_GUARDED_BY(mu_) = 0;
  // The bytes of the message in flight, counted against the principal.
  size_t reserved_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  // The message in flight, alive until OnWriteDone. Written by Step under
  // mu_ and then only read by gRPC while write_in_flight_ is set.
  SubscribeReply reply_;
};

absl::StatusOr<Subscription::Next> Subscription::BuildMessage() {
  const SubscriptionOptions& options = hub_->options();
  const storage::EventLog& log = hub_->log();
  const uint64_t head = log.Head();
  const absl::Time now = absl::Now();
  reply_.Clear();
  // Too far behind the head to call it live: it reads on from disk until
  // it is back at the head.
  if (live_ && head > next_ - 1 + options.max_live_lag) {
    live_ = false;
    ++fallbacks_;
  }
  if (next_ <= head) {
    // The principal's room for bytes in flight bounds the message.
    const size_t room = hub_->BytesAvailable(request_.principal);
    if (room < kMinMessageRoom) return Next::kBlocked;
    const size_t max_bytes = std::min(kMaxBatchBytes, room);
    RecordBatch batch;
    absl::Status header_status;
    const uint64_t last = std::min(head, next_ + kMaxScanRecords - 1);
    // The callback works on copies: it runs outside this function's
    // lock analysis.
    uint64_t scanned_to = next_ - 1;
    absl::Time scanned_recorded_at = position_recorded_at_;
    const uint64_t last_sent = last_sent_position_;
    absl::Status scanned =
        log.Scan(next_, last, [&](uint64_t position, absl::string_view bytes) {
          absl::StatusOr<RecordHeader> header = ReadRecordHeader(bytes);
          if (!header.ok()) {
            header_status = absl::DataLossError(absl::StrCat(
                "record ", position, ": ", header.status().message()));
            return false;
          }
          if (request_.filter.Matches(*header)) batch.Add(bytes);
          scanned_to = position;
          scanned_recorded_at = header->recorded_at;
          if (batch.records() == 0) {
            // Stop for a checkpoint after checkpoint_every_records misses.
            return position - last_sent < options.checkpoint_every_records;
          }
          return batch.records() < request_.max_batch_records &&
                 batch.bytes() < max_bytes;
        });
    next_ = scanned_to + 1;
    position_recorded_at_ = scanned_recorded_at;
    if (!scanned.ok()) return scanned;
    if (!header_status.ok()) return header_status;
    if (batch.records() > 0) {
      SetHeader(head);
      buffered_records_ = batch.records();
      buffered_bytes_ = batch.bytes();
      batch.MoveInto(SubscribeReply::kEventsFieldNumber, reply_);
      return Next::kWrite;
    }
    if (next_ <= head) {
      if (next_ - 1 - last_sent_position_ < options.checkpoint_every_records) {
        return Next::kMore;
      }
      SetHeader(head);
      reply_.mutable_checkpoint();
      return Next::kWrite;
    }
  }
  // Nothing left to scan.
  if (next_ - 1 == head && !live_) {
    live_ = true;
    SetHeader(head);
    reply_.mutable_caught_up();
    return Next::kWrite;
  }
  // Idle at (or beyond) the head. The position moved past records the
  // filter skipped: a checkpoint (also when a heartbeat is due, which it
  // replaces).
  const absl::Duration quiet = now - last_send_;
  if (next_ - 1 > last_sent_position_ &&
      (quiet >= options.checkpoint_interval ||
       quiet >= options.heartbeat_interval)) {
    SetHeader(head);
    reply_.mutable_checkpoint();
    return Next::kWrite;
  }
  if (quiet >= options.heartbeat_interval) {
    SetHeader(head);
    *reply_.mutable_heartbeat()->mutable_server_time() = ToProto(now);
    return Next::kWrite;
  }
  return Next::kIdle;
}

std::unique_ptr<Subscriptions> Subscriptions::Start(
    storage::EventLog* log, const SubscriptionOptions& options) {
  std::unique_ptr<Subscriptions> subscriptions(new Subscriptions(log, options));
  Subscriptions* self = subscriptions.get();
  {
    absl::MutexLock lock(&self->mu_);
    self->head_ = log->Head();
    self->next_tick_ = absl::Now() + self->tick_;
  }
  self->listener_id_ =
      log->AddHeadListener([self](uint64_t head) { self->OnHead(head); });
  for (int i = 0; i < std::max(1, options.workers); ++i) {
    self->workers_.emplace_back([self] { self->Work(); });
  }
  return subscriptions;
}

Subscriptions::Subscriptions(storage::EventLog* log,
                             const SubscriptionOptions& options)
    : log_(log),
      options_(options),
      tick_(std::max(
          absl::Milliseconds(5),
          std::min(options.heartbeat_interval, options.checkpoint_interval) /
              4)) {}

Subscriptions::~Subscriptions() { Stop(); }

grpc::ServerWriteReactor<SubscribeReply>* Subscriptions::Subscribe(
    grpc::CallbackServerContext* context, const absl::Status& status,
    SubscriptionRequest request) {
  absl::Status refusal = status;
  uint64_t id = 0;
  Subscription* subscription = nullptr;
  if (refusal.ok() && ending()) {
    refusal = absl::UnavailableError("the server is shutting down");
  }
  if (refusal.ok()) {
    absl::MutexLock lock(&mu_);
    size_t& mine = per_principal_[request.principal];
    if (entries_.size() >= options_.max_subscriptions) {
      refusal = absl::ResourceExhaustedError(absl::StrCat(
          "the server already serves ", entries_.size(), " subscriptions"));
    } else if (mine >= options_.max_subscriptions_per_principal) {
      refusal = absl::ResourceExhaustedError(
          absl::StrCat(request.principal, " already runs ", mine,
                       " subscriptions, the most one principal may"));
    } else {
      id = next_id_++;
      // Reserved: counts against the limits, not yet scheduled.
      entries_[id].principal = request.principal;
      ++mine;
    }
    if (mine == 0) per_principal_.erase(request.principal);
  }
  if (refusal.ok()) {
    subscription =
        new Subscription(this, context, id, std::move(request), log_->Head());
    absl::MutexLock lock(&mu_);
    entries_[id].subscription = subscription;
    ScheduleLocked(id);
  }
  if (subscription != nullptr) return subscription;
  // A reactor that only finishes.
  class Refusal final : public grpc::ServerWriteReactor<SubscribeReply> {
   public:
    explicit Refusal(const absl::Status& status) {
      Finish(ToGrpcStatus(status));
    }
    void OnDone() override { delete this; }
  };
  return new Refusal(refusal);
}

void Subscriptions::EndAll(absl::Duration patience) {
  ending_.store(true, std::memory_order_release);
  {
    absl::MutexLock lock(&mu_);
    for (auto& [id, entry] : entries_) ScheduleLocked(id);
  }
  if (WaitUntilFewerThan(1, absl::Now() + patience) == 0) return;
  cancelling_stuck_.store(true, std::memory_order_release);
  absl::MutexLock lock(&mu_);
  for (auto& [id, entry] : entries_) ScheduleLocked(id);
}

size_t Subscriptions::WaitUntilFewerThan(size_t count,
                                         absl::Time deadline) const {
  absl::MutexLock lock(&mu_);
  auto fewer = [this, count]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return entries_.size() < count;
  };
  mu_.AwaitWithDeadline(absl::Condition(&fewer), deadline);
  return entries_.size();
}

void Subscriptions::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopped_) return;
    stopped_ = true;
    stopping_ = true;
  }
  log_->RemoveHeadListener(listener_id_);
  for (std::thread& worker : workers_) worker.join();
  workers_.clear();
}

std::vector<gavel::v1::SubscriberStatus> Subscriptions::Status() const {
  const uint64_t head = log_->Head();
  const absl::Time head_recorded_at = log_->HeadRecordedAt();
  std::vector<gavel::v1::SubscriberStatus> out;
  absl::MutexLock lock(&mu_);
  out.reserve(entries_.size());
  for (const auto& [id, entry] : entries_) {
    if (entry.subscription == nullptr) continue;
    out.push_back(entry.subscription->Status(head, head_recorded_at));
  }
  std::sort(
      out.begin(), out.end(),
      [](const gavel::v1::SubscriberStatus& a,
         const gavel::v1::SubscriberStatus& b) { return a.id() < b.id(); });
  return out;
}

void Subscriptions::Schedule(uint64_t id) {
  absl::MutexLock lock(&mu_);
  ScheduleLocked(id);
}

void Subscriptions::ScheduleLocked(uint64_t id) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  Entry& entry = it->second;
  entry.waiting = false;
  if (entry.running) {
    entry.rerun = true;
  } else if (!entry.queued) {
    entry.queued = true;
    ready_.push_back(id);
  }
}

void Subscriptions::Idle(uint64_t id, uint64_t position) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  // The head may have moved since the step looked at it: then the listener
  // has already run and would not wake this subscription again.
  if (head_ > position) {
    ScheduleLocked(id);
  } else if (!it->second.rerun) {
    it->second.waiting = true;
  }
}

void Subscriptions::Release(uint64_t id) {
  Subscription* done = nullptr;
  {
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(id);
    if (it == entries_.end()) return;
    if (it->second.running) {
      it->second.done = true;
      return;
    }
    done = it->second.subscription;
    // A queued id whose entry is gone is skipped by the workers.
    EraseLocked(it);
  }
  delete done;
}

void Subscriptions::EraseLocked(
    absl::flat_hash_map<uint64_t, Entry>::iterator it) {
  auto mine = per_principal_.find(it->second.principal);
  if (mine != per_principal_.end() && --mine->second == 0) {
    per_principal_.erase(mine);
  }
  entries_.erase(it);
}

size_t Subscriptions::BytesAvailable(const std::string& principal) const {
  absl::MutexLock lock(&budget_mu_);
  auto it = bytes_in_flight_.find(principal);
  const size_t used = it == bytes_in_flight_.end() ? 0 : it->second;
  return used >= options_.max_buffered_bytes_per_principal
             ? 0
             : options_.max_buffered_bytes_per_principal - used;
}

void Subscriptions::AddBytesInFlight(const std::string& principal,
                                     size_t bytes) {
  absl::MutexLock lock(&budget_mu_);
  bytes_in_flight_[principal] += bytes;
}

void Subscriptions::RemoveBytesInFlight(const std::string& principal,
                                        size_t bytes) {
  absl::MutexLock lock(&budget_mu_);
  auto it = bytes_in_flight_.find(principal);
  if (it == bytes_in_flight_.end()) return;
  it->second -= std::min(it->second, bytes);
  if (it->second == 0) bytes_in_flight_.erase(it);
}

void Subscriptions::OnHead(uint64_t head) {
  absl::MutexLock lock(&mu_);
  head_ = head;
  for (auto& [id, entry] : entries_) {
    if (entry.waiting) ScheduleLocked(id);
  }
}

void Subscriptions::Work() {
  mu_.Lock();
  auto has_work = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return stopping_ || !ready_.empty();
  };
  while (true) {
    // Without subscriptions there is no timer to serve.
    mu_.AwaitWithDeadline(
        absl::Condition(&has_work),
        entries_.empty() ? absl::InfiniteFuture() : next_tick_);
    if (stopping_) break;
    const absl::Time now = absl::Now();
    if (now >= next_tick_) {
      // Idle subscriptions look at their heartbeat and checkpoint timers.
      next_tick_ = now + tick_;
      for (auto& [id, entry] : entries_) {
        if (entry.waiting) ScheduleLocked(id);
      }
    }
    if (ready_.empty()) continue;
    const uint64_t id = ready_.front();
    ready_.pop_front();
    auto it = entries_.find(id);
    if (it == entries_.end()) continue;
    it->second.queued = false;
    // Reserved by Subscribe, not yet constructed: it schedules itself.
    if (it->second.subscription == nullptr) continue;
    it->second.running = true;
    Subscription* subscription = it->second.subscription;
    mu_.Unlock();
    subscription->Step();
    mu_.Lock();
    // Release() leaves a running entry in place, so it is still there.
    Entry& entry = entries_[id];
    entry.running = false;
    if (entry.done) {
      EraseLocked(entries_.find(id));
      mu_.Unlock();
      delete subscription;
      mu_.Lock();
    } else if (entry.rerun) {
      entry.rerun = false;
      ScheduleLocked(id);
    }
  }
  mu_.Unlock();
}

}  // namespace gavel::services
