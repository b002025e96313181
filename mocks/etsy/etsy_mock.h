// EtsyMock: Etsy Open API v3 as a deterministic state machine (shared/platforms/amazon-etsy.md,
// Part B; fidelity checklist items 15-22). Serves the app-key + OAuth 2.0 (PKCE, rotating refresh
// tokens) auth, listing inventory reads and full-replace writes, the listing state PATCH, shop
// receipts with offset paging, Etsy's per-second + rolling 24 h limits and headers, and the
// commercial-app ORDER_PAID webhook with its retry schedule. Facts marked UNCONFIRMED in the
// platform notes are settings here. mocks/README.md maps checklist items to tests.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/base/prng.h"
#include "mocks/common/faults.h"
#include "mocks/common/mock_platform.h"
#include "mocks/common/rate_limits.h"
#include "mocks/etsy/etsy_model.h"

namespace invsync::base {
class JsonReader;
}

namespace invsync::mocks {

struct EtsyMockConfig {
  int64_t shop_id = 42'424'242;
  int64_t user_id = 73'737'373;  // the shop owner; tokens look like "<user_id>.<opaque>"
  std::string keystring = "mockkeystring0etsy0000000";
  std::string shared_secret = "mocksharedsecret";
  std::string base_url = "https://openapi.etsy.com";  // prefix of webhook resource_url
  base::WallTime wall_origin = base::WallTime::from_unix_s(1'767'225'600);  // 2026-01-01Z
  // UNCONFIRMED: the status and wording for a bad x-api-key.
  int32_t api_key_error_status = 403;

  // --- OAuth 2.0 ---
  base::Duration access_token_lifetime = base::Duration::hours(1);
  base::Duration refresh_token_lifetime = base::Duration::hours(24 * 90);
  // UNCONFIRMED: how long a rotated-out refresh token keeps working (0 = revoked at once).
  base::Duration refresh_token_grace = base::Duration::zero();
  base::Duration authorization_code_lifetime = base::Duration::minutes(5);
  std::vector<std::string> initial_refresh_tokens = {"73737373.mock-initial-refresh-token"};
  std::vector<std::string> granted_scopes = {"listings_r", "listings_w", "transactions_r",
                                             "shops_r"};
  // UNCONFIRMED: whether the token endpoint insists on x-api-key (the spec's scheme says every
  // request does).
  bool token_endpoint_requires_api_key = true;

  // --- rate limits ---
  int64_t per_second_limit = 10;
  int64_t per_day_limit = 10'000;
  int32_t day_window_buckets = 12;  // 12 two-hour buckets; must divide 86400
  // Etsy's docs misspell it "x-remaining-this-secon"; settable to exercise tolerant clients.
  std::string remaining_this_second_header = "x-remaining-this-second";

  // --- inventory ---
  std::string currency_code = "USD";
  int64_t default_price_amount = 1000;  // Money amount, divisor 100
  // UNCONFIRMED: Etsy hands out new product/offering ids on every inventory PUT.
  bool new_product_ids_on_put = true;
  // UNCONFIRMED: a PUT that gives a sold_out listing stock makes it active again.
  bool put_reactivates_sold_out = true;

  // --- receipts ---
  base::Duration receipt_visibility_delay = base::Duration::seconds(1);

  // --- ORDER_PAID webhook (commercial apps only) ---
  bool webhook_enabled = false;
  std::string webhook_signing_secret = "whsec_bW9jay1ldHN5LXdlYmhvb2stc2VjcmV0";
  std::string webhook_target = "/webhooks/etsy";
  // Delay before each attempt; the first is "immediately" (UNCONFIRMED, secondary source).
  std::vector<base::Duration> webhook_retry_schedule = {
      base::Duration::zero(),      base::Duration::seconds(5), base::Duration::minutes(5),
      base::Duration::minutes(30), base::Duration::hours(2),   base::Duration::hours(5),
      base::Duration::hours(10),   base::Duration::hours(10)};
  std::string webhook_signature_prefix = "v1,";  // UNCONFIRMED header value format
  bool webhook_emit_canceled = false;            // UNCONFIRMED "order.canceled" event
};

// Strict: unknown keys and bad values fail with the key path; calls reader.finish().
base::Status parse_etsy_mock_config(base::JsonReader& reader, EtsyMockConfig* config);

struct EtsyFaults {
  CommonFaults common;
  // When > 0, every receipts page with offset > 0 is served as if this many receipts had arrived
  // at the head of the sort order since the previous page (rows repeat across pages).
  int64_t receipt_page_shift = 0;
};

// Reads common + Etsy fault keys; calls reader.finish().
base::Status parse_etsy_faults(base::JsonReader& reader, EtsyFaults* faults);

class EtsyMock final : public MockPlatform {
 public:
  EtsyMock(EtsyMockConfig config, uint64_t seed);

  std::string_view platform_name() const override { return "etsy"; }
  base::Status add_item(const CatalogItem& item) override;
  std::optional<std::string> external_ids_json(std::string_view sku) const override;
  NetworkConditions network(base::Instant now) override;
  base::HttpResponse handle(const base::HttpRequest& request, base::Instant now) override;
  PlaceOrderResult place_order(std::string_view sku, int64_t quantity, base::Instant now) override;
  base::Status cancel_order(std::string_view order_id, base::Instant now) override;
  std::vector<WebhookDelivery> take_due_webhooks(base::Instant now) override;
  void on_webhook_result(std::string_view delivery_id, int32_t status, base::Instant now) override;
  std::optional<base::Instant> next_wakeup() const override;
  void advance(base::Instant now) override;
  base::Status set_faults_json(std::string_view json) override;
  std::map<std::string, int64_t> counts() const override;
  std::vector<AcceptedOrder> accepted_orders() const override;
  std::map<std::string, int64_t> stats() const override;

  // --- Etsy-specific helpers ---
  const EtsyMockConfig& config() const { return config_; }
  // The correct x-api-key value: "<keystring>:<shared_secret>".
  const std::string& api_key_header() const { return api_key_; }
  // The user consenting at etsy.com/oauth/connect: an authorization code bound to the PKCE
  // S256 `code_challenge` and `redirect_uri`, for the space-separated `scope`.
  std::string authorize(std::string_view code_challenge, std::string_view redirect_uri,
                        std::string_view scope, base::Instant now);
  // The user changed their password: every access and refresh token stops working.
  void revoke_all_tokens();
  std::optional<int64_t> listing_id_of(std::string_view sku) const;
  // "active", "inactive" or "sold_out".
  std::optional<std::string> listing_state(int64_t listing_id) const;
  int64_t unix_seconds(base::Instant now) const;

 private:
  using Response = base::HttpResponse;
  using Request = base::HttpRequest;
  // Hashes std::string keys and std::string_view probes alike (heterogeneous lookup).
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };

  // handle() stages: auth of the app, rate limits, routing.
  std::optional<Response> check_api_key(const Request& request);
  std::optional<Response> admit(base::Instant now);
  void add_rate_headers(Response* response, base::Instant now);
  void apply_rate_limit_faults();
  Response route(const Request& request, base::Instant now);
  // OAuth (etsy_oauth.cc).
  std::optional<Response> require_scope(const Request& request, std::string_view scope,
                                        base::Instant now);
  Response handle_token(const Request& request, base::Instant now);
  Response refresh_grant(const std::vector<std::pair<std::string, std::string>>& form,
                         base::Instant now);
  Response authorization_code_grant(const std::vector<std::pair<std::string, std::string>>& form,
                                    base::Instant now);
  Response issue_tokens(int64_t user_id, const std::vector<std::string>& scopes, base::Instant now);
  std::string random_token(int64_t user_id);
  // Inventory (etsy_inventory.cc).
  Response get_inventory(int64_t listing_id);
  Response get_batch_inventory(const Request& request);
  Response put_inventory(int64_t listing_id, const Request& request, base::Instant now);
  Response get_listing(int64_t listing_id);
  Response patch_listing(int64_t listing_id, const Request& request, base::Instant now);
  // Receipts, storefront, webhooks (etsy_receipts.cc).
  Response list_receipts(const Request& request, base::Instant now);
  Response get_receipt(int64_t receipt_id, base::Instant now);
  void emit_webhook(std::string_view event_type, int64_t receipt_id, base::Instant now);
  WebhookDelivery make_delivery(const etsy::PendingWebhook& pending, base::Instant due) const;
  void sign_delivery(WebhookDelivery* delivery, base::Instant now) const;

  std::string request_uuid();
  int64_t next_id(int64_t* counter) { return (*counter)++; }
  void bump(std::string_view stat, int64_t by = 1);

  EtsyMockConfig config_;
  std::string api_key_;  // api_key_header(), checked on every request
  base::Prng prng_;
  EtsyFaults faults_;
  WindowCounter per_second_;
  WindowCounter per_day_;
  WebhookQueue webhooks_;
  base::Instant now_;  // latest time seen (for next_wakeup)

  // Hash maps where every request looks up one entry; nothing depends on their order.
  std::unordered_map<int64_t, etsy::Listing> listings_;
  std::map<std::string, int64_t> group_listing_;  // CatalogItem.group -> listing_id
  std::unordered_map<std::string, int64_t, StringHash, std::equal_to<>> sku_listing_;
  std::unordered_map<int64_t, etsy::Receipt> receipts_;
  // visible_at of receipts polling cannot see yet (pruned as time advances): next_wakeup() is
  // the earliest of these, without scanning every receipt.
  std::multiset<base::Instant> pending_visible_;
  // (updated_unix_s, receipt_id) of every receipt: a poll with min_last_modified (the usual
  // incremental poll) reads only the receipts changed since, not the whole history.
  std::set<std::pair<int64_t, int64_t>> receipts_by_updated_;
  std::vector<AcceptedOrder> accepted_;
  std::map<std::string, etsy::AccessToken, std::less<>> access_tokens_;
  std::map<std::string, etsy::RefreshToken, std::less<>> refresh_tokens_;
  std::map<std::string, etsy::AuthorizationCode, std::less<>> auth_codes_;
  std::map<std::string, etsy::PendingWebhook, std::less<>> pending_webhooks_;
  std::map<std::string, int64_t, std::less<>> stats_;

  int64_t next_listing_id_ = 1'500'000'001;
  int64_t next_product_id_ = 10'000'000'001;
  int64_t next_offering_id_ = 20'000'000'001;
  int64_t next_value_id_ = 60'000'000'001;
  int64_t next_receipt_id_ = 3'000'000'001;
  int64_t next_transaction_id_ = 4'000'000'001;
};

}  // namespace invsync::mocks
