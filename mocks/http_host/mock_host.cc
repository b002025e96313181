#include "mocks/http_host/mock_host.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "core/base/json_reader.h"
#include "core/base/prng.h"
#include "core/runtime/httplib_convert.h"
#include "core/runtime/system_clock.h"
#include "mocks/http_host/mock_factory.h"

namespace invsync::mocks {
namespace {

using nlohmann::json;

}  // namespace

struct PlatformSlot {
  std::string name;
  std::unique_ptr<MockPlatform> mock;
  std::mutex mu;  // guards `mock`
  int requested_port = 0;
  int port = 0;
  std::unique_ptr<httplib::Server> server;
  std::thread thread;
  bool listening = false;
};

struct MockHost::Impl {
  runtime::SystemClock clock;
  base::Instant origin;
  std::string bind_address = "127.0.0.1";
  int control_requested_port = 0;
  int control_port = 0;
  std::string receiver_url;
  int64_t poll_ms = 20;
  std::vector<std::unique_ptr<PlatformSlot>> slots;
  std::unique_ptr<httplib::Server> control;
  std::thread control_thread;
  std::thread delivery_thread;
  std::atomic<bool> running{false};
  std::mutex wake_mu;
  std::condition_variable wake;

  base::Instant now() { return base::Instant() + (clock.monotonic_now() - origin); }
  PlatformSlot* slot(const std::string& name) {
    for (auto& s : slots) {
      if (s->name == name) return s.get();
    }
    return nullptr;
  }

  base::Status parse(const std::string& text);
  base::Status start_listener(PlatformSlot& s);
  void stop_listener(PlatformSlot& s);
  void serve(PlatformSlot& s, const httplib::Request& req, httplib::Response& res);
  void register_control();
  void deliver_loop();
  void deliver_once(PlatformSlot& s, httplib::Client* client);
};

base::Status MockHost::Impl::parse(const std::string& text) {
  base::JsonReader root = base::JsonReader::parse(text, "$");
  if (!root.ok()) return root.status();
  const auto seed = static_cast<uint64_t>(root.get_int("seed", 1, 0, INT64_MAX));
  bind_address = root.get_string("bind_address", "127.0.0.1");
  control_requested_port = static_cast<int>(root.get_int("control_port", 0, 0, 65535));
  receiver_url = root.get_string("webhook_receiver_url", "");
  poll_ms = root.get_int("webhook_poll_ms", 20, 1, 60'000);
  base::JsonReader platforms = root.object("platforms", true);
  uint64_t derive = seed;
  for (const std::string& name : platforms.keys()) {
    base::JsonReader p = platforms.object(name);
    auto slot = std::make_unique<PlatformSlot>();
    slot->name = name;
    slot->requested_port = static_cast<int>(p.get_int("port", 0, 0, 65535));
    base::JsonReader cfg = p.object("config");
    auto mock = make_mock(name, cfg, base::splitmix64(derive));
    if (!mock.ok()) return mock.status();
    slot->mock = std::move(mock).value();
    for (base::JsonReader item : p.array("catalog")) {
      CatalogItem c{item.get_string("sku", std::nullopt),
                    item.get_int("quantity", std::nullopt, 0, 1'000'000'000),
                    item.get_string("group", "")};
      INVSYNC_RETURN_IF_ERROR(item.finish());
      base::Status st = slot->mock->add_item(c);
      if (!st.ok()) return base::Status::invalid_argument(item.path() + ": " + st.message());
    }
    if (p.has("faults")) {
      const std::string faults = p.raw()["faults"].dump();
      p.object("faults");  // mark as read
      base::Status st = slot->mock->set_faults_json(faults);
      if (!st.ok()) return base::Status::invalid_argument(p.path() + ".faults: " + st.message());
    }
    INVSYNC_RETURN_IF_ERROR(p.finish());
    slots.push_back(std::move(slot));
  }
  INVSYNC_RETURN_IF_ERROR(platforms.finish());
  return root.finish();
}

void MockHost::Impl::serve(PlatformSlot& s, const httplib::Request& req, httplib::Response& res) {
  const base::HttpRequest request = runtime::to_request(req);
  NetworkConditions net;
  base::HttpResponse response;
  {
    std::lock_guard lock(s.mu);
    const base::Instant t = now();
    s.mock->advance(t);
    net = s.mock->network(t);
    if (net.transport == NetworkConditions::Transport::kDelivered) {
      response = s.mock->handle(request, t);
    }
  }
  // Real time on a real socket: latency is real waiting here (never in the core).
  if (net.latency > base::Duration::zero()) {
    std::this_thread::sleep_for(std::chrono::nanoseconds(net.latency.ns()));
  }
  if (net.transport == NetworkConditions::Transport::kTimeout) {
    // Hold the connection past any sane client timeout, then give up like a dead upstream.
    std::this_thread::sleep_for(std::chrono::seconds(65));
    res.status = 504;
    return;
  }
  if (net.transport == NetworkConditions::Transport::kRefused) {
    res.status = 503;  // the listener is closed by the fault itself; this covers the race
    return;
  }
  runtime::fill_response(response, res);
}

base::Status MockHost::Impl::start_listener(PlatformSlot& s) {
  s.server = std::make_unique<httplib::Server>();
  s.server->set_tcp_nodelay(true);
  s.server->set_read_timeout(30, 0);
  s.server->set_write_timeout(30, 0);
  auto handler = [this, &s](const httplib::Request& req, httplib::Response& res) {
    serve(s, req, res);
  };
  s.server->Get(".*", handler).Post(".*", handler).Put(".*", handler).Patch(".*", handler)
      .Delete(".*", handler);
  const int want = s.port != 0 ? s.port : s.requested_port;
  if (want == 0) {
    s.port = s.server->bind_to_any_port(bind_address);
    if (s.port <= 0) return base::Status::unavailable("cannot bind a port for " + s.name);
  } else {
    bool bound = false;
    for (int attempt = 0; attempt < 50 && !bound; ++attempt) {
      bound = s.server->bind_to_port(bind_address, want);
      if (!bound) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!bound) return base::Status::unavailable("cannot bind port " + std::to_string(want));
    s.port = want;
  }
  httplib::Server* raw = s.server.get();
  s.thread = std::thread([raw] { raw->listen_after_bind(); });
  s.listening = true;
  return base::Status();
}

void MockHost::Impl::stop_listener(PlatformSlot& s) {
  if (!s.listening) return;
  while (!s.server->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  s.server->stop();
  s.thread.join();
  s.server.reset();
  s.listening = false;
}

void MockHost::Impl::register_control() {
  control = std::make_unique<httplib::Server>();
  control->set_tcp_nodelay(true);
  control->Get("/control/health", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"ok":true})", "application/json");
  });
  auto with_slot = [this](const httplib::Request& req, httplib::Response& res) -> PlatformSlot* {
    PlatformSlot* s = slot(req.matches[1]);
    if (s == nullptr) {
      res.status = 404;
      res.set_content(R"({"error":"unknown platform"})", "application/json");
    }
    return s;
  };
  control->Post(R"(/control/(\w+)/orders)", [this, with_slot](const httplib::Request& req,
                                                              httplib::Response& res) {
    PlatformSlot* s = with_slot(req, res);
    if (s == nullptr) return;
    json body = json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("sku") ||
        !body["sku"].is_string() || !body.value("quantity", json()).is_number_integer()) {
      res.status = 400;
      res.set_content(R"({"error":"body must be {\"sku\": string, \"quantity\": integer}"})",
                      "application/json");
      return;
    }
    std::lock_guard lock(s->mu);
    const auto r = s->mock->place_order(body["sku"].get<std::string>(),
                                        body["quantity"].get<int64_t>(), now());
    wake.notify_all();
    res.set_content(json{{"accepted", r.accepted}, {"order_id", r.order_id}, {"reason", r.reason}}
                        .dump(),
                    "application/json");
  });
  control->Post(R"(/control/(\w+)/orders/([^/]+)/cancel)", [this, with_slot](
                                                              const httplib::Request& req,
                                                              httplib::Response& res) {
    PlatformSlot* s = with_slot(req, res);
    if (s == nullptr) return;
    std::lock_guard lock(s->mu);
    const base::Status st = s->mock->cancel_order(req.matches[2].str(), now());
    res.status = st.ok() ? 200 : 400;
    res.set_content(json{{"ok", st.ok()}, {"error", st.message()}}.dump(), "application/json");
  });
  control->Get(R"(/control/(\w+)/truth)", [this, with_slot](const httplib::Request& req,
                                                            httplib::Response& res) {
    PlatformSlot* s = with_slot(req, res);
    if (s == nullptr) return;
    std::lock_guard lock(s->mu);
    json orders = json::array();
    for (const auto& o : s->mock->accepted_orders()) {
      orders.push_back({{"order_id", o.order_id}, {"sku", o.sku}, {"quantity", o.quantity},
                        {"at_ms", o.at.ns_since_origin() / 1'000'000}, {"cancelled", o.cancelled}});
    }
    res.set_content(json{{"counts", s->mock->counts()}, {"orders", orders}}.dump(),
                    "application/json");
  });
  control->Get(R"(/control/(\w+)/stats)", [this, with_slot](const httplib::Request& req,
                                                            httplib::Response& res) {
    PlatformSlot* s = with_slot(req, res);
    if (s == nullptr) return;
    std::lock_guard lock(s->mu);
    res.set_content(json(s->mock->stats()).dump(), "application/json");
  });
  control->Put(R"(/control/(\w+)/faults)", [this, with_slot](const httplib::Request& req,
                                                             httplib::Response& res) {
    PlatformSlot* s = with_slot(req, res);
    if (s == nullptr) return;
    base::Status st;
    {
      std::lock_guard lock(s->mu);
      st = s->mock->set_faults_json(req.body);
    }
    if (st.ok()) {
      // "refused" is a closed port: stop listening until the outage is lifted.
      json body = json::parse(req.body, nullptr, false);
      const bool refuse = body.is_object() && body.value("outage", std::string()) == "refused";
      if (refuse && s->listening) stop_listener(*s);
      if (!refuse && !s->listening) st = start_listener(*s);
    }
    res.status = st.ok() ? 200 : 400;
    res.set_content(json{{"ok", st.ok()}, {"error", st.message()}}.dump(), "application/json");
  });
}

void MockHost::Impl::deliver_once(PlatformSlot& s, httplib::Client* client) {
  std::vector<WebhookDelivery> due;
  {
    std::lock_guard lock(s.mu);
    const base::Instant t = now();
    s.mock->advance(t);
    due = s.mock->take_due_webhooks(t);
  }
  for (const WebhookDelivery& d : due) {
    int32_t status = 0;
    if (client != nullptr) {
      httplib::Headers headers;
      std::string content_type = "application/json";
      for (const auto& [k, v] : d.request.headers.entries()) {
        if (base::iequals(k, "content-type")) {
          content_type = v;
        } else {
          headers.emplace(k, v);
        }
      }
      const auto seconds = std::max<int64_t>(1, d.request.timeout.s());
      client->set_read_timeout(static_cast<time_t>(seconds), 0);
      auto result = client->Post(d.request.target.c_str(), headers, d.request.body,
                                 content_type.c_str());
      if (result) status = result->status;
    }
    std::lock_guard lock(s.mu);
    s.mock->on_webhook_result(d.delivery_id, status, now());
  }
}

void MockHost::Impl::deliver_loop() {
  std::unique_ptr<httplib::Client> client;
  if (!receiver_url.empty()) {
    client = std::make_unique<httplib::Client>(receiver_url);
    client->set_tcp_nodelay(true);
    client->set_connection_timeout(1, 0);  // Shopify: 1 s to connect
    client->set_write_timeout(5, 0);
  }
  while (running.load()) {
    for (auto& s : slots) {
      if (!receiver_url.empty()) deliver_once(*s, client.get());
    }
    std::unique_lock lock(wake_mu);
    wake.wait_for(lock, std::chrono::milliseconds(poll_ms));
  }
}

MockHost::MockHost(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

MockHost::~MockHost() { stop(); }

base::Result<std::unique_ptr<MockHost>> MockHost::create(const std::string& config_json) {
  auto impl = std::make_unique<Impl>();
  impl->origin = impl->clock.monotonic_now();
  INVSYNC_RETURN_IF_ERROR(impl->parse(config_json));
  return std::unique_ptr<MockHost>(new MockHost(std::move(impl)));
}

base::Status MockHost::start() {
  Impl& m = *impl_;
  for (auto& s : m.slots) INVSYNC_RETURN_IF_ERROR(m.start_listener(*s));
  m.register_control();
  m.control_port = m.control_requested_port == 0
                       ? m.control->bind_to_any_port(m.bind_address)
                       : (m.control->bind_to_port(m.bind_address, m.control_requested_port)
                              ? m.control_requested_port
                              : -1);
  if (m.control_port <= 0) return base::Status::unavailable("cannot bind the control port");
  httplib::Server* control = m.control.get();
  m.control_thread = std::thread([control] { control->listen_after_bind(); });
  m.running = true;
  m.delivery_thread = std::thread([&m] { m.deliver_loop(); });
  return base::Status();
}

void MockHost::stop() {
  Impl& m = *impl_;
  if (!m.running.exchange(false)) return;
  m.wake.notify_all();
  m.delivery_thread.join();
  while (!m.control->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  m.control->stop();
  m.control_thread.join();
  for (auto& s : m.slots) m.stop_listener(*s);
}

std::map<std::string, int> MockHost::ports() const {
  std::map<std::string, int> out;
  for (const auto& s : impl_->slots) out[s->name] = s->port;
  out["control"] = impl_->control_port;
  return out;
}

}  // namespace invsync::mocks
