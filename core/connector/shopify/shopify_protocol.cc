#include "core/connector/shopify/shopify_protocol.h"

#include <algorithm>
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

std::optional<int64_t> json_points(const JsonValue& v) {
  if (is_integer(v)) return int_of(*v);
  if (v && v->is_double()) {
    const double d = double_of(*v);
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

std::optional<int64_t> parse_id(const JsonValue& value, std::string_view type) {
  if (is_integer(value)) {
    // simdjson reads an integer as unsigned only beyond int64.
    if (value->type() == simdjson::dom::element_type::UINT64) return std::nullopt;
    const int64_t n = int_of(*value);
    if (n <= 0) return std::nullopt;
    return n;
  }
  if (is_string(value)) return parse_id_text(string_of(*value), type);
  return std::nullopt;
}

std::string make_gid(std::string_view type, int64_t id) {
  return "gid://shopify/" + std::string(type) + "/" + std::to_string(id);
}

std::optional<int64_t> json_int(const JsonValue& value) {
  if (is_integer(value)) return int_of(*value);
  if (is_string(value)) {
    const std::string_view s = string_of(*value);
    if (!s.empty() && s[0] == '-') {
      const auto n = positive_decimal(s.substr(1));
      if (n) return -*n;
      return std::nullopt;
    }
    if (s == "0") return 0;
    return positive_decimal(s);
  }
  return std::nullopt;
}

std::optional<int64_t> inventory_item_id(std::string_view external_ids_json) {
  static thread_local BodyParser parser;  // the document is read here and then left
  simdjson::dom::element ids;
  if (!parser.parse(external_ids_json, &ids) || !ids.is_object()) return std::nullopt;
  const JsonValue id = member(ids, "inventory_item_id");
  if (!id) return std::nullopt;
  return parse_id(id, "InventoryItem");
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

std::optional<base::Duration> throttle_wait(const JsonValue& body) {
  if (!is_object(body)) return std::nullopt;
  const JsonValue ext = member(body, "extensions");
  if (!is_object(ext)) return std::nullopt;
  const JsonValue cost = member(ext, "cost");
  if (!is_object(cost)) return std::nullopt;
  const JsonValue status = member(cost, "throttleStatus");
  if (!is_object(status)) return std::nullopt;
  const auto requested = json_points(member(cost, "requestedQueryCost"));
  const auto available = json_points(member(status, "currentlyAvailable"));
  const auto rate = json_points(member(status, "restoreRate"));
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

Exchange classify_exchange(const base::Result<base::HttpResponse>& result, bool graphql,
                           BodyParser& parser) {
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
    simdjson::dom::element root;
    const JsonValue body = parser.parse(r.body, &root) ? JsonValue(root) : std::nullopt;
    ex.retry_after = parse_retry_after(r.headers).value_or(
        throttle_wait(body).value_or(base::Duration::seconds(1)));
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
  simdjson::dom::element root;
  if (!parser.parse(r.body, &root) || !root.is_object()) {
    ex.error = "HTTP " + std::to_string(r.status) + ": body is not a JSON object" +
               (is_html(r) ? " (HTML page)" : "");
    return ex;
  }
  ex.body = root;
  if (graphql) {
    const JsonValue errors_value = member(ex.body, "errors");
    simdjson::dom::array list;
    const bool empty_list = array_of(errors_value, &list) && list.size() == 0;
    if (errors_value && !empty_list) {
      // Rare (a throttle or a refusal): read as nlohmann, for its dumps in the message.
      const nlohmann::json errors = to_nlohmann(*errors_value);
      classify_graphql_errors(errors.is_array() ? errors : nlohmann::json::array({errors}), &ex);
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
