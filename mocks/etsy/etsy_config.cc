// Strict JSON parsing of EtsyMockConfig and EtsyFaults (key paths in every error).
#include <string>
#include <vector>

#include "core/base/crypto.h"
#include "core/base/json_reader.h"
#include "mocks/etsy/etsy_mock.h"

namespace invsync::mocks {
namespace {

constexpr int64_t kMaxSeconds = 10LL * 365 * 86'400;

void parse_oauth(base::JsonReader r, EtsyMockConfig* c) {
  c->access_token_lifetime = base::Duration::seconds(
      r.get_int("access_token_lifetime_s", c->access_token_lifetime.s(), 1, kMaxSeconds));
  c->refresh_token_lifetime = base::Duration::seconds(
      r.get_int("refresh_token_lifetime_s", c->refresh_token_lifetime.s(), 1, kMaxSeconds));
  c->refresh_token_grace = base::Duration::seconds(
      r.get_int("refresh_token_grace_s", c->refresh_token_grace.s(), 0, kMaxSeconds));
  c->authorization_code_lifetime = base::Duration::seconds(r.get_int(
      "authorization_code_lifetime_s", c->authorization_code_lifetime.s(), 1, kMaxSeconds));
  if (r.has("initial_refresh_tokens")) {
    c->initial_refresh_tokens = r.string_array("initial_refresh_tokens");
    for (size_t i = 0; i < c->initial_refresh_tokens.size(); ++i) {
      if (c->initial_refresh_tokens[i].empty()) {
        r.fail("initial_refresh_tokens[" + std::to_string(i) + "]", "must not be empty");
      }
    }
  }
  if (r.has("granted_scopes")) c->granted_scopes = r.string_array("granted_scopes");
  c->token_endpoint_requires_api_key =
      r.get_bool("token_endpoint_requires_api_key", c->token_endpoint_requires_api_key);
  (void)r.finish();
}

void parse_limits(base::JsonReader r, EtsyMockConfig* c) {
  c->per_second_limit = r.get_int("per_second", c->per_second_limit, 1, 1'000'000);
  c->per_day_limit = r.get_int("per_day", c->per_day_limit, 1, 1'000'000'000);
  c->day_window_buckets =
      static_cast<int32_t>(r.get_int("day_window_buckets", c->day_window_buckets, 1, 86'400));
  if (86'400 % c->day_window_buckets != 0) {
    r.fail("day_window_buckets", "must divide 86400 (whole-second buckets)");
  }
  c->remaining_this_second_header =
      r.get_enum("remaining_this_second_header", c->remaining_this_second_header,
                 {"x-remaining-this-second", "x-remaining-this-secon"});
  (void)r.finish();
}

void parse_webhook(base::JsonReader r, EtsyMockConfig* c) {
  c->webhook_enabled = r.get_bool("enabled", c->webhook_enabled);
  c->webhook_signing_secret = r.get_string("signing_secret", c->webhook_signing_secret);
  const std::string& s = c->webhook_signing_secret;
  if (s.rfind("whsec_", 0) != 0 || !base::base64_decode(s.substr(6)).has_value() || s.size() == 6) {
    r.fail("signing_secret", "must be whsec_ followed by base64");
  }
  c->webhook_target = r.get_string("target", c->webhook_target);
  if (c->webhook_target.empty() || c->webhook_target[0] != '/') {
    r.fail("target", "must be a path starting with /");
  }
  if (r.has("retry_schedule_s")) {
    const std::vector<int64_t> delays = r.int_array("retry_schedule_s", 0, kMaxSeconds);
    if (delays.empty()) r.fail("retry_schedule_s", "must have at least one attempt");
    c->webhook_retry_schedule.clear();
    for (int64_t d : delays) c->webhook_retry_schedule.push_back(base::Duration::seconds(d));
  }
  c->webhook_signature_prefix = r.get_string("signature_prefix", c->webhook_signature_prefix);
  c->webhook_emit_canceled = r.get_bool("emit_canceled", c->webhook_emit_canceled);
  (void)r.finish();
}

}  // namespace

base::Status parse_etsy_mock_config(base::JsonReader& r, EtsyMockConfig* config) {
  EtsyMockConfig c = *config;
  c.shop_id = r.get_int("shop_id", c.shop_id, 1, INT64_MAX);
  c.user_id = r.get_int("user_id", c.user_id, 1, INT64_MAX);
  c.keystring = r.get_string("keystring", c.keystring);
  if (c.keystring.empty() || c.keystring.find(':') != std::string::npos) {
    r.fail("keystring", "must be non-empty without ':'");
  }
  c.shared_secret = r.get_string("shared_secret", c.shared_secret);
  if (c.shared_secret.empty()) r.fail("shared_secret", "must not be empty");
  c.base_url = r.get_string("base_url", c.base_url);
  c.wall_origin = base::WallTime::from_unix_s(
      r.get_int("wall_origin_unix_s", c.wall_origin.unix_s(), 946'684'800, 4'102'444'800));
  c.api_key_error_status =
      static_cast<int32_t>(r.get_int("api_key_error_status", c.api_key_error_status, 400, 499));
  c.currency_code = r.get_string("currency_code", c.currency_code);
  if (c.currency_code.size() != 3) r.fail("currency_code", "must be a 3-letter ISO 4217 code");
  c.default_price_amount = r.get_int("default_price_amount", c.default_price_amount, 20, 5'000'000);
  c.new_product_ids_on_put = r.get_bool("new_product_ids_on_put", c.new_product_ids_on_put);
  c.put_reactivates_sold_out = r.get_bool("put_reactivates_sold_out", c.put_reactivates_sold_out);
  c.receipt_visibility_delay = base::Duration::milliseconds(r.get_int(
      "receipt_visibility_delay_ms", c.receipt_visibility_delay.ms(), 0, kMaxSeconds * 1000));
  parse_oauth(r.object("oauth"), &c);
  parse_limits(r.object("limits"), &c);
  parse_webhook(r.object("webhook"), &c);
  base::Status st = r.finish();
  if (st.ok()) *config = std::move(c);
  return st;
}

base::Status parse_etsy_faults(base::JsonReader& r, EtsyFaults* faults) {
  EtsyFaults f;
  parse_common_faults(r, &f.common);
  f.receipt_page_shift = r.get_int("receipt_page_shift", 0, 0, 100);
  base::Status st = r.finish();
  if (st.ok()) *faults = f;
  return st;
}

}  // namespace invsync::mocks
