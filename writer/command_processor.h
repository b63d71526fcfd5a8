// The single writer: one thread takes every command waiting in its queue,
// decides each against in-memory aggregate state, and commits the whole
// batch with ONE synced EventLog::Append (group commit). DESIGN.md §2.
#ifndef GAVEL_WRITER_COMMAND_PROCESSOR_H_
#define GAVEL_WRITER_COMMAND_PROCESSOR_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gavel/v1/command.pb.h"
#include "gavel/v1/writer_stats.pb.h"
#include "storage/event_log.h"
#include "writer/aggregate_store.h"

namespace gavel::writer {

// A command as the writer receives it: the domain command plus what the
// server knows about the call.
struct PendingCommand {
  gavel::v1::Command command;
  // Idempotency key (validated non-empty by the caller).
  std::string command_id;
  // Fingerprint of the request; a retry must match it.
  std::string digest;
  std::optional<uint64_t> expected_version;
  std::string correlation_id;
  // The authenticated principal.
  std::string actor;
};

// What a committed (or earlier committed) command produced.
struct CommandOutcome {
  uint64_t first_position = 0;
  uint64_t last_position = 0;
  std::string stream_id;
  uint64_t version = 0;
  std::vector<storage::StoredEvent> events;
  bool deduplicated = false;
};

// Called exactly once per command: on the writer thread (rejections,
// retries of earlier commands, and committed commands when no other command
// is waiting), on the reply thread (committed commands while the writer has
// more work), or on the caller's thread when Submit refuses it at once. It must
// be quick (finish an RPC, signal a waiter) and must not call Submit.
using CommandDone = std::function<void(absl::StatusOr<CommandOutcome>)>;

// Told of every group commit, on the writer thread (e.g. by the server's
// metrics). Implementations must be quick and thread-safe.
class CommitObserver {
 public:
  virtual ~CommitObserver() = default;
  // One synced append of `commands` commands took `append_time` (the fsync
  // included).
  virtual void OnCommit(absl::Duration append_time, size_t commands) = 0;
};

// The default CommandProcessorOptions::on_write_failure after its message:
// keeps the process answering for 300 ms (every command UNAVAILABLE, so
// that the failed batch's replies get out), then exits with code 70.
[[noreturn]] void ExitAfterWriteFailure();

struct CommandProcessorOptions {
  // Most commands decided and committed together.
  size_t max_batch_commands = 1024;
  // Most commands waiting for the writer; beyond it Submit refuses with
  // RESOURCE_EXHAUSTED (bounded memory under overload).
  size_t max_queued_commands = 16384;
  // ... and beyond this many bytes of queued commands (their serialized
  // size): the queue's memory is bounded whatever the commands' sizes.
  size_t max_queued_bytes = 64 << 20;
  // Aggregates kept in memory between batches (least recently used
  // evicted). An aggregate's state does not grow with its history (a few
  // KiB for an initiative that passed every gate), so this bounds the
  // writer's memory; a miss reloads the aggregate from its stream.
  size_t aggregate_cache_entries = 20000;
  // Server clock for decisions; defaults to absl::Now.
  std::function<absl::Time()> clock;
  // Called when a write fails: the process must stop and recover by
  // replay (fail-stop). The default writes the error to stderr and calls
  // ExitAfterWriteFailure(); the server logs it first, tests replace it.
  // Commands of the failed batch get UNAVAILABLE first.
  std::function<void(const absl::Status&)> on_write_failure;
  // Told of every group commit (optional; must outlive the processor).
  CommitObserver* observer = nullptr;
};

// Thread-safe: Submit() and Stats() from any thread.
class CommandProcessor {
 public:
  // Starts the writer thread over `log`, which must outlive the processor.
  static std::unique_ptr<CommandProcessor> Start(
      storage::EventLog* log, const CommandProcessorOptions& options);

  CommandProcessor(const CommandProcessor&) = delete;
  CommandProcessor& operator=(const CommandProcessor&) = delete;
  // Shuts down (see Shutdown).
  ~CommandProcessor();

  // Queues `command`; `done` reports its outcome: the committed positions
  // and events, a rejection (domain reasons; ABORTED VERSION_CONFLICT for
  // a failed expected_version; ALREADY_EXISTS for a reused command_id with
  // a different digest; INVALID_ARGUMENT for events the log would refuse),
  // RESOURCE_EXHAUSTED when the queue is full, or UNAVAILABLE when shutting
  // down or after a failed write. A rejected command leaves no trace: a
  // retry of it is decided again.
  void Submit(PendingCommand command, CommandDone done);

  // Stops taking commands, decides and commits what is queued, finishes
  // the write in flight, sends every reply and joins the writer and reply
  // threads. Idempotent.
  void Shutdown();

  // Writer statistics, including the batch-size distribution.
  gavel::v1::WriterStats Stats() const;

 private:
  struct Queued {
    PendingCommand command;
    CommandDone done;
    // What it counts against max_queued_bytes.
    size_t bytes = 0;
  };
  // A caller waiting for its command's write.
  struct Waiter {
    CommandDone done;
    size_t request;  // index into PendingWrite::requests
    bool retry;      // a retry of an earlier command in the same write
  };
  // Commands decided and accepted, not yet written.
  struct PendingWrite {
    std::vector<storage::AppendRequest> requests;
    std::vector<Waiter> waiters;
    absl::flat_hash_map<std::string, size_t> ids;  // command_id -> request
    size_t bytes = 0;
  };

  // A committed write whose callers are waiting for their replies.
  struct Reply {
    std::vector<Waiter> waiters;
    std::vector<storage::AppendResult> results;  // one per request
  };

  CommandProcessor(storage::EventLog* log,
                   const CommandProcessorOptions& options);
  void Run();
  // The reply thread: sends the replies of the committed writes queued to
  // it, in commit order, until Shutdown closes the queue and it is
  // drained.
  void RunReplies();
  void SendReplies(Reply& reply);
  void ProcessBatch(std::vector<Queued> batch);
  // Appends `write` with one synced write and replies to its waiters, or
  // queues the replies for the reply thread when commands are waiting. False
  // after a failed write (the processor has failed; its waiters have their
  // error).
  bool Commit(PendingWrite& write);
  void RecordBatch(size_t commands, size_t events)
      ABSL_LOCKS_EXCLUDED(stats_mu_);

  storage::EventLog* const log_;
  const CommandProcessorOptions options_;

  mutable absl::Mutex queue_mu_;
  std::deque<Queued> queue_ ABSL_GUARDED_BY(queue_mu_);
  size_t queued_bytes_ ABSL_GUARDED_BY(queue_mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(queue_mu_) = false;
  bool failed_ ABSL_GUARDED_BY(queue_mu_) = false;

  // Owned by the writer thread.
  std::unique_ptr<AggregateStore> store_;

  mutable absl::Mutex stats_mu_;
  gavel::v1::WriterStats stats_ ABSL_GUARDED_BY(stats_mu_);

  // Committed writes waiting for the reply thread.
  absl::Mutex reply_mu_;
  std::deque<Reply> replies_ ABSL_GUARDED_BY(reply_mu_);
  bool replies_closed_ ABSL_GUARDED_BY(reply_mu_) = false;

  std::thread writer_;
  std::thread replier_;
};

}  // namespace gavel::writer

#endif  // GAVEL_WRITER_COMMAND_PROCESSOR_H_
