// EngineDeps: the seams every part of the sync core is handed (DESIGN.md "The seams"), bundled so
// constructors stay short. All references are borrowed and must outlive the objects using them.
#pragma once

#include "core/base/clock.h"
#include "core/base/prng.h"
#include "core/base/scheduler.h"
#include "core/store/inventory_store.h"
#include "core/sync/alert_sink.h"

namespace invsync::sync {

struct EngineDeps {
  base::Clock& clock;
  base::Scheduler& scheduler;
  base::Prng& prng;
  store::InventoryStore& store;
  AlertSink& alerts;
};

}  // namespace invsync::sync
