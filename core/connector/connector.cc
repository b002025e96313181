#include "core/connector/connector.h"

namespace invsync::connector {

std::string_view push_outcome_name(PushOutcome o) {
  switch (o) {
    case PushOutcome::kDone: return "done";
    case PushOutcome::kAccepted: return "accepted";
    case PushOutcome::kConflict: return "conflict";
    case PushOutcome::kRateLimited: return "rate_limited";
    case PushOutcome::kTransient: return "transient";
    case PushOutcome::kPermanent: return "permanent";
  }
  return "unknown";
}

}  // namespace invsync::connector
