#include "mocks/woocommerce/woocommerce_mock.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <tuple>
#include <utility>

#include "core/base/assert.h"
#include "core/base/json_reader.h"
#include "core/base/url.h"
#include "mocks/woocommerce/woocommerce_internal.h"

namespace invsync::mocks {
namespace woo {
namespace {

// The code point of the UTF-8 sequence starting at s[i] and its length in bytes; nullopt when the
// bytes there are not well-formed UTF-8 (overlong forms, surrogates, past U+10FFFF).
std::optional<std::pair<uint32_t, size_t>> decode_utf8(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return i + k < s.size() ? static_cast<uint8_t>(s[i + k]) : 0; };
  const uint8_t lead = byte(0);
  size_t len = 0;
  uint8_t low = 0x80;  // bounds of the second byte
  uint8_t high = 0xBF;
  uint32_t cp = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    len = 2;
    cp = lead & 0x1FU;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    len = 3;
    cp = lead & 0x0FU;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    len = 4;
    cp = lead & 0x07U;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return std::nullopt;
  }
  for (size_t k = 1; k < len; ++k) {
    const uint8_t c = byte(k);
    if (c < (k == 1 ? low : 0x80) || c > (k == 1 ? high : 0xBF)) return std::nullopt;
    cp = (cp << 6) | (c & 0x3FU);
  }
  return std::pair{cp, len};
}

void append_unicode_escape(std::string& out, uint32_t unit) {
  static constexpr char kHex[] = "0123456789abcdef";
  const char esc[6] = {'\\',
                       'u',
                       kHex[(unit >> 12) & 0xF],
                       kHex[(unit >> 8) & 0xF],
                       kHex[(unit >> 4) & 0xF],
                       kHex[unit & 0xF]};
  out.append(esc, sizeof esc);
}

bool needs_wp_escape(char c) { return c == '/' || static_cast<uint8_t>(c) >= 0x7F; }

void write_error(base::JsonWriter& w, int32_t status, std::string_view code,
                 std::string_view message) {
  w.begin_object().field("code", code).field("message", message);
  w.key("data").begin_object().field("status", status);
}

}  // namespace

std::string wp_escape(std::string json) {
  size_t i = 0;
  while (i < json.size() && !needs_wp_escape(json[i])) ++i;
  if (i == json.size()) return json;
  std::string out;
  out.reserve(json.size() + json.size() / 8);
  out.append(json, 0, i);
  while (i < json.size()) {
    const size_t run = i;
    while (i < json.size() && !needs_wp_escape(json[i])) ++i;
    out.append(json, run, i - run);
    if (i == json.size()) break;
    if (json[i] == '/') {
      out += "\\/";
      ++i;
      continue;
    }
    uint32_t cp = 0xFFFD;  // a byte that is not well-formed UTF-8
    size_t len = 1;
    if (static_cast<uint8_t>(json[i]) == 0x7F) {
      cp = 0x7F;
    } else if (const auto decoded = decode_utf8(json, i)) {
      std::tie(cp, len) = *decoded;
    }
    i += len;
    if (cp < 0x10000) {
      append_unicode_escape(out, cp);
    } else {
      append_unicode_escape(out, 0xD7C0 + (cp >> 10));
      append_unicode_escape(out, 0xDC00 + (cp & 0x3FF));
    }
  }
  return out;
}

std::string error_json(int32_t status, std::string_view code, std::string_view message) {
  std::string out;
  base::JsonWriter w(out);
  write_error(w, status, code, message);
  w.end_object().end_object();
  return out;
}

std::string invalid_param_json(std::string_view name, std::string_view reason) {
  std::string out;
  base::JsonWriter w(out);
  write_error(w, 400, "rest_invalid_param", "Invalid parameter(s): " + std::string(name));
  w.key("params").begin_object().field(name, reason).end_object();
  w.end_object().end_object();
  return out;
}

base::HttpResponse json_response(int32_t status, std::string json) {
  return base::HttpResponse::text(status, "application/json; charset=UTF-8",
                                  wp_escape(std::move(json)));
}

base::HttpResponse error_response(int32_t status, std::string_view code, std::string_view message) {
  return json_response(status, error_json(status, code, message));
}

base::HttpResponse invalid_param(std::string_view name, std::string_view reason) {
  return json_response(400, invalid_param_json(name, reason));
}

std::string money(int64_t cents) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%lld.%02lld", cents < 0 ? "-" : "",
                static_cast<long long>(std::llabs(cents) / 100),
                static_cast<long long>(std::llabs(cents) % 100));
  return buf;
}

void write_price_number(base::JsonWriter& w, int64_t cents) {
  if (cents % 100 == 0) {
    w.value(cents / 100);
  } else {
    w.value(static_cast<double>(cents) / 100.0);
  }
}

std::optional<int64_t> parse_id(std::string_view s) {
  if (s.empty() || s.size() > 15) return std::nullopt;
  int64_t v = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace woo

namespace {

std::vector<std::string_view> split_path(std::string_view route) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= route.size()) {
    const size_t slash = route.find('/', start);
    const size_t end = slash == std::string_view::npos ? route.size() : slash;
    if (end > start) parts.push_back(route.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return parts;
}

base::HttpResponse html(int32_t status, std::string body,
                        std::string content_type = "text/html; charset=UTF-8") {
  return base::HttpResponse::text(status, std::move(content_type), std::move(body));
}

// Free hosts' JavaScript cookie challenge (served instead of the API, with status 200).
constexpr const char* kChallengePage =
    "<html><body><script type=\"text/javascript\" src=\"/aes.js\" ></script><script>"
    "function toNumbers(d){var e=[];d.replace(/(..)/g,function(d){e.push(parseInt(d,16))});"
    "return e}var a=toNumbers(\"f655ba9d09a112d4968c63579db590b4\"),"
    "b=toNumbers(\"98344c2eee86c3994890592585b49f80\");document.cookie=\"__test=\"+"
    "toHex(slowAES.decrypt(c,2,a,b))+\"; expires=Thu, 31-Dec-37 23:55:55 GMT; path=/\";"
    "location.href=\"?i=1\";</script><noscript>This site requires Javascript to work, please "
    "enable Javascript in your browser or use a browser with Javascript support</noscript>"
    "</body></html>";

constexpr const char* kPhpWarning =
    "<br />\n<b>Warning</b>:  Undefined array key \"HTTP_REFERER\" in "
    "<b>/home/shopuser/public_html/wp-content/plugins/legacy-seo-tools/seo-tools.php</b> on "
    "line <b>214</b><br />\n";

constexpr const char* kCriticalError =
    "<!DOCTYPE html>\n<html dir='ltr'>\n<head>\n<meta name=\"viewport\" "
    "content=\"width=device-width\">\n<title>WordPress &rsaquo; Error</title>\n</head>\n"
    "<body id=\"error-page\">\n<div class=\"wp-die-message\"><p>There has been a critical error "
    "on this website.</p><p><a href=\"https://wordpress.org/documentation/article/"
    "faq-troubleshooting/\">Learn more about troubleshooting WordPress.</a></p></div></body>\n"
    "</html>";

}  // namespace

WooCommerceMock::WooCommerceMock(WooCommerceMockConfig config, uint64_t seed)
    : config_(std::move(config)),
      prng_(seed),
      products_(config_.first_product_id),
      dates_(config_.utc_offset_minutes) {
  next_post_id_ = config_.first_product_id;
  next_order_id_ = config_.first_order_id;
  next_webhook_id_ = config_.webhook_id;
  for (const std::string& topic : config_.topics) {
    woo::Webhook hook{.id = next_webhook_id_++, .topic = topic};
    webhooks_[hook.id] = hook;
    if (config_.ping_on_construction) queue_ping(hook, base::Instant());
  }
}

base::WallTime WooCommerceMock::wall(base::Instant now) const {
  return base::WallTime::from_unix_s(config_.wall_origin_unix_s) + (now - base::Instant());
}

NetworkConditions WooCommerceMock::network(base::Instant /*now*/) {
  return draw_network(faults_.common, prng_);
}

std::optional<base::HttpResponse> WooCommerceMock::hosting_fault(const base::HttpRequest& r) {
  if (auto page = outage_response(faults_.common)) {
    ++stats_["outage_pages"];
    return page;
  }
  if (faults_.challenge_page_percent > 0 &&
      prng_.chance(base::Ratio::percent(faults_.challenge_page_percent))) {
    ++stats_["challenge_pages"];
    return html(200, kChallengePage);
  }
  if ((r.method == "PUT" || r.method == "DELETE") && faults_.put_501_percent > 0 &&
      prng_.chance(base::Ratio::percent(faults_.put_501_percent))) {
    ++stats_["modsecurity_501"];
    return html(501,
                "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>501 "
                "Method Not Implemented</title>\n</head><body>\n<h1>Method Not Implemented</h1>\n"
                "<p>" +
                    r.method + " to " + std::string(r.path()) +
                    " not supported.<br />\n</p>\n</body></html>\n",
                "text/html; charset=iso-8859-1");
  }
  if (faults_.common.error_rate_percent > 0 &&
      prng_.chance(base::Ratio::percent(faults_.common.error_rate_percent))) {
    ++stats_["errors_500"];
    return html(500, kCriticalError);
  }
  return std::nullopt;
}

base::HttpResponse WooCommerceMock::handle(const base::HttpRequest& request, base::Instant now) {
  ++stats_["requests"];
  if (auto fault = hosting_fault(request)) return *fault;
  std::optional<base::HttpRequest> stripped;  // a copy only when the host drops a header
  if (faults_.strip_authorization) {
    stripped.emplace(request);
    stripped->headers.erase("Authorization");
  }
  const base::HttpRequest& req = stripped ? *stripped : request;
  Params params = base::parse_query(req.query()).value_or(Params{});
  std::string route;
  const std::string_view path = req.path();
  if (path.starts_with("/wp-json/")) {
    route = path.substr(8);
  } else if (path == "/wp-json") {
    route = "/";
  } else if (auto rr = base::query_param(params, "rest_route")) {
    route = std::move(*rr);
  } else {
    return html(404,
                "<!doctype html><html><head><title>Page not found &#8211; Shop</title>"
                "</head><body><h1>Oops! That page can&rsquo;t be found.</h1></body></html>");
  }
  Caller caller;
  if (auto denied = authenticate(req, params, now, &caller)) {
    ++stats_["auth_failures"];
    return *denied;
  }
  base::HttpResponse response = dispatch(req, route, params, caller, now);
  if (faults_.php_warning_percent > 0 &&
      prng_.chance(base::Ratio::percent(faults_.php_warning_percent))) {
    ++stats_["php_warnings"];
    response.body = kPhpWarning + response.body;
  }
  return response;
}

base::HttpResponse WooCommerceMock::dispatch(const base::HttpRequest& request,
                                             std::string_view route, const Params& params,
                                             const Caller& caller, base::Instant now) {
  const std::vector<std::string_view> parts = split_path(route);
  auto no_route = [] {
    return woo::error_response(404, "rest_no_route",
                               "No route was found matching the URL and request method.");
  };
  if (parts.size() < 3 || parts[0] != "wc" || parts[1] != "v3") return no_route();
  const PathParts rest = PathParts(parts).subspan(2);
  if (rest[0] == "products") return route_products(request, rest, params, caller, now);
  if (rest[0] == "orders") return route_orders(request, rest, params, caller, now);
  return no_route();
}

base::Status WooCommerceMock::add_item(const CatalogItem& item) {
  if (item.sku.empty()) return base::Status::invalid_argument("woocommerce: empty sku");
  if (sku_index_.contains(item.sku)) {
    return base::Status::already_exists("woocommerce: duplicate sku " + item.sku);
  }
  woo::Product p;
  p.id = next_post_id_++;
  p.sku = item.sku;
  p.name = item.sku;
  p.price_cents = config_.price_cents;
  p.manage_stock = true;
  p.stock_quantity = item.quantity;
  if (!item.group.empty()) {
    auto [it, inserted] = groups_.try_emplace(item.group, 0);
    if (inserted) {
      woo::Product parent;
      parent.id = p.id;
      parent.type = "variable";
      parent.name = item.group;
      parent.price_cents = config_.price_cents;
      products_[parent.id] = parent;
      it->second = parent.id;
      p.id = next_post_id_++;
    }
    p.type = "variation";
    p.parent_id = it->second;
    p.name = products_[p.parent_id].name + " - " + item.sku;
    products_[p.parent_id].variations.push_back(p.id);
  }
  validate_props(&p);
  products_[p.id] = p;
  sku_index_[p.sku] = p.id;
  if (p.parent_id != 0) sync_parent(p.parent_id);
  return base::Status();
}

std::optional<std::string> WooCommerceMock::external_ids_json(std::string_view sku) const {
  const woo::Product* p = find_sku(sku);
  if (p == nullptr) return std::nullopt;
  std::string out;
  base::JsonWriter(out)
      .begin_object()
      .field("product_id", p->parent_id != 0 ? p->parent_id : p->id)
      .field("variation_id", p->parent_id != 0 ? p->id : int64_t{0})
      .end_object();
  return out;
}

base::Status WooCommerceMock::set_faults_json(std::string_view json) {
  auto r = base::JsonReader::parse(json, "$.faults");
  WooCommerceFaults f;
  parse_common_faults(r, &f.common);
  f.challenge_page_percent = static_cast<uint32_t>(r.get_int("challenge_page_percent", 0, 0, 100));
  f.php_warning_percent = static_cast<uint32_t>(r.get_int("php_warning_percent", 0, 0, 100));
  f.put_501_percent = static_cast<uint32_t>(r.get_int("put_501_percent", 0, 0, 100));
  f.strip_authorization = r.get_bool("strip_authorization", false);
  f.slow_batch_ms = r.get_int("slow_batch_ms", 0, 0, 3'600'000);
  INVSYNC_RETURN_IF_ERROR(r.finish());
  faults_ = f;
  return base::Status();
}

std::map<std::string, int64_t> WooCommerceMock::counts() const {
  std::map<std::string, int64_t> out;
  for (const auto& [sku, id] : sku_index_) {
    const woo::Product* p = find_product(id);
    INVSYNC_ASSERT(p != nullptr);  // the index only names stored products
    const woo::Product* owner = stock_owner(*p);
    out[sku] = owner != nullptr ? owner->stock_quantity.value_or(0) : 0;
  }
  return out;
}

std::vector<AcceptedOrder> WooCommerceMock::accepted_orders() const {
  std::vector<AcceptedOrder> out;
  for (const auto& [id, o] : orders_) {
    out.push_back(AcceptedOrder{.order_id = std::to_string(id),
                                .sku = o.sku,
                                .quantity = o.quantity,
                                .at = o.created,
                                .cancelled = o.status == "cancelled"});
  }
  return out;
}

std::map<std::string, int64_t> WooCommerceMock::stats() const {
  std::map<std::string, int64_t> out = stats_;
  for (const char* key : {"requests", "batches", "webhooks_sent", "webhooks_failed",
                          "webhooks_coalesced", "pings_sent", "orders"}) {
    out.try_emplace(key, 0);
  }
  int64_t disabled = 0;
  for (const auto& [id, hook] : webhooks_) disabled += hook.status == "disabled" ? 1 : 0;
  out["webhook_disabled"] = disabled;
  out["webhooks_dropped"] = queue_.dropped();
  out["webhooks_duplicated"] = queue_.duplicated();
  return out;
}

std::optional<base::Instant> WooCommerceMock::next_wakeup() const {
  std::optional<base::Instant> next = queue_.next_due();
  if (!pending_.empty() && (!next || pending_.front().due < *next)) next = pending_.front().due;
  return next;
}

void WooCommerceMock::advance(base::Instant /*now*/) {
  // Nothing runs on its own: pending deliveries are built when they are taken (at delivery).
}

std::optional<woo::Product> WooCommerceMock::product(int64_t id) const {
  const woo::Product* p = find_product(id);
  if (p == nullptr) return std::nullopt;
  return *p;
}

}  // namespace invsync::mocks
