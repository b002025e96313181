// Pure translation between Etsy Open API v3 payloads and the connector's values: error bodies and
// statuses, the GET-edit-PUT plan for a listing's inventory, quantities from inventory reads, and
// order events from shop receipts. No I/O; internal to the Etsy connector (and its tests).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/http.h"
#include "core/base/result.h"
#include "core/connector/connector.h"
#include "core/domain/channel_id.h"
#include "core/domain/order_event.h"

namespace invsync::connector::etsy {

// "listing_id" of a listing's external ids JSON (a number or a numeric string), if valid.
std::optional<int64_t> listing_id_of(std::string_view external_ids_json);

// The `error` (and OAuth `error_description`) of an Etsy error body, or "HTTP <status>".
std::string error_message(const base::HttpResponse& response);
// `retry-after` in whole seconds, if present and numeric.
std::optional<base::Duration> retry_after_header(const base::HttpResponse& response);
// OK for 2xx; otherwise the Status that classifies the response: 429 kRateLimited (retry-after,
// else 1 s for the per-second limit, 1 h for the daily one), 401 kUnauthenticated,
// 403 kPermissionDenied, 404 kNotFound, other 4xx but 408/409 kInvalidArgument, else kUnavailable.
base::Status status_of_response(const base::HttpResponse& response);
// kRateLimited -> kRateLimited; input/auth/not-found errors -> kPermanent; else kTransient.
PushOutcome outcome_of(const base::Status& status);

struct SkuTarget {
  std::string sku;
  int64_t quantity = 0;  // already capped to 0..kEtsyOfferingQuantityMax
};

// What to send to bring a listing's inventory to the targets.
struct InventoryPlan {
  std::vector<std::string> missing_skus;  // targets with no product (or offering) on the listing
  bool put_needed = false;                // some offering quantity changes
  std::string put_body;                   // the complete updateListingInventory JSON body
  // After the change no offering holds real stock: one offering keeps 1 unit (placeholder_sku)
  // and the listing must be inactive.
  bool no_stock = false;
  std::string placeholder_sku;
  bool placeholder_cleared = false;  // a previous placeholder was put back to 0
  bool stock_returns = false;        // a target sets a quantity > 0
  bool sold_out = false;             // Etsy already shows every offering at 0: nothing to send
  std::optional<std::string> listing_state;  // from includes=Listing, when present
};

// `inventory_body` is getListingInventory's JSON. `placeholder_sku` (may be empty) is the SKU
// this connector left at 1 when it deactivated the listing. Keeps every other product as it is,
// drops read-only fields and turns Money prices into floats.
base::Result<InventoryPlan> plan_inventory_update(std::string_view inventory_body,
                                                  const std::vector<SkuTarget>& targets,
                                                  const std::string& placeholder_sku);

// One listing's quantities by SKU (summed over its offerings) and state when the body says.
struct ListingQuantities {
  std::map<std::string, int64_t> by_sku;
  std::optional<std::string> state;
};
base::Result<ListingQuantities> parse_inventory(std::string_view body);
// getListingsInventoryByListingIds: listing_id -> quantities.
base::Result<std::map<int64_t, ListingQuantities>> parse_batch_inventory(std::string_view body);

struct ReceiptPage {
  std::vector<domain::OrderEvent> events;
  int64_t result_count = 0;  // receipts on this page
  std::optional<int64_t> max_updated_unix_s;
};
// getShopReceipts: kSale per transaction; kSale + kCancel for cancelled receipts.
// kInvalidArgument when a receipt or transaction lacks what the events need.
base::Result<ReceiptPage> parse_receipts(std::string_view body, const domain::ChannelId& channel);

}  // namespace invsync::connector::etsy
