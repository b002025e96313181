// Etsy's response bodies written as JSON text, and model helpers.
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

base::HttpResponse error_response(int32_t status, std::string_view message) {
  std::string body;
  base::JsonWriter(body).begin_object().field("error", message).end_object();
  return base::HttpResponse::json(status, std::move(body));
}

namespace {

void write_money(base::JsonWriter& w, int64_t amount, const std::string& currency_code) {
  w.begin_object()
      .field("amount", amount)
      .field("divisor", int64_t{100})
      .field("currency_code", currency_code)
      .end_object();
}

void write_optional(base::JsonWriter& w, const std::optional<int64_t>& v) {
  if (v) {
    w.value(*v);
  } else {
    w.null();
  }
}

template <typename T>
void write_array(base::JsonWriter& w, const std::vector<T>& values) {
  w.begin_array();
  for (const T& v : values) w.value(v);
  w.end_array();
}

void write_property_values(base::JsonWriter& w, const std::vector<PropertyValue>& values) {
  w.begin_array();
  for (const PropertyValue& v : values) {
    w.begin_object().field("property_id", v.property_id).field("property_name", v.property_name);
    write_optional(w.key("scale_id"), v.scale_id);
    w.key("scale_name").null();
    write_array(w.key("value_ids"), v.value_ids);
    write_array(w.key("values"), v.values);
    w.end_object();
  }
  w.end_array();
}

}  // namespace

void write_inventory(base::JsonWriter& w, const Listing& listing,
                     const std::string& currency_code) {
  w.begin_object().key("products").begin_array();
  for (const Product& p : listing.products) {
    w.begin_object()
        .field("product_id", p.product_id)
        .field("sku", p.sku)
        .field("is_deleted", false)
        .key("offerings")
        .begin_array();
    for (const Offering& o : p.offerings) {
      w.begin_object()
          .field("offering_id", o.offering_id)
          .field("quantity", o.quantity)
          .field("is_enabled", o.is_enabled)
          .field("is_deleted", false);
      write_money(w.key("price"), o.price_amount, currency_code);
      write_optional(w.key("readiness_state_id"), o.readiness_state_id);
      w.end_object();
    }
    w.end_array();
    write_property_values(w.key("property_values"), p.property_values);
    w.end_object();
  }
  w.end_array();
  write_array(w.key("price_on_property"), listing.price_on_property);
  write_array(w.key("quantity_on_property"), listing.quantity_on_property);
  write_array(w.key("sku_on_property"), listing.sku_on_property);
  write_array(w.key("readiness_state_on_property"), listing.readiness_state_on_property);
  w.end_object();
}

void write_listing_members(base::JsonWriter& w, const Listing& listing,
                           const EtsyMockConfig& config) {
  w.field("listing_id", listing.listing_id)
      .field("user_id", config.user_id)
      .field("shop_id", config.shop_id)
      .field("title", listing.title)
      .field("state", state_name(listing.state))
      .field("creation_timestamp", listing.created_unix_s)
      .field("created_timestamp", listing.created_unix_s)
      .field("last_modified_timestamp", listing.updated_unix_s)
      .field("updated_timestamp", listing.updated_unix_s)
      .field("quantity", listing.quantity())
      .key("sku")
      .begin_array();
  for (const Product& p : listing.products) {
    if (!p.sku.empty()) w.value(p.sku);
  }
  w.end_array().field("has_variations", listing.has_variations());
  const int64_t price = listing.products.empty() || listing.products[0].offerings.empty()
                            ? config.default_price_amount
                            : listing.products[0].offerings[0].price_amount;
  write_money(w.key("price"), price, config.currency_code);
}

const std::string& receipt_json(Receipt& r, const EtsyMockConfig& config) {
  if (!r.json.empty()) return r.json;
  base::JsonWriter w(r.json);
  int64_t total = 0;
  for (const Transaction& t : r.transactions) total += t.price_amount * t.quantity;
  const bool canceled = r.status == "canceled";
  w.begin_object()
      .field("receipt_id", r.receipt_id)
      .field("receipt_type", int64_t{0})
      .field("seller_user_id", config.user_id)
      .field("status", r.status)
      .field("is_paid", !canceled)
      .field("is_shipped", false)
      .field("create_timestamp", r.created_unix_s)
      .field("created_timestamp", r.created_unix_s)
      .field("update_timestamp", r.updated_unix_s)
      .field("updated_timestamp", r.updated_unix_s);
  write_money(w.key("grandtotal"), total, config.currency_code);
  w.key("transactions").begin_array();
  for (const Transaction& t : r.transactions) {
    w.begin_object()
        .field("transaction_id", t.transaction_id)
        .field("seller_user_id", config.user_id)
        .field("create_timestamp", r.created_unix_s)
        .field("created_timestamp", r.created_unix_s)
        .field("paid_timestamp", r.created_unix_s)
        .key("shipped_timestamp")
        .null()
        .field("quantity", t.quantity)
        .field("listing_id", t.listing_id)
        .field("receipt_id", r.receipt_id)
        .field("product_id", t.product_id)
        .field("sku", t.sku);
    write_money(w.key("price"), t.price_amount, config.currency_code);
    w.key("variations").begin_array();
    for (const PropertyValue& v : t.variations) {
      w.begin_object().field("property_id", v.property_id).key("value_id");
      if (v.value_ids.empty()) {
        w.null();
      } else {
        w.value(v.value_ids[0]);
      }
      w.field("formatted_name", v.property_name)
          .field("formatted_value", v.values.empty() ? std::string_view() : v.values[0])
          .end_object();
    }
    w.end_array();
    write_property_values(w.key("product_data"), t.variations);
    w.end_object();
  }
  w.end_array().end_object();
  return r.json;
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
