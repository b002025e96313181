// Listings and inventory: getListing, getListingInventory, getListingsInventoryByListingIds,
// updateListingInventory (full-replace PUT with Etsy's validation rules) and updateListing's
// state change (PATCH, form-encoded; quantity/price are ignored as Etsy has since 2022).
#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/base/url.h"
#include "mocks/etsy/etsy_json.h"
#include "mocks/etsy/etsy_mock.h"

namespace invsync::mocks {

using base::HttpResponse;
using base::Instant;
using etsy::error_response;
using InJson = nlohmann::json;

namespace {

constexpr int64_t kMaxOfferingQuantity = 999;

std::string at(size_t i, std::string_view rest = "") {
  return "products[" + std::to_string(i) + "]" + std::string(rest);
}

// "products[i].<list>[k]": where an error is (built only for the message).
std::string at(size_t i, std::string_view list, size_t k) {
  return at(i, "." + std::string(list) + "[" + std::to_string(k) + "]");
}

// Reads an optional array of ids ("price_on_property" etc.).
std::string read_id_list(const InJson& body, const char* key, std::vector<int64_t>* out) {
  if (!body.contains(key) || body[key].is_null()) return "";
  if (!body[key].is_array()) return std::string("Expected ") + key + " to be an array of integers";
  for (const InJson& v : body[key]) {
    if (!v.is_number_integer()) return std::string("Expected ") + key + " to contain integers";
    out->push_back(v.get<int64_t>());
  }
  return "";
}

std::string read_property_value(const InJson& v, size_t i, size_t k, etsy::PropertyValue* out) {
  const auto where = [&] { return at(i, "property_values", k); };
  if (!v.is_object()) return "Expected " + where() + " to be an object";
  if (v.contains("scale_name")) return "Unexpected read-only property " + where() + ".scale_name";
  if (!v.contains("property_id") || !v["property_id"].is_number_integer()) {
    return "Missing input parameter: [" + where() + ".property_id]";
  }
  out->property_id = v["property_id"].get<int64_t>();
  if (!v.contains("values") || !v["values"].is_array() || v["values"].empty()) {
    return "Property values can't be empty";
  }
  for (const InJson& s : v["values"]) {
    if (!s.is_string() || s.get<std::string>().empty()) return "Property values can't be empty";
    out->values.push_back(s.get<std::string>());
  }
  if (v.contains("value_ids") && v["value_ids"].is_array()) {
    for (const InJson& id : v["value_ids"]) {
      if (!id.is_number_integer()) return "Expected " + where() + ".value_ids to contain integers";
      out->value_ids.push_back(id.get<int64_t>());
    }
  }
  if (v.contains("scale_id") && v["scale_id"].is_number_integer()) {
    out->scale_id = v["scale_id"].get<int64_t>();
  }
  if (v.contains("property_name") && v["property_name"].is_string()) {
    out->property_name = v["property_name"].get<std::string>();
  }
  return "";
}

std::string read_offering(const InJson& o, size_t i, size_t k, etsy::Offering* out) {
  const auto where = [&] { return at(i, "offerings", k); };
  if (!o.is_object()) return "Expected " + where() + " to be an object";
  for (const char* ro : {"offering_id", "is_deleted"}) {
    if (o.contains(ro)) return "Unexpected read-only property " + where() + "." + ro;
  }
  if (!o.contains("price")) return "Missing input parameter: [" + where() + ".price]";
  if (o["price"].is_object()) {
    return "Expected " + where() + ".price to be a number, got a Money object";
  }
  if (!o["price"].is_number()) return "Expected " + where() + ".price to be a number";
  const double price = o["price"].get<double>();
  if (!(price >= 0.20 && price <= 50000.0)) {
    return "Price for " + where() + " must be between 0.20 and 50000.00";
  }
  out->price_amount = std::llround(price * 100.0);
  if (!o.contains("quantity") || !o["quantity"].is_number_integer()) {
    return "Missing input parameter: [" + where() + ".quantity]";
  }
  out->quantity = o["quantity"].get<int64_t>();
  if (out->quantity < 0) return "There was a problem with /" + where() + "/quantity : must be >= 0";
  if (out->quantity > kMaxOfferingQuantity) {
    return "There was a problem with /" + where() + "/quantity : cannot be greater than 999";
  }
  if (!o.contains("is_enabled") || !o["is_enabled"].is_boolean()) {
    return "Missing input parameter: [" + where() + ".is_enabled]";
  }
  out->is_enabled = o["is_enabled"].get<bool>();
  if (o.contains("readiness_state_id") && o["readiness_state_id"].is_number_integer()) {
    out->readiness_state_id = o["readiness_state_id"].get<int64_t>();
  }
  return "";
}

std::string read_product(const InJson& p, size_t i, etsy::Product* out) {
  if (!p.is_object()) return "Expected " + at(i) + " to be an object";
  for (const char* ro : {"product_id", "is_deleted"}) {
    if (p.contains(ro)) return "Unexpected read-only property " + at(i, ".") + ro;
  }
  if (p.contains("sku") && !p["sku"].is_null()) {
    if (!p["sku"].is_string()) return "Expected " + at(i, ".sku") + " to be a string";
    out->sku = p["sku"].get<std::string>();
  }
  if (p.contains("property_values") && !p["property_values"].is_null()) {
    if (!p["property_values"].is_array()) return "Property values can't be empty";
    for (size_t k = 0; k < p["property_values"].size(); ++k) {
      etsy::PropertyValue pv;
      std::string err = read_property_value(p["property_values"][k], i, k, &pv);
      if (!err.empty()) return err;
      out->property_values.push_back(std::move(pv));
    }
  }
  if (!p.contains("offerings") || !p["offerings"].is_array() || p["offerings"].empty()) {
    return "Missing input parameter: [" + at(i, ".offerings") + "]";
  }
  for (size_t k = 0; k < p["offerings"].size(); ++k) {
    etsy::Offering o;
    std::string err = read_offering(p["offerings"][k], i, k, &o);
    if (!err.empty()) return err;
    out->offerings.push_back(o);
  }
  return "";
}

std::string read_inventory(const InJson& body, etsy::Listing* out) {
  if (!body.is_object()) return "Expected the request body to be a JSON object";
  if (!body.contains("products") || !body["products"].is_array() || body["products"].empty()) {
    return "Missing input parameter: [products]";
  }
  for (size_t i = 0; i < body["products"].size(); ++i) {
    etsy::Product p;
    std::string err = read_product(body["products"][i], i, &p);
    if (!err.empty()) return err;
    out->products.push_back(std::move(p));
  }
  for (auto [key, list] :
       {std::pair{"price_on_property", &out->price_on_property},
        std::pair{"quantity_on_property", &out->quantity_on_property},
        std::pair{"sku_on_property", &out->sku_on_property},
        std::pair{"readiness_state_on_property", &out->readiness_state_on_property}}) {
    std::string err = read_id_list(body, key, list);
    if (!err.empty()) return err;
  }
  return "";
}

std::string value_of(const etsy::Product& p, int64_t property_id) {
  for (const etsy::PropertyValue& v : p.property_values) {
    if (v.property_id == property_id) return v.values.empty() ? "" : v.values[0];
  }
  return "";
}

// Products that agree on every property in `on_property` must agree on `field`.
template <typename Field>
bool varies_off_property(const std::vector<etsy::Product>& products,
                         const std::vector<int64_t>& on_property, Field field) {
  if (products.size() < 2) return false;  // nothing to disagree with
  std::map<std::string, std::string> seen;
  for (const etsy::Product& p : products) {
    std::string key;
    for (int64_t id : on_property) key += value_of(p, id) + '\x1f';
    const std::string value = field(p);
    auto [it, fresh] = seen.emplace(key, value);
    if (!fresh && it->second != value) return true;
  }
  return false;
}

std::string check_structure(const etsy::Listing& current, const etsy::Listing& next) {
  const bool variations = current.has_variations() || next.products.size() > 1;
  std::set<std::string> combos;
  std::vector<int64_t> property_ids;
  for (size_t i = 0; i < next.products.size(); ++i) {
    const etsy::Product& p = next.products[i];
    if (variations && p.property_values.empty()) return "Property values can't be empty";
    std::vector<int64_t> ids;
    std::string combo;
    for (const etsy::PropertyValue& v : p.property_values) {
      ids.push_back(v.property_id);
      combo += std::to_string(v.property_id) + "=" + v.values[0] + '\x1f';
    }
    std::sort(ids.begin(), ids.end());
    if (i == 0) property_ids = ids;
    if (ids != property_ids) return "All products must have the same properties";
    if (!combos.insert(combo).second) return "Products must have unique property values";
  }
  for (auto [name, list] : {std::pair{"price_on_property", &next.price_on_property},
                            std::pair{"quantity_on_property", &next.quantity_on_property},
                            std::pair{"sku_on_property", &next.sku_on_property}}) {
    for (int64_t id : *list) {
      if (std::find(property_ids.begin(), property_ids.end(), id) == property_ids.end()) {
        return std::string(name) + " contains property " + std::to_string(id) +
               " that no product has";
      }
    }
  }
  return "";
}

std::string check_values(const etsy::Listing& next) {
  const auto& ps = next.products;
  if (varies_off_property(ps, next.sku_on_property, [](const etsy::Product& p) { return p.sku; })) {
    return "SKU values vary across products for a property not in sku_on_property";
  }
  if (varies_off_property(ps, next.quantity_on_property, [](const etsy::Product& p) {
        return std::to_string(p.offerings[0].quantity);
      })) {
    return "Quantity values vary across products for a property not in quantity_on_property";
  }
  if (varies_off_property(ps, next.price_on_property, [](const etsy::Product& p) {
        return std::to_string(p.offerings[0].price_amount);
      })) {
    return "Price values vary across products for a property not in price_on_property";
  }
  if (next.quantity() <= 0) return "One offering must have quantity greater than 0";
  return "";
}

HttpResponse inventory_response(const etsy::Listing& listing, const std::string& currency_code) {
  std::string body;
  base::JsonWriter w(body);
  etsy::write_inventory(w, listing, currency_code);
  return HttpResponse::json(200, std::move(body));
}

HttpResponse listing_response(const etsy::Listing& listing, const EtsyMockConfig& config) {
  std::string body;
  base::JsonWriter w(body);
  w.begin_object();
  etsy::write_listing_members(w, listing, config);
  w.end_object();
  return HttpResponse::json(200, std::move(body));
}

// Etsy's 404 for a listing id it does not have.
HttpResponse listing_not_found(int64_t listing_id) {
  return error_response(404,
                        "Could not find a Listing with listing_id = " + std::to_string(listing_id));
}

}  // namespace

HttpResponse EtsyMock::get_listing(int64_t listing_id) {
  auto it = listings_.find(listing_id);
  if (it == listings_.end()) {
    return listing_not_found(listing_id);
  }
  return listing_response(it->second, config_);
}

HttpResponse EtsyMock::get_inventory(int64_t listing_id) {
  auto it = listings_.find(listing_id);
  if (it == listings_.end()) {
    return listing_not_found(listing_id);
  }
  return inventory_response(it->second, config_.currency_code);
}

HttpResponse EtsyMock::get_batch_inventory(const base::HttpRequest& request) {
  const auto params = base::parse_query(request.query());
  const auto raw = params ? base::query_param(*params, "listing_ids") : std::nullopt;
  if (!raw.has_value() || raw->empty()) {
    return error_response(400, "Missing input parameter: [listing_ids]");
  }
  std::vector<int64_t> ids;
  for (const std::string& part : etsy::split(*raw, ',')) {
    const auto id = etsy::parse_int(part);
    if (!id) return error_response(400, "Expected listing_ids to be a list of integers");
    ids.push_back(*id);
  }
  if (ids.size() > 100) return error_response(400, "listing_ids must contain at most 100 ids");
  std::string missing;
  for (int64_t id : ids) {
    if (listings_.count(id) == 0) missing += (missing.empty() ? "" : ", ") + std::to_string(id);
  }
  if (!missing.empty()) return error_response(404, "Listings not found: " + missing);
  std::string body;
  base::JsonWriter w(body);
  w.begin_object().field("count", static_cast<uint64_t>(ids.size())).key("results").begin_array();
  for (int64_t id : ids) {
    const etsy::Listing& listing = listings_.at(id);
    w.begin_object();
    etsy::write_listing_members(w, listing, config_);
    etsy::write_inventory(w.key("inventory"), listing, config_.currency_code);
    w.end_object();
  }
  w.end_array().end_object();
  return HttpResponse::json(200, std::move(body));
}

HttpResponse EtsyMock::put_inventory(int64_t listing_id, const base::HttpRequest& request,
                                     Instant now) {
  auto it = listings_.find(listing_id);
  if (it == listings_.end()) {
    return listing_not_found(listing_id);
  }
  etsy::Listing& listing = it->second;
  const InJson body = InJson::parse(request.body, nullptr, false);
  if (body.is_discarded()) return error_response(400, "Request body is not valid JSON");
  etsy::Listing next;
  std::string err = read_inventory(body, &next);
  if (err.empty()) err = check_structure(listing, next);
  if (err.empty()) err = check_values(next);
  std::set<std::string> skus;
  for (const etsy::Product& p : next.products) {
    if (!err.empty() || p.sku.empty()) continue;
    auto owner = sku_listing_.find(p.sku);
    if (owner != sku_listing_.end() && owner->second != listing_id) {
      err = "SKU " + p.sku + " is already used by listing " + std::to_string(owner->second);
    } else if (!skus.insert(p.sku).second) {
      err = "SKU " + p.sku + " is used by more than one product";
    }
  }
  if (!err.empty()) {
    bump("inventory_rejected");
    return error_response(400, err);
  }
  for (etsy::Product& p : next.products) {
    const etsy::Product* old = p.sku.empty() ? nullptr : listing.find_sku(p.sku);
    const bool keep_ids = !config_.new_product_ids_on_put && old != nullptr;
    p.product_id = keep_ids ? old->product_id : next_id(&next_product_id_);
    for (size_t k = 0; k < p.offerings.size(); ++k) {
      const bool keep = keep_ids && k < old->offerings.size();
      p.offerings[k].offering_id =
          keep ? old->offerings[k].offering_id : next_id(&next_offering_id_);
    }
    for (etsy::PropertyValue& v : p.property_values) {
      if (v.value_ids.empty()) v.value_ids.push_back(next_id(&next_value_id_));
    }
  }
  // Re-index only this listing's SKUs (a full rebuild per PUT is quadratic over a catalogue):
  // drop those the PUT removed and point those it adds here (those it keeps already point here).
  for (const etsy::Product& p : listing.products) {
    if (p.sku.empty() || next.find_sku(p.sku) != nullptr) continue;
    auto idx = sku_listing_.find(p.sku);
    if (idx != sku_listing_.end() && idx->second == listing_id) sku_listing_.erase(idx);
  }
  for (const etsy::Product& p : next.products) {
    if (!p.sku.empty() && listing.find_sku(p.sku) == nullptr) {
      sku_listing_.insert_or_assign(p.sku, listing_id);
    }
  }
  listing.products = std::move(next.products);
  listing.price_on_property = std::move(next.price_on_property);
  listing.quantity_on_property = std::move(next.quantity_on_property);
  listing.sku_on_property = std::move(next.sku_on_property);
  listing.readiness_state_on_property = std::move(next.readiness_state_on_property);
  listing.updated_unix_s = unix_seconds(now);
  if (listing.state == etsy::ListingState::kSoldOut && config_.put_reactivates_sold_out) {
    listing.state = etsy::ListingState::kActive;
  }
  bump("inventory_updates");
  return inventory_response(listing, config_.currency_code);
}

HttpResponse EtsyMock::patch_listing(int64_t listing_id, const base::HttpRequest& request,
                                     Instant now) {
  auto it = listings_.find(listing_id);
  if (it == listings_.end()) {
    return listing_not_found(listing_id);
  }
  etsy::Listing& listing = it->second;
  const auto form = base::parse_query(request.body);
  if (!form.has_value()) return error_response(400, "Request body is not valid form encoding");
  for (const auto& [key, value] : *form) {
    if (key == "quantity" || key == "price") bump("patch_ignored_fields");
  }
  const auto state = base::query_param(*form, "state");
  if (state.has_value()) {
    if (*state != "active" && *state != "inactive") {
      return error_response(400, "state must be one of: active, inactive");
    }
    if (*state == "inactive") {
      if (listing.quantity() < 1) {
        return error_response(400,
                              "A listing must have an offering with quantity greater than 0 "
                              "to be set to inactive");
      }
      listing.state = etsy::ListingState::kInactive;
    } else {
      if (listing.quantity() < 1 && !listing.products.empty()) {
        // "will update the quantity to 1 and renew the listing"
        listing.products[0].offerings[0].quantity = 1;
        listing.products[0].offerings[0].is_enabled = true;
      }
      listing.state = etsy::ListingState::kActive;
    }
  }
  listing.updated_unix_s = unix_seconds(now);
  return listing_response(listing, config_);
}

}  // namespace invsync::mocks
