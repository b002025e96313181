// Products and variations: JSON shapes, manage_stock rules (prepare_object_for_database and
// validate_props), SKU lookup with pagination, batch, and the product routes.
#include <algorithm>
#include <cctype>

#include "core/base/url.h"
#include "mocks/woocommerce/woocommerce_internal.h"
#include "mocks/woocommerce/woocommerce_mock.h"

namespace invsync::mocks {
namespace {

using woo::Json;

constexpr const char* kUseVariationsEndpoint =
    "To manipulate product variations you should use the "
    "/products/&lt;product_id&gt;/variations/&lt;id&gt; endpoint.";

// rest_sanitize_boolean-style reading; nullopt when not a boolean.
std::optional<bool> as_bool(const Json& v) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number_integer()) return v.get<int64_t>() != 0;
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (s == "true" || s == "1" || s == "yes") return true;
    if (s == "false" || s == "0" || s == "no" || s.empty()) return false;
  }
  return std::nullopt;
}

// rest_is_integer: integers and integral numeric strings.
std::optional<int64_t> as_int(const Json& v) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    const bool negative = !s.empty() && s[0] == '-';
    if (auto n = woo::parse_id(negative ? s.substr(1) : s)) return negative ? -*n : *n;
  }
  return std::nullopt;
}

std::string to_lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

const woo::Product* WooCommerceMock::find_product(int64_t id) const {
  auto it = products_.find(id);
  return it == products_.end() ? nullptr : &it->second;
}

const woo::Product* WooCommerceMock::find_sku(std::string_view sku) const {
  auto it = sku_index_.find(sku);
  return it == sku_index_.end() ? nullptr : find_product(it->second);
}

const woo::Product* WooCommerceMock::stock_owner(const woo::Product& p) const {
  if (!config_.manage_stock_option) return nullptr;
  if (p.manage_stock) return &p;
  if (p.type == "variation") {
    const woo::Product* parent = find_product(p.parent_id);
    if (parent != nullptr && parent->manage_stock) return parent;
  }
  return nullptr;
}

std::string WooCommerceMock::effective_manage_stock(const woo::Product& p) const {
  if (p.manage_stock)
    return config_.manage_stock_option || p.type == "variation" ? "true" : "false";
  if (p.type == "variation") {
    const woo::Product* parent = find_product(p.parent_id);
    if (parent != nullptr && parent->manage_stock) return "parent";
  }
  return "false";
}

void WooCommerceMock::validate_props(woo::Product* p) {
  if (!p->manage_stock) {
    p->stock_quantity.reset();
    p->backorders = "no";
    p->low_stock_amount.reset();
    return;
  }
  if (p->stock_quantity.value_or(0) > config_.notify_no_stock_amount) {
    p->stock_status = "instock";
  } else if (p->backorders != "no") {
    p->stock_status = "onbackorder";
  } else {
    p->stock_status = "outofstock";
  }
}

void WooCommerceMock::sync_parent(int64_t parent_id) {
  auto it = products_.find(parent_id);
  if (it == products_.end() || it->second.manage_stock) return;
  bool in = false;
  bool back = false;
  for (int64_t vid : it->second.variations) {
    const woo::Product* v = find_product(vid);
    if (v == nullptr) continue;
    in = in || v->stock_status == "instock";
    back = back || v->stock_status == "onbackorder";
  }
  it->second.stock_status = in ? "instock" : (back ? "onbackorder" : "outofstock");
}

void WooCommerceMock::product_json(const woo::Product& p, base::Instant now, Json* out,
                                   const std::set<std::string>* fields) const {
  (void)now;
  auto want = [fields](const char* key) { return fields == nullptr || fields->count(key) != 0; };
  const std::string manage = effective_manage_stock(p);
  const woo::Product* parent = p.type == "variation" ? find_product(p.parent_id) : nullptr;
  const bool inherit = manage == "parent" && parent != nullptr;
  const std::optional<int64_t> qty = inherit ? parent->stock_quantity : p.stock_quantity;
  const std::string status = inherit ? parent->stock_status : p.stock_status;
  const base::WallTime created = wall(p.created);
  const base::WallTime modified = wall(p.modified);
  const std::string home = config_.home_url;
  Json& j = *out;
  j = Json::object();
  if (want("id")) j["id"] = p.id;
  if (want("name")) j["name"] = p.name;
  if (want("slug")) j["slug"] = to_lower(p.sku);
  if (want("permalink")) j["permalink"] = home + "product/" + to_lower(p.sku) + "/";
  if (want("date_created")) j["date_created"] = woo::local_date(created, config_.utc_offset_minutes);
  if (want("date_created_gmt")) j["date_created_gmt"] = woo::gmt_date(created);
  if (want("date_modified")) j["date_modified"] = woo::local_date(modified, config_.utc_offset_minutes);
  if (want("date_modified_gmt")) j["date_modified_gmt"] = woo::gmt_date(modified);
  if (want("type")) j["type"] = p.type;
  if (want("status")) j["status"] = "publish";
  if (want("sku")) j["sku"] = p.sku;
  if (want("price")) j["price"] = woo::money(p.price_cents);
  if (want("regular_price")) j["regular_price"] = woo::money(p.price_cents);
  if (want("sale_price")) j["sale_price"] = "";
  if (want("on_sale")) j["on_sale"] = false;
  if (want("purchasable")) j["purchasable"] = true;
  if (want("manage_stock")) j["manage_stock"] = manage == "parent" ? Json("parent") : Json(manage == "true");
  if (want("stock_quantity")) j["stock_quantity"] = qty ? Json(*qty) : Json(nullptr);
  if (want("backorders")) j["backorders"] = p.backorders;
  if (want("backorders_allowed")) j["backorders_allowed"] = p.backorders != "no";
  if (want("backordered")) j["backordered"] = false;
  if (want("low_stock_amount")) j["low_stock_amount"] = p.low_stock_amount ? Json(*p.low_stock_amount) : Json(nullptr);
  if (want("parent_id")) j["parent_id"] = p.parent_id;
  if (want("variations")) j["variations"] = p.variations;
  if (want("meta_data")) j["meta_data"] = Json::array();
  if (want("stock_status")) j["stock_status"] = status;
  if (!want("_links")) return;
  const std::string self = home + "wp-json/wc/v3/products/" + std::to_string(p.id);
  j["_links"] = {{"self", {{{"href", self}}}},
                 {"collection", {{{"href", home + "wp-json/wc/v3/products"}}}}};
  if (p.parent_id != 0) {
    j["_links"]["up"] = {
        {{"href", home + "wp-json/wc/v3/products/" + std::to_string(p.parent_id)}}};
  }
}

void WooCommerceMock::variation_json(const woo::Product& v, base::Instant now, Json* out,
                                     const std::set<std::string>* fields) const {
  auto want = [fields](const char* key) { return fields == nullptr || fields->count(key) != 0; };
  Json full;
  product_json(v, now, &full, fields);
  Json& j = *out;
  j = Json::object();
  for (const char* key : {"id",
                          "date_created",
                          "date_created_gmt",
                          "date_modified",
                          "date_modified_gmt",
                          "permalink",
                          "sku",
                          "price",
                          "regular_price",
                          "sale_price",
                          "on_sale",
                          "status",
                          "purchasable",
                          "manage_stock",
                          "stock_quantity",
                          "stock_status",
                          "backorders",
                          "backorders_allowed",
                          "backordered",
                          "low_stock_amount"}) {
    if (want(key)) j[key] = full[key];
  }
  if (want("attributes")) j["attributes"] = {{{"id", 0}, {"name", "Option"}, {"option", v.sku}}};
  if (want("menu_order")) j["menu_order"] = 0;
  if (want("meta_data")) j["meta_data"] = Json::array();
  if (want("name")) j["name"] = v.name;
  if (want("parent_id")) j["parent_id"] = v.parent_id;
  if (!want("_links")) return;
  const std::string base =
      config_.home_url + "wp-json/wc/v3/products/" + std::to_string(v.parent_id);
  j["_links"] = {{"self", {{{"href", base + "/variations/" + std::to_string(v.id)}}}},
                 {"collection", {{{"href", base + "/variations"}}}},
                 {"up", {{{"href", base}}}}};
}

int32_t WooCommerceMock::apply_stock_fields(woo::Product* p, const Json& body, bool variation,
                                            Json* out) {
  auto bad = [&](const std::string& name, const std::string& reason) {
    Json params = Json::object();
    params[name] = reason;
    *out = woo::error_json(400, "rest_invalid_param", "Invalid parameter(s): " + name,
                           Json{{"params", params}});
    return 400;
  };
  std::optional<bool> manage;
  if (body.contains("manage_stock")) {
    const Json& m = body["manage_stock"];
    manage = variation && m == "parent" ? std::optional<bool>(false) : as_bool(m);
    if (!manage) return bad("manage_stock", "manage_stock is not of type boolean.");
  }
  std::optional<int64_t> qty;
  std::optional<int64_t> delta;
  if (body.contains("stock_quantity")) {
    qty = as_int(body["stock_quantity"]);
    if (!qty) return bad("stock_quantity", "stock_quantity is not of type integer.");
  }
  if (body.contains("inventory_delta")) {
    delta = as_int(body["inventory_delta"]);
    if (!delta) return bad("inventory_delta", "inventory_delta is not of type integer.");
  }
  std::optional<std::string> backorders;
  if (body.contains("backorders")) {
    const Json& b = body["backorders"];
    if (!b.is_string() || (b != "no" && b != "notify" && b != "yes")) {
      return bad("backorders", "backorders is not one of no, notify, and yes.");
    }
    backorders = b.get<std::string>();
  }
  std::optional<std::string> status;
  if (body.contains("stock_status")) {
    const Json& s = body["stock_status"];
    if (!s.is_string() || (s != "instock" && s != "outofstock" && s != "onbackorder")) {
      return bad("stock_status",
                 "stock_status is not one of instock, outofstock, and onbackorder.");
    }
    status = s.get<std::string>();
  }
  const bool stock_option = variation || config_.manage_stock_option;
  if (stock_option && manage) p->manage_stock = *manage;
  if (backorders) p->backorders = *backorders;
  if (stock_option && p->manage_stock) {
    if (qty) {
      p->stock_quantity = qty;
    } else if (delta) {
      p->stock_quantity = p->stock_quantity.value_or(0) + *delta;
    }
  } else {
    if (qty || delta) ++stats_["stock_writes_ignored"];
    if (stock_option) p->stock_quantity.reset();
  }
  if (status) p->stock_status = *status;
  if (body.contains("low_stock_amount")) p->low_stock_amount = as_int(body["low_stock_amount"]);
  return 0;
}

int32_t WooCommerceMock::update_product_item(int64_t id, const Json& body, base::Instant now,
                                             Json* out) {
  auto it = products_.find(id);
  if (it == products_.end()) {
    *out = woo::error_json(400, "woocommerce_rest_product_invalid_id", "Invalid ID.");
    return 400;
  }
  if (it->second.type == "variation") {
    *out = woo::error_json(404, "woocommerce_rest_invalid_product_id", kUseVariationsEndpoint);
    return 404;
  }
  woo::Product p = it->second;
  if (body.contains("sku") && body["sku"].is_string() && body["sku"] != p.sku) {
    const std::string sku = body["sku"].get<std::string>();
    if (!sku.empty() && sku_index_.contains(sku)) {
      *out = woo::error_json(400, "product_invalid_sku", "Invalid or duplicated SKU.");
      return 400;
    }
    sku_index_.erase(p.sku);
    p.sku = sku;
    if (!sku.empty()) sku_index_[sku] = p.id;
  }
  if (body.contains("name") && body["name"].is_string()) p.name = body["name"].get<std::string>();
  if (const int32_t st = apply_stock_fields(&p, body, false, out); st != 0) return st;
  if (p.type != "variable" || p.manage_stock) validate_props(&p);
  p.modified = now;
  it->second = p;
  if (p.type == "variable") sync_parent(p.id);
  emit("product.updated", p.id, now);
  product_json(p, now, out);
  return 200;
}

int32_t WooCommerceMock::update_variation_item(int64_t parent_id, int64_t id, const Json& body,
                                               base::Instant now, Json* out) {
  auto it = products_.find(id);
  if (it == products_.end() || it->second.type != "variation") {
    *out = woo::error_json(400, "woocommerce_rest_product_variation_invalid_id", "Invalid ID.");
    return 400;
  }
  if (it->second.parent_id != parent_id) {
    *out = woo::error_json(403, "woocommerce_rest_cannot_edit",
                           "Parent product does not match current variation.");
    return 403;
  }
  woo::Product v = it->second;
  if (const int32_t st = apply_stock_fields(&v, body, true, out); st != 0) return st;
  validate_props(&v);
  v.modified = now;
  it->second = v;
  sync_parent(parent_id);
  emit("product.updated", v.id, now);  // woocommerce_update_product_variation
  variation_json(v, now, out);
  return 200;
}

int32_t WooCommerceMock::create_item(int64_t parent_id, const Json& body, base::Instant now,
                                     Json* out) {
  woo::Product p;
  p.id = next_post_id_;
  p.created = now;
  p.modified = now;
  p.price_cents = config_.price_cents;
  p.type = parent_id != 0 ? "variation" : "simple";
  p.parent_id = parent_id;
  if (parent_id == 0 && body.contains("type") && body["type"] == "variable") p.type = "variable";
  if (body.contains("sku") && body["sku"].is_string()) p.sku = body["sku"].get<std::string>();
  if (!p.sku.empty() && sku_index_.contains(p.sku)) {
    *out = woo::error_json(400, "product_invalid_sku", "Invalid or duplicated SKU.");
    return 400;
  }
  p.name =
      body.contains("name") && body["name"].is_string() ? body["name"].get<std::string>() : p.sku;
  if (const int32_t st = apply_stock_fields(&p, body, parent_id != 0, out); st != 0) return st;
  validate_props(&p);
  ++next_post_id_;
  products_[p.id] = p;
  if (!p.sku.empty()) sku_index_[p.sku] = p.id;
  if (parent_id != 0) {
    products_[parent_id].variations.push_back(p.id);
    sync_parent(parent_id);
    variation_json(p, now, out);
  } else {
    emit("product.created", p.id, now);
    product_json(p, now, out);
  }
  return 201;
}

int32_t WooCommerceMock::delete_item(int64_t parent_id, int64_t id, base::Instant now, Json* out) {
  auto it = products_.find(id);
  const bool want_variation = parent_id != 0;
  if (it == products_.end() || (it->second.type == "variation") != want_variation ||
      (want_variation && it->second.parent_id != parent_id)) {
    const char* code = want_variation ? "woocommerce_rest_product_variation_invalid_id"
                                      : "woocommerce_rest_product_invalid_id";
    *out = woo::error_json(404, code, "Invalid ID.");
    return 404;
  }
  if (want_variation) {
    variation_json(it->second, now, out);
  } else {
    product_json(it->second, now, out);
  }
  std::vector<int64_t> doomed = it->second.variations;
  doomed.push_back(id);
  for (int64_t d : doomed) {
    const woo::Product* p = find_product(d);
    if (p == nullptr) continue;
    sku_index_.erase(p->sku);
    products_.erase(d);
  }
  if (want_variation) {
    auto& vars = products_[parent_id].variations;
    std::erase(vars, id);
    sync_parent(parent_id);
  } else {
    emit("product.deleted", id, now);
  }
  return 200;
}

}  // namespace invsync::mocks
