#include "core/app/explain_format.h"

#include <cstdio>

namespace invsync::app {
namespace {

std::string opt_quantity(const std::optional<domain::Quantity>& q) {
  return q ? std::to_string(q->units()) : "-";
}
std::string opt_time(const std::optional<base::WallTime>& t) {
  return t ? base::format_iso8601_utc(*t) : "-";
}

void line(std::string* out, const char* fmt, auto... args) {
  char buf[512];
  std::snprintf(buf, sizeof buf, fmt, args...);
  *out += buf;
  *out += '\n';
}

}  // namespace

std::string format_explanation(const store::Explanation& x) {
  std::string out;
  line(&out, "SKU %s: master %lld (version %lld, updated %s)", x.product.sku.str().c_str(),
       static_cast<long long>(x.product.master.units()), static_cast<long long>(x.product.version),
       base::format_iso8601_utc(x.product.updated_at).c_str());
  line(&out, "%-22s %9s %9s %9s %-21s %9s %-21s", "channel", "sellable", "rules", "pushed",
       "pushed at", "reported", "reported at");
  for (const auto& l : x.listings) {
    const auto sellable = domain::sellable_quantity(x.product.master, l.rules);
    char rules[64];
    std::snprintf(rules, sizeof rules, "b%lld/%u%%", static_cast<long long>(l.rules.buffer_units),
                  l.rules.share_percent);
    line(&out, "%-22s %9lld %9s %9s %-21s %9s %-21s", l.channel.str().c_str(),
         static_cast<long long>(sellable.units()), rules, opt_quantity(l.last_pushed).c_str(),
         opt_time(l.last_pushed_at).c_str(), opt_quantity(l.last_reported).c_str(),
         opt_time(l.last_reported_at).c_str());
  }
  line(&out, "outbox (%zu jobs):", x.jobs.size());
  for (const auto& j : x.jobs) {
    line(&out, "  %-22s %-8s priority %4d attempt %d due %s%s%s", j.channel.str().c_str(),
         std::string(store::job_state_name(j.state)).c_str(), j.priority, j.attempt,
         base::format_iso8601_utc(j.due_at).c_str(), j.park_reason.empty() ? "" : " parked: ",
         j.park_reason.c_str());
  }
  line(&out, "recent events (newest first):");
  for (const auto& e : x.recent_events) {
    line(&out, "  %s %-22s order %-18s line %-6s %-17s qty %4lld -> %-9s applied %lld oversold %lld",
         base::format_iso8601_utc(e.received_at).c_str(), e.key.channel.str().c_str(),
         e.key.external_order_id.c_str(), e.key.line_key.c_str(),
         std::string(domain::event_kind_name(e.key.kind)).c_str(),
         static_cast<long long>(e.quantity.units()),
         std::string(domain::event_outcome_name(e.outcome)).c_str(),
         static_cast<long long>(e.applied_units.units()),
         static_cast<long long>(e.oversold_units.units()));
  }
  line(&out, "recent pushes (newest first):");
  for (const auto& s : x.recent_log) {
    line(&out, "  %s %-22s sent %lld -> HTTP %d %s attempt %d %lld ms %s",
         base::format_iso8601_utc(s.at).c_str(), s.channel.str().c_str(),
         static_cast<long long>(s.quantity_sent.units()), s.http_status, s.outcome.c_str(),
         s.attempt, static_cast<long long>(s.latency_ms), s.error.c_str());
  }
  line(&out, "recent alerts (newest first):");
  for (const auto& a : x.recent_alerts) {
    line(&out, "  %s %s %s: %s", base::format_iso8601_utc(a.at).c_str(),
         a.channel ? a.channel->str().c_str() : "-", a.kind.c_str(), a.message.c_str());
  }
  return out;
}

}  // namespace invsync::app
