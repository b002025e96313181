// JSON shapes of Etsy's responses and model helpers.
#include "mocks/etsy/etsy_json.h"

#include <charconv>

namespace invsync::mocks::etsy {

bool Listing::has_variations() const {
  for (const Product& p : products) {
    if (!p.property_values.empty()) return true;
  }
  return false;
}

int64_t Listing::quantity() const {
  int64_t sum = 0;
  for (const Product& p : products) {
    for (const Offering& o : p.offerings) {
      if (o.is_enabled) sum += o.quantity;
    }
  }
  return sum;
}

Product* Listing::find_sku(std::string_view sku) {
  for (Product& p : products) {
    if (p.sku == sku) return &p;
  }
  return nullptr;
}

const Product* Listing::find_sku(std::string_view sku) const {
  for (const Product& p : products) {
    if (p.sku == sku) return &p;
  }
  return nullptr;
}

const char* state_name(ListingState state) {
  switch (state) {
    case ListingState::kActive:
      return "active";
    case ListingState::kInactive:
      return "inactive";
    case ListingState::kSoldOut:
      return "sold_out";
  }
  return "active";
}

base::HttpResponse json_response(int32_t status, const Json& body) {
  return base::HttpResponse::json(status, body.dump());
}

base::HttpResponse error_response(int32_t status, std::string_view message) {
  Json body;
  body["error"] = std::string(message);
  return json_response(status, body);
}

base::HttpResponse oauth_error(int32_t status, std::string_view error,
                               std::string_view description) {
  Json body;
  body["error"] = std::string(error);
  body["error_description"] = std::string(description);
  return json_response(status, body);
}

Json money_json(int64_t amount, const std::string& currency_code) {
  Json m;
  m["amount"] = amount;
  m["divisor"] = 100;
  m["currency_code"] = currency_code;
  return m;
}

namespace {

Json property_values_json(const std::vector<PropertyValue>& values) {
  Json out = Json::array();
  for (const PropertyValue& v : values) {
    Json j;
    j["property_id"] = v.property_id;
    j["property_name"] = v.property_name;
    j["scale_id"] = v.scale_id ? Json(*v.scale_id) : Json(nullptr);
    j["scale_name"] = nullptr;
    j["value_ids"] = v.value_ids;
    j["values"] = v.values;
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace

Json inventory_json(const Listing& listing, const std::string& currency_code) {
  Json products = Json::array();
  for (const Product& p : listing.products) {
    Json offerings = Json::array();
    for (const Offering& o : p.offerings) {
      Json j;
      j["offering_id"] = o.offering_id;
      j["quantity"] = o.quantity;
      j["is_enabled"] = o.is_enabled;
      j["is_deleted"] = false;
      j["price"] = money_json(o.price_amount, currency_code);
      j["readiness_state_id"] = o.readiness_state_id ? Json(*o.readiness_state_id) : Json(nullptr);
      offerings.push_back(std::move(j));
    }
    Json j;
    j["product_id"] = p.product_id;
    j["sku"] = p.sku;
    j["is_deleted"] = false;
    j["offerings"] = std::move(offerings);
    j["property_values"] = property_values_json(p.property_values);
    products.push_back(std::move(j));
  }
  Json inv;
  inv["products"] = std::move(products);
  inv["price_on_property"] = listing.price_on_property;
  inv["quantity_on_property"] = listing.quantity_on_property;
  inv["sku_on_property"] = listing.sku_on_property;
  inv["readiness_state_on_property"] = listing.readiness_state_on_property;
  return inv;
}

Json listing_json(const Listing& listing, const EtsyMockConfig& config) {
  Json j;
  j["listing_id"] = listing.listing_id;
  j["user_id"] = config.user_id;
  j["shop_id"] = config.shop_id;
  j["title"] = listing.title;
  j["state"] = state_name(listing.state);
  j["creation_timestamp"] = listing.created_unix_s;
  j["created_timestamp"] = listing.created_unix_s;
  j["last_modified_timestamp"] = listing.updated_unix_s;
  j["updated_timestamp"] = listing.updated_unix_s;
  j["quantity"] = listing.quantity();
  Json skus = Json::array();
  for (const Product& p : listing.products) {
    if (!p.sku.empty()) skus.push_back(p.sku);
  }
  j["sku"] = std::move(skus);
  j["has_variations"] = listing.has_variations();
  const int64_t price = listing.products.empty() || listing.products[0].offerings.empty()
                            ? config.default_price_amount
                            : listing.products[0].offerings[0].price_amount;
  j["price"] = money_json(price, config.currency_code);
  return j;
}

Json receipt_json(const Receipt& r, const EtsyMockConfig& config) {
  Json txs = Json::array();
  int64_t total = 0;
  for (const Transaction& t : r.transactions) {
    Json j;
    j["transaction_id"] = t.transaction_id;
    j["seller_user_id"] = config.user_id;
    j["create_timestamp"] = r.created_unix_s;
    j["created_timestamp"] = r.created_unix_s;
    j["paid_timestamp"] = r.created_unix_s;
    j["shipped_timestamp"] = nullptr;
    j["quantity"] = t.quantity;
    j["listing_id"] = t.listing_id;
    j["receipt_id"] = r.receipt_id;
    j["product_id"] = t.product_id;
    j["sku"] = t.sku;
    j["price"] = money_json(t.price_amount, config.currency_code);
    Json variations = Json::array();
    for (const PropertyValue& v : t.variations) {
      Json var;
      var["property_id"] = v.property_id;
      var["value_id"] = v.value_ids.empty() ? Json(nullptr) : Json(v.value_ids[0]);
      var["formatted_name"] = v.property_name;
      var["formatted_value"] = v.values.empty() ? "" : v.values[0];
      variations.push_back(std::move(var));
    }
    j["variations"] = std::move(variations);
    j["product_data"] = property_values_json(t.variations);
    total += t.price_amount * t.quantity;
    txs.push_back(std::move(j));
  }
  const bool canceled = r.status == "canceled";
  Json j;
  j["receipt_id"] = r.receipt_id;
  j["receipt_type"] = 0;
  j["seller_user_id"] = config.user_id;
  j["status"] = r.status;
  j["is_paid"] = !canceled;
  j["is_shipped"] = false;
  j["create_timestamp"] = r.created_unix_s;
  j["created_timestamp"] = r.created_unix_s;
  j["update_timestamp"] = r.updated_unix_s;
  j["updated_timestamp"] = r.updated_unix_s;
  j["grandtotal"] = money_json(total, config.currency_code);
  j["transactions"] = std::move(txs);
  return j;
}

std::optional<int64_t> parse_int(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || v < 0) return std::nullopt;
  return v;
}

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(sep, start);
    out.emplace_back(text.substr(start, end == std::string_view::npos ? text.npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

}  // namespace invsync::mocks::etsy
