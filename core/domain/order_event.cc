#include "core/domain/order_event.h"

#include <functional>

#include "core/base/hash.h"

namespace invsync::domain {

size_t EventKeyHash::operator()(const EventKey& k) const {
  const std::hash<std::string_view> h;
  size_t seed = h(k.channel.str());
  seed = base::hash_combine(seed, h(k.external_order_id));
  seed = base::hash_combine(seed, h(k.line_key));
  return base::hash_combine(seed, static_cast<size_t>(k.kind));
}
namespace {

base::Status validate_text(std::string_view what, std::string_view text, size_t bytes_max,
                           bool allow_empty) {
  if (text.empty() && !allow_empty) return base::Status::invalid_argument(std::string(what) + " is empty");
  if (text.size() > bytes_max) {
    return base::Status::invalid_argument(std::string(what) + " is " + std::to_string(text.size()) +
                                          " bytes; the limit is " + std::to_string(bytes_max));
  }
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return base::Status::invalid_argument(std::string(what) + " contains a control character");
    }
  }
  return base::Status();
}

}  // namespace

std::string_view event_kind_name(EventKind k) {
  switch (k) {
    case EventKind::kSale: return "sale";
    case EventKind::kCancel: return "cancel";
    case EventKind::kRefundRestock: return "refund_restock";
    case EventKind::kRefundNoRestock: return "refund_no_restock";
    case EventKind::kRestock: return "restock";
    case EventKind::kAdjust: return "adjust";
  }
  return "unknown";
}

base::Result<EventKind> parse_event_kind(std::string_view name) {
  for (EventKind k : {EventKind::kSale, EventKind::kCancel, EventKind::kRefundRestock,
                      EventKind::kRefundNoRestock, EventKind::kRestock, EventKind::kAdjust}) {
    if (event_kind_name(k) == name) return k;
  }
  return base::Status::invalid_argument("unknown event kind '" + std::string(name) + "'");
}

std::string_view event_outcome_name(EventOutcome o) {
  switch (o) {
    case EventOutcome::kApplied: return "applied";
    case EventOutcome::kDuplicate: return "duplicate";
    case EventOutcome::kOversold: return "oversold";
    case EventOutcome::kUnknownSku: return "unknown_sku";
  }
  return "unknown";
}

base::Result<EventOutcome> parse_event_outcome(std::string_view name) {
  for (EventOutcome o : {EventOutcome::kApplied, EventOutcome::kDuplicate,
                         EventOutcome::kOversold, EventOutcome::kUnknownSku}) {
    if (event_outcome_name(o) == name) return o;
  }
  return base::Status::corruption("unknown event outcome '" + std::string(name) + "'");
}

base::Status validate_event(const OrderEvent& event) {
  INVSYNC_RETURN_IF_ERROR(validate_text("external order id", event.key.external_order_id,
                                        kExternalOrderIdBytesMax, false));
  INVSYNC_RETURN_IF_ERROR(validate_text("line key", event.key.line_key, kLineKeyBytesMax, false));
  INVSYNC_RETURN_IF_ERROR(validate_text("reason", event.reason, kReasonBytesMax, true));
  const int64_t q = event.quantity.units();
  if (q > kQuantityUnitsMax || q < -kQuantityUnitsMax) {
    return base::Status::invalid_argument("quantity " + std::to_string(q) + " is out of range");
  }
  if (event.key.kind == EventKind::kAdjust) {
    if (q == 0) return base::Status::invalid_argument("an adjustment needs a non-zero delta");
  } else if (q <= 0) {
    return base::Status::invalid_argument(std::string(event_kind_name(event.key.kind)) +
                                          " quantity must be positive, got " + std::to_string(q));
  }
  return base::Status();
}

EventEffect compute_event_effect(EventKind kind, Quantity quantity, Quantity master_before,
                                 std::optional<Quantity> returnable_units) {
  INVSYNC_ASSERT(!master_before.is_negative());
  EventEffect e;
  auto remove = [&](Quantity wanted) {
    INVSYNC_ASSERT(wanted > Quantity(0));
    const Quantity taken = min(wanted, master_before);
    e.delta = Quantity(0) - taken;
    e.result.applied_units = taken;
    e.result.oversold_units = wanted - taken;
    e.result.outcome = taken < wanted ? EventOutcome::kOversold : EventOutcome::kApplied;
  };
  auto add = [&](Quantity units) {
    INVSYNC_ASSERT(!units.is_negative());
    e.delta = units;
    e.result.applied_units = units;
    e.result.outcome = EventOutcome::kApplied;
  };
  switch (kind) {
    case EventKind::kSale:
      remove(quantity);
      break;
    case EventKind::kCancel:
    case EventKind::kRefundRestock:
      add(returnable_units ? max(Quantity(0), min(quantity, *returnable_units)) : quantity);
      break;
    case EventKind::kRefundNoRestock:
      add(Quantity(0));
      break;
    case EventKind::kRestock:
      add(quantity);
      break;
    case EventKind::kAdjust:
      if (quantity.is_negative()) {
        remove(Quantity(0) - quantity);
      } else {
        add(quantity);
      }
      break;
  }
  e.result.master_after = master_before + e.delta;
  INVSYNC_ASSERT(!e.result.master_after.is_negative());
  return e;
}

}  // namespace invsync::domain
