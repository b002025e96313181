#include "mocks/amazon/listings_feed.h"

#include <nlohmann/json.hpp>
#include <set>

namespace invsync::mocks::amazon {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// Issue codes: 90220 mirrors Amazon's "is required but not supplied"; the 40000xx codes are the
// mock's own for schema violations (Amazon's exact codes for these are not documented).
constexpr const char* kRequired = "90220";
constexpr const char* kInvalidValue = "4000001";
constexpr const char* kDuplicate = "4000002";
constexpr const char* kUnknownSku = "4000003";
constexpr const char* kFeedLevel = "4000004";

ListingIssue required(const std::string& name) {
  return {kRequired, "'" + name + "' is required but not supplied.", name};
}

// Reads a fulfillment_availability value array; the DEFAULT entry's quantity goes to *quantity.
void read_availability(const json& value, std::optional<int64_t>* quantity,
                       std::vector<ListingIssue>* issues) {
  const std::string attr = "fulfillment_availability";
  if (!value.is_array() || value.empty()) {
    issues->push_back({kInvalidValue, "'" + attr + "' must be a non-empty array.", attr});
    return;
  }
  for (const json& entry : value) {
    if (!entry.is_object() || !entry.contains("fulfillment_channel_code") ||
        !entry["fulfillment_channel_code"].is_string()) {
      issues->push_back(required(attr + ".fulfillment_channel_code"));
      continue;
    }
    if (entry["fulfillment_channel_code"] != "DEFAULT") continue;  // FBA/MLI codes: no effect
    const auto q = entry.find("quantity");
    if (q == entry.end() || !q->is_number_integer() || q->get<int64_t>() < 0) {
      issues->push_back(
          {kInvalidValue,
           "The value provided for '" + attr + ".quantity' must be a whole number of at least 0.",
           attr});
      continue;
    }
    *quantity = q->get<int64_t>();
  }
}

void validate_one_patch(const json& patch, std::optional<int64_t>* quantity,
                        std::vector<ListingIssue>* issues) {
  static const std::set<std::string> kOps = {"add", "replace", "merge", "delete"};
  if (!patch.is_object() || !patch.contains("op") || !patch["op"].is_string() ||
      kOps.count(patch["op"].get<std::string>()) == 0) {
    issues->push_back({kInvalidValue, "Each patch needs 'op': add, replace, merge or delete.", ""});
    return;
  }
  const auto path = patch.find("path");
  if (path == patch.end() || !path->is_string() ||
      path->get<std::string>().rfind("/attributes/", 0) != 0 ||
      path->get<std::string>().find('/', 12) != std::string::npos) {
    issues->push_back({kInvalidValue, "Only top-level attributes can be patched ('path').", ""});
    return;
  }
  const std::string op = patch["op"];
  if (op == "delete") return;
  const auto value = patch.find("value");
  if (value == patch.end() || !value->is_array()) {
    issues->push_back(required("value"));
    return;
  }
  if (*path == "/attributes/fulfillment_availability") read_availability(*value, quantity, issues);
}

}  // namespace

std::vector<ListingIssue> validate_patch(const json& body, std::optional<int64_t>* quantity) {
  std::vector<ListingIssue> issues;
  std::optional<int64_t> q;
  const auto type = body.find("productType");
  if (type == body.end() || !type->is_string() || type->get<std::string>().empty()) {
    issues.push_back(required("productType"));
  }
  const auto patches = body.find("patches");
  if (patches == body.end() || !patches->is_array() || patches->empty()) {
    issues.push_back(required("patches"));
  } else {
    for (const json& p : *patches) validate_one_patch(p, &q, &issues);
  }
  if (issues.empty()) *quantity = q;
  return issues;
}

namespace {

struct FeedRun {
  ordered_json issues = ordered_json::array();
  ListingsFeedOutcome out;
  std::set<int64_t> message_ids;
};

void add_issue(FeedRun* run, const json* message_id, const std::string& sku,
               const ListingIssue& issue) {
  ordered_json i;
  if (message_id != nullptr) i["messageId"] = *message_id;
  if (!sku.empty()) i["sku"] = sku;
  i["code"] = issue.code;
  i["severity"] = "ERROR";
  i["message"] = issue.message;
  if (!issue.attribute.empty()) i["attributeName"] = issue.attribute;
  run->issues.push_back(std::move(i));
}

// Validates one message: its issues, and the DEFAULT quantity it writes.
std::vector<ListingIssue> check_message(const json& m, FeedRun* run,
                                        std::optional<int64_t>* quantity) {
  const auto id = m.find("messageId");
  if (id == m.end() || !id->is_number_integer() || id->get<int64_t>() < 1 ||
      id->get<int64_t>() > 2'147'483'647) {
    return {required("messageId")};
  }
  if (!run->message_ids.insert(id->get<int64_t>()).second) {
    return {{kDuplicate,
             "messageId " + std::to_string(id->get<int64_t>()) +
                 " is used by more than one message in this feed.",
             ""}};
  }
  const auto sku = m.find("sku");
  if (sku == m.end() || !sku->is_string() || sku->get<std::string>().empty()) {
    return {required("sku")};
  }
  const std::string op = m.value("operationType", "");
  if (op == "PATCH") {
    if (m.contains("attributes") || m.contains("requirements")) {
      return {
          {kInvalidValue, "PATCH messages must not contain 'attributes' or 'requirements'.", ""}};
    }
    return validate_patch(m, quantity);
  }
  if (op == "UPDATE" || op == "PARTIAL_UPDATE") {
    std::vector<ListingIssue> issues;
    if (!m.contains("productType") || !m["productType"].is_string()) {
      issues.push_back(required("productType"));
    }
    if (!m.contains("attributes") || !m["attributes"].is_object()) {
      issues.push_back(required("attributes"));
    } else if (m["attributes"].contains("fulfillment_availability")) {
      read_availability(m["attributes"]["fulfillment_availability"], quantity, &issues);
    }
    return issues;
  }
  if (op == "DELETE") {
    if (m.size() != 3) return {{kInvalidValue, "DELETE messages take no other properties.", ""}};
    return {};
  }
  return {{kInvalidValue, "'operationType' must be UPDATE, PARTIAL_UPDATE, PATCH or DELETE.", ""}};
}

void process_message(const json& m, FeedRun* run,
                     const std::function<bool(const std::string&)>& sku_known) {
  const json* id = m.is_object() && m.contains("messageId") ? &m["messageId"] : nullptr;
  const std::string sku =
      m.is_object() && m.contains("sku") && m["sku"].is_string() ? m["sku"].get<std::string>() : "";
  std::optional<int64_t> quantity;
  std::vector<ListingIssue> issues;
  if (!m.is_object()) {
    issues.push_back({kInvalidValue, "Each message must be a JSON object.", ""});
  } else {
    issues = check_message(m, run, &quantity);
  }
  if (issues.empty() && !sku_known(sku)) {
    issues.push_back({kUnknownSku, "SKU '" + sku + "' was not found for this seller.", ""});
  }
  for (const auto& issue : issues) add_issue(run, id, sku, issue);
  if (!issues.empty()) {
    ++run->out.invalid;
    return;
  }
  ++run->out.accepted;
  if (quantity) run->out.updates.push_back({id->get<int64_t>(), sku, *quantity});
}

// A reason the whole document is rejected, or empty.
std::string document_problem(const json& doc, const std::string& seller_id) {
  if (!doc.is_object()) return "The feed document is not a valid JSON object.";
  const auto header = doc.find("header");
  if (header == doc.end() || !header->is_object()) return "'header' is required but not supplied.";
  if (!header->contains("version") || (*header)["version"] != "2.0") {
    return "'header.version' is required and must be \"2.0\".";
  }
  if (!header->contains("sellerId") || (*header)["sellerId"] != seller_id) {
    return "'header.sellerId' must be the selling partner submitting the feed.";
  }
  const auto messages = doc.find("messages");
  if (messages == doc.end() || !messages->is_array() || messages->empty()) {
    return "'messages' is required and must contain at least 1 message.";
  }
  if (messages->size() > static_cast<size_t>(kMaxFeedMessages)) {
    return "'messages' contains " + std::to_string(messages->size()) +
           " messages; the maximum is 25000.";
  }
  return "";
}

}  // namespace

ListingsFeedOutcome process_listings_feed(
    std::string_view document, const std::string& seller_id, const std::string& feed_id,
    const std::function<bool(const std::string&)>& sku_known) {
  FeedRun run;
  const json doc = json::parse(document, nullptr, false);
  const std::string problem = document_problem(doc, seller_id);
  if (!problem.empty()) {
    run.out.fatal = true;
    add_issue(&run, nullptr, "", {kFeedLevel, problem, ""});
  } else {
    for (const json& m : doc["messages"]) process_message(m, &run, sku_known);
  }
  ordered_json report;
  report["header"] = {{"sellerId", seller_id}, {"version", "2.0"}, {"feedId", feed_id}};
  report["issues"] = run.issues;
  ordered_json summary;
  summary["errors"] = run.issues.size();
  summary["warnings"] = 0;
  summary["messagesProcessed"] = run.out.accepted + run.out.invalid;
  summary["messagesAccepted"] = run.out.accepted;
  summary["messagesInvalid"] = run.out.invalid;
  report["summary"] = summary;
  run.out.report_json = report.dump();
  return std::move(run.out);
}

}  // namespace invsync::mocks::amazon
