#include "core/sync/alert_sink.h"

#include <nlohmann/json.hpp>

namespace invsync::sync {

void StoreAlertSink::raise(const store::Alert& alert) {
  // An alert that cannot be stored must not be lost silently: it still goes to `next`.
  (void)store_.append_alert(alert);
  if (next_ != nullptr) next_->raise(alert);
}

std::string slack_message_json(const store::Alert& alert) {
  std::string text = ":rotating_light: invsync " + alert.kind;
  if (alert.channel) text += " on " + alert.channel->str();
  if (alert.sku) text += " for " + alert.sku->str();
  text += ": " + alert.message + " (" + base::format_iso8601_utc(alert.at) + ")";
  return nlohmann::json{{"text", text}}.dump();
}

SlackAlertSink::SlackAlertSink(base::HttpClient& http, std::string webhook_url) : http_(http) {
  // Split "https://hooks.example/services/T/B/X" into base URL and path.
  const size_t scheme = webhook_url.find("://");
  const size_t path = webhook_url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  base_url_ = path == std::string::npos ? webhook_url : webhook_url.substr(0, path);
  path_ = path == std::string::npos ? "/" : webhook_url.substr(path);
}

void SlackAlertSink::raise(const store::Alert& alert) {
  base::HttpRequest req;
  req.method = "POST";
  req.base_url = base_url_;
  req.target = path_;
  req.headers.set("Content-Type", "application/json");
  req.body = slack_message_json(alert);
  req.timeout = base::Duration::seconds(10);
  http_.send(std::move(req), [this](base::Result<base::HttpResponse> r) {
    if (!r.ok() || !r->is_success()) ++failed_count_;
  });
}

}  // namespace invsync::sync
