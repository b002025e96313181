// Validation shared by patchListingsItem and JSON_LISTINGS_FEED (schema v2 in
// shared/platforms/openapi/amazon/listings-feed-*-v2.json), and the feed's processing: one
// document in, the processing report {header, issues, summary} and the accepted quantity writes
// out. Only fulfillment_availability with fulfillment_channel_code DEFAULT changes stock; other
// attributes are accepted and have no effect in the mock.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace invsync::mocks::amazon {

inline constexpr int64_t kMaxFeedMessages = 25'000;

struct ListingIssue {
  std::string code;
  std::string message;
  std::string attribute;  // empty when the issue is not about one attribute
};

// Checks `productType` and `patches` of a PATCH body or feed message. Sets *quantity to the
// DEFAULT quantity written, if any (only when there are no issues).
std::vector<ListingIssue> validate_patch(const nlohmann::json& body,
                                         std::optional<int64_t>* quantity);

struct ListingsFeedUpdate {
  int64_t message_id = 0;
  std::string sku;
  int64_t quantity = 0;
};

struct ListingsFeedOutcome {
  bool fatal = false;       // the document as a whole was rejected (the report says why)
  std::string report_json;  // the processing report
  std::vector<ListingsFeedUpdate> updates;  // accepted DEFAULT quantity writes, in message order
  int64_t accepted = 0;
  int64_t invalid = 0;
};

ListingsFeedOutcome process_listings_feed(std::string_view document, const std::string& seller_id,
                                          const std::string& feed_id,
                                          const std::function<bool(const std::string&)>& sku_known);

}  // namespace invsync::mocks::amazon
