// Response decoding, classification, dates and order events for the WooCommerce connector.
#include <charconv>
#include <cstdlib>

#include "core/base/url.h"
#include "core/connector/woocommerce/woocommerce_internal.h"
#include "core/domain/quantity.h"
#include "core/domain/sku.h"

namespace invsync::connector::woo {
namespace {

constexpr size_t kErrorDetailBytesMax = 200;

bool looks_like_html(const base::HttpResponse& response) {
  const auto type = response.headers.get("Content-Type");
  if (type.has_value() && type->find("html") != std::string_view::npos) return true;
  return response.body.find('<') != std::string::npos;
}

base::Status permanent_status(int32_t http_status, const std::string& message) {
  switch (http_status) {
    case 401: return base::Status::unauthenticated(message);
    case 403: return base::Status::permission_denied(message);
    case 404: return base::Status::not_found(message);
    case 413: return base::Status::resource_exhausted(message);
    default: return base::Status::invalid_argument(message);
  }
}

void classify_error_status(const base::HttpResponse& response, Reply* r) {
  // "woocommerce_rest_cannot_edit: Sorry, you are not allowed to edit this resource."
  std::string detail = read_error_detail(response.body, kErrorDetailBytesMax);
  if (detail.empty() && looks_like_html(response)) detail = "HTML error page";
  r->error = "HTTP " + std::to_string(response.status) + (detail.empty() ? "" : " " + detail);
  r->retry_after = parse_retry_after(response.headers).value_or(base::Duration());
  const int32_t s = response.status;
  if (s == 429) {
    r->outcome = PushOutcome::kRateLimited;
    r->status = base::Status::rate_limited(r->error, r->retry_after);
  } else if (s >= 400 && s < 500 && s != 408) {
    r->outcome = PushOutcome::kPermanent;  // auth, permissions, 413, validation, unknown route
    r->status = permanent_status(s, r->error);
  } else {
    r->outcome = PushOutcome::kTransient;  // 5xx (ModSecurity 501 included), 408, 1xx/3xx
    r->status = base::Status::unavailable(r->error);
  }
}

}  // namespace

Reply decode_reply(const base::Result<base::HttpResponse>& result, Shape shape) {
  Reply r;
  if (!result.ok()) {
    r.error = "transport: " + std::string(base::status_code_name(result.status().code()));
    r.status = result.status().code() == base::StatusCode::kTimeout
                   ? base::Status::timeout(r.error)
                   : base::Status::unavailable(r.error);
    return r;
  }
  const base::HttpResponse& response = result.value();
  r.http_status = response.status;
  if (!response.is_success()) {
    classify_error_status(response, &r);
    return r;
  }
  if (!read_reply_body(response.body, shape, &r)) {
    r.error = "HTTP " + std::to_string(response.status) +
              (looks_like_html(response) ? " HTML page instead of JSON (challenge page?)"
                                         : " unexpected response body");
    r.status = base::Status::unavailable(r.error);
    return r;
  }
  r.ok = true;
  if (auto pages = response.headers.get("X-WP-TotalPages"); pages.has_value()) {
    int64_t n = 0;
    const auto [p, ec] = std::from_chars(pages->data(), pages->data() + pages->size(), n);
    if (ec == std::errc() && p == pages->data() + pages->size() && n >= 0) r.total_pages = n;
  }
  return r;
}

std::optional<base::Duration> parse_retry_after(const base::HttpHeaders& headers) {
  const auto value = headers.get("Retry-After");
  if (!value.has_value() || value->empty()) return std::nullopt;
  const std::string text(*value);
  char* end = nullptr;
  const double seconds = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !(seconds >= 0) || seconds > 86'400.0) {
    return std::nullopt;  // an HTTP-date or garbage
  }
  return base::Duration::milliseconds(static_cast<int64_t>(seconds * 1000.0 + 0.5));
}

std::optional<base::WallTime> parse_gmt_datetime(std::string_view text) {
  // WooCommerce's *_gmt fields carry no zone; they are UTC. Whole seconds are what it keeps.
  const auto t = base::parse_iso8601(text, /*zone_optional=*/true);
  if (!t) return std::nullopt;
  return base::WallTime::from_unix_s(t->unix_s());
}

std::string format_gmt_datetime(base::WallTime t) {
  std::string text = base::format_iso8601_utc(t);
  if (!text.empty() && text.back() == 'Z') text.pop_back();
  return text;
}

std::optional<domain::Quantity> stock_of(const ProductFacts& product) {
  if (!product.stock_managed || !product.stock_quantity.has_value()) return std::nullopt;
  auto q = domain::Quantity::checked(*product.stock_quantity);
  if (!q.ok()) return std::nullopt;
  return *q;
}

std::optional<WooCommerceIds> ids_of(const ProductFacts& product) {
  const std::optional<int64_t> id = product.id;
  if (!id.has_value() || *id <= 0) return std::nullopt;
  const int64_t parent = product.parent_id.value_or(0);
  // type decides (a grouped product's child may carry a parent_id); parent_id only without it
  const bool variation = product.type.has_value() ? *product.type == "variation" : parent > 0;
  if (variation && parent <= 0) return std::nullopt;  // a variation must name its parent
  return variation ? WooCommerceIds{parent, *id} : WooCommerceIds{*id, 0};
}

}  // namespace invsync::connector::woo
