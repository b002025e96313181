#include "core/runtime/log_alert_sink.h"

#include <cstdio>
#include <string>

namespace invsync::runtime {

void LogAlertSink::raise(const store::Alert& alert) {
  const std::string channel = alert.channel ? alert.channel->str() : "-";
  const std::string sku = alert.sku ? alert.sku->str() : "-";
  std::fprintf(stderr, "invsync: ALERT kind=%s channel=%s sku=%s at=%s message=%s\n",
               alert.kind.c_str(), channel.c_str(), sku.c_str(),
               base::format_iso8601_utc(alert.at).c_str(), alert.message.c_str());
  if (next_ != nullptr) next_->raise(alert);
}

}  // namespace invsync::runtime
