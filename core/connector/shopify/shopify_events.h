// Internal to the Shopify connector: maps Shopify's order and refund resources (webhook bodies
// and orders.json pages) to OrderEvents. One event per line: kSale for every tracked line item,
// kCancel for the same lines when the order is cancelled, and kRefundRestock/kRefundNoRestock per
// refund line (line_key = the order line's id, so the store matches it to its sale). Includes
// simdjson (shopify_json.h): include this header only from the connector's .cc files.
#pragma once

#include <optional>
#include <vector>

#include "core/base/status.h"
#include "core/connector/shopify/shopify_json.h"
#include "core/domain/channel_id.h"
#include "core/domain/order_event.h"

namespace invsync::connector::shopify_detail {

// An order resource. `cancelled` forces kCancel events (the orders/cancelled topic) even when
// cancelled_at is missing; refunds inside the order are mapped too. kInvalidArgument when a
// required field is missing or a tracked line has no valid SKU.
base::Status append_order_events(const domain::ChannelId& channel, const JsonValue& order,
                                 bool cancelled, std::vector<domain::OrderEvent>* out);

// A refund resource (refunds/create); `order_line_items` (may be absent) supplies SKUs for refund
// lines that do not embed their line_item; `order_id`, when given, is the id of the order the
// refund sits in (used when the refund has no order_id of its own).
base::Status append_refund_events(const domain::ChannelId& channel, const JsonValue& refund,
                                  const JsonValue& order_line_items,
                                  std::vector<domain::OrderEvent>* out,
                                  std::optional<int64_t> order_id = std::nullopt);

}  // namespace invsync::connector::shopify_detail
