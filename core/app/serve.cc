#include "core/app/serve.h"

#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>

#include "core/app/connector_factory.h"
#include "core/app/serve_api.h"
#include "core/app/serve_config.h"
#include "core/app/serve_lane_ownership.h"
#include "core/app/serve_server.h"
#include "core/app/service.h"
#include "core/runtime/asio_scheduler.h"
#include "core/runtime/httplib_client.h"
#include "core/runtime/log_alert_sink.h"
#include "core/runtime/os_seed.h"
#include "core/runtime/system_clock.h"
#include "core/store/pg/lane_lock.h"
#include "core/store/memory_store.h"
#include "core/store/pg/pg_store.h"
#include "core/sync/alert_sink.h"

namespace invsync::app {
namespace {

constexpr int kExitRuntime = 1;
constexpr int kExitConfig = 2;
constexpr auto kShutdownStepTimeout = std::chrono::seconds(10);

void log_line(const std::string& message) {
  std::fprintf(stderr, "invsync: %s\n", message.c_str());
}

std::optional<std::string> getenv_lookup(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : std::string(fallback);
}

base::Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return base::Status::invalid_argument("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs `task` on the loop and waits (bounded) for it: shutdown steps that touch core state.
void run_on_loop_and_wait(runtime::AsioScheduler& loop, std::function<void()> task) {
  auto done = std::make_shared<std::promise<void>>();
  std::future<void> finished = done->get_future();
  loop.post([done, task] {
    task();
    done->set_value();
  });
  if (finished.wait_for(kShutdownStepTimeout) != std::future_status::ready) {
    log_line("shutdown: the event loop did not answer in time");
  }
}

// Everything after the configuration is known: the seams, the service, the server, the wait.
int serve(const ServeConfig& config, const sigset_t& stop_signals) {
  const uint64_t seed = runtime::os_random_seed();
  runtime::SystemClock clock;
  runtime::AsioScheduler scheduler;
  runtime::HttplibClient http(scheduler, {.worker_threads = config.serve.http_client_threads});
  base::Prng prng(seed);
  {
    // Every connector config is checked before anything touches the database.
    store::MemoryStore dry_store;
    sync::RecordingAlertSink dry_alerts;
    auto dry = Service::build(config.service, {clock, scheduler, prng, dry_store, http, dry_alerts},
                              make_connector);
    if (!dry.ok()) {
      log_line("serve: " + dry.status().to_string());
      return kExitConfig;
    }
  }
  const std::string url = env_or("DATABASE_URL", "");
  if (url.empty()) {
    log_line("serve: DATABASE_URL is not set");
    return kExitConfig;
  }
  const std::string schema = env_or("INVSYNC_SCHEMA", "public");
  auto store = store::PgStore::connect({.url = url, .schema = schema});
  if (!store.ok()) {
    log_line("serve: " + store.status().to_string());
    return kExitRuntime;
  }
  auto applied = (*store)->migrate();
  if (!applied.ok()) {
    log_line("serve: migrations: " + applied.status().to_string());
    return kExitRuntime;
  }
  for (int32_t v : *applied) log_line("applied migration " + std::to_string(v));
  log_line("prng seed " + std::to_string(seed));

  std::optional<sync::SlackAlertSink> slack;
  if (!config.slack_webhook_url.empty()) slack.emplace(http, config.slack_webhook_url);
  runtime::LogAlertSink log_alerts(slack ? &*slack : nullptr);
  sync::StoreAlertSink alerts(**store, &log_alerts);

  auto service = Service::build(config.service, {clock, scheduler, prng, **store, http, alerts},
                                make_connector);
  if (!service.ok()) {
    log_line("serve: " + service.status().to_string());
    return kExitConfig;
  }
  auto lane_lock = store::PgLaneLock::connect({.url = url, .schema = schema});
  if (!lane_lock.ok()) {
    log_line("serve: " + lane_lock.status().to_string());
    return kExitRuntime;
  }
  std::atomic<int> exit_code{0};
  ServeLaneOwnership ownership(**service, **lane_lock, scheduler, config.serve.lane_lock_retry,
                               config.service.velocity,
                               [&exit_code](const std::string& why) {
                                 log_line(why + "; stopping so another instance can take over");
                                 exit_code = kExitRuntime;
                                 kill(getpid(), SIGTERM);  // wakes the sigwait below
                               });
  ServeApi api({.service = **service, .store = **store, .clock = clock, .prng = prng,
                .lane_owned =
                    [&ownership](const domain::ChannelId& c) { return ownership.owned(c); },
                .prng_seed = seed});
  ServeServer server({.listen_address = config.serve.listen_address,
                      .listen_port = config.serve.listen_port,
                      .threads = config.serve.http_server_threads,
                      .body_bytes_max = config.service.ingest.body_bytes_max,
                      .admin_token = config.admin_token,
                      .loop_wait = config.serve.loop_wait},
                     scheduler, api);
  auto port = server.bind();
  if (!port.ok()) {
    log_line("serve: " + port.status().to_string());
    return kExitRuntime;
  }
  std::thread loop([&scheduler] { scheduler.run(); });
  scheduler.post([&ownership] { ownership.tick(); });
  server.start();
  std::printf("%s\n", nlohmann::json{{"listen_port", *port}}.dump().c_str());
  std::fflush(stdout);
  log_line("serving " + std::to_string((*service)->channels().size()) + " channel(s) on " +
           config.serve.listen_address + ":" + std::to_string(*port) + " (schema " + schema + ")");

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  log_line("signal " + std::to_string(signal_number) + ": shutting down");
  server.stop();  // no new requests; the ones in flight finish (the loop still runs)
  run_on_loop_and_wait(scheduler, [&] {
    ownership.stop();
    (*lane_lock)->release_all();
  });
  scheduler.stop();
  loop.join();
  http.shutdown();
  log_line("stopped");
  return exit_code.load();
}

}  // namespace

int run_serve(const std::string& config_path) {
  // SIGINT/SIGTERM are blocked before any thread exists (every thread inherits the mask) and
  // taken synchronously with sigwait: a handler would race cpp-httplib's threads for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  // A platform closing a connection mid-write must not kill the process.
  signal(SIGPIPE, SIG_IGN);

  auto text = read_file(config_path);
  if (!text.ok()) {
    log_line("serve: " + text.status().message());
    return kExitConfig;
  }
  auto config = parse_serve_config(*text, getenv_lookup);
  if (!config.ok()) {
    log_line("serve: " + config_path + ": " + config.status().message());
    return kExitConfig;
  }
  return serve(*config, stop_signals);
}

}  // namespace invsync::app
