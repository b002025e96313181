// getListingInventory bodies: the GET-edit-PUT plan for a listing (only the targeted SKUs'
// quantities change; every other product goes back as it was read) and quantities for reads.
#include <simdjson.h>

#include <set>
#include <utility>

#include "core/connector/etsy/etsy_json.h"
#include "core/connector/etsy/etsy_payloads.h"

namespace invsync::connector::etsy {
namespace {

using simdjson::dom::element;

// An offering as a write sends it back: price, quantity, is_enabled and readiness_state_id
// (offering_id, is_deleted and anything else read-only are dropped).
struct OfferingForWrite {
  std::optional<element> price;  // as read: a write turns a Money object into a float
  int64_t quantity = 0;
  bool is_enabled = true;
  std::optional<element> readiness_state_id;  // as read
};

// A product as a write sends it back: sku, the writable fields of its property values and its
// offerings that are not deleted.
struct ProductForWrite {
  std::optional<element> sku;                           // as read; absent: null
  std::optional<std::string_view> sku_text;             // when sku is a string
  std::optional<simdjson::dom::array> property_values;  // as read, when an array
  std::vector<OfferingForWrite> offerings;

  bool is(std::string_view name) const { return sku_text && *sku_text == name; }
};

using Products = std::vector<ProductForWrite>;

OfferingForWrite read_offering(const element& o) {
  OfferingForWrite out;
  out.price = member(o, "price");
  out.quantity = int_field(o, "quantity").value_or(0);
  out.is_enabled = bool_field(o, "is_enabled", true);
  out.readiness_state_id = member(o, "readiness_state_id");
  return out;
}

// products[] of a GET body as a write sends them (deleted products and offerings dropped).
base::Result<Products> products_for_write(const element& inventory) {
  const std::optional<simdjson::dom::array> products = array_field(inventory, "products");
  if (!products) return base::Status::corruption("etsy inventory: no products array");
  Products out;
  for (const element p : *products) {
    if (!p.is_object()) return base::Status::corruption("etsy inventory: product not an object");
    if (bool_field(p, "is_deleted", false)) continue;
    ProductForWrite& product = out.emplace_back();
    product.sku = member(p, "sku");
    if (product.sku && product.sku->is_string()) {
      product.sku_text = product.sku->get_string().value_unsafe();
    }
    product.property_values = array_field(p, "property_values");
    const std::optional<simdjson::dom::array> offerings = array_field(p, "offerings");
    if (!offerings) continue;
    for (const element o : *offerings) {
      if (o.is_object() && !bool_field(o, "is_deleted", false)) {
        product.offerings.push_back(read_offering(o));
      }
    }
  }
  return out;
}

std::optional<std::string> listing_state_of(const element& inventory) {
  const std::optional<element> listing = member(inventory, "listing");
  if (!listing || !listing->is_object()) return std::nullopt;
  const std::string_view state = string_field(*listing, "state");
  if (state.empty()) return std::nullopt;
  return std::string(state);
}

// Units buyers can buy: enabled offerings only (Etsy's all-zero rule counts those).
int64_t sellable_quantity(const Products& products) {
  int64_t total = 0;
  for (const ProductForWrite& p : products) {
    for (const OfferingForWrite& o : p.offerings) {
      if (o.is_enabled) total += o.quantity;
    }
  }
  return total;
}

// Every offering quantity, in order: the only thing a plan edits.
std::vector<int64_t> quantities(const Products& products) {
  std::vector<int64_t> out;
  for (const ProductForWrite& p : products) {
    for (const OfferingForWrite& o : p.offerings) out.push_back(o.quantity);
  }
  return out;
}

// The first product whose sku is `sku` and that has an offering, or nullptr.
const ProductForWrite* find_product(const Products& products, std::string_view sku) {
  for (const ProductForWrite& p : products) {
    if (p.is(sku) && !p.offerings.empty()) return &p;
  }
  return nullptr;
}

// Sets every offering of every product named `sku`: the first gets `quantity`, the rest 0.
void set_sku_quantity(Products& products, std::string_view sku, int64_t quantity) {
  bool first = true;
  for (ProductForWrite& p : products) {
    if (!p.is(sku)) continue;
    for (OfferingForWrite& o : p.offerings) {
      o.quantity = first ? quantity : 0;
      first = false;
    }
  }
}

int64_t sku_quantity(const Products& products, std::string_view sku, bool enabled_only = false) {
  int64_t total = 0;
  for (const ProductForWrite& p : products) {
    if (!p.is(sku)) continue;
    for (const OfferingForWrite& o : p.offerings) {
      if (!enabled_only || o.is_enabled) total += o.quantity;
    }
  }
  return total;
}

// The target that keeps the placeholder unit: the first (in the caller's order) on the listing
// whose first offering is enabled, else the first on the listing.
std::string choose_placeholder(const Products& products, const std::vector<SkuTarget>& targets,
                               const std::set<std::string>& targeted) {
  std::string fallback;
  for (const SkuTarget& t : targets) {
    if (targeted.count(t.sku) == 0) continue;
    if (fallback.empty()) fallback = t.sku;
    if (find_product(products, t.sku)->offerings[0].is_enabled) return t.sku;
  }
  return fallback;
}

// A price for a write: a Money object {amount, divisor} becomes a float; anything else stays as
// it was read.
void write_price(base::JsonWriter& w, const element& price) {
  const std::optional<int64_t> amount =
      price.is_number() ? std::nullopt : int_field(price, "amount");
  if (!amount) {
    write_value(w, price);
    return;
  }
  int64_t divisor = int_field(price, "divisor").value_or(100);
  if (divisor <= 0) divisor = 100;
  w.value(static_cast<double>(*amount) / static_cast<double>(divisor));
}

// The writable fields of a property value (drops scale_name and anything read-only).
void write_property_value(base::JsonWriter& w, const element& pv) {
  w.begin_object();
  for (const char* key : {"property_id", "property_name", "scale_id", "value_ids", "values"}) {
    if (const std::optional<element> v = member(pv, key)) write_value(w.key(key), *v);
  }
  w.end_object();
}

// The complete updateListingInventory body: `products` plus the *_on_property arrays of the
// GET body. Members in name order.
std::string inventory_for_write(const element& inventory, const Products& products) {
  std::string body;
  base::JsonWriter w(body);
  const auto on_property = [&](const char* key) {
    const std::optional<element> v = member(inventory, key);
    if (as_array(v)) write_value(w.key(key), *v);
  };
  w.begin_object();
  on_property("price_on_property");
  w.key("products").begin_array();
  for (const ProductForWrite& p : products) {
    w.begin_object().key("offerings").begin_array();
    for (const OfferingForWrite& o : p.offerings) {
      w.begin_object().field("is_enabled", o.is_enabled);
      if (o.price) write_price(w.key("price"), *o.price);
      w.field("quantity", o.quantity);
      if (o.readiness_state_id) write_value(w.key("readiness_state_id"), *o.readiness_state_id);
      w.end_object();
    }
    w.end_array().key("property_values").begin_array();
    if (p.property_values) {
      for (const element pv : *p.property_values) write_property_value(w, pv);
    }
    w.end_array().key("sku");
    if (p.sku) {
      write_value(w, *p.sku);
    } else {
      w.null();
    }
    w.end_object();
  }
  w.end_array();
  on_property("quantity_on_property");
  on_property("readiness_state_on_property");
  on_property("sku_on_property");
  w.end_object();
  return body;
}

// One listing's quantities from its inventory object.
base::Result<ListingQuantities> quantities_of(const element& inventory) {
  base::Result<Products> products = products_for_write(inventory);
  if (!products.ok()) return products.status();
  ListingQuantities q;
  q.state = listing_state_of(inventory);
  for (const ProductForWrite& p : *products) {
    if (!p.sku_text) continue;
    int64_t& total = q.by_sku[std::string(*p.sku_text)];
    for (const OfferingForWrite& o : p.offerings) total += o.quantity;
  }
  return q;
}

}  // namespace

base::Result<InventoryPlan> plan_inventory_update(std::string_view inventory_body,
                                                  const std::vector<SkuTarget>& targets,
                                                  const std::string& placeholder_sku) {
  element inventory;
  if (!parse_json(inventory_body, &inventory) || !inventory.is_object()) {
    return base::Status::unavailable("etsy inventory: not JSON");
  }
  base::Result<Products> read = products_for_write(inventory);
  if (!read.ok()) return read.status();
  Products& after = *read;
  InventoryPlan plan;
  plan.listing_state = listing_state_of(inventory);
  const int64_t sellable_before = sellable_quantity(after);
  const std::vector<int64_t> quantities_before = quantities(after);
  std::set<std::string> targeted;
  for (const SkuTarget& t : targets) {
    if (find_product(after, t.sku) == nullptr) {
      plan.missing_skus.push_back(t.sku);
      continue;
    }
    targeted.insert(t.sku);
    set_sku_quantity(after, t.sku, t.quantity);
    if (t.quantity > 0) plan.stock_returns = true;
  }
  if (targeted.empty()) return plan;
  // A placeholder unit left by an earlier deactivation is not real stock.
  const bool placeholder_live = !placeholder_sku.empty() && targeted.count(placeholder_sku) == 0 &&
                                find_product(after, placeholder_sku) != nullptr &&
                                sku_quantity(after, placeholder_sku) == 1;
  const int64_t real_after = sellable_quantity(after) -
                             (placeholder_live ? sku_quantity(after, placeholder_sku, true) : 0);
  if (sellable_before == 0 && sellable_quantity(after) == 0) {
    plan.sold_out = true;  // Etsy sold it out itself: nothing is buyable, nothing to send
    return plan;
  }
  if (real_after == 0) {
    plan.no_stock = true;
    plan.placeholder_sku =
        placeholder_live ? placeholder_sku : choose_placeholder(after, targets, targeted);
    if (!placeholder_live) set_sku_quantity(after, plan.placeholder_sku, 1);
  } else if (placeholder_live) {
    set_sku_quantity(after, placeholder_sku, 0);
    plan.placeholder_cleared = true;
  }
  plan.put_needed = quantities(after) != quantities_before;
  if (plan.put_needed) plan.put_body = inventory_for_write(inventory, after);
  return plan;
}

base::Result<ListingQuantities> parse_inventory(std::string_view body) {
  element inventory;
  if (!parse_json(body, &inventory) || !inventory.is_object()) {
    return base::Status::unavailable("etsy inventory: not JSON");
  }
  return quantities_of(inventory);
}

base::Result<std::map<int64_t, ListingQuantities>> parse_batch_inventory(std::string_view body) {
  element j;
  if (!parse_json(body, &j) || !j.is_object()) {
    return base::Status::unavailable("etsy batch inventory: not JSON");
  }
  const std::optional<simdjson::dom::array> results = array_field(j, "results");
  if (!results) return base::Status::corruption("etsy batch inventory: no results array");
  std::map<int64_t, ListingQuantities> out;
  for (const element r : *results) {
    const std::optional<int64_t> id = int_field(r, "listing_id");
    if (!id) return base::Status::corruption("etsy batch inventory: result without listing_id");
    // Either the inventory itself or nested under "inventory".
    const std::optional<element> nested = member(r, "inventory");
    base::Result<ListingQuantities> q = quantities_of(nested && nested->is_object() ? *nested : r);
    if (!q.ok()) return q.status();
    const std::string_view state = string_field(r, "state");
    if (!q->state && !state.empty()) q->state = std::string(state);
    out[*id] = std::move(*q);
  }
  return out;
}

}  // namespace invsync::connector::etsy
