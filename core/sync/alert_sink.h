// AlertSink: where the engine says "a person must look at this" (a push parked after its last
// retry, a permanent rejection, an oversell). StoreAlertSink records it in the store's alerts;
// SlackAlertSink also posts a Slack-compatible incoming-webhook message ({"text": ...}) through the
// HttpClient seam; RecordingAlertSink keeps them in memory for the simulator's report.
#pragma once

#include <string>
#include <vector>

#include "core/base/http_client.h"
#include "core/store/inventory_store.h"

namespace invsync::sync {

class AlertSink {
 public:
  virtual ~AlertSink() = default;
  virtual void raise(const store::Alert& alert) = 0;
};

// Records every alert in the store (and forwards to `next` if given).
class StoreAlertSink final : public AlertSink {
 public:
  StoreAlertSink(store::InventoryStore& store, AlertSink* next) : store_(store), next_(next) {}
  void raise(const store::Alert& alert) override;

 private:
  store::InventoryStore& store_;
  AlertSink* next_ = nullptr;
};

// The Slack incoming-webhook JSON for an alert: {"text": "..."} with the channel, SKU and message.
std::string slack_message_json(const store::Alert& alert);

class SlackAlertSink final : public AlertSink {
 public:
  // `webhook_url` is scheme://host[:port]/path; the secret path comes from the environment.
  SlackAlertSink(base::HttpClient& http, std::string webhook_url);
  void raise(const store::Alert& alert) override;
  int64_t failed_count() const { return failed_count_; }

 private:
  base::HttpClient& http_;
  std::string base_url_;
  std::string path_;
  int64_t failed_count_ = 0;
};

class RecordingAlertSink final : public AlertSink {
 public:
  void raise(const store::Alert& alert) override { alerts_.push_back(alert); }
  const std::vector<store::Alert>& alerts() const { return alerts_; }

 private:
  std::vector<store::Alert> alerts_;
};

}  // namespace invsync::sync
