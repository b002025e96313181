#include "core/runtime/httplib_client.h"

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/base/assert.h"

namespace invsync::runtime {
namespace {

using SteadyClock = std::chrono::steady_clock;

struct Job {
  base::HttpRequest request;
  base::HttpCallback callback;
};

// (seconds, microseconds) for cpp-httplib's timeout setters; at least 1 ms.
std::pair<time_t, time_t> split(base::Duration d) {
  const int64_t us = std::max<int64_t>(d.us(), 1'000);
  return {static_cast<time_t>(us / 1'000'000), static_cast<time_t>(us % 1'000'000)};
}

base::HttpResponse to_response(const httplib::Response& r) {
  base::HttpResponse out;
  out.status = r.status;
  for (const auto& [k, v] : r.headers) out.headers.add(k, v);
  out.body = r.body;
  return out;
}

base::Status transport_error(httplib::Error error, base::Duration elapsed, base::Duration timeout) {
  const std::string what = httplib::to_string(error);
  switch (error) {
    case httplib::Error::Read:
    case httplib::Error::Write:
      // cpp-httplib reports an expired read/write timeout as a plain read/write error.
      if (elapsed + base::Duration::milliseconds(50) >= timeout) {
        return base::Status::timeout("no answer within " + std::to_string(timeout.ms()) + " ms");
      }
      return base::Status::unavailable("connection failed: " + what);
    default:
      return base::Status::unavailable("connection failed: " + what);
  }
}

}  // namespace

struct HttplibClient::Impl {
  base::Scheduler& scheduler;
  HttplibClientOptions options;
  std::mutex mu;
  std::condition_variable wake;
  std::deque<Job> queue;                  // guarded by mu
  std::set<httplib::Client*> in_flight;   // guarded by mu
  bool stopping = false;                  // guarded by mu
  std::vector<std::thread> workers;

  Impl(base::Scheduler& s, HttplibClientOptions o) : scheduler(s), options(o) {}

  void worker_loop();
  base::Result<base::HttpResponse> execute(
      std::map<std::string, std::unique_ptr<httplib::Client>>& clients,
      const base::HttpRequest& request);
  void complete(base::HttpCallback callback, base::Result<base::HttpResponse> result) {
    // std::function needs a copyable callable: the result travels in a shared_ptr.
    auto shared = std::make_shared<base::Result<base::HttpResponse>>(std::move(result));
    scheduler.post([callback = std::move(callback), shared]() { callback(std::move(*shared)); });
  }
};

base::Result<base::HttpResponse> HttplibClient::Impl::execute(
    std::map<std::string, std::unique_ptr<httplib::Client>>& clients,
    const base::HttpRequest& request) {
  if (request.base_url.empty()) return base::Status::invalid_argument("request has no base_url");
  auto it = clients.find(request.base_url);
  if (it == clients.end()) {
    if (static_cast<int32_t>(clients.size()) >= options.origins_per_worker_max) clients.clear();
    auto c = std::make_unique<httplib::Client>(request.base_url);
    if (!c->is_valid()) return base::Status::invalid_argument("unsupported base_url scheme");
    c->set_tcp_nodelay(true);
    c->set_keep_alive(true);
    c->set_url_encode(false);  // targets arrive percent-encoded
    c->set_follow_location(false);
    if (request.base_url.rfind("https://", 0) == 0) c->enable_server_certificate_verification(true);
    it = clients.emplace(request.base_url, std::move(c)).first;
  }
  httplib::Client& client = *it->second;
  const base::Duration timeout = request.timeout;
  const auto [connect_s, connect_us] = split(std::min(timeout, options.connect_timeout_max));
  const auto [io_s, io_us] = split(timeout);
  client.set_connection_timeout(connect_s, connect_us);
  client.set_read_timeout(io_s, io_us);
  client.set_write_timeout(io_s, io_us);

  httplib::Request req;
  req.method = request.method;
  req.path = request.target;
  for (const auto& [k, v] : request.headers.entries()) {
    if (base::iequals(k, "content-length") || base::iequals(k, "host")) continue;
    req.headers.emplace(k, v);
  }
  req.body = request.body;
  {
    std::lock_guard lock(mu);
    if (stopping) return base::Status::unavailable("http client is shutting down");
    in_flight.insert(&client);
  }
  const auto start = SteadyClock::now();
  httplib::Result result = client.send(req);
  const base::Duration elapsed = base::Duration::nanoseconds(
      std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now() - start).count());
  {
    std::lock_guard lock(mu);
    in_flight.erase(&client);
  }
  if (!result) {
    const base::Status st = transport_error(result.error(), elapsed, timeout);
    clients.erase(it);  // the connection state is unknown: start afresh next time
    return st;
  }
  return to_response(result.value());
}

void HttplibClient::Impl::worker_loop() {
  std::map<std::string, std::unique_ptr<httplib::Client>> clients;  // this worker's keep-alives
  while (true) {
    Job job;
    {
      std::unique_lock lock(mu);
      wake.wait(lock, [this] { return stopping || !queue.empty(); });
      if (stopping) return;
      job = std::move(queue.front());
      queue.pop_front();
    }
    base::Result<base::HttpResponse> result = execute(clients, job.request);
    {
      std::lock_guard lock(mu);
      if (stopping) return;  // the loop is gone: nobody would run the callback
    }
    complete(std::move(job.callback), std::move(result));
  }
}

HttplibClient::HttplibClient(base::Scheduler& scheduler, HttplibClientOptions options)
    : impl_(std::make_unique<Impl>(scheduler, options)) {
  INVSYNC_ASSERT(options.worker_threads >= 1);
  INVSYNC_ASSERT(options.queue_count_max >= 1);
  for (int32_t i = 0; i < options.worker_threads; ++i) {
    impl_->workers.emplace_back([impl = impl_.get()] { impl->worker_loop(); });
  }
}

HttplibClient::~HttplibClient() { shutdown(); }

void HttplibClient::send(base::HttpRequest request, base::HttpCallback callback) {
  INVSYNC_ASSERT(callback != nullptr);
  {
    std::lock_guard lock(impl_->mu);
    if (!impl_->stopping &&
        static_cast<int32_t>(impl_->queue.size()) < impl_->options.queue_count_max) {
      impl_->queue.push_back(Job{std::move(request), std::move(callback)});
      impl_->wake.notify_one();
      return;
    }
    if (impl_->stopping) return;  // shutting down: the loop will not run callbacks any more
  }
  impl_->complete(std::move(callback), base::Status::unavailable("http client queue is full"));
}

void HttplibClient::shutdown() {
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->stopping && impl_->workers.empty()) return;
    impl_->stopping = true;
    impl_->queue.clear();
    for (httplib::Client* c : impl_->in_flight) c->stop();
  }
  impl_->wake.notify_all();
  for (std::thread& t : impl_->workers) t.join();
  impl_->workers.clear();
}

}  // namespace invsync::runtime
