#include "core/ingest/webhook_ingest.h"

#include <nlohmann/json.hpp>

namespace invsync::ingest {

WebhookIngest::WebhookIngest(store::InventoryStore& store, base::Clock& clock,
                             connector::Connector& connector, sync::AlertSink& alerts,
                             IngestOptions options)
    : store_(store), clock_(clock), connector_(connector), alerts_(alerts), options_(options) {}

base::HttpResponse WebhookIngest::reply(int32_t status, const std::string& message) {
  return base::HttpResponse::json(status, nlohmann::json{{"message", message}}.dump());
}

base::HttpResponse WebhookIngest::handle(const base::HttpRequest& request) {
  ++stats_.requests;
  if (request.body.size() > options_.body_bytes_max) {
    ++stats_.too_large;
    return reply(413, "body larger than " + std::to_string(options_.body_bytes_max) + " bytes");
  }
  auto parsed = connector_.parse_webhook(request);
  if (!parsed.ok()) {
    if (parsed.status().code() == base::StatusCode::kUnauthenticated) {
      ++stats_.unauthenticated;
      return reply(401, "signature check failed");  // never echo what we expected
    }
    ++stats_.malformed;
    return reply(400, parsed.status().message());
  }
  if (parsed->poll_now && on_poll_now_) on_poll_now_();
  if (parsed->ignorable || parsed->events.empty()) {
    ++stats_.ignored;
    return reply(200, "ok");
  }
  const base::WallTime now = clock_.wall_now();
  auto results = store_.apply_orders(parsed->events, now);
  if (!results.ok()) {
    const auto code = results.status().code();
    if (code == base::StatusCode::kUnavailable || code == base::StatusCode::kTimeout) {
      ++stats_.store_unavailable;
      return reply(503, "store unavailable, retry later");
    }
    if (code == base::StatusCode::kInvalidArgument) {
      ++stats_.malformed;
      return reply(400, results.status().message());
    }
    return reply(500, "internal error");
  }
  stats_.events += static_cast<int64_t>(results->size());
  for (size_t i = 0; i < results->size(); ++i) {
    const domain::EventResult& r = (*results)[i];
    const domain::OrderEvent& e = parsed->events[i];
    switch (r.outcome) {
      case domain::EventOutcome::kApplied: ++stats_.applied; break;
      case domain::EventOutcome::kDuplicate: ++stats_.duplicates; break;
      case domain::EventOutcome::kOversold:
        ++stats_.oversold;
        alerts_.raise({e.key.channel, e.sku, "oversold",
                       "order " + e.key.external_order_id + " sold " +
                           std::to_string(r.oversold_units.units()) + " units that did not exist",
                       now});
        break;
      case domain::EventOutcome::kUnknownSku:
        ++stats_.unknown_sku;
        alerts_.raise({e.key.channel, std::nullopt, "unknown_sku",
                       "order " + e.key.external_order_id + " names SKU " + e.sku.str() +
                           " which the hub does not know",
                       now});
        break;
    }
  }
  if (on_applied_) on_applied_(parsed->events, *results);
  return reply(200, "applied " + std::to_string(results->size()) + " events");
}

}  // namespace invsync::ingest
