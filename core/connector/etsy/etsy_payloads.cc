// Etsy payloads shared by every call: listing ids from external ids, error bodies and the Status
// and push outcome of a response.
#include "core/connector/etsy/etsy_payloads.h"

#include <simdjson.h>

#include <utility>

#include "core/connector/etsy/etsy_json.h"

namespace invsync::connector::etsy {
std::optional<int64_t> listing_id_of(std::string_view external_ids_json) {
  simdjson::dom::element j;
  if (!parse_json(external_ids_json, &j)) return std::nullopt;
  const std::optional<int64_t> id = int_field(j, "listing_id");
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

std::string error_message(const base::HttpResponse& response) {
  simdjson::dom::element j;
  if (!parse_json(response.body, &j)) return "HTTP " + std::to_string(response.status);
  std::string message(string_field(j, "error"));
  if (message.empty()) return "HTTP " + std::to_string(response.status);
  const std::string_view description = string_field(j, "error_description");
  if (!description.empty()) message.append(" (").append(description).append(")");
  if (message.size() > 300) message.resize(300);
  return "HTTP " + std::to_string(response.status) + ": " + message;
}

std::optional<base::Duration> retry_after_header(const base::HttpResponse& response) {
  const std::optional<std::string_view> value = response.headers.get("retry-after");
  if (!value) return std::nullopt;
  const std::optional<int64_t> s = parse_int_text(*value);
  if (!s || *s < 0) return std::nullopt;
  return base::Duration::seconds(*s);
}

base::Status status_of_response(const base::HttpResponse& response) {
  const int32_t s = response.status;
  if (response.is_success()) return base::Status();
  std::string message = "etsy " + error_message(response);
  if (s == 429) {
    const bool daily = response.body.find("daily") != std::string::npos;
    const base::Duration fallback = daily ? base::Duration::hours(1) : base::Duration::seconds(1);
    return base::Status::rate_limited(std::move(message),
                                      retry_after_header(response).value_or(fallback));
  }
  if (s == 401) return base::Status::unauthenticated(std::move(message));
  if (s == 403) return base::Status::permission_denied(std::move(message));
  if (s == 404) return base::Status::not_found(std::move(message));
  if (s >= 400 && s < 500 && s != 408 && s != 409) {
    return base::Status::invalid_argument(std::move(message));
  }
  return base::Status::unavailable(std::move(message));
}

PushOutcome outcome_of(const base::Status& status) {
  switch (status.code()) {
    case base::StatusCode::kOk:
      return PushOutcome::kDone;
    case base::StatusCode::kRateLimited:
      return PushOutcome::kRateLimited;
    case base::StatusCode::kInvalidArgument:
    case base::StatusCode::kNotFound:
    case base::StatusCode::kUnauthenticated:
    case base::StatusCode::kPermissionDenied:
    case base::StatusCode::kFailedPrecondition:
      return PushOutcome::kPermanent;
    default:
      return PushOutcome::kTransient;
  }
}

}  // namespace invsync::connector::etsy
