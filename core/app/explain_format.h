// Renders store::Explanation as the text `invsync explain SKU` prints: the master count, what each
// channel was last told and last showed, jobs in the outbox, and the recent history behind them.
#pragma once

#include <string>

#include "core/store/records.h"

namespace invsync::app {

std::string format_explanation(const store::Explanation& x);

}  // namespace invsync::app
