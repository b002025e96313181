#include "mocks/shopify/shopify_rest.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/base/url.h"
#include "mocks/shopify/shopify_payloads.h"

namespace invsync::mocks {
namespace {

using nlohmann::json;

base::HttpResponse errors(int32_t status, const json& value) {
  return base::HttpResponse::json(status, json{{"errors", value}}.dump());
}

base::HttpResponse missing_param(const char* name) {
  return errors(400, json{{name, "Required parameter missing or invalid"}});
}

base::HttpResponse level_response(const ShopifyVariant& v, const ShopifyMockConfig& config) {
  return base::HttpResponse::json(200,
                                  "{\"inventory_level\":" + inventory_level_json(v, config) + "}");
}

// Parses the body and finds the level it names; on failure returns the error response.
std::optional<base::HttpResponse> find_level(std::string_view body, const ShopifyMockConfig& config,
                                             ShopifyCatalog& catalog, json* parsed,
                                             ShopifyVariant** variant) {
  *parsed = json::parse(body.begin(), body.end(), nullptr, false);
  if (parsed->is_discarded() || !parsed->is_object()) {
    return errors(400, "Invalid JSON in request body");
  }
  const json& b = *parsed;
  if (!b.contains("location_id") || !b["location_id"].is_number_integer()) {
    return missing_param("location_id");
  }
  if (!b.contains("inventory_item_id") || !b["inventory_item_id"].is_number_integer()) {
    return missing_param("inventory_item_id");
  }
  *variant = catalog.by_item(b["inventory_item_id"].get<int64_t>());
  if (*variant == nullptr || b["location_id"].get<int64_t>() != config.location_id) {
    return shopify_not_found();
  }
  if (!(*variant)->tracked) {
    return errors(422, json::array({"Inventory item does not have inventory tracking enabled"}));
  }
  return std::nullopt;
}

ShopifyRestResult write_level(bool adjust, std::string_view body, const ShopifyMockConfig& config,
                              ShopifyCatalog& catalog, base::WallTime wall) {
  json b;
  ShopifyVariant* v = nullptr;
  if (auto err = find_level(body, config, catalog, &b, &v)) return {*err, {}};
  const char* field = adjust ? "available_adjustment" : "available";
  if (!b.contains(field) || !b[field].is_number_integer()) return {missing_param(field), {}};
  const int64_t value = b[field].get<int64_t>();
  const int64_t after = adjust ? v->available + value : value;
  if (after > 1'000'000'000 || after < -1'000'000'000) {
    return {errors(422, json::array({"Available must be less than or equal to 1000000000"})), {}};
  }
  v->available = after;
  v->updated_at = wall;
  return {level_response(*v, config), {v->inventory_item_id}};
}

// The ids of a comma-separated list, sorted, without repeats.
std::optional<std::vector<int64_t>> id_list(
    const std::vector<std::pair<std::string, std::string>>& q, std::string_view name) {
  const std::optional<std::string> raw = base::query_param(q, name);
  if (!raw) return std::nullopt;
  std::vector<int64_t> out;
  size_t start = 0;
  while (start <= raw->size()) {
    const size_t comma = std::min(raw->find(',', start), raw->size());
    const std::string part = raw->substr(start, comma - start);
    if (!part.empty()) {
      try {
        out.push_back(std::stoll(part));
      } catch (...) {
        // Shopify ignores ids it cannot parse.
      }
    }
    start = comma + 1;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

ShopifyRestResult list_levels(std::string_view query, const ShopifyMockConfig& config,
                              const ShopifyCatalog& catalog) {
  const auto q = base::parse_query(query);
  if (!q) return {errors(400, "Invalid query string"), {}};
  const auto items = id_list(*q, "inventory_item_ids");
  const auto locations = id_list(*q, "location_ids");
  if (!items && !locations) {
    return {errors(422, json::array({"inventory_item_ids, location_ids, or both are required"})),
            {}};
  }
  std::string out = "{\"inventory_levels\":[";
  bool first = true;
  if (!locations || std::binary_search(locations->begin(), locations->end(), config.location_id)) {
    const auto& variants = catalog.variants();
    out.reserve(out.size() + 220 * (items ? items->size() : variants.size()));
    auto emit = [&](const auto& v) {
      if (!first) out.push_back(',');
      append_inventory_level_json(out, v, config);
      first = false;
    };
    if (items) {
      // Look the asked-for ids up instead of scanning the whole catalogue (same order: by id).
      for (const auto id : *items) {
        if (const ShopifyVariant* v = catalog.by_item(id)) emit(*v);
      }
    } else {
      for (const auto& [id, v] : variants) emit(v);
    }
  }
  out += "]}";
  return {base::HttpResponse::json(200, std::move(out)), {}};
}

}  // namespace

base::HttpResponse shopify_not_found() { return errors(404, "Not Found"); }

base::HttpResponse shopify_missing_scope(std::string_view scope) {
  return errors(
      403, "[API] This action requires merchant approval for " + std::string(scope) + " scope.");
}

bool shopify_has_scope(const ShopifyAccessToken& token, std::string_view scope) {
  for (const auto& s : token.scopes) {
    if (s == scope) return true;
    // write_X implies read_X, as in Shopify.
    if (scope.substr(0, 5) == "read_" && s == "write_" + std::string(scope.substr(5))) return true;
  }
  return false;
}

ShopifyRestResult handle_shopify_rest(std::string_view method, std::string_view resource,
                                      std::string_view query, std::string_view body,
                                      const ShopifyAccessToken& token,
                                      const ShopifyMockConfig& config, ShopifyCatalog& catalog,
                                      base::WallTime wall) {
  const bool set = resource == "inventory_levels/set.json";
  const bool adjust = resource == "inventory_levels/adjust.json";
  if (method == "POST" && (set || adjust)) {
    if (!shopify_has_scope(token, "write_inventory")) {
      return {shopify_missing_scope("write_inventory"), {}};
    }
    return write_level(adjust, body, config, catalog, wall);
  }
  if (method == "GET" && resource == "inventory_levels.json") {
    if (!shopify_has_scope(token, "read_inventory")) {
      return {shopify_missing_scope("read_inventory"), {}};
    }
    return list_levels(query, config, catalog);
  }
  return {shopify_not_found(), {}};
}

}  // namespace invsync::mocks
