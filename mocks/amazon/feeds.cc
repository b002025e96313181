// Feeds API 2021-06-30 on the Amazon mock: feed documents and their presigned "S3" URLs,
// createFeed (with the JSON_LISTINGS_FEED submission cap), getFeed, cancelFeed, getFeedDocument,
// and the state machine IN_QUEUE -> IN_PROGRESS -> DONE | FATAL (same-type feeds sequential).
#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/base/url.h"
#include "mocks/amazon/amazon_mock.h"
#include "mocks/amazon/listings_feed.h"
#include "mocks/amazon/sp_api_http.h"

namespace invsync::mocks {
namespace {

using base::Duration;
using base::HttpRequest;
using base::HttpResponse;
using base::Instant;
using nlohmann::json;
using nlohmann::ordered_json;

constexpr const char* kJsonListingsFeed = "JSON_LISTINGS_FEED";

// Removed XML/flat-file types: accepted by createFeed, always end FATAL (A2 "now dead").
bool is_deprecated_feed_type(const std::string& type) {
  return type == "POST_INVENTORY_AVAILABILITY_DATA" || type == "POST_PRODUCT_DATA" ||
         type == "POST_PRODUCT_PRICING_DATA" || type == "POST_FLAT_FILE_INVLOADER_DATA" ||
         type == "POST_FLAT_FILE_LISTINGS_DATA";
}

HttpResponse json_response(int32_t status, const ordered_json& body) {
  return HttpResponse::text(status, "application/json", body.dump());
}

HttpResponse invalid_input(const std::string& message) {
  return amazon::error_response(400, "InvalidInput", message);
}

}  // namespace

std::string AmazonMock::presign(const std::string& document_id, bool upload, Instant now) {
  const std::string signature = next_id_hex(64);
  presigned_[signature] = Presigned{document_id, now + config_.document_url_lifetime, upload};
  std::string date = base::format_iso8601_utc(wall(now));
  std::erase(date, '-');
  std::erase(date, ':');
  return config_.base_url + "/s3/tortuga/" + base::percent_encode(document_id) +
         "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=" + date +
         "&X-Amz-Expires=" + std::to_string(config_.document_url_lifetime.s()) +
         "&X-Amz-SignedHeaders=" + (upload ? "content-type%3Bhost" : "host") +
         "&X-Amz-Signature=" + signature;
}

HttpResponse AmazonMock::create_feed_document(const HttpRequest& request, Instant now) {
  const json body = json::parse(request.body, nullptr, false);
  if (!body.is_object() || !body.contains("contentType") || !body["contentType"].is_string() ||
      body["contentType"].get<std::string>().empty()) {
    return invalid_input("contentType is required.");
  }
  const std::string id = "amzn1.tortuga.4.eu." + next_uuid() + ".T" + next_id_hex(12);
  documents_[id] = Document{body["contentType"], now, false, ""};
  ordered_json out;
  out["feedDocumentId"] = id;
  out["url"] = presign(id, true, now);
  return json_response(201, out);
}

HttpResponse AmazonMock::get_feed_document(const std::string& id, Instant now) {
  if (documents_.count(id) == 0) {
    return amazon::error_response(404, "NotFound", "The feed document was not found.");
  }
  ordered_json out;
  out["feedDocumentId"] = id;
  out["url"] = presign(id, false, now);
  return json_response(200, out);
}

HttpResponse AmazonMock::handle_s3(const HttpRequest& request, Instant now) {
  const auto params = base::parse_query(request.query());
  const auto signature = params ? base::query_param(*params, "X-Amz-Signature") : std::nullopt;
  const std::string s3_id = next_id_hex(16);
  const auto it = signature ? presigned_.find(*signature) : presigned_.end();
  if (it == presigned_.end()) return amazon::s3_error(403, "AccessDenied", "Access Denied", s3_id);
  if (now >= it->second.expires) {
    return amazon::s3_error(403, "AccessDenied", "Request has expired", s3_id);
  }
  Document& doc = documents_.at(it->second.document_id);
  const bool put = request.method == "PUT";
  const auto content_type = request.headers.get("Content-Type");
  if (put != it->second.upload || (put && content_type != doc.content_type)) {
    count("s3_rejected");
    return amazon::s3_error(403, "SignatureDoesNotMatch",
                            "The request signature we calculated does not match the signature "
                            "you provided. Check your key and signing method.",
                            s3_id);
  }
  if (put) {
    doc.content = request.body;
    doc.uploaded = true;
    HttpResponse ok = HttpResponse::text(200, "application/xml", "");
    ok.headers.set("ETag", "\"" + next_id_hex(32) + "\"");
    return ok;
  }
  return HttpResponse::text(200, doc.content_type, doc.content);
}

HttpResponse AmazonMock::create_feed(const HttpRequest& request, Instant now) {
  const json body = json::parse(request.body, nullptr, false);
  if (!body.is_object()) return invalid_input("The request body is not valid JSON.");
  const std::string type = body.value("feedType", "");
  const auto markets = body.find("marketplaceIds");
  const auto doc_id = body.find("inputFeedDocumentId");
  if (type.empty()) return invalid_input("feedType is required.");
  if (markets == body.end() || !markets->is_array() || markets->empty() || markets->size() > 25) {
    return invalid_input("marketplaceIds must hold 1 to 25 marketplace ids.");
  }
  std::vector<std::string> marketplace_ids;
  for (const json& m : *markets) {
    if (!m.is_string() || m != config_.marketplace_id) {
      return invalid_input("Invalid marketplaceIds: " + m.dump());
    }
    marketplace_ids.push_back(m);
  }
  if (type != kJsonListingsFeed && !is_deprecated_feed_type(type)) {
    return invalid_input("Invalid feedType: " + type);
  }
  if (doc_id == body.end() || !doc_id->is_string()) {
    return invalid_input("inputFeedDocumentId is required.");
  }
  const auto doc = documents_.find(doc_id->get<std::string>());
  if (doc == documents_.end() || now - doc->second.created > config_.feed_document_retention) {
    return invalid_input(
        "Invalid inputFeedDocumentId: the document does not exist or has expired.");
  }
  if (type == kJsonListingsFeed && !json_feed_cap_.try_take(now)) {
    count("rate_limited");
    count("rate_limited.json_listings_feed_cap");
    return amazon::quota_exceeded();
  }
  Feed feed;
  feed.id = std::to_string(50'000'000'000ULL + ++next_feed_number_);
  feed.type = type;
  feed.marketplace_ids = std::move(marketplace_ids);
  feed.input_document_id = *doc_id;
  feed.created = now;
  feed.queue_dwell = Duration::milliseconds(
      feed_prng_.range_inclusive(faults_.feed_in_queue_ms_min, faults_.feed_in_queue_ms_max));
  feed.progress_dwell = Duration::milliseconds(
      feed_prng_.range_inclusive(faults_.feed_in_progress_ms_min, faults_.feed_in_progress_ms_max));
  feed.fatal_fault = feed_prng_.chance(base::Ratio::percent(faults_.feed_fatal_percent));
  ordered_json out;
  out["feedId"] = feed.id;
  Feed& stored = feeds_[feed.id] = std::move(feed);
  active_feeds_.push_back(&stored);
  count("feeds_created");
  return json_response(202, out);
}

HttpResponse AmazonMock::get_feed(const std::string& id) const {
  const auto it = feeds_.find(id);
  if (it == feeds_.end()) return amazon::error_response(404, "NotFound", "Feed not found.");
  const Feed& f = it->second;
  ordered_json out;
  out["feedId"] = f.id;
  out["feedType"] = f.type;
  out["marketplaceIds"] = f.marketplace_ids;
  out["createdTime"] = iso(f.created);
  out["processingStatus"] = feed_status_name(f.status);
  if (f.started) out["processingStartTime"] = iso(*f.started);
  if (f.ended) out["processingEndTime"] = iso(*f.ended);
  if (!f.result_document_id.empty()) out["resultFeedDocumentId"] = f.result_document_id;
  return json_response(200, out);
}

HttpResponse AmazonMock::cancel_feed(const std::string& id, Instant now) {
  const auto it = feeds_.find(id);
  if (it == feeds_.end()) return amazon::error_response(404, "NotFound", "Feed not found.");
  if (it->second.status != FeedStatus::kInQueue) {
    return invalid_input("The feed cannot be cancelled: its processingStatus is " +
                         std::string(feed_status_name(it->second.status)) + ".");
  }
  it->second.status = FeedStatus::kCancelled;
  it->second.ended = now;
  std::erase(active_feeds_, &it->second);
  count("feeds_cancelled");
  return HttpResponse::text(200, "application/json", "");
}

std::optional<AmazonMock::Event> AmazonMock::next_feed_event() const {
  std::optional<Event> best;
  for (auto it = active_feeds_.begin(); it != active_feeds_.end(); ++it) {
    Feed& f = **it;
    // The first active feed of each type is the only runnable one (there are few active feeds).
    if (std::any_of(active_feeds_.begin(), it, [&](const Feed* e) { return e->type == f.type; })) {
      continue;
    }
    Instant at;
    if (f.status == FeedStatus::kInProgress) {
      at = *f.started + f.progress_dwell;
    } else {
      at = f.created + f.queue_dwell;
      const auto last = type_last_end_.find(f.type);
      if (last != type_last_end_.end() && last->second > at) at = last->second;
    }
    if (!best || at < best->at) best = Event{at, &f};
  }
  return best;
}

void AmazonMock::start_feed(Feed& feed, Instant at) {
  feed.status = FeedStatus::kInProgress;
  feed.started = at;
}

std::string AmazonMock::store_result_document(const std::string& content, Instant at) {
  const std::string id = "amzn1.tortuga.4.eu." + next_uuid() + ".T" + next_id_hex(12);
  documents_[id] = Document{"application/json", at, true, content};
  return id;
}

void AmazonMock::finish_feed(Feed& feed, Instant at) {
  feed.ended = at;
  std::erase(active_feeds_, &feed);
  type_last_end_[feed.type] = at;
  const Document& input = documents_.at(feed.input_document_id);
  if (is_deprecated_feed_type(feed.type) || feed.fatal_fault || !input.uploaded) {
    feed.status = FeedStatus::kFatal;
    count("feeds_fatal");
    return;
  }
  const auto outcome = amazon::process_listings_feed(
      input.content, config_.seller_id, feed.id,
      [this](const std::string& sku) { return listings_.count(sku) != 0; });
  feed.result_document_id = store_result_document(outcome.report_json, at);
  feed.status = outcome.fatal ? FeedStatus::kFatal : FeedStatus::kDone;
  count(outcome.fatal ? "feeds_fatal" : "feeds_done");
  count("feed_messages_accepted", outcome.accepted);
  count("feed_messages_invalid", outcome.invalid);
  for (const auto& update : outcome.updates) {
    Listing& listing = listings_.at(update.sku);
    listing.attribute_quantity = update.quantity;
    if (feed_prng_.chance(base::Ratio::percent(faults_.not_applied_percent))) {
      count("not_applied");
      continue;
    }
    schedule_apply(update.sku, update.quantity, at);
  }
}

}  // namespace invsync::mocks

namespace invsync::mocks {

std::optional<FeedStatus> AmazonMock::feed_status(std::string_view feed_id) const {
  const auto it = feeds_.find(std::string(feed_id));
  if (it == feeds_.end()) return std::nullopt;
  return it->second.status;
}

}  // namespace invsync::mocks
