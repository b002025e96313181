#include "core/app/serve_config.h"

#include <nlohmann/json.hpp>

#include "core/base/json_reader.h"

namespace invsync::app {
namespace {

using nlohmann::json;

constexpr std::string_view kEnvSuffix = "_env";

bool ends_with_env(const std::string& key) {
  return key.size() > kEnvSuffix.size() &&
         key.compare(key.size() - kEnvSuffix.size(), kEnvSuffix.size(), kEnvSuffix) == 0;
}

// The value of the variable named at `path`, or an error naming the key path (never the value).
base::Result<std::string> secret_from_env(const EnvLookup& env, const std::string& path,
                                          const std::string& variable) {
  if (variable.empty()) return base::Status::invalid_argument(path + ": must name a variable");
  std::optional<std::string> value = env(variable);
  if (!value || value->empty()) {
    return base::Status::invalid_argument(path + ": environment variable " + variable +
                                          " is not set");
  }
  return std::move(*value);
}

// Replaces every "<key>_env" of channels[i].connector by "<key>" read from the environment.
base::Status resolve_connector_secrets(json& doc, const EnvLookup& env) {
  if (!doc.contains("channels") || !doc["channels"].is_array()) return base::Status();
  json& channels = doc["channels"];
  for (size_t i = 0; i < channels.size(); ++i) {
    if (!channels[i].is_object() || !channels[i].contains("connector")) continue;
    json& connector = channels[i]["connector"];
    if (!connector.is_object()) continue;
    const std::string base_path = "$.channels[" + std::to_string(i) + "].connector.";
    std::vector<std::string> env_keys;
    for (const auto& [key, value] : connector.items()) {
      if (ends_with_env(key)) env_keys.push_back(key);
    }
    for (const std::string& key : env_keys) {
      const std::string path = base_path + key;
      if (!connector[key].is_string()) {
        return base::Status::invalid_argument(path + ": must be a string naming a variable");
      }
      const std::string target = key.substr(0, key.size() - kEnvSuffix.size());
      if (connector.contains(target)) {
        return base::Status::invalid_argument(path + ": " + target +
                                              " is also given inline; keep only one");
      }
      auto value = secret_from_env(env, path, connector[key].get<std::string>());
      if (!value.ok()) return value.status();
      connector.erase(key);
      connector[target] = std::move(value).value();
    }
  }
  return base::Status();
}

base::Status parse_serve_section(const json& section, ServeOptions* o) {
  base::JsonReader r(section, "$.serve");
  o->listen_address = r.get_string("listen_address", o->listen_address);
  o->listen_port = static_cast<int32_t>(r.get_int("listen_port", o->listen_port, 0, 65535));
  o->admin_token_env = r.get_string("admin_token_env", o->admin_token_env);
  o->http_client_threads =
      static_cast<int32_t>(r.get_int("http_client_threads", o->http_client_threads, 1, 64));
  o->http_server_threads =
      static_cast<int32_t>(r.get_int("http_server_threads", o->http_server_threads, 1, 256));
  o->slack_webhook_url_env = r.get_string("slack_webhook_url_env", o->slack_webhook_url_env);
  o->lane_lock_retry = base::Duration::milliseconds(
      r.get_int("lane_lock_retry_ms", o->lane_lock_retry.ms(), 10, 3'600'000));
  o->loop_wait =
      base::Duration::milliseconds(r.get_int("loop_wait_ms", o->loop_wait.ms(), 100, 600'000));
  if (r.ok() && o->listen_address.empty()) r.fail("listen_address", "must not be empty");
  if (r.ok() && o->admin_token_env.empty()) r.fail("admin_token_env", "must name a variable");
  return r.finish();
}

}  // namespace

base::Result<ServeConfig> parse_serve_config(std::string_view text, const EnvLookup& env) {
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) return base::Status::invalid_argument("$: not valid JSON");
  if (!doc.is_object()) return base::Status::invalid_argument("$: must be an object");
  ServeConfig out;
  if (doc.contains("serve")) {
    if (!doc["serve"].is_object()) {
      return base::Status::invalid_argument("$.serve: must be an object");
    }
    INVSYNC_RETURN_IF_ERROR(parse_serve_section(doc["serve"], &out.serve));
    doc.erase("serve");
  }
  INVSYNC_RETURN_IF_ERROR(resolve_connector_secrets(doc, env));
  auto service = parse_service_config(doc.dump());
  if (!service.ok()) return service.status();
  out.service = std::move(service).value();
  auto token = secret_from_env(env, "$.serve.admin_token_env", out.serve.admin_token_env);
  if (!token.ok()) return token.status();
  if (token->size() < kAdminTokenBytesMin) {
    return base::Status::invalid_argument("$.serve.admin_token_env: the token in " +
                                          out.serve.admin_token_env + " must have at least " +
                                          std::to_string(kAdminTokenBytesMin) + " characters");
  }
  out.admin_token = std::move(token).value();
  if (!out.serve.slack_webhook_url_env.empty()) {
    auto url = secret_from_env(env, "$.serve.slack_webhook_url_env",
                               out.serve.slack_webhook_url_env);
    if (!url.ok()) return url.status();
    out.slack_webhook_url = std::move(url).value();
  }
  return out;
}

}  // namespace invsync::app
