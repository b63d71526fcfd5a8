#include "services/metrics_endpoint.h"

#include <sys/socket.h>

#include <atomic>
#include <memory>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "httplib.h"

namespace gavel::services {
namespace {

// Scrapes are small and rare: two threads, short timeouts, no bodies.
constexpr int kThreads = 2;
constexpr int kTimeoutSeconds = 5;

// "host:port" or "[v6]:port" split into host and port.
absl::StatusOr<std::pair<std::string, int>> SplitAddress(
    absl::string_view listen) {
  const size_t colon = listen.rfind(':');
  int port = 0;
  if (colon == absl::string_view::npos ||
      !absl::SimpleAtoi(listen.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("metrics address ", listen, " is not host:port"));
  }
  absl::string_view host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("metrics address ", listen, " has no host"));
  }
  return std::make_pair(std::string(host), port);
}

}  // namespace

absl::StatusOr<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::Start(
    absl::string_view listen, std::function<std::string()> render) {
  absl::StatusOr<std::pair<std::string, int>> address = SplitAddress(listen);
  if (!address.ok()) return address.status();
  std::unique_ptr<MetricsEndpoint> endpoint(new MetricsEndpoint());
  endpoint->http_ = std::make_unique<httplib::Server>();
  httplib::Server& http = *endpoint->http_;
  http.new_task_queue = [] { return new httplib::ThreadPool(kThreads); };
  http.set_read_timeout(kTimeoutSeconds, 0);
  http.set_write_timeout(kTimeoutSeconds, 0);
  http.set_keep_alive_timeout(kTimeoutSeconds);
  http.set_payload_max_length(0);
  // httplib's default also sets SO_REUSEPORT, which would let a second
  // server share (and silently split) the port.
  http.set_socket_options([](int socket) {
    int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  http.Get("/metrics", [render = std::move(render)](const httplib::Request&,
                                                    httplib::Response& res) {
    res.set_content(render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  const auto& [host, port] = *address;
  if (port == 0) {
    endpoint->port_ = http.bind_to_any_port(host);
    if (endpoint->port_ <= 0) endpoint->port_ = 0;
  } else if (http.bind_to_port(host, port)) {
    endpoint->port_ = port;
  }
  if (endpoint->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen for metrics on ", listen));
  }
  auto finished = std::make_shared<std::atomic<bool>>(false);
  endpoint->thread_ = std::thread([&http, finished] {
    http.listen_after_bind();
    finished->store(true);
  });
  // httplib's stop() does nothing until the server runs: wait for that, so
  // that the destructor can always stop it.
  while (!http.is_running() && !finished->load()) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  return endpoint;
}

MetricsEndpoint::~MetricsEndpoint() {
  if (http_ != nullptr) http_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace gavel::services
