// SP-API protocol helpers of the Amazon connector: timestamps, URLs, error bodies, classification.
#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/connector/amazon/amazon_internal.h"

namespace invsync::connector::amazon_detail {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::optional<base::Duration> parse_retry_after(const base::HttpHeaders& headers) {
  const auto value = headers.get("retry-after");
  if (!value) return std::nullopt;
  int64_t seconds = 0;
  const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), seconds);
  if (ec != std::errc() || end != value->data() + value->size() || seconds < 0) {
    return std::nullopt;
  }
  return base::Duration::seconds(std::min<int64_t>(seconds, 86'400));
}

// Fractional seconds and the zone designator after "YYYY-MM-DDTHH:MM:SS"; nullopt when bad.
}  // namespace

std::optional<base::WallTime> parse_iso8601(std::string_view text) {
  return base::parse_iso8601(text);
}

std::optional<std::pair<std::string, std::string>> split_absolute_url(std::string_view url) {
  size_t scheme_end = 0;
  if (url.rfind("https://", 0) == 0) {
    scheme_end = 8;
  } else if (url.rfind("http://", 0) == 0) {
    scheme_end = 7;
  } else {
    return std::nullopt;
  }
  const size_t path_start = url.find_first_of("/?#", scheme_end);
  const std::string_view authority =
      url.substr(scheme_end, path_start == std::string_view::npos ? url.npos
                                                                  : path_start - scheme_end);
  if (authority.empty()) return std::nullopt;
  std::string base(url.substr(0, scheme_end + authority.size()));
  std::string target = path_start == std::string_view::npos ? "/"
                                                            : std::string(url.substr(path_start));
  if (target.front() != '/') target.insert(0, "/");
  if (const size_t hash = target.find('#'); hash != std::string::npos) target.resize(hash);
  return std::make_pair(std::move(base), std::move(target));
}

std::optional<nlohmann::json> parse_object(std::string_view body) {
  if (body.empty()) return std::nullopt;
  nlohmann::json json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) return std::nullopt;
  return json;
}

base::Duration retry_after_of(const base::HttpResponse& response, base::Duration fallback) {
  return parse_retry_after(response.headers).value_or(fallback);
}

void write_quantity_patches(base::JsonWriter& json, int64_t units) {
  json.begin_array().begin_object();
  json.field("op", "replace");
  json.field("path", "/attributes/fulfillment_availability");
  json.key("value").begin_array().begin_object();
  json.field("fulfillment_channel_code", "DEFAULT");
  json.field("quantity", units);
  json.end_object().end_array();
  json.end_object().end_array();
}

std::string clip(std::string text) {
  if (text.size() > kErrorBytesMax) text.resize(kErrorBytesMax);
  return text;
}

std::string describe_response(const base::HttpResponse& response) {
  std::string out = "HTTP " + std::to_string(response.status);
  if (response.body.empty()) return out + " (empty body)";
  const auto json = parse_object(response.body);
  if (!json) {
    const bool html = response.body.find('<') != std::string::npos;
    return out + (html ? " (HTML page)" : " (non-JSON body)");
  }
  const auto errors = json->find("errors");
  if (errors == json->end() || !errors->is_array() || errors->empty()) return out;
  for (const auto& e : *errors) {
    if (!e.is_object()) continue;
    out += ": " + e.value("code", std::string("?")) + " " + e.value("message", std::string());
    const std::string details = e.value("details", std::string());
    if (!details.empty()) out += " (" + details + ")";
  }
  return clip(std::move(out));
}

bool is_token_rejection(const base::HttpResponse& response) {
  if (response.status != 403) return false;
  const auto json = parse_object(response.body);
  if (!json) return false;
  const auto errors = json->find("errors");
  if (errors == json->end() || !errors->is_array()) return false;
  for (const auto& e : *errors) {
    if (!e.is_object()) continue;
    const auto code = e.find("code");
    if (code != e.end() && code->is_string() && *code == "MissingAuthenticationToken") return true;
    const auto details = e.find("details");
    if (details == e.end() || !details->is_string()) continue;
    if (lower(details->get<std::string>()).find("access token") != std::string::npos) return true;
  }
  return false;
}

PushItemResult failure_result(const domain::Sku& sku, const base::Result<base::HttpResponse>& r,
                              base::Duration retry_after_default) {
  PushItemResult out{.sku = sku};
  if (!r.ok()) {
    const base::Status& st = r.status();
    out.error = clip(st.message());
    switch (st.code()) {
      case base::StatusCode::kRateLimited:
        out.outcome = PushOutcome::kRateLimited;
        out.retry_after = st.retry_after() > base::Duration::zero() ? st.retry_after()
                                                                     : retry_after_default;
        break;
      case base::StatusCode::kUnauthenticated:
      case base::StatusCode::kPermissionDenied:
        out.outcome = PushOutcome::kPermanent;
        break;
      default:
        out.outcome = PushOutcome::kTransient;
    }
    return out;
  }
  const base::HttpResponse& resp = r.value();
  out.http_status = resp.status;
  out.error = describe_response(resp);
  if (resp.status == 429) {
    out.outcome = PushOutcome::kRateLimited;
    out.retry_after = parse_retry_after(resp.headers).value_or(retry_after_default);
  } else if (resp.status >= 400 && resp.status < 500 && resp.status != 408 &&
             resp.status != 425) {
    out.outcome = PushOutcome::kPermanent;
  } else {
    out.outcome = PushOutcome::kTransient;  // 5xx, 408, and 2xx bodies we could not read
  }
  return out;
}

base::Status failure_status(const base::Result<base::HttpResponse>& r,
                            base::Duration retry_after_default) {
  if (!r.ok()) return r.status();
  const base::HttpResponse& resp = r.value();
  std::string what = "amazon: " + describe_response(resp);
  if (resp.status == 429) {
    return base::Status::rate_limited(
        std::move(what), parse_retry_after(resp.headers).value_or(retry_after_default));
  }
  if (resp.status == 401) return base::Status::unauthenticated(std::move(what));
  if (resp.status == 403) return base::Status::permission_denied(std::move(what));
  if (resp.status == 404) return base::Status::not_found(std::move(what));
  if (resp.status == 400 || resp.status == 422) {
    return base::Status::invalid_argument(std::move(what));
  }
  if (resp.is_success() && !resp.body.empty()) return base::Status::corruption(std::move(what));
  return base::Status::unavailable(std::move(what));  // 5xx, HTML pages, empty 200s
}

}  // namespace invsync::connector::amazon_detail
