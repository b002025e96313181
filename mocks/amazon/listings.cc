// Listings Items API 2021-08-01 on the Amazon mock: patchListingsItem (ACCEPTED / INVALID /
// VALID in VALIDATION_PREVIEW, HTTP 200 either way) and getListingsItem with includedData.
// attributes.fulfillment_availability shows the last accepted write; fulfillmentAvailability
// shows the live offer quantity, which lags (apply_lag_ms) or never moves (not_applied_percent).
#include <nlohmann/json.hpp>
#include <set>

#include "core/base/json_writer.h"
#include "core/base/url.h"
#include "mocks/amazon/amazon_mock.h"
#include "mocks/amazon/listings_feed.h"
#include "mocks/amazon/sp_api_http.h"

namespace invsync::mocks {
namespace {

using base::HttpRequest;
using base::HttpResponse;
using base::Instant;
using nlohmann::json;
using nlohmann::ordered_json;

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= s.size()) {
    const size_t end = std::min(s.find(',', pos), s.size());
    if (end > pos) out.push_back(s.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

// The decoded query parameters; none when the query string is malformed.
std::vector<std::pair<std::string, std::string>> query_params(const HttpRequest& request) {
  return base::parse_query(request.query())
      .value_or(std::vector<std::pair<std::string, std::string>>{});
}

HttpResponse bad_request(const std::string& message) {
  return amazon::error_response(400, "BAD_REQUEST", message);
}

ordered_json issue_json(const amazon::ListingIssue& issue) {
  ordered_json i;
  i["code"] = issue.code;
  i["message"] = issue.message;
  i["severity"] = "ERROR";
  if (!issue.attribute.empty()) i["attributeNames"] = {issue.attribute};
  i["categories"] = {issue.code == "90220" ? "MISSING_ATTRIBUTE" : "INVALID_ATTRIBUTE"};
  return i;
}

}  // namespace

std::optional<HttpResponse> AmazonMock::check_listings_request(const Route& route,
                                                               const QueryParams& query) const {
  if (route.params[0] != config_.seller_id) {
    return amazon::error_response(403, "Unauthorized", "Access to requested resource is denied.");
  }
  const auto markets = base::query_param(query, "marketplaceIds");
  if (!markets) return bad_request("Missing required parameter: marketplaceIds.");
  for (const std::string& m : split_commas(*markets)) {
    if (m != config_.marketplace_id) return bad_request("Invalid marketplaceIds: " + m + ".");
  }
  return std::nullopt;
}

HttpResponse AmazonMock::patch_listings_item(const Route& route, const HttpRequest& request,
                                             Instant now) {
  const QueryParams query = query_params(request);
  if (auto error = check_listings_request(route, query)) return *error;
  const std::string& sku = route.params[1];
  const auto mode = base::query_param(query, "mode");
  if (mode && *mode != "VALIDATION_PREVIEW") return bad_request("Invalid mode: " + *mode + ".");
  const json body = json::parse(request.body, nullptr, false);
  if (!body.is_object()) return bad_request("The request body is not a valid JSON object.");
  std::optional<int64_t> quantity;
  std::vector<amazon::ListingIssue> issues = amazon::validate_patch(body, &quantity);
  const auto listing = listings_.find(sku);
  if (issues.empty() && listing == listings_.end()) {
    issues.push_back({"4000003", "SKU '" + sku + "' was not found for this seller.", ""});
  }
  const bool preview = mode.has_value();
  ordered_json out;
  out["sku"] = sku;
  out["status"] = !issues.empty() ? "INVALID" : preview ? "VALID" : "ACCEPTED";
  out["submissionId"] = next_id_hex(32);
  out["issues"] = ordered_json::array();
  for (const auto& issue : issues) out["issues"].push_back(issue_json(issue));
  count(issues.empty() ? (preview ? "patch_valid" : "patch_accepted") : "patch_invalid");
  if (issues.empty() && !preview && quantity) {
    listing->second.attribute_quantity = *quantity;
    listing->second.last_updated = now;
    if (prng_.chance(base::Ratio::percent(faults_.not_applied_percent))) {
      count("not_applied");
    } else {
      schedule_apply(sku, *quantity, now);
      advance(now);  // a zero lag lands before the response
    }
  }
  return HttpResponse::text(200, "application/json", out.dump());
}

HttpResponse AmazonMock::get_listings_item(const Route& route, const HttpRequest& request) {
  const QueryParams query = query_params(request);
  if (auto error = check_listings_request(route, query)) return *error;
  static const std::set<std::string> kIncluded = {
      "summaries",   "attributes",    "issues",      "offers", "fulfillmentAvailability",
      "procurement", "relationships", "productTypes"};
  const std::vector<std::string> included =
      split_commas(base::query_param(query, "includedData").value_or("summaries"));
  for (const std::string& d : included) {
    if (kIncluded.count(d) == 0) return bad_request("Invalid includedData: " + d + ".");
  }
  const std::string& sku = route.params[1];
  const auto it = listings_.find(sku);
  if (it == listings_.end()) {
    return amazon::error_response(
        404, "NOT_FOUND", "SKU '" + sku + "' not found in marketplace " + config_.marketplace_id);
  }
  const Listing& l = it->second;
  auto has = [&](const char* d) {
    return std::find(included.begin(), included.end(), d) != included.end();
  };
  std::string body;
  base::JsonWriter json(body);
  json.begin_object().field("sku", sku);
  if (has("summaries")) {
    json.key("summaries").begin_array().begin_object();
    json.field("marketplaceId", config_.marketplace_id);
    json.field("asin", l.asin);
    json.field("productType", "PRODUCT");
    json.field("conditionType", "new_new");
    json.key("status").begin_array();
    if (l.live_quantity > 0) json.value("BUYABLE");
    json.value("DISCOVERABLE").end_array();
    json.field("itemName", "Item " + sku);
    json.field("createdDate", iso(l.created));
    json.field("lastUpdatedDate", iso(l.last_updated));
    json.end_object().end_array();
  }
  if (has("attributes")) {
    json.key("attributes").begin_object().key("fulfillment_availability").begin_array();
    json.begin_object();
    json.field("fulfillment_channel_code", "DEFAULT");
    json.field("quantity", l.attribute_quantity);
    json.field("marketplace_id", config_.marketplace_id);
    json.end_object().end_array().end_object();
  }
  if (has("issues")) json.key("issues").begin_array().end_array();
  if (has("fulfillmentAvailability")) {
    json.key("fulfillmentAvailability").begin_array().begin_object();
    json.field("fulfillmentChannelCode", "DEFAULT");
    json.field("quantity", l.live_quantity);
    json.end_object().end_array();
  }
  json.end_object();
  return HttpResponse::text(200, "application/json", std::move(body));
}

}  // namespace invsync::mocks
