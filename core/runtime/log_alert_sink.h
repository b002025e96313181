// LogAlertSink: writes each alert as one line to stderr ("invsync: ALERT kind=... channel=...
// sku=... message=...") and forwards it to `next` if given (the Slack sink). Used by the service
// so an operator sees every alert in the log even when Slack is not configured or unreachable.
// Runs on the event-loop thread like every AlertSink.
#pragma once

#include "core/sync/alert_sink.h"

namespace invsync::runtime {

class LogAlertSink final : public sync::AlertSink {
 public:
  explicit LogAlertSink(sync::AlertSink* next) : next_(next) {}
  void raise(const store::Alert& alert) override;

 private:
  sync::AlertSink* next_ = nullptr;
};

}  // namespace invsync::runtime
