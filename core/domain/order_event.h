// OrderEvent: one change to a SKU's true count, as reported by a channel or a person: a sale, a
// cancellation, a refund with or without restock, a restock, or a manual adjustment. Its
// idempotency key (channel, external order id, line key, kind) makes at-least-once delivery
// safe: the same key applied twice changes nothing the second time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/result.h"
#include "core/domain/channel_id.h"
#include "core/domain/quantity.h"
#include "core/domain/sku.h"

namespace invsync::domain {

enum class EventKind : uint8_t {
  kSale,             // units leave: the channel sold them
  kCancel,           // a sale was cancelled before fulfilment: its units come back
  kRefundRestock,    // refunded and returned to stock
  kRefundNoRestock,  // refunded, goods not back in stock: recorded, count unchanged
  kRestock,          // goods received (purchase order, return to warehouse)
  kAdjust,           // manual correction by a signed delta (damage, cycle count)
};

std::string_view event_kind_name(EventKind k);
base::Result<EventKind> parse_event_kind(std::string_view name);

inline constexpr size_t kExternalOrderIdBytesMax = 128;
inline constexpr size_t kLineKeyBytesMax = 64;
inline constexpr size_t kReasonBytesMax = 256;

struct EventKey {
  ChannelId channel;
  std::string external_order_id;  // the platform's order / receipt / PO id
  std::string line_key;           // the line within it (line item id, transaction id, "1")
  EventKind kind = EventKind::kSale;

  friend bool operator==(const EventKey&, const EventKey&) = default;
  friend auto operator<=>(const EventKey&, const EventKey&) = default;
};

struct EventKeyHash {
  size_t operator()(const EventKey& k) const;
};

struct OrderEvent {
  EventKey key;
  Sku sku;
  // Units for every kind; > 0 except kAdjust, where it is a non-zero signed delta.
  Quantity quantity;
  std::string reason;  // free text for people (adjustments); may be empty
};

// Why the event cannot be applied as given (empty or over-long ids, non-positive quantity...).
base::Status validate_event(const OrderEvent& event);

// What applying an event did to the master count.
enum class EventOutcome : uint8_t {
  kApplied,     // the change took effect in full
  kDuplicate,   // this key was applied before; nothing changed
  kOversold,    // fewer units existed than the event removes: oversold_units were not there
  kUnknownSku,  // no such product; nothing changed and nothing recorded
};

std::string_view event_outcome_name(EventOutcome o);
base::Result<EventOutcome> parse_event_outcome(std::string_view name);

struct EventResult {
  EventOutcome outcome = EventOutcome::kApplied;
  // Units actually removed (sale, negative adjust) or added (cancel, refund with restock,
  // restock, positive adjust). Zero for duplicates, unknown SKUs and refunds without restock.
  Quantity applied_units;
  // Units the event wanted to remove that did not exist (outcome kOversold only).
  Quantity oversold_units;
  // The master count after this event (unchanged for duplicates; zero for unknown SKUs).
  Quantity master_after;

  friend bool operator==(const EventResult&, const EventResult&) = default;
};

// The pure rule for one new (non-duplicate) event on a known SKU. `returnable_units` is, for
// kCancel and kRefundRestock, how many units of the matching sale line (same channel, order and
// line) are still unreturned, or nullopt when no such sale is known (a cancel that overtook its
// order): then the full quantity is credited, so the late sale nets out to zero.
struct EventEffect {
  Quantity delta;  // the change to master: negative for removals
  EventResult result;
};
EventEffect compute_event_effect(EventKind kind, Quantity quantity, Quantity master_before,
                                 std::optional<Quantity> returnable_units);

}  // namespace invsync::domain
