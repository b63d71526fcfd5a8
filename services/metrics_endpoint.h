// The HTTP endpoint Prometheus scrapes: GET /metrics on its own address,
// served by cpp-httplib (Debian's libcpp-httplib) on a small bounded pool
// of threads, apart from the gRPC port.
#ifndef GAVEL_SERVICES_METRICS_ENDPOINT_H_
#define GAVEL_SERVICES_METRICS_ENDPOINT_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace httplib {
class Server;
}

namespace gavel::services {

// Thread-safe.
class MetricsEndpoint {
 public:
  // Listens on `listen` (host:port, [v6-host]:port; port 0 picks a free
  // port) and answers GET /metrics with `render()` in the Prometheus text
  // format (other paths: 404). `render` is called on the endpoint's threads
  // and must be thread-safe. INVALID_ARGUMENT for a malformed address,
  // UNAVAILABLE when it cannot be bound.
  static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(
      absl::string_view listen, std::function<std::string()> render);

  MetricsEndpoint(const MetricsEndpoint&) = delete;
  MetricsEndpoint& operator=(const MetricsEndpoint&) = delete;
  // Stops listening and joins the endpoint's threads.
  ~MetricsEndpoint();

  // The port actually bound.
  int port() const { return port_; }

 private:
  MetricsEndpoint() = default;

  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_METRICS_ENDPOINT_H_
