#include "core/store/memory_store.h"

#include <algorithm>

#include "core/base/hash.h"

namespace invsync::store {

using base::Result;
using base::Status;
using domain::EventKind;
using domain::EventOutcome;
using domain::EventResult;
using domain::Quantity;

size_t MemoryStore::LineKeyHash::operator()(const LineKey& k) const {
  const std::hash<std::string_view> h;
  return base::hash_combine(base::hash_combine(h(k.channel), h(k.order)), h(k.line));
}

ChannelListing* MemoryStore::find_listing(const domain::ChannelId& channel, const domain::Sku& sku) {
  auto state = channels_.find(channel.str());
  if (state == channels_.end()) return nullptr;
  auto it = state->second.listings.find(sku.str());
  return it == state->second.listings.end() ? nullptr : &it->second;
}

void MemoryStore::set_unavailable(bool unavailable) {
  std::lock_guard lock(mu_);
  unavailable_ = unavailable;
}

Status MemoryStore::check_available() const {
  if (unavailable_) return Status::unavailable("store unavailable (injected fault)");
  return Status();
}

Result<int64_t> MemoryStore::upsert_products(std::span<const ProductSpec> products,
                                             base::WallTime now) {
  std::lock_guard lock(mu_);
  INVSYNC_RETURN_IF_ERROR(check_available());
  for (const ProductSpec& p : products) {
    if (p.initial_quantity.is_negative() || p.initial_quantity.units() > domain::kQuantityUnitsMax) {
      return Status::invalid_argument("initial quantity of " + p.sku.str() + " must be 0.." +
                                      std::to_string(domain::kQuantityUnitsMax));
    }
  }
  int64_t created = 0;
  for (const ProductSpec& p : products) {
    if (products_.count(p.sku.str()) != 0) continue;
    products_.emplace(p.sku.str(), Product{p.sku, p.initial_quantity, 0, now.truncated_to_us()});
    ++created;
  }
  return created;
}

Status MemoryStore::upsert_listing(const ChannelListing& listing) {
  std::lock_guard lock(mu_);
  INVSYNC_RETURN_IF_ERROR(check_available());
  INVSYNC_RETURN_IF_ERROR(domain::validate_rules(listing.rules));
  if (listing.channel.platform() == domain::Platform::kManual) {
    return Status::invalid_argument("manual is not a sales channel");
  }
  if (products_.count(listing.sku.str()) == 0) {
    return Status::not_found("unknown sku " + listing.sku.str());
  }
  ChannelState& state = channels_[listing.channel.str()];
  auto it = state.listings.find(listing.sku.str());
  if (it == state.listings.end()) {
    ChannelListing fresh = listing;
    fresh.last_pushed.reset();
    fresh.last_pushed_at.reset();
    fresh.last_reported.reset();
    fresh.last_reported_at.reset();
    state.listings.emplace(listing.sku.str(), std::move(fresh));
    state.listings_by_sku.clear();  // rebuilt by the next listings_for_channel
  } else {
    it->second.external_ids_json = listing.external_ids_json;
    it->second.rules = listing.rules;
  }
  return Status();
}

EventResult MemoryStore::apply_one(const domain::OrderEvent& e, base::WallTime now) {
  auto product_it = products_.find(e.sku.str());
  if (product_it == products_.end()) {
    return EventResult{.outcome = EventOutcome::kUnknownSku};
  }
  Product& product = product_it->second;
  // One lookup both checks for a duplicate and reserves the key for the event recorded below.
  if (!event_index_.try_emplace(e.key, events_.size()).second) {
    return EventResult{.outcome = EventOutcome::kDuplicate, .master_after = product.master};
  }
  std::optional<Quantity> returnable;
  const bool is_return = e.key.kind == EventKind::kCancel || e.key.kind == EventKind::kRefundRestock;
  std::pair<Quantity, Quantity>* line_units = nullptr;  // the line's sold, returned (returns only)
  if (is_return) {
    line_units = &line_units_[LineKey{e.key.channel.str(), e.key.external_order_id, e.key.line_key}];
    auto sale_it = event_index_.find(domain::EventKey{e.key.channel, e.key.external_order_id,
                                                      e.key.line_key, EventKind::kSale});
    if (sale_it != event_index_.end()) {
      returnable = events_[sale_it->second].applied_units - line_units->second;
    }
  }
  domain::EventEffect effect;
  if (skip_stock_check_ && e.key.kind == EventKind::kSale) {
    effect.delta = Quantity(0) - e.quantity;
    effect.result = EventResult{.outcome = EventOutcome::kApplied, .applied_units = e.quantity,
                                .master_after = product.master + effect.delta};
  } else {
    effect = domain::compute_event_effect(e.key.kind, e.quantity, max(product.master, Quantity(0)),
                                          returnable);
  }
  product.master = product.master + effect.delta;
  if (!skip_stock_check_) INVSYNC_ASSERT(!product.master.is_negative());
  if (!effect.delta.is_zero()) {
    product.version += 1;
    product.updated_at = now.truncated_to_us();
  }
  if (is_return) line_units->second += effect.result.applied_units;
  events_.push_back(RecordedEvent{e.key, e.sku, e.quantity, effect.result.outcome,
                                  effect.result.applied_units, effect.result.oversold_units,
                                  e.reason, now.truncated_to_us()});
  if (e.key.kind == EventKind::kSale) record_sale(e.sku.str(), now, e.quantity);
  const int32_t priority = domain::push_priority_for_stock(product.master);
  for (auto& [channel, state] : channels_) {  // in channel order, as the contract's listings
    auto listing = state.listings.find(e.sku.str());
    if (listing != state.listings.end()) {
      enqueue_locked(state, listing->second.channel, e.sku, priority, now);
    }
  }
  return effect.result;
}

Result<std::vector<EventResult>> MemoryStore::apply_orders(
    std::span<const domain::OrderEvent> events, base::WallTime now) {
  std::lock_guard lock(mu_);
  INVSYNC_RETURN_IF_ERROR(check_available());
  for (const auto& e : events) INVSYNC_RETURN_IF_ERROR(domain::validate_event(e));
  std::vector<EventResult> results;
  results.reserve(events.size());
  for (const auto& e : events) results.push_back(apply_one(e, now));
  return results;
}

Result<EventResult> MemoryStore::set_stock(const domain::Sku& sku, Quantity quantity,
                                           const std::string& reason,
                                           const std::string& request_id, base::WallTime now) {
  std::lock_guard lock(mu_);
  INVSYNC_RETURN_IF_ERROR(check_available());
  if (quantity.is_negative() || quantity.units() > domain::kQuantityUnitsMax) {
    return Status::invalid_argument("stock must be 0.." + std::to_string(domain::kQuantityUnitsMax));
  }
  auto product_it = products_.find(sku.str());
  if (product_it == products_.end()) return Status::not_found("unknown sku " + sku.str());
  // Validate the key with a representative non-zero delta; the recorded delta may be zero.
  domain::OrderEvent probe{{manual_channel(), request_id, "1", EventKind::kAdjust}, sku,
                           Quantity(1), reason};
  INVSYNC_RETURN_IF_ERROR(domain::validate_event(probe));
  const Quantity delta = quantity - product_it->second.master;
  if (delta.is_zero()) {
    if (event_index_.count(probe.key) != 0) {
      return EventResult{.outcome = EventOutcome::kDuplicate, .master_after = quantity};
    }
    event_index_.emplace(probe.key, events_.size());
    events_.push_back(RecordedEvent{probe.key, sku, Quantity(0), EventOutcome::kApplied,
                                    Quantity(0), Quantity(0), reason, now.truncated_to_us()});
    return EventResult{.outcome = EventOutcome::kApplied, .master_after = quantity};
  }
  probe.quantity = delta;
  return apply_one(probe, now);
}

void MemoryStore::enqueue_locked(ChannelState& state, const domain::ChannelId& channel,
                                 const domain::Sku& sku, int32_t priority, base::WallTime due_at) {
  const base::WallTime due = due_at.truncated_to_us();
  auto it = state.jobs.find(sku.str());
  if (it == state.jobs.end()) {
    state.jobs.emplace(sku.str(), PushJob{.channel = channel, .sku = sku, .priority = priority,
                                          .due_at = due, .change_seq = 1});
    return;
  }
  PushJob& job = it->second;
  job.priority = std::max(job.priority, priority);
  if (job.attempt == 0) job.due_at = std::min(job.due_at, due);
  job.change_seq += 1;
}

Status MemoryStore::enqueue_push(const domain::ChannelId& channel, const domain::Sku& sku,
                                 int32_t priority, base::WallTime due_at) {
  std::lock_guard lock(mu_);
  INVSYNC_RETURN_IF_ERROR(check_available());
  if (priority < 0 || priority > domain::kPushPriorityMax) {
    return Status::invalid_argument("priority must be 0.." + std::to_string(domain::kPushPriorityMax));
  }
  if (find_listing(channel, sku) == nullptr) {
    return Status::not_found("no listing of " + sku.str() + " on " + channel.str());
  }
  enqueue_locked(channels_.find(channel.str())->second, channel, sku, priority, due_at);
  return Status();
}

Result<std::vector<JobClaim>> MemoryStore::claim_due(const domain::ChannelId& channel,
                                                     base::WallTime now,
                                                     const ClaimOptions& options) {
  std::lock_guard lock(mu_);
  INVSYNC_RETURN_IF_ERROR(check_available());
  INVSYNC_RETURN_IF_ERROR(validate_claim_options(options));
  now = now.truncated_to_us();
  struct Candidate {
    PushJob* job = nullptr;
    bool aged = false;
    bool hot = false;
  };
  std::vector<Candidate> due;
  auto state = channels_.find(channel.str());
  if (state == channels_.end()) return std::vector<JobClaim>{};
  for (auto& [sku, job] : state->second.jobs) {
    const bool pending_due = job.state == JobState::kPending && job.due_at <= now;
    const bool lease_expired = job.state == JobState::kClaimed && job.claimed_until <= now;
    if (!pending_due && !lease_expired) continue;
    const bool aged = options.aging_bound && job.due_at < now - *options.aging_bound;
    due.push_back({&job, aged, hot_skus_.count(job.sku.str()) != 0});
  }
  // The contract's order: aged by due time, then priority, hot, due time; SKU breaks ties.
  const auto before = [](const Candidate& a, const Candidate& b) {
    if (a.aged != b.aged) return a.aged;
    if (!a.aged) {
      if (a.job->priority != b.job->priority) return a.job->priority > b.job->priority;
      if (a.hot != b.hot) return a.hot;
    }
    if (a.job->due_at != b.job->due_at) return a.job->due_at < b.job->due_at;
    return a.job->sku < b.job->sku;
  };
  const size_t take = std::min(due.size(), static_cast<size_t>(options.count_max));
  std::partial_sort(due.begin(), due.begin() + static_cast<std::ptrdiff_t>(take), due.end(),
                    before);
  due.resize(take);
  std::vector<JobClaim> claims;
  claims.reserve(take);
  for (const Candidate& c : due) {
    PushJob* job = c.job;
    INVSYNC_ASSERT(job->channel == channel);
    claims.push_back(JobClaim{job->channel, job->sku, job->priority, job->due_at, job->attempt,
                              job->change_seq, job->claim_token + 1, c.hot});
    job->state = JobState::kClaimed;
    job->claimed_until = (now + options.lease).truncated_to_us();
    job->claim_token += 1;
    job->due_at = now;  // what changes after this waits from here (see the contract)
  }
  return claims;
}

void MemoryStore::record_sale(const std::string& sku, base::WallTime at, Quantity units) {
  const int64_t day = utc_day_of(at.truncated_to_us());
  auto& days = units_by_day_[sku];
  auto it = std::lower_bound(days.begin(), days.end(), std::pair<int64_t, int64_t>{day, 0},
                             [](const auto& a, const auto& b) { return a.first < b.first; });
  if (it != days.end() && it->first == day) {
    it->second += units.units();
  } else {
    days.insert(it, {day, units.units()});
  }
  // Keep only what the longest window can ask for (the newest day recorded sets the horizon).
  const int64_t oldest = days.back().first - kVelocityWindowDaysMax + 1;
  while (!days.empty() && days.front().first < oldest) days.erase(days.begin());
  INVSYNC_ASSERT(!days.empty());
  INVSYNC_ASSERT(days.size() <= static_cast<size_t>(kVelocityWindowDaysMax));
}

Result<int64_t> MemoryStore::refresh_velocity(base::WallTime now, base::Duration window,
                                              int32_t top_percent) {
  std::lock_guard lock(mu_);
  INVSYNC_RETURN_IF_ERROR(check_available());
  auto range = velocity_days(now.truncated_to_us(), window);
  if (!range.ok()) return range.status();
  if (top_percent < 0 || top_percent > 100) {
    return Status::invalid_argument("top_percent must be 0..100");
  }
  std::vector<std::pair<int64_t, const std::string*>> sold;  // (units, sku)
  for (const auto& [sku, days] : units_by_day_) {
    int64_t units = 0;
    for (const auto& [day, n] : days) {
      if (day >= range->first_day && day <= range->last_day) units += n;
    }
    if (units > 0) sold.emplace_back(units, &sku);
  }
  const int64_t products = static_cast<int64_t>(products_.size());
  const auto hot_max = static_cast<size_t>((products * top_percent + 99) / 100);  // rounded up
  const size_t hot_count = std::min(sold.size(), hot_max);
  const auto more = [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first > b.first;
    return *a.second < *b.second;
  };
  std::partial_sort(sold.begin(), sold.begin() + static_cast<std::ptrdiff_t>(hot_count),
                    sold.end(), more);
  hot_skus_.clear();
  for (size_t i = 0; i < hot_count; ++i) hot_skus_.insert(*sold[i].second);
  INVSYNC_ASSERT(hot_skus_.size() == hot_count);
  return static_cast<int64_t>(hot_count);
}

PushJob* MemoryStore::claimed_job(const JobClaim& claim, Status* error) {
  auto state = channels_.find(claim.channel.str());
  PushJob* job = nullptr;
  if (state != channels_.end()) {
    auto it = state->second.jobs.find(claim.sku.str());
    if (it != state->second.jobs.end()) job = &it->second;
  }
  if (job == nullptr || job->state != JobState::kClaimed || job->claim_token != claim.claim_token) {
    *error = Status::failed_precondition("lease on " + claim.channel.str() + "/" + claim.sku.str() +
                                         " was lost");
    return nullptr;
  }
  return job;
}

Result<bool> MemoryStore::complete(const JobClaim& claim) {
  std::lock_guard lock(mu_);
  INVSYNC_RETURN_IF_ERROR(check_available());
  Status error;
  PushJob* job = claimed_job(claim, &error);
  if (job == nullptr) return error;
  if (job->change_seq == claim.change_seq) {
    channels_.find(claim.channel.str())->second.jobs.erase(claim.sku.str());
    return true;
  }
  job->state = JobState::kPending;
  job->claimed_until.reset();
  job->attempt = 0;
  return false;
}

Status MemoryStore::reschedule(const JobClaim& claim, base::WallTime due_at,
                               const std::string& error_text, bool count_attempt) {
  std::lock_guard lock(mu_);
  INVSYNC_RETURN_IF_ERROR(check_available());
  Status error;
  PushJob* job = claimed_job(claim, &error);
  if (job == nullptr) return error;
  job->state = JobState::kPending;
  job->claimed_until.reset();
  job->due_at = due_at.truncated_to_us();
  if (count_attempt) job->attempt += 1;
  job->last_error = error_text;
  return Status();
}

Status MemoryStore::park(const JobClaim& claim, const std::string& reason) {
  std::lock_guard lock(mu_);
  INVSYNC_RETURN_IF_ERROR(check_available());
  Status error;
  PushJob* job = claimed_job(claim, &error);
  if (job == nullptr) return error;
  job->state = JobState::kParked;
  job->claimed_until.reset();
  job->park_reason = reason;
  return Status();
}

Result<int64_t> MemoryStore::unpark(const domain::ChannelId& channel, base::WallTime due_at) {
  std::lock_guard lock(mu_);
  INVSYNC_RETURN_IF_ERROR(check_available());
  int64_t count = 0;
  auto state = channels_.find(channel.str());
  if (state == channels_.end()) return int64_t{0};
  for (auto& [sku, job] : state->second.jobs) {
    if (job.state != JobState::kParked) continue;
    job.state = JobState::kPending;
    job.attempt = 0;
    job.due_at = due_at.truncated_to_us();
    job.park_reason.clear();
    ++count;
  }
  return count;
}

Result<int64_t> MemoryStore::release_backoff(const domain::ChannelId& channel, base::WallTime now) {
  std::lock_guard lock(mu_);
  INVSYNC_RETURN_IF_ERROR(check_available());
  now = now.truncated_to_us();
  int64_t count = 0;
  auto state = channels_.find(channel.str());
  if (state == channels_.end()) return int64_t{0};
  for (auto& [sku, job] : state->second.jobs) {
    if (job.state != JobState::kPending || job.attempt == 0 || job.due_at <= now) continue;
    job.due_at = now;
    ++count;
  }
  return count;
}

Result<std::vector<PushJob>> MemoryStore::list_jobs(
    const std::optional<domain::ChannelId>& channel) {
  std::lock_guard lock(mu_);
  INVSYNC_RETURN_IF_ERROR(check_available());
  std::vector<PushJob> out;
  for (const auto& [id, state] : channels_) {
    if (channel && id != channel->str()) continue;
    const size_t first = out.size();
    for (const auto& [sku, job] : state.jobs) out.push_back(job);
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
              [](const PushJob& a, const PushJob& b) { return a.sku < b.sku; });
  }
  return out;  // by (channel, sku)
}

Status MemoryStore::record_pushed(const domain::ChannelId& channel, const domain::Sku& sku,
                                  Quantity quantity, base::WallTime at) {
  std::lock_guard lock(mu_);
  INVSYNC_RETURN_IF_ERROR(check_available());
  ChannelListing* listing = find_listing(channel, sku);
  if (listing == nullptr) return Status::not_found("no listing of " + sku.str() + " on " + channel.str());
  listing->last_pushed = quantity;
  listing->last_pushed_at = at.truncated_to_us();
  return Status();
}

Status MemoryStore::record_reported(const domain::ChannelId& channel, const domain::Sku& sku,
                                    Quantity quantity, base::WallTime at) {
  std::lock_guard lock(mu_);
  INVSYNC_RETURN_IF_ERROR(check_available());
  ChannelListing* listing = find_listing(channel, sku);
  if (listing == nullptr) return Status::not_found("no listing of " + sku.str() + " on " + channel.str());
  listing->last_reported = quantity;
  listing->last_reported_at = at.truncated_to_us();
  return Status();
}

Status MemoryStore::append_sync_log(std::span<const SyncLogEntry> entries) {
  std::lock_guard lock(mu_);
  INVSYNC_RETURN_IF_ERROR(check_available());
  for (SyncLogEntry e : entries) {
    e.at = e.at.truncated_to_us();
    log_.push_back(std::move(e));
    if (log_.size() > kHistoryRowsMax) log_.pop_front();
  }
  return Status();
}

Status MemoryStore::append_alert(const Alert& alert) {
  std::lock_guard lock(mu_);
  INVSYNC_RETURN_IF_ERROR(check_available());
  Alert a = alert;
  a.at = a.at.truncated_to_us();
  alerts_.push_back(std::move(a));
  if (alerts_.size() > kHistoryRowsMax) alerts_.pop_front();
  return Status();
}

Result<Product> MemoryStore::product(const domain::Sku& sku) {
  std::lock_guard lock(mu_);
  INVSYNC_RETURN_IF_ERROR(check_available());
  auto it = products_.find(sku.str());
  if (it == products_.end()) return Status::not_found("unknown sku " + sku.str());
  Product p = it->second;
  p.velocity_hot = hot_skus_.count(p.sku.str()) != 0;
  return p;
}

Result<std::vector<ChannelListing>> MemoryStore::listings_for_sku(const domain::Sku& sku) {
  std::lock_guard lock(mu_);
  INVSYNC_RETURN_IF_ERROR(check_available());
  std::vector<ChannelListing> out;
  for (const auto& [channel, state] : channels_) {  // channel order
    auto it = state.listings.find(sku.str());
    if (it != state.listings.end()) out.push_back(it->second);
  }
  return out;
}

Result<std::vector<ChannelListing>> MemoryStore::listings_for_channel(
    const domain::ChannelId& channel) {
  std::lock_guard lock(mu_);
  INVSYNC_RETURN_IF_ERROR(check_available());
  std::vector<ChannelListing> out;
  auto state = channels_.find(channel.str());
  if (state == channels_.end()) return out;
  std::vector<const ChannelListing*>& by_sku = state->second.listings_by_sku;
  if (by_sku.size() != state->second.listings.size()) {  // a listing was added since
    by_sku.clear();
    for (const auto& [sku, listing] : state->second.listings) by_sku.push_back(&listing);
    std::sort(by_sku.begin(), by_sku.end(),
              [](const ChannelListing* a, const ChannelListing* b) { return a->sku < b->sku; });
  }
  out.reserve(by_sku.size());
  for (const ChannelListing* listing : by_sku) out.push_back(*listing);
  return out;  // ordered by SKU
}

Result<std::vector<RecordedEvent>> MemoryStore::events_for_sku(const domain::Sku& sku,
                                                               int32_t rows_max) {
  std::lock_guard lock(mu_);
  INVSYNC_RETURN_IF_ERROR(check_available());
  std::vector<RecordedEvent> out;
  for (const RecordedEvent& e : events_) {
    if (out.size() >= static_cast<size_t>(std::max(rows_max, 0))) break;
    if (e.sku == sku) out.push_back(e);
  }
  return out;
}

Result<Explanation> MemoryStore::explain(const domain::Sku& sku, int32_t rows_max) {
  std::lock_guard lock(mu_);
  INVSYNC_RETURN_IF_ERROR(check_available());
  auto product_it = products_.find(sku.str());
  if (product_it == products_.end()) return Status::not_found("unknown sku " + sku.str());
  const size_t limit = static_cast<size_t>(std::max(rows_max, 0));
  Explanation x{.product = product_it->second};
  x.product.velocity_hot = hot_skus_.count(sku.str()) != 0;
  for (const auto& [channel, state] : channels_) {
    auto it = state.listings.find(sku.str());
    if (it != state.listings.end()) x.listings.push_back(it->second);
  }
  for (auto it = events_.rbegin(); it != events_.rend() && x.recent_events.size() < limit; ++it) {
    if (it->sku == sku) x.recent_events.push_back(*it);
  }
  for (const auto& [channel, state] : channels_) {
    auto it = state.jobs.find(sku.str());
    if (it != state.jobs.end()) x.jobs.push_back(it->second);
  }
  for (auto it = log_.rbegin(); it != log_.rend() && x.recent_log.size() < limit; ++it) {
    if (it->sku == sku) x.recent_log.push_back(*it);
  }
  for (auto it = alerts_.rbegin(); it != alerts_.rend() && x.recent_alerts.size() < limit; ++it) {
    if (it->sku && *it->sku == sku) x.recent_alerts.push_back(*it);
  }
  return x;
}

}  // namespace invsync::store
