#include "core/app/serve_server.h"

#include <httplib.h>

#include <chrono>
#include <future>
#include <thread>

#include "core/base/assert.h"
#include "core/base/crypto.h"
#include "core/runtime/httplib_convert.h"

namespace invsync::app {

struct ServeServer::Impl {
  ServeServerOptions options;
  base::Scheduler& loop;
  ServeApi& api;
  httplib::Server server;
  std::thread thread;
  bool bound = false;
  bool stopped = false;

  Impl(ServeServerOptions o, base::Scheduler& l, ServeApi& a)
      : options(std::move(o)), loop(l), api(a) {}

  // Runs `work` on the event loop and waits for its reply; 503 if the loop does not answer.
  template <typename Work>
  base::HttpResponse on_loop(const std::string& endpoint, Work work) {
    auto promise = std::make_shared<std::promise<base::HttpResponse>>();
    std::future<base::HttpResponse> reply = promise->get_future();
    loop.post([promise, work]() { promise->set_value(work()); });
    const auto wait = std::chrono::nanoseconds(options.loop_wait.ns());
    if (reply.wait_for(wait) == std::future_status::ready) return reply.get();
    ServeApi* a = &api;
    loop.post([a, endpoint] { a->count_rejected(endpoint, 503); });
    return base::HttpResponse::json(503, R"({"error":"the service is busy; retry"})");
  }

  bool authorized(const httplib::Request& req) const {
    const std::string header = req.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (header.size() <= kBearer.size() || header.compare(0, kBearer.size(), kBearer) != 0) {
      return false;
    }
    return base::constant_time_equal(std::string_view(header).substr(kBearer.size()),
                                     options.admin_token);
  }

  // Wraps an admin handler with the token check.
  template <typename Handler>
  httplib::Server::Handler admin(const std::string& endpoint, Handler handler) {
    return [this, endpoint, handler](const httplib::Request& req, httplib::Response& res) {
      if (!authorized(req)) {
        ServeApi* a = &api;
        loop.post([a, endpoint] { a->count_rejected(endpoint, 401); });
        res.status = 401;
        res.set_header("WWW-Authenticate", "Bearer");
        res.set_content(R"({"error":"missing or wrong admin token"})", "application/json");
        return;
      }
      runtime::fill_response(handler(req), res);
    };
  }

  void routes();
};

void ServeServer::Impl::routes() {
  ServeApi* a = &api;
  auto webhook = [this, a](const httplib::Request& req, httplib::Response& res) {
    const std::string channel = req.matches[1].str() + ":" + req.matches[2].str();
    auto request = std::make_shared<const base::HttpRequest>(runtime::to_request(req));
    runtime::fill_response(
        on_loop("webhook", [a, channel, request] { return a->webhook(channel, *request); }), res);
  };
  server.Post(R"(/webhooks/([a-z]+)[:/]([A-Za-z0-9_-]+)(/.*)?)", webhook);
  server.Get("/healthz", [this, a](const httplib::Request&, httplib::Response& res) {
    runtime::fill_response(on_loop("healthz", [a] { return a->healthz(); }), res);
  });
  server.Get("/metrics", [this, a](const httplib::Request&, httplib::Response& res) {
    runtime::fill_response(on_loop("metrics", [a] { return a->metrics(); }), res);
  });
  server.Post(R"(/admin/stock/([^/]+))",
              admin("admin_stock", [this, a](const httplib::Request& req) {
                const std::string sku = req.matches[1].str();
                auto request = std::make_shared<const base::HttpRequest>(runtime::to_request(req));
                return on_loop("admin_stock",
                               [a, sku, request] { return a->stock(sku, *request); });
              }));
  server.Put(R"(/admin/listings/([^/]+)/([^/]+))",
             admin("admin_listing", [this, a](const httplib::Request& req) {
               const std::string channel = req.matches[1].str();
               const std::string sku = req.matches[2].str();
               auto request = std::make_shared<const base::HttpRequest>(runtime::to_request(req));
               return on_loop("admin_listing", [a, channel, sku, request] {
                 return a->listing(channel, sku, *request);
               });
             }));
  server.Get(R"(/admin/explain/([^/]+))",
             admin("admin_explain", [this, a](const httplib::Request& req) {
               const std::string sku = req.matches[1].str();
               return on_loop("admin_explain", [a, sku] { return a->explain(sku); });
             }));
  server.Get("/admin/status", admin("admin_status", [this, a](const httplib::Request&) {
               return on_loop("admin_status", [a] { return a->status(); });
             }));
}

ServeServer::ServeServer(ServeServerOptions options, base::Scheduler& loop, ServeApi& api)
    : impl_(std::make_unique<Impl>(std::move(options), loop, api)) {
  INVSYNC_ASSERT(impl_->options.threads >= 1);
  INVSYNC_ASSERT(!impl_->options.admin_token.empty());
  httplib::Server& s = impl_->server;
  const auto threads = static_cast<size_t>(impl_->options.threads);
  s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  s.set_tcp_nodelay(true);
  s.set_read_timeout(10, 0);
  s.set_write_timeout(10, 0);
  s.set_keep_alive_timeout(5);
  s.set_keep_alive_max_count(1000);
  s.set_payload_max_length(impl_->options.body_bytes_max);
  impl_->routes();
}

ServeServer::~ServeServer() { stop(); }

base::Result<int32_t> ServeServer::bind() {
  INVSYNC_ASSERT(!impl_->bound);
  const ServeServerOptions& o = impl_->options;
  int32_t port = o.listen_port;
  if (port == 0) {
    port = impl_->server.bind_to_any_port(o.listen_address);
    if (port <= 0) return base::Status::unavailable("cannot bind " + o.listen_address);
  } else if (!impl_->server.bind_to_port(o.listen_address, port)) {
    return base::Status::unavailable("cannot bind " + o.listen_address + ":" +
                                     std::to_string(port));
  }
  impl_->bound = true;
  return port;
}

void ServeServer::start() {
  INVSYNC_ASSERT(impl_->bound);
  INVSYNC_ASSERT(!impl_->thread.joinable());
  httplib::Server* s = &impl_->server;
  impl_->thread = std::thread([s] { s->listen_after_bind(); });
}

void ServeServer::stop() {
  if (impl_->stopped || !impl_->thread.joinable()) return;
  impl_->stopped = true;
  // stop() before the listener runs is a no-op in cpp-httplib 0.11 (join would hang).
  // A listener that failed never runs: then the thread has ended by itself (bounded wait).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!impl_->server.is_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  impl_->server.stop();
  impl_->thread.join();
}

}  // namespace invsync::app
