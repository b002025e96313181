// Products and variations: JSON shapes, manage_stock rules (prepare_object_for_database and
// validate_props), SKU lookup with pagination, batch, and the product routes.
#include <algorithm>
#include <cctype>
#include <span>

#include "core/base/url.h"
#include "mocks/woocommerce/woocommerce_internal.h"
#include "mocks/woocommerce/woocommerce_mock.h"

namespace invsync::mocks {
namespace {

using woo::Json;
using woo::ProductKey;

// Key order of a product object, and of a variation object (WC_REST_Product_Variations).
constexpr ProductKey kProductKeys[] = {
    ProductKey::kId,           ProductKey::kName,
    ProductKey::kSlug,         ProductKey::kPermalink,
    ProductKey::kDateCreated,  ProductKey::kDateCreatedGmt,
    ProductKey::kDateModified, ProductKey::kDateModifiedGmt,
    ProductKey::kType,         ProductKey::kStatus,
    ProductKey::kSku,          ProductKey::kPrice,
    ProductKey::kRegularPrice, ProductKey::kSalePrice,
    ProductKey::kOnSale,       ProductKey::kPurchasable,
    ProductKey::kManageStock,  ProductKey::kStockQuantity,
    ProductKey::kBackorders,   ProductKey::kBackordersAllowed,
    ProductKey::kBackordered,  ProductKey::kLowStockAmount,
    ProductKey::kParentId,     ProductKey::kVariations,
    ProductKey::kMetaData,     ProductKey::kStockStatus,
    ProductKey::kLinks,
};
constexpr ProductKey kVariationKeys[] = {
    ProductKey::kId,           ProductKey::kDateCreated,     ProductKey::kDateCreatedGmt,
    ProductKey::kDateModified, ProductKey::kDateModifiedGmt, ProductKey::kPermalink,
    ProductKey::kSku,          ProductKey::kPrice,           ProductKey::kRegularPrice,
    ProductKey::kSalePrice,    ProductKey::kOnSale,          ProductKey::kStatus,
    ProductKey::kPurchasable,  ProductKey::kManageStock,     ProductKey::kStockQuantity,
    ProductKey::kStockStatus,  ProductKey::kBackorders,      ProductKey::kBackordersAllowed,
    ProductKey::kBackordered,  ProductKey::kLowStockAmount,  ProductKey::kAttributes,
    ProductKey::kMenuOrder,    ProductKey::kMetaData,        ProductKey::kName,
    ProductKey::kParentId,     ProductKey::kLinks,
};

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

const woo::Product* WooCommerceMock::find_product(int64_t id) const { return products_.find(id); }

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

WooCommerceMock::ManageStock WooCommerceMock::effective_manage_stock(const woo::Product& p) const {
  if (p.manage_stock) {
    return config_.manage_stock_option || p.type == "variation" ? ManageStock::kTrue
                                                                : ManageStock::kFalse;
  }
  if (p.type == "variation") {
    const woo::Product* parent = find_product(p.parent_id);
    if (parent != nullptr && parent->manage_stock) return ManageStock::kParent;
  }
  return ManageStock::kFalse;
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
  woo::Product* parent = products_.find(parent_id);
  if (parent == nullptr || parent->manage_stock) return;
  bool in = false;
  bool back = false;
  for (int64_t vid : parent->variations) {
    const woo::Product* v = find_product(vid);
    if (v == nullptr) continue;
    in = in || v->stock_status == "instock";
    back = back || v->stock_status == "onbackorder";
  }
  parent->stock_status = in ? "instock" : (back ? "onbackorder" : "outofstock");
}

void WooCommerceMock::write_item(const woo::Product& p, bool variation, base::JsonWriter& w,
                                 woo::ProductFields fields) const {
  w.begin_object();
  for (const ProductKey key : variation ? std::span<const ProductKey>(kVariationKeys)
                                        : std::span<const ProductKey>(kProductKeys)) {
    if (!fields.has(key)) continue;
    w.key(woo::key_name(key));
    write_product_value(key, p, variation, w);
  }
  w.end_object();
}

void WooCommerceMock::write_product(const woo::Product& p, base::JsonWriter& w,
                                    woo::ProductFields fields) const {
  write_item(p, /*variation=*/false, w, fields);
}

void WooCommerceMock::write_variation(const woo::Product& v, base::JsonWriter& w,
                                      woo::ProductFields fields) const {
  write_item(v, /*variation=*/true, w, fields);
}

void WooCommerceMock::write_product_value(ProductKey key, const woo::Product& p, bool variation,
                                          base::JsonWriter& w) const {
  const std::string& home = config_.home_url;
  // The stock a variation shows when it inherits its parent's ("manage_stock": "parent").
  auto stock_view = [&]() -> const woo::Product& {
    if (effective_manage_stock(p) != ManageStock::kParent) return p;
    const woo::Product* parent = find_product(p.parent_id);
    return parent != nullptr ? *parent : p;
  };
  switch (key) {
    case ProductKey::kId:
      w.value(p.id);
      return;
    case ProductKey::kName:
      w.value(p.name);
      return;
    case ProductKey::kSlug:
      w.value(to_lower(p.sku));
      return;
    case ProductKey::kPermalink:
      w.value(home + "product/" + to_lower(p.sku) + "/");
      return;
    case ProductKey::kDateCreated:
      w.value(dates_.local(wall(p.created)));
      return;
    case ProductKey::kDateCreatedGmt:
      w.value(dates_.gmt(wall(p.created)));
      return;
    case ProductKey::kDateModified:
      w.value(dates_.local(wall(p.modified)));
      return;
    case ProductKey::kDateModifiedGmt:
      w.value(dates_.gmt(wall(p.modified)));
      return;
    case ProductKey::kType:
      w.value(p.type);
      return;
    case ProductKey::kStatus:
      w.value("publish");
      return;
    case ProductKey::kSku:
      w.value(p.sku);
      return;
    case ProductKey::kPrice:
    case ProductKey::kRegularPrice:
      w.value(woo::money(p.price_cents));
      return;
    case ProductKey::kSalePrice:
      w.value("");
      return;
    case ProductKey::kOnSale:
      w.value(false);
      return;
    case ProductKey::kPurchasable:
      w.value(true);
      return;
    case ProductKey::kManageStock: {
      const ManageStock manage = effective_manage_stock(p);
      if (manage == ManageStock::kParent) {
        w.value("parent");
      } else {
        w.value(manage == ManageStock::kTrue);
      }
      return;
    }
    case ProductKey::kStockQuantity: {
      const std::optional<int64_t>& qty = stock_view().stock_quantity;
      if (qty) {
        w.value(*qty);
      } else {
        w.null();
      }
      return;
    }
    case ProductKey::kBackorders:
      w.value(p.backorders);
      return;
    case ProductKey::kBackordersAllowed:
      w.value(p.backorders != "no");
      return;
    case ProductKey::kBackordered:
      w.value(false);
      return;
    case ProductKey::kLowStockAmount:
      if (p.low_stock_amount) {
        w.value(*p.low_stock_amount);
      } else {
        w.null();
      }
      return;
    case ProductKey::kParentId:
      w.value(p.parent_id);
      return;
    case ProductKey::kVariations:
      w.begin_array();
      for (const int64_t id : p.variations) w.value(id);
      w.end_array();
      return;
    case ProductKey::kMetaData:
      w.begin_array().end_array();
      return;
    case ProductKey::kStockStatus:
      w.value(stock_view().stock_status);
      return;
    case ProductKey::kAttributes:
      w.begin_array().begin_object();
      w.field("id", int64_t{0}).field("name", "Option").field("option", p.sku);
      w.end_object().end_array();
      return;
    case ProductKey::kMenuOrder:
      w.value(int64_t{0});
      return;
    case ProductKey::kLinks: {
      const std::string products = home + "wp-json/wc/v3/products";
      auto link = [&w](std::string_view rel, const std::string& href) {
        w.key(rel).begin_array().begin_object().field("href", href).end_object().end_array();
      };
      w.begin_object();
      if (variation) {
        const std::string parent = products + "/" + std::to_string(p.parent_id);
        link("self", parent + "/variations/" + std::to_string(p.id));
        link("collection", parent + "/variations");
        link("up", parent);
      } else {
        link("self", products + "/" + std::to_string(p.id));
        link("collection", products);
        if (p.parent_id != 0) link("up", products + "/" + std::to_string(p.parent_id));
      }
      w.end_object();
      return;
    }
    case ProductKey::kCount:
      break;
  }
}

int32_t WooCommerceMock::apply_stock_fields(woo::Product* p, const Json& body, bool variation,
                                            std::string* out) {
  auto bad = [&](std::string_view name, std::string_view reason) {
    *out = woo::invalid_param_json(name, reason);
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
                                             std::string* out) {
  woo::Product* stored = products_.find(id);
  if (stored == nullptr) {
    *out = woo::error_json(400, "woocommerce_rest_product_invalid_id", "Invalid ID.");
    return 400;
  }
  if (stored->type == "variation") {
    *out = woo::error_json(404, "woocommerce_rest_invalid_product_id", kUseVariationsEndpoint);
    return 404;
  }
  woo::Product p = *stored;
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
  *stored = p;
  if (p.type == "variable") sync_parent(p.id);
  emit("product.updated", p.id, now);
  base::JsonWriter w(*out);
  write_product(p, w);
  return 200;
}

int32_t WooCommerceMock::update_variation_item(int64_t parent_id, int64_t id, const Json& body,
                                               base::Instant now, std::string* out) {
  woo::Product* stored = products_.find(id);
  if (stored == nullptr || stored->type != "variation") {
    *out = woo::error_json(400, "woocommerce_rest_product_variation_invalid_id", "Invalid ID.");
    return 400;
  }
  if (stored->parent_id != parent_id) {
    *out = woo::error_json(403, "woocommerce_rest_cannot_edit",
                           "Parent product does not match current variation.");
    return 403;
  }
  woo::Product v = *stored;
  if (const int32_t st = apply_stock_fields(&v, body, true, out); st != 0) return st;
  validate_props(&v);
  v.modified = now;
  *stored = v;
  sync_parent(parent_id);
  emit("product.updated", v.id, now);  // woocommerce_update_product_variation
  base::JsonWriter w(*out);
  write_variation(v, w);
  return 200;
}

int32_t WooCommerceMock::create_item(int64_t parent_id, const Json& body, base::Instant now,
                                     std::string* out) {
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
  base::JsonWriter w(*out);
  if (parent_id != 0) {
    products_[parent_id].variations.push_back(p.id);
    sync_parent(parent_id);
    write_variation(p, w);
  } else {
    emit("product.created", p.id, now);
    write_product(p, w);
  }
  return 201;
}

int32_t WooCommerceMock::delete_item(int64_t parent_id, int64_t id, base::Instant now,
                                     std::string* out) {
  const woo::Product* doomed_item = products_.find(id);
  const bool want_variation = parent_id != 0;
  if (doomed_item == nullptr || (doomed_item->type == "variation") != want_variation ||
      (want_variation && doomed_item->parent_id != parent_id)) {
    const char* code = want_variation ? "woocommerce_rest_product_variation_invalid_id"
                                      : "woocommerce_rest_product_invalid_id";
    *out = woo::error_json(404, code, "Invalid ID.");
    return 404;
  }
  base::JsonWriter w(*out);
  if (want_variation) {
    write_variation(*doomed_item, w);
  } else {
    write_product(*doomed_item, w);
  }
  std::vector<int64_t> doomed = doomed_item->variations;
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
