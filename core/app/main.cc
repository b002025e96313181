// The `invsync` executable: operations against the PostgreSQL source of truth.
//   invsync db migrate                     apply pending schema migrations
//   invsync stock set SKU N [--reason R]   set the master count (recorded as an adjustment)
//   invsync explain SKU                    why each channel shows what it shows
//   invsync demo-race [--seed N] [--skus N] [--orders N]
//   invsync serve --config FILE            the sync service (core/app/serve.h)
// The database comes from DATABASE_URL (never from the command line, so it stays out of `ps`).
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "core/app/explain_format.h"
#include "core/app/serve.h"
#include "core/app/store_race_demo.h"
#include "core/runtime/system_clock.h"
#include "core/store/pg/pg_store.h"

namespace {

using invsync::base::Status;

constexpr const char* kUsage =
    "usage: invsync COMMAND\n"
    "  db migrate                      apply pending schema migrations\n"
    "  stock set SKU N [--reason R]    set the master count of SKU to N\n"
    "  explain SKU                     show the count, each channel's view and recent history\n"
    "  demo-race [--seed N] [--skus N] [--orders N]\n"
    "                                  four channels sell at once against PostgreSQL\n"
    "  serve --config FILE             run the sync service (webhooks, lanes, admin API)\n"
    "environment: DATABASE_URL (required), INVSYNC_SCHEMA (default public); serve also reads\n"
    "  the admin token and connector secrets from the variables its config names\n";

int fail(const Status& st) {
  std::fprintf(stderr, "invsync: %s\n", st.to_string().c_str());
  return 1;
}

int usage_error(const std::string& message) {
  std::fprintf(stderr, "invsync: %s\n%s", message.c_str(), kUsage);
  return 2;
}

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : std::string(fallback);
}

bool parse_int(const std::string& text, int64_t* out) {
  if (text.empty()) return false;
  size_t used = 0;
  try {
    *out = std::stoll(text, &used, 10);
  } catch (const std::exception&) {
    return false;
  }
  return used == text.size();
}

// Parses "--name value" pairs after the positional arguments into `flags`.
bool parse_flags(const std::vector<std::string>& args, size_t from,
                 std::vector<std::pair<std::string, std::string>>* flags, std::string* error) {
  for (size_t i = from; i < args.size(); i += 2) {
    if (args[i].rfind("--", 0) != 0 || i + 1 >= args.size()) {
      *error = "expected --flag VALUE, got '" + args[i] + "'";
      return false;
    }
    flags->emplace_back(args[i].substr(2), args[i + 1]);
  }
  return true;
}

invsync::base::Result<std::unique_ptr<invsync::store::PgStore>> open_store() {
  const std::string url = env_or("DATABASE_URL", "");
  if (url.empty()) return Status::invalid_argument("DATABASE_URL is not set");
  return invsync::store::PgStore::connect({.url = url, .schema = env_or("INVSYNC_SCHEMA", "public")});
}

int cmd_migrate() {
  auto store = open_store();
  if (!store.ok()) return fail(store.status());
  auto applied = (*store)->migrate();
  if (!applied.ok()) return fail(applied.status());
  if (applied->empty()) std::printf("schema is up to date\n");
  for (int32_t v : *applied) std::printf("applied migration %04d\n", v);
  return 0;
}

int cmd_stock_set(const std::vector<std::string>& args) {
  if (args.size() < 4) return usage_error("stock set needs SKU and N");
  auto sku = invsync::domain::Sku::parse(args[2]);
  if (!sku.ok()) return fail(sku.status());
  int64_t n = 0;
  if (!parse_int(args[3], &n)) return usage_error("N must be a whole number, got '" + args[3] + "'");
  std::vector<std::pair<std::string, std::string>> flags;
  std::string error;
  if (!parse_flags(args, 4, &flags, &error)) return usage_error(error);
  std::string reason = "set by invsync stock set";
  for (const auto& [k, v] : flags) {
    if (k != "reason") return usage_error("unknown flag --" + k);
    reason = v;
  }
  auto store = open_store();
  if (!store.ok()) return fail(store.status());
  invsync::runtime::SystemClock clock;
  std::random_device rd;
  const std::string request_id = "cli-" + std::to_string(rd()) + std::to_string(rd());
  auto r = (*store)->set_stock(*sku, invsync::domain::Quantity(n), reason, request_id,
                               clock.wall_now());
  if (!r.ok()) return fail(r.status());
  std::printf("%s: master %lld\n", sku->str().c_str(), static_cast<long long>(r->master_after.units()));
  return 0;
}

int cmd_explain(const std::vector<std::string>& args) {
  if (args.size() != 2) return usage_error("explain needs exactly one SKU");
  auto sku = invsync::domain::Sku::parse(args[1]);
  if (!sku.ok()) return fail(sku.status());
  auto store = open_store();
  if (!store.ok()) return fail(store.status());
  auto x = (*store)->explain(*sku, 20);
  if (!x.ok()) return fail(x.status());
  std::fputs(invsync::app::format_explanation(*x).c_str(), stdout);
  return 0;
}

int cmd_demo_race(const std::vector<std::string>& args) {
  invsync::app::StoreRaceOptions o;
  o.database_url = env_or("DATABASE_URL", "");
  if (o.database_url.empty()) return fail(Status::invalid_argument("DATABASE_URL is not set"));
  std::vector<std::pair<std::string, std::string>> flags;
  std::string error;
  if (!parse_flags(args, 1, &flags, &error)) return usage_error(error);
  for (const auto& [k, v] : flags) {
    int64_t n = 0;
    if (!parse_int(v, &n) || n < 0) return usage_error("--" + k + " needs a whole number >= 0");
    if (k == "seed") {
      o.seed = static_cast<uint64_t>(n);
    } else if (k == "skus" && n >= 1 && n <= 10000) {
      o.sku_count = static_cast<int32_t>(n);
    } else if (k == "orders" && n >= 1 && n <= 1000000) {
      o.orders_per_channel = static_cast<int32_t>(n);
    } else {
      return usage_error("unknown flag or value out of range: --" + k + " " + v);
    }
  }
  Status st = invsync::app::run_store_race_demo(o);
  return st.ok() ? 0 : fail(st);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "db" && args.size() == 2 && args[1] == "migrate") return cmd_migrate();
  if (args[0] == "stock" && args.size() >= 2 && args[1] == "set") return cmd_stock_set(args);
  if (args[0] == "explain") return cmd_explain(args);
  if (args[0] == "demo-race") return cmd_demo_race(args);
  if (args[0] == "serve") {
    if (args.size() != 3 || args[1] != "--config") return usage_error("serve needs --config FILE");
    return invsync::app::run_serve(args[2]);
  }
  return usage_error("unknown command '" + args[0] + "'");
}
