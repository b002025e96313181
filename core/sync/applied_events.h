// AppliedEventsHook: what the order intake (webhook ingest, order poller) calls after the store
// applied a batch of events: the events and their results, index for index. The service uses it
// to poke the lanes and to tell each lane what its own channel sold (see Lane::note_applied).
#pragma once

#include <functional>
#include <span>

#include "core/domain/order_event.h"

namespace invsync::sync {

using AppliedEventsHook = std::function<void(std::span<const domain::OrderEvent> events,
                                             std::span<const domain::EventResult> results)>;

}  // namespace invsync::sync
