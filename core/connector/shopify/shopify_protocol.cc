#include "core/connector/shopify/shopify_protocol.h"

#include <cctype>
#include <limits>

namespace invsync::connector::shopify_detail {
namespace {

constexpr size_t kErrorBytesMax = 300;
constexpr int64_t kRetryAfterSecondsMax = 24 * 3600;

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::optional<int64_t> positive_decimal(std::string_view s) {
  if (!all_digits(s) || s.size() > 18) return std::nullopt;
  int64_t n = 0;
  for (char c : s) n = n * 10 + (c - '0');
  if (n <= 0) return std::nullopt;
  return n;
}



std::string bounded(std::string s) {
  if (s.size() > kErrorBytesMax) s = s.substr(0, kErrorBytesMax) + "...";
  return s;
}

}  // namespace

std::optional<int64_t> json_points(const nlohmann::json& v) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (!(d >= -1e15 && d <= 1e15)) return std::nullopt;
    return static_cast<int64_t>(d + (d >= 0 ? 0.5 : -0.5));
  }
  return std::nullopt;
}

std::optional<int64_t> parse_id_text(std::string_view text, std::string_view type) {
  constexpr std::string_view kPrefix = "gid://shopify/";
  if (text.substr(0, kPrefix.size()) != kPrefix) return positive_decimal(text);
  text.remove_prefix(kPrefix.size());
  if (text.substr(0, type.size()) != type || text.size() <= type.size() ||
      text[type.size()] != '/') {
    return std::nullopt;
  }
  text.remove_prefix(type.size() + 1);
  return positive_decimal(text.substr(0, text.find('?')));
}

std::optional<int64_t> parse_id(const nlohmann::json& value, std::string_view type) {
  if (value.is_number_unsigned() || value.is_number_integer()) {
    if (value.is_number_unsigned() &&
        value.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return std::nullopt;
    }
    const int64_t n = value.get<int64_t>();
    if (n <= 0) return std::nullopt;
    return n;
  }
  if (value.is_string()) return parse_id_text(value.get_ref<const std::string&>(), type);
  return std::nullopt;
}

std::string make_gid(std::string_view type, int64_t id) {
  return "gid://shopify/" + std::string(type) + "/" + std::to_string(id);
}

std::optional<int64_t> json_int(const nlohmann::json& value) {
  if (value.is_number_integer()) return value.get<int64_t>();
  if (value.is_string()) {
    const auto& s = value.get_ref<const std::string&>();
    if (!s.empty() && s[0] == '-') {
      const auto n = positive_decimal(std::string_view(s).substr(1));
      if (n) return -*n;
      return std::nullopt;
    }
    if (s == "0") return 0;
    return positive_decimal(s);
  }
  return std::nullopt;
}

std::optional<base::WallTime> parse_iso8601(std::string_view t) { return base::parse_iso8601(t); }

std::optional<base::Duration> parse_retry_after(const base::HttpHeaders& headers) {
  const auto value = headers.get("Retry-After");
  if (!value) return std::nullopt;
  std::string_view v = *value;
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  const size_t dot = v.find('.');
  const std::string_view whole = v.substr(0, dot);
  const std::string_view frac = dot == std::string_view::npos ? "" : v.substr(dot + 1);
  if (!all_digits(whole) || whole.size() > 6) return std::nullopt;
  if (dot != std::string_view::npos && !frac.empty() && !all_digits(frac)) return std::nullopt;
  int64_t seconds = 0;
  for (char c : whole) seconds = seconds * 10 + (c - '0');
  if (seconds > kRetryAfterSecondsMax) seconds = kRetryAfterSecondsMax;
  int64_t ns = 0, scale = 100'000'000;
  for (size_t i = 0; i < frac.size() && i < 9; ++i, scale /= 10) ns += (frac[i] - '0') * scale;
  return base::Duration::seconds(seconds) + base::Duration::nanoseconds(ns);
}

std::optional<base::Duration> throttle_wait(const nlohmann::json& body) {
  if (!body.is_object()) return std::nullopt;
  const auto ext = body.find("extensions");
  if (ext == body.end() || !ext->is_object()) return std::nullopt;
  const auto cost = ext->find("cost");
  if (cost == ext->end() || !cost->is_object()) return std::nullopt;
  const auto status = cost->find("throttleStatus");
  if (status == cost->end() || !status->is_object()) return std::nullopt;
  const auto requested = json_points(cost->value("requestedQueryCost", nlohmann::json()));
  const auto available =
      json_points(status->value("currentlyAvailable", nlohmann::json()));
  const auto rate = json_points(status->value("restoreRate", nlohmann::json()));
  if (!requested || !available || !rate || *rate <= 0) return std::nullopt;
  const int64_t needed = std::max<int64_t>(1, *requested - *available);
  const int64_t wait_ms = (needed * 1000 + *rate - 1) / *rate;  // rounded up
  return base::Duration::milliseconds(wait_ms);
}

std::string error_message(int32_t status, std::string_view body) {
  std::string text;
  const auto json = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
  if (json.is_object() && json.contains("errors")) {
    const auto& errors = json["errors"];
    if (errors.is_string()) {
      text = errors.get<std::string>();
    } else if (errors.is_array()) {
      for (const auto& e : errors) {
        if (!text.empty()) text += "; ";
        if (e.is_string()) text += e.get<std::string>();
        else if (e.is_object() && e.contains("message") && e["message"].is_string())
          text += e["message"].get<std::string>();
        else text += e.dump();
      }
    } else {
      text = errors.dump();
    }
  } else if (json.is_discarded()) {
    text = body.empty() ? "empty body" : "non-JSON body";
  } else {
    text = "unexpected body";
  }
  return bounded("HTTP " + std::to_string(status) + ": " + text);
}

namespace {

// GraphQL top-level errors: THROTTLED is a rate limit, INTERNAL_SERVER_ERROR transient, the
// rest (ACCESS_DENIED, MAX_COST_EXCEEDED, a query the schema rejects) permanent.
void classify_graphql_errors(const nlohmann::json& errors, Exchange* ex) {
  bool throttled = false, internal = false;
  std::string text;
  for (const auto& e : errors) {
    std::string code;
    if (e.is_object()) {
      const auto ext = e.find("extensions");
      if (ext != e.end() && ext->is_object() && ext->contains("code") &&
          (*ext)["code"].is_string()) {
        code = (*ext)["code"].get<std::string>();
      }
      if (!text.empty()) text += "; ";
      const auto msg = e.find("message");
      text += (msg != e.end() && msg->is_string()) ? msg->get<std::string>() : e.dump();
      if (!code.empty()) text += " (" + code + ")";
    }
    throttled = throttled || code == "THROTTLED";
    internal = internal || code == "INTERNAL_SERVER_ERROR";
  }
  ex->error = bounded("GraphQL: " + (text.empty() ? errors.dump() : text));
  if (throttled) {
    ex->outcome = PushOutcome::kRateLimited;
    ex->retry_after = throttle_wait(ex->body).value_or(base::Duration::seconds(1));
  } else {
    ex->outcome = internal ? PushOutcome::kTransient : PushOutcome::kPermanent;
  }
}

bool is_html(const base::HttpResponse& r) {
  const auto type = r.headers.get("Content-Type");
  return type && type->find("html") != std::string_view::npos;
}

}  // namespace

Exchange classify_exchange(const base::Result<base::HttpResponse>& result, bool graphql) {
  Exchange ex;
  if (!result.ok()) {
    ex.transport = result.status().code();
    ex.error = "transport: " + result.status().to_string();
    return ex;
  }
  const base::HttpResponse& r = *result;
  ex.http_status = r.status;
  if (r.status == 429) {
    ex.outcome = PushOutcome::kRateLimited;
    const auto json = nlohmann::json::parse(r.body, nullptr, false);
    ex.retry_after = parse_retry_after(r.headers)
                         .value_or(throttle_wait(json).value_or(base::Duration::seconds(1)));
    ex.error = error_message(r.status, r.body);
    return ex;
  }
  if (!r.is_success()) {
    const bool client_error = r.status >= 400 && r.status < 500 && r.status != 408;
    ex.outcome = client_error ? PushOutcome::kPermanent : PushOutcome::kTransient;
    ex.error = is_html(r) ? "HTTP " + std::to_string(r.status) + ": HTML error page"
                          : error_message(r.status, r.body);
    return ex;
  }
  ex.body = nlohmann::json::parse(r.body, nullptr, false);
  if (!ex.body.is_object()) {
    ex.body = nlohmann::json();
    ex.error = "HTTP " + std::to_string(r.status) + ": body is not a JSON object" +
               (is_html(r) ? " (HTML page)" : "");
    return ex;
  }
  if (graphql) {
    const auto errors = ex.body.find("errors");
    if (errors != ex.body.end() && !(errors->is_array() && errors->empty())) {
      classify_graphql_errors(errors->is_array() ? *errors : nlohmann::json::array({*errors}),
                              &ex);
      return ex;
    }
  }
  ex.usable = true;
  ex.outcome = PushOutcome::kDone;
  return ex;
}

base::Status exchange_status(const Exchange& ex) {
  if (ex.transport) {
    return *ex.transport == base::StatusCode::kTimeout ? base::Status::timeout(ex.error)
                                                       : base::Status::unavailable(ex.error);
  }
  switch (ex.outcome) {
    case PushOutcome::kRateLimited: return base::Status::rate_limited(ex.error, ex.retry_after);
    case PushOutcome::kPermanent:
      if (ex.http_status == 401) return base::Status::unauthenticated(ex.error);
      if (ex.http_status == 403) return base::Status::permission_denied(ex.error);
      if (ex.http_status == 404) return base::Status::not_found(ex.error);
      return base::Status::failed_precondition(ex.error);
    case PushOutcome::kDone:
    case PushOutcome::kAccepted:
    case PushOutcome::kConflict:
    case PushOutcome::kTransient: break;
  }
  return base::Status::unavailable(ex.error);
}

}  // namespace invsync::connector::shopify_detail
