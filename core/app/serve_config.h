// ServeConfig: what `invsync serve --config FILE` runs from. The file is the ServiceConfig JSON
// (service_config.h) plus an optional "serve" section for the process itself:
//   "serve": {"listen_address": "127.0.0.1", "listen_port": 8080,   // 0: any free port
//             "admin_token_env": "INVSYNC_ADMIN_TOKEN",               // required env var
//             "http_client_threads": 4, "http_server_threads": 8,
//             "slack_webhook_url_env": "INVSYNC_SLACK_WEBHOOK_URL",   // optional; "" = none
//             "lane_lock_retry_ms": 5000, "loop_wait_ms": 10000}
// Secrets come only from the environment: a connector key ending in "_env" names the variable
// holding the value of the key without the suffix ("access_token_env": "SHOP_TOKEN" becomes
// "access_token": $SHOP_TOKEN); an unset or empty variable is an error naming the key path.
// Secret values never appear in errors or logs. Parsing is strict: unknown keys fail with their
// path ("$.serve.listen_prot: unknown key").
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/app/service_config.h"
#include "core/base/result.h"
#include "core/base/time.h"

namespace invsync::app {

struct ServeOptions {
  std::string listen_address = "127.0.0.1";
  int32_t listen_port = 8080;
  std::string admin_token_env = "INVSYNC_ADMIN_TOKEN";
  int32_t http_client_threads = 4;
  int32_t http_server_threads = 8;
  std::string slack_webhook_url_env;
  base::Duration lane_lock_retry = base::Duration::seconds(5);
  // How long an HTTP server thread waits for the event loop to answer before replying 503.
  base::Duration loop_wait = base::Duration::seconds(10);
};

struct ServeConfig {
  ServeOptions serve;
  ServiceConfig service;
  std::string admin_token;        // secret, from the environment
  std::string slack_webhook_url;  // secret, from the environment; empty: no Slack
};

// Looks an environment variable up; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// Minimum length of the admin token (a short token is guessable).
inline constexpr size_t kAdminTokenBytesMin = 16;

base::Result<ServeConfig> parse_serve_config(std::string_view json, const EnvLookup& env);

}  // namespace invsync::app
