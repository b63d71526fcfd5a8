#include "writer/command_processor.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "domain/rejection.h"
#include "writer/command_router.h"

namespace gavel::writer {
namespace {

// Upper bounds of the batch-size histogram; the last bucket is unbounded.
constexpr uint32_t kBatchBuckets[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};

// How long a failed process keeps answering (every command with
// UNAVAILABLE, reads as usual) before it exits: long enough for the failed
// batch's replies, with their reason, to reach the callers.
constexpr absl::Duration kWriteFailureGrace = absl::Milliseconds(300);

void DefaultWriteFailure(const absl::Status& status) {
  std::fprintf(stderr,
               "gavel: a write failed (%s); exiting, restart recovers "
               "by replay\n",
               status.ToString().c_str());
  ExitAfterWriteFailure();
}

// The records [first, last] as stored, for a reply.
absl::StatusOr<std::vector<storage::StoredEvent>> ReadRange(
    const storage::EventLog& log, uint64_t first, uint64_t last) {
  if (first == 0 || last < first) return std::vector<storage::StoredEvent>{};
  return log.ReadAll(first, last - first + 1);
}

absl::StatusOr<CommandOutcome> OutcomeOf(const storage::EventLog& log,
                                         const storage::AppendResult& result) {
  CommandOutcome outcome;
  outcome.first_position = result.first_position;
  outcome.last_position = result.last_position;
  outcome.deduplicated = result.deduplicated;
  if (!result.streams.empty()) {
    outcome.stream_id = result.streams.front().stream_id;
    outcome.version = result.streams.front().last_version;
  }
  absl::StatusOr<std::vector<storage::StoredEvent>> events =
      ReadRange(log, result.first_position, result.last_position);
  if (!events.ok()) return events.status();
  outcome.events = *std::move(events);
  return outcome;
}

// Every record in [first, last] (none when first is 0), in order.
absl::StatusOr<std::vector<storage::StoredEvent>> ReadWritten(
    const storage::EventLog& log, uint64_t first, uint64_t last) {
  std::vector<storage::StoredEvent> records;
  if (first == 0) return records;
  records.reserve(last - first + 1);
  for (uint64_t next = first; next <= last;) {
    absl::StatusOr<std::vector<storage::StoredEvent>> chunk = log.ReadAll(
        next,
        std::min<uint64_t>(last - next + 1, storage::EventLog::kMaxReadLimit));
    if (!chunk.ok()) return chunk.status();
    if (chunk->empty()) {
      return absl::InternalError(
          absl::StrCat("records ", next, "..", last, " were not readable"));
    }
    for (storage::StoredEvent& record : *chunk) {
      records.push_back(std::move(record));
    }
    next = records.back().position + 1;
  }
  if (records.size() != last - first + 1) {
    return absl::InternalError("the written records are not dense");
  }
  return records;
}

// The outcome of `result`, whose records are in `written` (the records
// from position `first` on).
CommandOutcome OutcomeOf(const storage::AppendResult& result,
                         const std::vector<storage::StoredEvent>& written,
                         uint64_t first) {
  CommandOutcome outcome;
  outcome.first_position = result.first_position;
  outcome.last_position = result.last_position;
  outcome.deduplicated = result.deduplicated;
  if (!result.streams.empty()) {
    outcome.stream_id = result.streams.front().stream_id;
    outcome.version = result.streams.front().last_version;
  }
  outcome.events.assign(written.begin() + (result.first_position - first),
                        written.begin() + (result.last_position - first + 1));
  return outcome;
}

absl::Status Unavailable(absl::string_view why) {
  return absl::UnavailableError(why);
}

}  // namespace

void ExitAfterWriteFailure() {
  absl::SleepFor(kWriteFailureGrace);
  std::_Exit(70);
}

std::unique_ptr<CommandProcessor> CommandProcessor::Start(
    storage::EventLog* log, const CommandProcessorOptions& options) {
  std::unique_ptr<CommandProcessor> processor(
      new CommandProcessor(log, options));
  processor->writer_ = std::thread([p = processor.get()] { p->Run(); });
  processor->replier_ = std::thread([p = processor.get()] { p->RunReplies(); });
  return processor;
}

CommandProcessor::CommandProcessor(storage::EventLog* log,
                                   const CommandProcessorOptions& options)
    : log_(log),
      options_(options),
      store_(std::make_unique<AggregateStore>(
          log, options.aggregate_cache_entries)) {
  for (uint32_t bound : kBatchBuckets) {
    stats_.add_batch_sizes()->set_max_commands(bound);
  }
  stats_.add_batch_sizes()->set_max_commands(0);
}

CommandProcessor::~CommandProcessor() { Shutdown(); }

void CommandProcessor::Submit(PendingCommand command, CommandDone done) {
  absl::Status refused;
  const size_t bytes = command.command.ByteSizeLong() + command.digest.size() +
                       command.command_id.size() + command.actor.size() +
                       command.correlation_id.size();
  {
    absl::MutexLock lock(&queue_mu_);
    if (stopping_) {
      refused = Unavailable("the server is shutting down");
    } else if (failed_) {
      refused = Unavailable(
          "the server stopped writing after a failed write; restart it");
    } else if (queue_.size() >= options_.max_queued_commands ||
               queued_bytes_ + bytes > options_.max_queued_bytes) {
      refused = absl::ResourceExhaustedError(
          "too many commands are waiting for the writer; retry later");
    } else {
      queued_bytes_ += bytes;
      queue_.push_back(Queued{std::move(command), std::move(done), bytes});
      return;
    }
  }
  done(refused);
}

void CommandProcessor::Shutdown() {
  {
    absl::MutexLock lock(&queue_mu_);
    stopping_ = true;
  }
  if (writer_.joinable()) writer_.join();
  {
    absl::MutexLock lock(&reply_mu_);
    replies_closed_ = true;
  }
  if (replier_.joinable()) replier_.join();
}

gavel::v1::WriterStats CommandProcessor::Stats() const {
  gavel::v1::WriterStats stats;
  {
    absl::MutexLock lock(&stats_mu_);
    stats = stats_;
  }
  absl::MutexLock lock(&queue_mu_);
  stats.set_queued(queue_.size());
  return stats;
}

void CommandProcessor::Run() {
  for (;;) {
    std::vector<Queued> batch;
    {
      absl::MutexLock lock(&queue_mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(queue_mu_) {
        return !queue_.empty() || stopping_;
      };
      queue_mu_.Await(absl::Condition(&ready));
      if (queue_.empty()) return;  // stopping, and drained
      const size_t n = std::min(queue_.size(), options_.max_batch_commands);
      batch.reserve(n);
      for (size_t i = 0; i < n; ++i) {
        queued_bytes_ -= queue_.front().bytes;
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    ProcessBatch(std::move(batch));
  }
}

void CommandProcessor::ProcessBatch(std::vector<Queued> batch) {
  bool failed;
  {
    absl::MutexLock lock(&queue_mu_);
    failed = failed_;
  }
  if (failed) {
    for (Queued& queued : batch) {
      queued.done(Unavailable(
          "the server stopped writing after a failed write; restart it"));
    }
    return;
  }
  PendingWrite write;
  // Counted before the reply, so a caller that sees its reply sees the
  // count too (as with accepted commands).
  auto reject = [this](Queued& queued, absl::Status status) {
    {
      absl::MutexLock lock(&stats_mu_);
      stats_.set_commands_rejected(stats_.commands_rejected() + 1);
    }
    queued.done(std::move(status));
  };
  auto count_deduplicated = [this]() {
    absl::MutexLock lock(&stats_mu_);
    stats_.set_commands_deduplicated(stats_.commands_deduplicated() + 1);
  };
  const absl::Time now = options_.clock ? options_.clock() : absl::Now();
  // Positions are dense and assigned in order: the head as it will be once
  // the commands decided so far are written.
  uint64_t head = log_->Head();

  for (size_t i = 0; i < batch.size(); ++i) {
    Queued& queued = batch[i];
    const PendingCommand& pending = queued.command;
    // Idempotency: a retry within this batch, or of a committed command.
    if (auto it = write.ids.find(pending.command_id); it != write.ids.end()) {
      if (absl::Status s = storage::CheckRetry(
              pending.command_id, write.requests[it->second].content_digest,
              pending.digest);
          !s.ok()) {
        reject(queued, std::move(s));
      } else {
        count_deduplicated();
        write.waiters.push_back(Waiter{std::move(queued.done), it->second,
                                       /*retry=*/true});
      }
      continue;
    }
    absl::StatusOr<std::optional<storage::CommittedCommand>> earlier =
        log_->FindCommand(pending.command_id);
    if (!earlier.ok()) {
      queued.done(earlier.status());
      continue;
    }
    if (earlier->has_value()) {
      if (absl::Status s = storage::CheckRetry(
              pending.command_id, (*earlier)->content_digest, pending.digest);
          !s.ok()) {
        reject(queued, std::move(s));
        continue;
      }
      count_deduplicated();
      storage::AppendResult result = (*earlier)->result;
      result.deduplicated = true;
      queued.done(OutcomeOf(*log_, result));
      continue;
    }

    CommandEnv env{now, pending.actor, head, pending.expected_version};
    absl::StatusOr<DecidedCommand> decided =
        DecideCommand(pending.command, env, *store_);
    if (!decided.ok()) {
      reject(queued, decided.status());
      continue;
    }
    storage::AppendRequest request;
    request.command_id = pending.command_id;
    request.content_digest = pending.digest;
    request.actor = pending.actor;
    request.correlation_id = pending.correlation_id;
    request.streams = std::move(decided->appends);
    // One request the log would refuse must not fail the whole batch.
    if (absl::Status valid = log_->Validate({&request, 1}); !valid.ok()) {
      reject(queued, valid);
      continue;
    }
    size_t bytes = 0;
    for (const storage::StreamAppend& append : request.streams) {
      for (const storage::NewEvent& event : append.events) {
        bytes += event.payload.size();
      }
    }
    if (!write.requests.empty() &&
        write.bytes + bytes > log_->max_batch_bytes()) {
      if (!Commit(write)) {
        for (size_t j = i; j < batch.size(); ++j) {
          batch[j].done(Unavailable("the write failed"));
        }
        return;
      }
      write = PendingWrite();
    }
    decided->apply();
    for (const storage::StreamAppend& append : request.streams) {
      head += append.events.size();
      store_->SetLastPosition(append.stream_id, head);
    }
    write.bytes += bytes;
    write.ids.emplace(pending.command_id, write.requests.size());
    write.waiters.push_back(
        Waiter{std::move(queued.done), write.requests.size(), false});
    write.requests.push_back(std::move(request));
  }
  if (!write.requests.empty()) Commit(write);
  store_->EndBatch();
}

bool CommandProcessor::Commit(PendingWrite& write) {
  const absl::Time append_started = absl::Now();
  absl::StatusOr<std::vector<storage::AppendResult>> results =
      log_->Append(write.requests);
  const absl::Duration append_time = absl::Now() - append_started;
  if (!results.ok()) {
    // Fail-stop: nothing of this write is durable and the in-memory
    // aggregates are ahead of the log. Refuse everything from now on.
    {
      absl::MutexLock lock(&queue_mu_);
      failed_ = true;
    }
    for (Waiter& waiter : write.waiters) {
      waiter.done(Unavailable(
          absl::StrCat("the write failed: ", results.status().message())));
    }
    (options_.on_write_failure ? options_.on_write_failure
                               : DefaultWriteFailure)(results.status());
    return false;
  }
  size_t events = 0;
  for (const storage::AppendResult& result : *results) {
    events += result.last_position - result.first_position + 1;
  }
  {
    absl::MutexLock lock(&stats_mu_);
    stats_.set_commands_accepted(stats_.commands_accepted() +
                                 write.requests.size());
    stats_.set_append_micros(stats_.append_micros() +
                             absl::ToInt64Microseconds(append_time));
  }
  RecordBatch(write.requests.size(), events);
  if (options_.observer != nullptr) {
    options_.observer->OnCommit(append_time, write.requests.size());
  }
  // Statistics first: a caller that sees its reply sees them too. When
  // commands are waiting, the replies (reading the records back, finishing
  // the RPCs) go to the reply thread while this thread decides and writes
  // the next batch; when none are, this thread replies itself and spares
  // the callers a thread hand-off.
  Reply reply{std::move(write.waiters), *std::move(results)};
  bool waiting;
  {
    absl::MutexLock lock(&queue_mu_);
    waiting = !queue_.empty();
  }
  if (!waiting) {
    SendReplies(reply);
    return true;
  }
  absl::MutexLock lock(&reply_mu_);
  replies_.push_back(std::move(reply));
  return true;
}

void CommandProcessor::RunReplies() {
  for (;;) {
    std::deque<Reply> replies;
    {
      absl::MutexLock lock(&reply_mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(reply_mu_) {
        return !replies_.empty() || replies_closed_;
      };
      reply_mu_.Await(absl::Condition(&ready));
      if (replies_.empty()) return;  // closed, and drained
      replies.swap(replies_);
    }
    for (Reply& reply : replies) SendReplies(reply);
  }
}

void CommandProcessor::SendReplies(Reply& reply) {
  // The records this write added, read back with one scan for every
  // reply (not one per command).
  uint64_t first = 0, last = 0;
  for (const storage::AppendResult& result : reply.results) {
    if (result.deduplicated || result.first_position == 0) continue;
    if (first == 0 || result.first_position < first) {
      first = result.first_position;
    }
    last = std::max(last, result.last_position);
  }
  absl::StatusOr<std::vector<storage::StoredEvent>> written =
      ReadWritten(*log_, first, last);
  for (Waiter& waiter : reply.waiters) {
    const storage::AppendResult& committed = reply.results[waiter.request];
    storage::AppendResult result = committed;
    result.deduplicated = waiter.retry;
    if (written.ok() && first != 0 && !committed.deduplicated &&
        result.first_position >= first && result.last_position <= last) {
      waiter.done(OutcomeOf(result, *written, first));
    } else {
      waiter.done(OutcomeOf(*log_, result));
    }
  }
}

void CommandProcessor::RecordBatch(size_t commands, size_t events) {
  absl::MutexLock lock(&stats_mu_);
  stats_.set_appends(stats_.appends() + 1);
  stats_.set_events_appended(stats_.events_appended() + events);
  stats_.set_largest_batch(
      std::max<uint64_t>(stats_.largest_batch(), commands));
  for (gavel::v1::BatchSizeBucket& bucket : *stats_.mutable_batch_sizes()) {
    if (bucket.max_commands() == 0 || commands <= bucket.max_commands()) {
      bucket.set_batches(bucket.batches() + 1);
      break;
    }
  }
}

}  // namespace gavel::writer
