// EtsyConnector: the Connector for one Etsy shop through Open API v3
// (shared/platforms/amazon-etsy.md, Part B). It pushes quantities by GET-then-PUT of a listing's
// full inventory (only our SKUs' offerings change; Etsy refuses a listing with every offering at
// 0, so such a listing keeps one offering at 1 and is set inactive instead), reads with the batch
// inventory endpoint, polls shop receipts by offset, verifies the thin ORDER_PAID webhook
// (Standard Webhooks signature) and reads Etsy's per-second and per-day limit headers.
// Auth: `x-api-key: <keystring>:<shared_secret>` plus an OAuth 2.0 bearer token refreshed through
// deps.auth. Etsy ROTATES refresh tokens: every refresh returns a new one and revokes the old one,
// so the service must persist refresh_token() (or listen with set_refresh_token_listener) and
// start the next process with it; a revoked token ends every operation in kPermanent.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/base/status.h"
#include "core/base/time.h"
#include "core/connector/connector.h"

namespace invsync::base {
class JsonReader;
}

namespace invsync::connector {

struct EtsyConnectorConfig {
  domain::ChannelId channel = domain::ChannelId::from_trusted("etsy:main");
  std::string base_url = "https://openapi.etsy.com";    // API host (scheme://host[:port])
  std::string token_base_url = "https://api.etsy.com";  // serves /v3/public/oauth/token
  int64_t shop_id = 0;
  // Secrets: filled by the service from the environment; never logged or put in errors.
  std::string keystring;               // the app's API key; also the OAuth client_id
  std::string shared_secret;           // x-api-key = "<keystring>:<shared_secret>"
  std::string client_id;               // empty: the keystring
  std::string refresh_token;           // the initial one; rotates on every refresh
  std::string webhook_signing_secret;  // "whsec_<base64>"; empty: every webhook is refused

  base::Duration request_timeout = base::Duration::seconds(15);
  // An access token is refreshed this long before Etsy's expiry.
  base::Duration token_refresh_margin = base::Duration::minutes(5);
  // Webhooks whose webhook-timestamp is further than this from now are refused; zero disables
  // the check (the payload only triggers a poll, so a replay is harmless).
  base::Duration webhook_tolerance = base::Duration::zero();
  // Polling: receipts per page (1..100); how far back the first poll reaches; how far behind the
  // newest updated_timestamp seen the next cursor starts (re-reads are deduplicated by the store).
  int32_t poll_page_limit = 100;
  base::Duration poll_initial_lookback = base::Duration::hours(24);
  base::Duration poll_overlap = base::Duration::minutes(2);

  ConnectorLimits limits{.request_rate_micro_per_s = 10'000'000,
                         .request_burst_count = 10,
                         .push_batch_count_max = 1,
                         .read_batch_count_max = 100};
};

// Strict: unknown keys and bad values fail with the key path; calls reader.finish(). Keys:
// channel, base_url, token_base_url, shop_id, keystring, shared_secret, client_id, refresh_token,
// webhook_signing_secret, request_timeout_ms, token_refresh_margin_s, webhook_tolerance_s,
// poll_page_limit, poll_initial_lookback_s, poll_overlap_s,
// limits{rate_per_s, burst, push_batch_max, read_batch_max}. Secrets may be absent here (the
// service fills them from the environment); validate_etsy_connector_config checks them.
base::Status parse_etsy_connector_config(base::JsonReader& reader, EtsyConnectorConfig* config);
// Everything the connector needs is present (secrets included).
base::Status validate_etsy_connector_config(const EtsyConnectorConfig& config);

// Offerings are capped at this many units (Etsy's 0-999 range per variant).
inline constexpr int64_t kEtsyOfferingQuantityMax = 999;

class EtsyConnector final : public Connector {
 public:
  EtsyConnector(EtsyConnectorConfig config, ConnectorDeps deps);
  ~EtsyConnector() override;

  const domain::ChannelId& channel() const override { return config_.channel; }
  const ConnectorLimits& limits() const override { return config_.limits; }
  void push(std::vector<PushItem> items, PushCallback callback) override;
  void read(std::vector<ListingRef> listings, ReadCallback callback) override;
  void poll_orders(const std::string& cursor, PollCallback callback) override;
  base::Result<ParsedWebhook> parse_webhook(const base::HttpRequest& request) override;
  LimitFeedback observe_limits(const base::HttpResponse& response) override;

  // The refresh token to persist: Etsy revokes the previous one on every refresh, so after a
  // restart only the latest works. Secret: store it like the other credentials.
  const std::string& refresh_token() const { return refresh_token_; }
  // Called with the new refresh token each time it rotates (after the refresh succeeded).
  void set_refresh_token_listener(std::function<void(const std::string&)> listener) {
    refresh_token_listener_ = std::move(listener);
  }
  // Replaces the refresh token (e.g. after the merchant re-authorised) and clears a permanent
  // auth failure.
  void set_refresh_token(std::string token);

 private:
  struct PushJob;
  struct ReadJob;
  using StatusCallback = std::function<void(base::Status)>;

  // --- auth (etsy_auth.cc) ---
  // Calls back OK once a fresh access token is cached, or with why there is none.
  void with_access_token(StatusCallback callback);
  void start_refresh();
  void on_refresh_response(base::Result<base::HttpResponse> result);
  void finish_refresh(const base::Status& status);
  // Sends an API request with app key and bearer token; refreshes and retries once when Etsy
  // says the token is invalid/expired. The callback gets the transport or auth error, or the
  // final response (any status).
  void send_api(base::HttpRequest request, base::HttpCallback callback);
  void dispatch(base::HttpRequest request, bool retried, base::HttpCallback callback);
  base::HttpRequest make_request(std::string method, std::string target) const;

  // --- push (etsy_connector.cc) ---
  void run_next_group(std::shared_ptr<PushJob> job);
  void on_inventory_for_push(std::shared_ptr<PushJob> job, base::Result<base::HttpResponse> r);
  void send_put(std::shared_ptr<PushJob> job);
  void after_put(std::shared_ptr<PushJob> job);
  void send_state_patch(std::shared_ptr<PushJob> job, std::string state);
  void finish_group(std::shared_ptr<PushJob> job, PushOutcome outcome, int32_t http_status,
                    base::Duration retry_after, const std::string& error);
  void fail_group(std::shared_ptr<PushJob> job, const base::Result<base::HttpResponse>& r);

  // --- read ---
  void on_batch_inventory(std::shared_ptr<ReadJob> job, base::Result<base::HttpResponse> r);
  void read_one_by_one(std::shared_ptr<ReadJob> job);
  void finish_read(std::shared_ptr<ReadJob> job);

  // --- poll ---
  void on_receipts(int64_t min_unix_s, int64_t offset, int64_t max_seen_unix_s,
                   PollCallback callback, base::Result<base::HttpResponse> r);

  EtsyConnectorConfig config_;
  ConnectorDeps deps_;
  std::string api_key_;  // x-api-key: "<keystring>:<shared_secret>"

  std::string access_token_;
  base::Instant access_expires_at_;
  std::string refresh_token_;
  std::function<void(const std::string&)> refresh_token_listener_;
  bool refreshing_ = false;
  std::vector<StatusCallback> token_waiters_;
  base::Status auth_failure_;  // sticky: a revoked refresh token or a rejected client

  // Where a listing's state is not in a response: the listings this connector set inactive, and
  // the SKU whose offering holds the placeholder unit of each listing left without stock. Hash
  // containers: every push looks a listing up, and nothing depends on their order.
  std::unordered_set<int64_t> inactive_listings_;
  std::unordered_map<int64_t, std::string> placeholders_;
};

}  // namespace invsync::connector
