// A server-streaming reactor that writes its reply one message at a time,
// each after the previous one is on its way: the base of the reactors that
// stream a long answer (GetEntries, ExportDecisions) without holding more
// than one message and without blocking a gRPC thread.
#ifndef GAVEL_SERVICES_CHUNKED_WRITE_REACTOR_H_
#define GAVEL_SERVICES_CHUNKED_WRITE_REACTOR_H_

#include "grpcpp/support/server_callback.h"
#include "grpcpp/support/status.h"

namespace gavel::services {

// Subclasses implement WriteNext(): StartWrite() the next message (kept
// alive until the write is done) or Finish(). It is called again after
// each write; a failed write finishes the call CANCELLED. The reactor
// deletes itself when gRPC is done with it.
template <typename Reply>
class ChunkedWriteReactor : public grpc::ServerWriteReactor<Reply> {
 public:
  void OnWriteDone(bool ok) override {
    if (!ok) {
      this->Finish(
          grpc::Status(grpc::StatusCode::CANCELLED, "the write failed"));
      return;
    }
    WriteNext();
  }

  void OnDone() override { delete this; }

 protected:
  // Writes the next message or finishes the call.
  virtual void WriteNext() = 0;
};

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_CHUNKED_WRITE_REACTOR_H_
