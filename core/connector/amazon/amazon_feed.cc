// AmazonConnector, feed mode: a push becomes one JSON_LISTINGS_FEED (createFeedDocument, PUT the
// document to the presigned URL, createFeed) whose items are kAccepted; the feed is then polled
// with getFeed every feed_poll_interval until DONE, FATAL or CANCELLED, and the processing report
// decides each SKU's final outcome, delivered through the AsyncResultHandler.
#include <map>

#include "core/base/url.h"
#include "core/connector/amazon/amazon_connector.h"
#include "core/connector/amazon/amazon_internal.h"

namespace invsync::connector {

namespace ad = amazon_detail;

namespace {

// The upload's Content-Type must equal the contentType declared in createFeedDocument.
constexpr std::string_view kFeedContentType = "application/json; charset=UTF-8";

std::string feed_document(const std::string& seller_id, const auto& lines) {
  std::string doc;
  base::JsonWriter json(doc);
  json.begin_object();
  json.key("header").begin_object();
  json.field("sellerId", seller_id).field("version", "2.0");
  json.end_object();
  json.key("messages").begin_array();
  int64_t message_id = 0;
  for (const auto& line : lines) {
    json.begin_object();
    json.field("messageId", ++message_id);
    json.field("operationType", "PATCH");
    json.key("patches");
    ad::write_quantity_patches(json, line.quantity.units());
    json.field("productType", "PRODUCT");
    json.field("sku", line.sku.str());
    json.end_object();
  }
  json.end_array().end_object();
  return doc;
}

std::string string_field(const nlohmann::json& body, const char* key) {
  const auto it = body.find(key);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

struct AmazonConnector::FeedSubmission {
  std::vector<FeedLine> lines;
  PushCallback callback;
  std::string document;
  std::string document_id;
  std::string upload_url;
};

void AmazonConnector::push_feed(std::vector<PushItem> items, PushCallback callback) {
  auto sub = std::make_shared<FeedSubmission>();
  for (PushItem& item : items) sub->lines.push_back({item.listing.sku, item.quantity});
  sub->callback = std::move(callback);
  sub->document = feed_document(config_.seller_id, sub->lines);
  std::string body;
  base::JsonWriter(body).begin_object().field("contentType", kFeedContentType).end_object();
  send_api(make_request("POST", "/feeds/2021-06-30/documents", std::move(body)),
           [this, sub](base::Result<base::HttpResponse> r) {
             if (!r.ok() || !r.value().is_success()) {
               PushItemResult f = ad::failure_result(sub->lines[0].sku, r, default_retry_after());
               f.error = "createFeedDocument: " + f.error;
               fail_submission(*sub, std::move(f));
               return;
             }
             const auto json = ad::parse_object(r.value().body);
             sub->document_id = json ? string_field(*json, "feedDocumentId") : "";
             sub->upload_url = json ? string_field(*json, "url") : "";
             if (sub->document_id.empty() || !ad::split_absolute_url(sub->upload_url)) {
               fail_submission(*sub, {.sku = sub->lines[0].sku,
                                      .outcome = PushOutcome::kTransient,
                                      .http_status = r.value().status,
                                      .error = "createFeedDocument: unreadable response: " +
                                               ad::describe_response(r.value())});
               return;
             }
             upload_feed_document(sub);
           });
}

void AmazonConnector::upload_feed_document(std::shared_ptr<FeedSubmission> sub) {
  auto [base_url, target] = *ad::split_absolute_url(sub->upload_url);
  base::HttpRequest request;
  request.method = "PUT";
  request.base_url = std::move(base_url);
  request.target = std::move(target);
  request.timeout = config_.request_timeout;
  request.headers.set("content-type", std::string(kFeedContentType));
  request.headers.set("user-agent", config_.user_agent);
  request.body = std::move(sub->document);  // presigned: no access token
  deps_.api.send(std::move(request), guarded([this, sub](base::Result<base::HttpResponse> r) {
    if (!r.ok() || !r.value().is_success()) {
      PushItemResult f = ad::failure_result(sub->lines[0].sku, r, default_retry_after());
      // An expired or refused presigned URL is fixed by starting over, not by parking.
      if (f.outcome == PushOutcome::kPermanent) f.outcome = PushOutcome::kTransient;
      f.error = "feed document upload: " + f.error;
      fail_submission(*sub, std::move(f));
      return;
    }
    create_feed(sub);
  }));
}

void AmazonConnector::create_feed(std::shared_ptr<FeedSubmission> sub) {
  std::string body;
  base::JsonWriter writer(body);
  writer.begin_object();
  writer.field("feedType", "JSON_LISTINGS_FEED");
  writer.field("inputFeedDocumentId", sub->document_id);
  writer.key("marketplaceIds").begin_array().value(config_.marketplace_id).end_array();
  writer.end_object();
  send_api(make_request("POST", "/feeds/2021-06-30/feeds", std::move(body)),
           [this, sub](base::Result<base::HttpResponse> r) {
             const auto json = r.ok() && r.value().is_success() ? ad::parse_object(r.value().body)
                                                                : std::nullopt;
             const std::string feed_id = json ? string_field(*json, "feedId") : "";
             if (feed_id.empty()) {
               PushItemResult f = ad::failure_result(sub->lines[0].sku, r, default_retry_after());
               if (f.outcome == PushOutcome::kRateLimited) {
                 f.retry_after = std::max(f.retry_after, feed_cap_retry_after());
               }
               f.error = "createFeed: " + f.error;
               fail_submission(*sub, std::move(f));
               return;
             }
             const base::Instant now = deps_.clock.monotonic_now();
             feed_submissions_.push_back(now);
             while (feed_submissions_.size() >
                    static_cast<size_t>(config_.feed_submission_cap_count)) {
               feed_submissions_.pop_front();
             }
             std::vector<PushItemResult> results;
             for (const FeedLine& line : sub->lines) {
               results.push_back({.sku = line.sku,
                                  .outcome = PushOutcome::kAccepted,
                                  .http_status = r.value().status,
                                  .error = "feed " + feed_id});
             }
             track_feed(TrackedFeed{feed_id, std::move(sub->lines), now, "", {}});
             sub->callback(std::move(results));
           });
}

void AmazonConnector::fail_submission(const FeedSubmission& sub, PushItemResult failure) const {
  std::vector<PushItemResult> results;
  for (const FeedLine& line : sub.lines) {
    results.push_back(failure);
    results.back().sku = line.sku;
  }
  sub.callback(std::move(results));
}

base::Duration AmazonConnector::feed_cap_retry_after() const {
  const size_t cap = static_cast<size_t>(config_.feed_submission_cap_count);
  if (feed_submissions_.size() >= cap) {
    // The oldest of the last `cap` submissions leaves the window then.
    const base::Duration wait =
        feed_submissions_.front() + config_.feed_submission_window - deps_.clock.monotonic_now();
    if (wait > base::Duration::zero()) return wait;
  }
  return config_.feed_submission_window / static_cast<int64_t>(cap);
}

// --- tracking ---

void AmazonConnector::track_feed(TrackedFeed feed) {
  const std::string id = feed.feed_id;
  feeds_[id] = std::move(feed);
  schedule_feed_poll(id);
}

void AmazonConnector::schedule_feed_poll(const std::string& feed_id) {
  auto it = feeds_.find(feed_id);
  if (it == feeds_.end()) return;
  it->second.timer =
      deps_.scheduler.run_after(config_.feed_poll_interval, guarded([this, feed_id] {
        auto found = feeds_.find(feed_id);
        if (found == feeds_.end()) return;
        found->second.timer = {};
        poll_feed(feed_id);
      }));
}

void AmazonConnector::poll_feed(const std::string& feed_id) {
  const auto it = feeds_.find(feed_id);
  if (it == feeds_.end()) return;
  if (!it->second.result_document_id.empty()) {
    fetch_feed_report(feed_id);
    return;
  }
  send_api(make_request("GET", "/feeds/2021-06-30/feeds/" + base::percent_encode(feed_id), ""),
           [this, feed_id](base::Result<base::HttpResponse> r) { on_feed_status(feed_id, r); });
}

void AmazonConnector::on_feed_status(const std::string& feed_id,
                                     const base::Result<base::HttpResponse>& r) {
  const auto it = feeds_.find(feed_id);
  if (it == feeds_.end()) return;
  const auto json = r.ok() && r.value().is_success() ? ad::parse_object(r.value().body)
                                                     : std::nullopt;
  if (!json) {
    feed_not_settled(feed_id, "getFeed: " + (r.ok() ? ad::describe_response(r.value())
                                                    : r.status().message()));
    return;
  }
  const std::string status = string_field(*json, "processingStatus");
  if (status == "FATAL" || status == "CANCELLED") {
    finish_feed_as_one(feed_id, PushOutcome::kTransient, r.value().status,
                       "feed " + feed_id + " ended " + status);
    return;
  }
  if (status != "DONE") {
    feed_not_settled(feed_id, "feed is " + ad::clip(status));
    return;
  }
  it->second.result_document_id = string_field(*json, "resultFeedDocumentId");
  if (it->second.result_document_id.empty()) {
    finish_feed_as_one(feed_id, PushOutcome::kDone, r.value().status,
                       "feed " + feed_id + " DONE without a processing report");
    return;
  }
  fetch_feed_report(feed_id);
}

void AmazonConnector::fetch_feed_report(const std::string& feed_id) {
  const auto it = feeds_.find(feed_id);
  if (it == feeds_.end()) return;
  const std::string target = "/feeds/2021-06-30/documents/" +
                             base::percent_encode(it->second.result_document_id) +
                             "?enableContentEncodingUrlHeader=true";
  send_api(make_request("GET", target, ""), [this, feed_id](base::Result<base::HttpResponse> r) {
    const auto json = r.ok() && r.value().is_success() ? ad::parse_object(r.value().body)
                                                       : std::nullopt;
    const std::string url = json ? string_field(*json, "url") : "";
    if (!ad::split_absolute_url(url)) {
      feed_not_settled(feed_id, "getFeedDocument: " + (r.ok() ? ad::describe_response(r.value())
                                                              : r.status().message()));
      return;
    }
    download_feed_report(feed_id, url);
  });
}

namespace {

// Per line (messageId i + 1): its ERROR issues, or the feed-level ERROR issues when it has none.
std::vector<PushItemResult> results_from_report(const nlohmann::json& report, const auto& lines,
                                                const std::string& feed_id) {
  std::map<int64_t, std::string> errors_by_message;
  std::string feed_errors;
  const auto issues = report.find("issues");
  if (issues != report.end() && issues->is_array()) {
    for (const auto& issue : *issues) {
      if (!issue.is_object() || string_field(issue, "severity") != "ERROR") continue;
      const std::string text = string_field(issue, "code") + ": " + string_field(issue, "message");
      const auto id = issue.find("messageId");
      std::string& into = id != issue.end() && id->is_number_integer()
                              ? errors_by_message[id->template get<int64_t>()]
                              : feed_errors;
      into += (into.empty() ? "" : "; ") + text;
    }
  }
  std::vector<PushItemResult> results;
  int64_t message_id = 0;
  for (const auto& line : lines) {
    PushItemResult r{.sku = line.sku, .outcome = PushOutcome::kDone, .http_status = 200};
    const auto own = errors_by_message.find(++message_id);
    const std::string& error = own != errors_by_message.end() ? own->second : feed_errors;
    if (error.empty()) {
      r.channel_quantity = line.quantity;  // accepted: reconciliation reads verify it landed
    } else {
      r.outcome = PushOutcome::kPermanent;
      r.error = ad::clip("feed " + feed_id + " rejected: " + error);
    }
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace

void AmazonConnector::download_feed_report(const std::string& feed_id, const std::string& url) {
  auto [base_url, target] = *ad::split_absolute_url(url);
  base::HttpRequest request;
  request.method = "GET";
  request.base_url = std::move(base_url);
  request.target = std::move(target);
  request.timeout = config_.request_timeout;
  request.headers.set("user-agent", config_.user_agent);  // presigned: no access token
  deps_.api.send(std::move(request), guarded([this, feed_id](base::Result<base::HttpResponse> r) {
    const auto it = feeds_.find(feed_id);
    if (it == feeds_.end()) return;
    if (!r.ok() || !r.value().is_success()) {
      feed_not_settled(feed_id, "processing report download: " +
                                    (r.ok() ? ad::describe_response(r.value())
                                            : r.status().message()));
      return;
    }
    const std::string& body = r.value().body;
    const auto report = ad::parse_object(body);
    if (report) {
      finish_feed(feed_id, results_from_report(*report, it->second.lines, feed_id));
      return;
    }
    if (body.size() >= 2 && body[0] == '\x1f' && body[1] == '\x8b') {
      // A GZIP report the transport did not inflate: the feed is DONE but per-SKU issues are
      // unknown; kDone lets reconciliation reads find anything that was not applied.
      finish_feed_as_one(feed_id, PushOutcome::kDone, r.value().status,
                         "feed " + feed_id + " DONE; compressed report not read");
      return;
    }
    feed_not_settled(feed_id, "unreadable processing report");
  }));
}

void AmazonConnector::finish_feed_as_one(const std::string& feed_id, PushOutcome outcome,
                                         int32_t http_status, const std::string& error) {
  std::vector<PushItemResult> results;
  for (const FeedLine& line : feeds_.at(feed_id).lines) {
    PushItemResult result{.sku = line.sku, .outcome = outcome, .http_status = http_status,
                          .error = error};
    if (outcome == PushOutcome::kDone) result.channel_quantity = line.quantity;
    results.push_back(std::move(result));
  }
  finish_feed(feed_id, std::move(results));
}

void AmazonConnector::finish_feed(const std::string& feed_id,
                                  std::vector<PushItemResult> results) {
  const auto it = feeds_.find(feed_id);
  if (it == feeds_.end()) return;
  if (it->second.timer.value != 0) (void)deps_.scheduler.cancel(it->second.timer);
  feeds_.erase(it);
  if (async_handler_) async_handler_(std::move(results));
}

void AmazonConnector::feed_not_settled(const std::string& feed_id, const std::string& why) {
  const auto it = feeds_.find(feed_id);
  if (it == feeds_.end()) return;
  if (deps_.clock.monotonic_now() - it->second.submitted < config_.feed_track_max) {
    schedule_feed_poll(feed_id);
    return;
  }
  std::vector<PushItemResult> results;
  for (const FeedLine& line : it->second.lines) {
    results.push_back({.sku = line.sku,
                       .outcome = PushOutcome::kTransient,
                       .error = ad::clip("feed " + feed_id + " not settled after " +
                                         std::to_string(config_.feed_track_max.s()) +
                                         " s; last: " + why)});
  }
  finish_feed(feed_id, std::move(results));
}

}  // namespace invsync::connector
