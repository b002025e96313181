#include "mocks/amazon/listings_feed.h"

#include <simdjson.h>

#include <nlohmann/json.hpp>
#include <set>

#include "core/base/json_writer.h"

namespace invsync::mocks::amazon {
namespace {

using nlohmann::json;
namespace dom = simdjson::dom;

// Issue codes: 90220 mirrors Amazon's "is required but not supplied"; the 40000xx codes are the
// mock's own for schema violations (Amazon's exact codes for these are not documented).
constexpr const char* kRequired = "90220";
constexpr const char* kInvalidValue = "4000001";
constexpr const char* kDuplicate = "4000002";
constexpr const char* kUnknownSku = "4000003";
constexpr const char* kFeedLevel = "4000004";

// --- reading a parsed document ---
// The checks below are written once over two views of a parsed JSON value: NlohmannValue
// (patchListingsItem bodies, and feed documents simdjson does not take) and SimdValue (feed
// documents, large, parsed with simdjson). Both answer as nlohmann does: of repeated keys the
// last counts, an object's size counts distinct keys, an integer is any 64-bit one (unsigned ones
// above INT64_MAX read back wrapped, as get<int64_t>() does), string_or() throws nlohmann's
// type_error for a member that is not a string, and json_text() is nlohmann's dump().

class NlohmannValue {
 public:
  explicit NlohmannValue(const json& value) : value_(&value) {}

  bool is_object() const { return value_->is_object(); }
  bool is_array() const { return value_->is_array(); }
  bool is_string() const { return value_->is_string(); }
  bool is_integer() const { return value_->is_number_integer(); }
  int64_t integer() const { return value_->get<int64_t>(); }
  std::string_view string() const { return value_->get_ref<const std::string&>(); }
  size_t size() const { return value_->size(); }
  std::optional<NlohmannValue> find(std::string_view key) const {
    const auto it = value_->find(key);
    if (it == value_->end()) return std::nullopt;
    return NlohmannValue(*it);
  }
  template <typename F>
  void for_each_item(F f) const {
    for (const json& item : *value_) f(NlohmannValue(item));
  }
  std::string string_or(std::string_view key, std::string_view fallback) const {
    return value_->value(key, std::string(fallback));
  }
  std::string json_text() const { return value_->dump(); }

 private:
  const json* value_;
};

// nlohmann's reading of a simdjson value (for the rare answers only nlohmann can give exactly).
json to_nlohmann(dom::element value) {
  switch (value.type()) {
    case dom::element_type::OBJECT: {
      json out = json::object();
      for (const dom::key_value_pair member : dom::object(value)) {
        out[std::string(member.key)] = to_nlohmann(member.value);
      }
      return out;
    }
    case dom::element_type::ARRAY: {
      json out = json::array();
      for (const dom::element item : dom::array(value)) out.push_back(to_nlohmann(item));
      return out;
    }
    case dom::element_type::STRING:
      return std::string(std::string_view(value));
    case dom::element_type::INT64:
      return int64_t(value);
    case dom::element_type::UINT64:
      return uint64_t(value);
    case dom::element_type::DOUBLE:
      return double(value);
    case dom::element_type::BOOL:
      return bool(value);
    case dom::element_type::NULL_VALUE:
      break;
  }
  return nullptr;
}

class SimdValue {
 public:
  explicit SimdValue(dom::element value) : value_(value) {}

  bool is_object() const { return value_.type() == dom::element_type::OBJECT; }
  bool is_array() const { return value_.type() == dom::element_type::ARRAY; }
  bool is_string() const { return value_.type() == dom::element_type::STRING; }
  bool is_integer() const {
    return value_.type() == dom::element_type::INT64 || value_.type() == dom::element_type::UINT64;
  }
  int64_t integer() const {
    return value_.type() == dom::element_type::UINT64 ? static_cast<int64_t>(uint64_t(value_))
                                                      : int64_t(value_);
  }
  std::string_view string() const { return std::string_view(value_); }
  size_t size() const {
    if (is_array()) return dom::array(value_).size();
    if (!is_object()) return value_.type() == dom::element_type::NULL_VALUE ? 0 : 1;
    const dom::object object(value_);
    size_t distinct = 0;
    for (auto it = object.begin(); it != object.end(); ++it) {
      auto later = it;
      bool repeated = false;
      for (++later; later != object.end() && !repeated; ++later) repeated = later.key() == it.key();
      if (!repeated) ++distinct;
    }
    return distinct;
  }
  std::optional<SimdValue> find(std::string_view key) const {
    if (!is_object()) return std::nullopt;
    std::optional<SimdValue> found;
    for (const dom::key_value_pair member : dom::object(value_)) {
      if (member.key == key) found = SimdValue(member.value);
    }
    return found;
  }
  template <typename F>
  void for_each_item(F f) const {
    for (const dom::element item : dom::array(value_)) f(SimdValue(item));
  }
  std::string string_or(std::string_view key, std::string_view fallback) const {
    const std::optional<SimdValue> member = find(key);
    if (!member) return std::string(fallback);
    if (member->is_string()) return std::string(member->string());
    return to_nlohmann(member->value_).get<std::string>();  // throws, as json::value() does
  }
  std::string json_text() const {
    if (value_.type() == dom::element_type::INT64) return std::to_string(int64_t(value_));
    if (value_.type() == dom::element_type::UINT64) return std::to_string(uint64_t(value_));
    return to_nlohmann(value_).dump();
  }

 private:
  dom::element value_;
};

template <typename V>
bool is_string_equal(const std::optional<V>& value, std::string_view text) {
  return value && value->is_string() && value->string() == text;
}

// --- checks ---

ListingIssue required(const std::string& name) {
  return {kRequired, "'" + name + "' is required but not supplied.", name};
}

// Reads a fulfillment_availability value array; the DEFAULT entry's quantity goes to *quantity.
template <typename V>
void read_availability(const V& value, std::optional<int64_t>* quantity,
                       std::vector<ListingIssue>* issues) {
  const std::string attr = "fulfillment_availability";
  if (!value.is_array() || value.size() == 0) {
    issues->push_back({kInvalidValue, "'" + attr + "' must be a non-empty array.", attr});
    return;
  }
  value.for_each_item([&](const V& entry) {
    const std::optional<V> code = entry.find("fulfillment_channel_code");
    if (!entry.is_object() || !code || !code->is_string()) {
      issues->push_back(required(attr + ".fulfillment_channel_code"));
      return;
    }
    if (code->string() != "DEFAULT") return;  // FBA/MLI codes: no effect
    const std::optional<V> q = entry.find("quantity");
    if (!q || !q->is_integer() || q->integer() < 0) {
      issues->push_back(
          {kInvalidValue,
           "The value provided for '" + attr + ".quantity' must be a whole number of at least 0.",
           attr});
      return;
    }
    *quantity = q->integer();
  });
}

template <typename V>
void validate_one_patch(const V& patch, std::optional<int64_t>* quantity,
                        std::vector<ListingIssue>* issues) {
  static const std::set<std::string_view> kOps = {"add", "replace", "merge", "delete"};
  const std::optional<V> op = patch.find("op");
  if (!patch.is_object() || !op || !op->is_string() || kOps.count(op->string()) == 0) {
    issues->push_back({kInvalidValue, "Each patch needs 'op': add, replace, merge or delete.", ""});
    return;
  }
  const std::optional<V> path = patch.find("path");
  if (!path || !path->is_string() || !path->string().starts_with("/attributes/") ||
      path->string().find('/', 12) != std::string_view::npos) {
    issues->push_back({kInvalidValue, "Only top-level attributes can be patched ('path').", ""});
    return;
  }
  if (op->string() == "delete") return;
  const std::optional<V> value = patch.find("value");
  if (!value || !value->is_array()) {
    issues->push_back(required("value"));
    return;
  }
  if (path->string() == "/attributes/fulfillment_availability") {
    read_availability(*value, quantity, issues);
  }
}

template <typename V>
std::vector<ListingIssue> check_patch(const V& body, std::optional<int64_t>* quantity) {
  std::vector<ListingIssue> issues;
  std::optional<int64_t> q;
  const std::optional<V> type = body.find("productType");
  if (!type || !type->is_string() || type->string().empty()) {
    issues.push_back(required("productType"));
  }
  const std::optional<V> patches = body.find("patches");
  if (!patches || !patches->is_array() || patches->size() == 0) {
    issues.push_back(required("patches"));
  } else {
    patches->for_each_item([&](const V& p) { validate_one_patch(p, &q, &issues); });
  }
  if (issues.empty()) *quantity = q;
  return issues;
}

}  // namespace

std::vector<ListingIssue> validate_patch(const json& body, std::optional<int64_t>* quantity) {
  return check_patch(NlohmannValue(body), quantity);
}

namespace {

struct FeedRun {
  explicit FeedRun(base::JsonWriter& report_writer) : report(report_writer) {}
  base::JsonWriter& report;  // the processing report, within its issues array
  size_t issue_count = 0;
  ListingsFeedOutcome out;
  std::set<int64_t> message_ids;
};

// `message_id` is the message's messageId as JSON text, or empty.
void add_issue(FeedRun* run, const std::string& message_id, const std::string& sku,
               const ListingIssue& issue) {
  base::JsonWriter& report = run->report;
  report.begin_object();
  if (!message_id.empty()) report.key("messageId").raw(message_id);
  if (!sku.empty()) report.field("sku", sku);
  report.field("code", issue.code);
  report.field("severity", "ERROR");
  report.field("message", issue.message);
  if (!issue.attribute.empty()) report.field("attributeName", issue.attribute);
  report.end_object();
  ++run->issue_count;
}

// Validates one message: its issues, and the DEFAULT quantity it writes.
template <typename V>
std::vector<ListingIssue> check_message(const V& m, FeedRun* run,
                                        std::optional<int64_t>* quantity) {
  const std::optional<V> id = m.find("messageId");
  if (!id || !id->is_integer() || id->integer() < 1 || id->integer() > 2'147'483'647) {
    return {required("messageId")};
  }
  if (!run->message_ids.insert(id->integer()).second) {
    return {{kDuplicate,
             "messageId " + std::to_string(id->integer()) +
                 " is used by more than one message in this feed.",
             ""}};
  }
  const std::optional<V> sku = m.find("sku");
  if (!sku || !sku->is_string() || sku->string().empty()) return {required("sku")};
  const std::string op = m.string_or("operationType", "");
  if (op == "PATCH") {
    if (m.find("attributes") || m.find("requirements")) {
      return {
          {kInvalidValue, "PATCH messages must not contain 'attributes' or 'requirements'.", ""}};
    }
    return check_patch(m, quantity);
  }
  if (op == "UPDATE" || op == "PARTIAL_UPDATE") {
    std::vector<ListingIssue> issues;
    const std::optional<V> type = m.find("productType");
    if (!type || !type->is_string()) issues.push_back(required("productType"));
    const std::optional<V> attributes = m.find("attributes");
    if (!attributes || !attributes->is_object()) {
      issues.push_back(required("attributes"));
    } else if (const std::optional<V> fa = attributes->find("fulfillment_availability")) {
      read_availability(*fa, quantity, &issues);
    }
    return issues;
  }
  if (op == "DELETE") {
    if (m.size() != 3) return {{kInvalidValue, "DELETE messages take no other properties.", ""}};
    return {};
  }
  return {{kInvalidValue, "'operationType' must be UPDATE, PARTIAL_UPDATE, PATCH or DELETE.", ""}};
}

template <typename V>
void process_message(const V& m, FeedRun* run,
                     const std::function<bool(const std::string&)>& sku_known) {
  const std::optional<V> id = m.is_object() ? m.find("messageId") : std::nullopt;
  const std::optional<V> sku_value = m.is_object() ? m.find("sku") : std::nullopt;
  const std::string sku =
      sku_value && sku_value->is_string() ? std::string(sku_value->string()) : "";
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
  if (!issues.empty()) {
    const std::string id_text = id ? id->json_text() : "";
    for (const auto& issue : issues) add_issue(run, id_text, sku, issue);
    ++run->out.invalid;
    return;
  }
  ++run->out.accepted;
  if (quantity) run->out.updates.push_back({id->integer(), sku, *quantity});
}

// A reason the whole document is rejected, or empty.
template <typename V>
std::string document_problem(const V& doc, const std::string& seller_id) {
  if (!doc.is_object()) return "The feed document is not a valid JSON object.";
  const std::optional<V> header = doc.find("header");
  if (!header || !header->is_object()) return "'header' is required but not supplied.";
  if (!is_string_equal(header->find("version"), "2.0")) {
    return "'header.version' is required and must be \"2.0\".";
  }
  if (!is_string_equal(header->find("sellerId"), seller_id)) {
    return "'header.sellerId' must be the selling partner submitting the feed.";
  }
  const std::optional<V> messages = doc.find("messages");
  if (!messages || !messages->is_array() || messages->size() == 0) {
    return "'messages' is required and must contain at least 1 message.";
  }
  if (messages->size() > static_cast<size_t>(kMaxFeedMessages)) {
    return "'messages' contains " + std::to_string(messages->size()) +
           " messages; the maximum is 25000.";
  }
  return "";
}

template <typename V>
void process_document(const V& doc, const std::string& seller_id, FeedRun* run,
                      const std::function<bool(const std::string&)>& sku_known) {
  const std::string problem = document_problem(doc, seller_id);
  if (!problem.empty()) {
    run->out.fatal = true;
    add_issue(run, "", "", {kFeedLevel, problem, ""});
    return;
  }
  doc.find("messages")->for_each_item([&](const V& m) { process_message(m, run, sku_known); });
}

}  // namespace

ListingsFeedOutcome process_listings_feed(
    std::string_view document, const std::string& seller_id, const std::string& feed_id,
    const std::function<bool(const std::string&)>& sku_known) {
  std::string report;
  base::JsonWriter writer(report);
  writer.begin_object();
  writer.key("header").begin_object();
  writer.field("sellerId", seller_id).field("version", "2.0").field("feedId", feed_id);
  writer.end_object();
  writer.key("issues").begin_array();
  FeedRun run(writer);
  thread_local dom::parser parser;
  dom::element root;
  if (parser.parse(document.data(), document.size()).get(root) == simdjson::SUCCESS) {
    process_document(SimdValue(root), seller_id, &run, sku_known);
  } else {
    // Not JSON, or JSON simdjson does not take (a byte order mark, a NUL ending the text,
    // integers beyond 64 bits, nesting deeper than 1024): nlohmann judges it.
    const json doc = json::parse(document, nullptr, false);
    process_document(NlohmannValue(doc), seller_id, &run, sku_known);
  }
  writer.end_array();
  writer.key("summary").begin_object();
  writer.field("errors", static_cast<uint64_t>(run.issue_count));
  writer.field("warnings", 0);
  writer.field("messagesProcessed", run.out.accepted + run.out.invalid);
  writer.field("messagesAccepted", run.out.accepted);
  writer.field("messagesInvalid", run.out.invalid);
  writer.end_object().end_object();
  run.out.report_json = std::move(report);
  return std::move(run.out);
}

}  // namespace invsync::mocks::amazon
