// The /products routes: permission checks, list with SKU lookup and pagination headers, single
// GET/PUT/DELETE for products and variations, and batch (100-item limit, per-item errors).
#include <algorithm>
#include <optional>
#include <set>
#include <string>

#include "core/base/url.h"
#include "mocks/woocommerce/woocommerce_internal.h"
#include "mocks/woocommerce/woocommerce_mock.h"

namespace invsync::mocks {
namespace {

using woo::Json;

base::HttpResponse no_route() {
  return woo::error_response(404, "rest_no_route",
                             "No route was found matching the URL and request method.");
}

base::HttpResponse denied(std::string_view code, std::string_view message) {
  return woo::error_response(401, code, message);  // rest_authorization_required_code(): 401
}

bool is_edit(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH";
}

// The request's JSON body merged over its query parameters (WP_REST_Request::get_param order).
std::optional<Json> request_params(const base::HttpRequest& request,
                                   const std::vector<std::pair<std::string, std::string>>& q) {
  Json merged = Json::object();
  for (const auto& [k, v] : q) merged[k] = v;
  if (request.body.empty()) return merged;
  Json body = Json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return std::nullopt;
  for (auto it = body.begin(); it != body.end(); ++it) merged[it.key()] = it.value();
  return merged;
}

// WordPress REST's global `_fields` parameter (WP_REST_Server, since WP 4.9.8): a comma list of
// top-level keys; the reply objects keep only those. Absent or empty: everything.
woo::ProductFields requested_fields(
    const std::vector<std::pair<std::string, std::string>>& params) {
  const auto v = base::query_param(params, "_fields");
  return v ? woo::ProductFields::parse(*v) : woo::ProductFields::all();
}

base::HttpResponse invalid_json() {
  return woo::error_response(400, "rest_invalid_json", "Invalid JSON body passed.");
}

std::vector<std::string> split_skus(std::string_view list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string_view::npos) comma = list.size();
    std::string_view s = list.substr(start, comma - start);
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    if (!s.empty()) out.emplace_back(s);
    start = comma + 1;
  }
  return out;
}

std::string link_url(const std::string& base,
                     const std::vector<std::pair<std::string, std::string>>& params, int64_t page) {
  std::string q;
  for (const auto& [k, v] : params) {
    if (k == "page" || k == "rest_route") continue;
    q += (q.empty() ? "" : "&") + base::percent_encode(k) + "=" + base::percent_encode(v);
  }
  q += (q.empty() ? "" : "&") + std::string("page=") + std::to_string(page);
  return base + "?" + q;
}

}  // namespace

base::HttpResponse WooCommerceMock::list_products(const base::HttpRequest& request,
                                                  const Params& params, int64_t parent_id) {
  int64_t per_page = 10;
  int64_t page = 1;
  if (auto v = base::query_param(params, "per_page")) {
    auto n = woo::parse_id(*v);
    if (!n || *n < 1 || *n > config_.per_page_max) {
      return woo::invalid_param("per_page", "per_page must be between 1 (inclusive) and " +
                                                std::to_string(config_.per_page_max) +
                                                " (inclusive)");
    }
    per_page = *n;
  }
  if (auto v = base::query_param(params, "page")) {
    auto n = woo::parse_id(*v);
    if (!n || *n < 1) return woo::invalid_param("page", "page must be greater than or equal to 1");
    page = *n;
  }
  const auto sku = base::query_param(params, "sku");
  const auto search = base::query_param(params, "search_sku");
  const std::vector<std::string> sku_list = sku ? split_skus(*sku) : std::vector<std::string>{};
  const std::set<std::string> skus(sku_list.begin(), sku_list.end());
  // include=1,2,3: only these ids (WP REST core's `include` collection parameter).
  std::optional<std::vector<int64_t>> include;  // sorted, no repeats
  if (auto v = base::query_param(params, "include")) {
    include.emplace();
    for (const std::string& part : split_skus(*v)) {
      auto id = woo::parse_id(part);
      if (!id) return woo::invalid_param("include", "include[0] is not of type integer.");
      include->push_back(*id);
    }
    std::sort(include->begin(), include->end());
    include->erase(std::unique(include->begin(), include->end()), include->end());
  }
  std::vector<const woo::Product*> hits;
  auto consider = [&](const woo::Product& p) {
    if (parent_id != 0) {
      if (p.type != "variation" || p.parent_id != parent_id) return;
    } else if (!sku && !search && p.type == "variation") {
      return;
    }
    if (sku && skus.count(p.sku) == 0) return;
    if (search && p.sku.find(*search) == std::string::npos) return;
    hits.push_back(&p);
  };
  if (include) {
    // Only the named ids, in the same order as the full scan (date desc, id desc).
    for (auto id = include->rbegin(); id != include->rend(); ++id) {
      if (const woo::Product* p = find_product(*id)) consider(*p);
    }
  } else {
    products_.for_each_descending(consider);
  }
  const int64_t total = static_cast<int64_t>(hits.size());
  const int64_t pages = (total + per_page - 1) / per_page;
  const woo::ProductFields fields = requested_fields(params);
  std::string body;
  base::JsonWriter w(body);
  w.begin_array();
  for (int64_t i = (page - 1) * per_page; i < std::min(total, page * per_page); ++i) {
    if (parent_id != 0) {
      write_variation(*hits[static_cast<size_t>(i)], w, fields);
    } else {
      write_product(*hits[static_cast<size_t>(i)], w, fields);
    }
  }
  w.end_array();
  base::HttpResponse r = woo::json_response(200, std::move(body));
  r.headers.set("X-WP-Total", std::to_string(total));
  r.headers.set("X-WP-TotalPages", std::to_string(pages));
  const std::string path = request.path().starts_with("/wp-json")
                               ? std::string(request.path().substr(1))
                               : "wp-json" + base::query_param(params, "rest_route").value_or("");
  const std::string base = config_.home_url + path;
  std::string link;
  if (page > 1 && pages > 0) {
    link = "<" + link_url(base, params, std::min(page - 1, pages)) + ">; rel=\"prev\"";
  }
  if (page < pages) {
    link +=
        (link.empty() ? "" : ", ") + ("<" + link_url(base, params, page + 1)) + ">; rel=\"next\"";
  }
  if (!link.empty()) r.headers.set("Link", link);
  return r;
}

base::HttpResponse WooCommerceMock::batch(const base::HttpRequest& request, int64_t parent_id,
                                          base::Instant now) {
  ++stats_["batches"];
  Json body = Json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return invalid_json();
  size_t total = 0;
  for (const char* key : {"create", "update", "delete"}) {
    if (body.contains(key) && body[key].is_array()) total += body[key].size();
  }
  if (static_cast<int64_t>(total) > config_.batch_items_limit) {
    return woo::error_response(413, "woocommerce_rest_request_entity_too_large",
                               "Unable to accept more than " +
                                   std::to_string(config_.batch_items_limit) +
                                   " items for this request.");
  }
  // Slow hosting: PHP's max_execution_time kills the request part-way (the done part stays).
  size_t budget = total;
  const int64_t max_ms = config_.php_max_execution_s * 1000;
  if (faults_.slow_batch_ms > max_ms)
    budget = total * static_cast<size_t>(max_ms) / static_cast<size_t>(faults_.slow_batch_ms);
  std::string out;
  base::JsonWriter w(out);
  w.begin_object();
  size_t done = 0;
  std::string result;
  for (const char* key : {"create", "update", "delete"}) {
    if (!body.contains(key) || !body[key].is_array()) continue;
    w.key(key).begin_array();
    for (const Json& item : body[key]) {
      if (done++ >= budget) break;
      result.clear();
      int32_t st = 0;
      const Json& id = item.is_object() && item.contains("id") ? item["id"] : item;
      if (std::string_view(key) == "create") {
        st = item.is_object() ? create_item(parent_id, item, now, &result) : 400;
      } else if (std::string_view(key) == "update") {
        const int64_t n = id.is_number_integer() ? id.get<int64_t>() : 0;
        st = parent_id != 0 ? update_variation_item(parent_id, n, item, now, &result)
                            : update_product_item(n, item, now, &result);
      } else {
        st = delete_item(parent_id, id.is_number_integer() ? id.get<int64_t>() : 0, now, &result);
      }
      if (st < 400) {
        w.raw(result);
        continue;
      }
      w.begin_object().key("id");
      if (id.is_number_unsigned()) {
        w.value(id.get<uint64_t>());
      } else {
        w.value(id.is_number_integer() ? id.get<int64_t>() : int64_t{0});
      }
      w.key("error").raw(result.empty()
                             ? woo::error_json(400, "rest_invalid_param",
                                               "Invalid parameter(s): " + std::string(key))
                             : result);
      w.end_object();
    }
    w.end_array();
  }
  w.end_object();
  if (budget < total) {
    ++stats_["php_timeouts"];
    return base::HttpResponse::text(
        500, "text/html; charset=UTF-8",
        "<br />\n<b>Fatal error</b>:  Maximum execution time of " +
            std::to_string(config_.php_max_execution_s) +
            " seconds exceeded in <b>/home/shopuser/public_html/wp-includes/class-wpdb.php</b> "
            "on line <b>2351</b><br />\n");
  }
  base::HttpResponse r = woo::json_response(200, std::move(out));
  if (faults_.slow_batch_ms > 0) {
    r.headers.set("X-Mock-Server-Time-Ms", std::to_string(faults_.slow_batch_ms));
  }
  return r;
}

base::HttpResponse WooCommerceMock::route_products(const base::HttpRequest& request,
                                                   PathParts parts, const Params& params,
                                                   const Caller& caller, base::Instant now) {
  const std::string& m = request.method;
  const bool authed = caller.authenticated;
  if (parts.size() == 1) {
    if (m == "GET") {
      if (!authed)
        return denied("woocommerce_rest_cannot_view", "Sorry, you cannot list resources.");
      return list_products(request, params, 0);
    }
    if (m != "POST") return no_route();
    if (!authed) {
      return denied("woocommerce_rest_cannot_create",
                    "Sorry, you are not allowed to create resources.");
    }
    auto body = request_params(request, {});
    if (!body) return invalid_json();
    std::string out;
    const int32_t st = create_item(0, *body, now, &out);
    return woo::json_response(st, std::move(out));
  }
  if (parts.size() == 2 && parts[1] == "batch") {
    if (!is_edit(m)) return no_route();
    if (!authed) {
      return denied("woocommerce_rest_cannot_batch",
                    "Sorry, you are not allowed to batch manipulate this resource.");
    }
    return batch(request, 0, now);
  }
  return route_product_item(request, parts, params, caller, now);
}

base::HttpResponse WooCommerceMock::route_product_item(const base::HttpRequest& request,
                                                       PathParts parts, const Params& params,
                                                       const Caller& caller, base::Instant now) {
  const std::string& m = request.method;
  const bool authed = caller.authenticated;
  const std::optional<int64_t> id = woo::parse_id(parts[1]);
  if (!id) return no_route();
  const bool exists = find_product(*id) != nullptr;
  if (parts.size() == 2) {
    std::string out;
    if (m == "GET") {
      if (exists && !authed) {
        return denied("woocommerce_rest_cannot_view", "Sorry, you cannot view this resource.");
      }
      if (!exists)
        return woo::error_response(404, "woocommerce_rest_product_invalid_id", "Invalid ID.");
      base::JsonWriter w(out);
      write_product(*find_product(*id), w, requested_fields(params));
      return woo::json_response(200, std::move(out));
    }
    if (is_edit(m)) {
      if (exists && !authed) {
        return denied("woocommerce_rest_cannot_edit",
                      "Sorry, you are not allowed to edit this resource.");
      }
      auto body = request_params(request, params);
      if (!body) return invalid_json();
      const int32_t st = update_product_item(*id, *body, now, &out);
      return woo::json_response(st, std::move(out));
    }
    if (m == "DELETE") {
      if (exists && !authed) {
        return denied("woocommerce_rest_cannot_delete",
                      "Sorry, you are not allowed to delete this resource.");
      }
      const int32_t st = delete_item(0, *id, now, &out);
      return woo::json_response(st, std::move(out));
    }
    return no_route();
  }
  if (parts[2] != "variations" || parts.size() > 4) return no_route();
  return route_variations(request, parts, params, caller, now, *id);
}

base::HttpResponse WooCommerceMock::route_variations(const base::HttpRequest& request,
                                                     PathParts parts, const Params& params,
                                                     const Caller& caller, base::Instant now,
                                                     int64_t parent_id) {
  const std::string& m = request.method;
  const bool authed = caller.authenticated;
  const std::optional<int64_t> id = parent_id;
  const woo::Product* parent = find_product(parent_id);
  if (parts.size() == 3) {
    if (m == "GET") {
      if (!authed)
        return denied("woocommerce_rest_cannot_view", "Sorry, you cannot list resources.");
      return list_products(request, params, *id);
    }
    if (m != "POST") return no_route();
    if (!authed) {
      return denied("woocommerce_rest_cannot_create",
                    "Sorry, you are not allowed to create resources.");
    }
    if (parent == nullptr || parent->type != "variable") {
      return woo::error_response(404, "woocommerce_rest_product_invalid_id", "Invalid ID.");
    }
    auto body = request_params(request, {});
    if (!body) return invalid_json();
    std::string out;
    const int32_t st = create_item(*id, *body, now, &out);
    return woo::json_response(st, std::move(out));
  }
  if (parts[3] == "batch") {
    if (!is_edit(m)) return no_route();
    if (!authed) {
      return denied("woocommerce_rest_cannot_batch",
                    "Sorry, you are not allowed to batch manipulate this resource.");
    }
    if (parent == nullptr || parent->type != "variable") {
      return woo::error_response(404, "woocommerce_rest_product_invalid_id", "Invalid ID.");
    }
    return batch(request, *id, now);
  }
  const std::optional<int64_t> vid = woo::parse_id(parts[3]);
  if (!vid) return no_route();
  const woo::Product* v = find_product(*vid);
  std::string out;
  if (m == "GET") {
    if (v != nullptr && !authed) {
      return denied("woocommerce_rest_cannot_view", "Sorry, you cannot view this resource.");
    }
    if (v == nullptr || v->type != "variation" || v->parent_id != *id) {
      return woo::error_response(404, "woocommerce_rest_product_variation_invalid_id",
                                 "Invalid ID.");
    }
    base::JsonWriter w(out);
    write_variation(*v, w);
    return woo::json_response(200, std::move(out));
  }
  if (is_edit(m) || m == "DELETE") {
    if (v != nullptr && !authed) {
      return denied(
          m == "DELETE" ? "woocommerce_rest_cannot_delete" : "woocommerce_rest_cannot_edit",
          m == "DELETE" ? "Sorry, you are not allowed to delete this resource."
                        : "Sorry, you are not allowed to edit this resource.");
    }
    int32_t st = 0;
    if (m == "DELETE") {
      st = delete_item(*id, *vid, now, &out);
    } else {
      auto body = request_params(request, params);
      if (!body) return invalid_json();
      st = update_variation_item(*id, *vid, *body, now, &out);
    }
    return woo::json_response(st, std::move(out));
  }
  return no_route();
}

}  // namespace invsync::mocks
