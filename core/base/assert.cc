#include "core/base/assert.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace invsync::base {
namespace {
std::mutex& context_mutex() {
  static std::mutex m;
  return m;
}
std::string& context_text() {
  static std::string text;
  return text;
}
}  // namespace

void set_assert_context(std::string context) {
  std::lock_guard lock(context_mutex());
  context_text() = std::move(context);
}

void assert_fail(const char* expression, const char* file, int line) {
  std::fprintf(stderr, "invsync: assertion failed: %s at %s:%d\n", expression, file, line);
  {
    std::lock_guard lock(context_mutex());
    if (!context_text().empty()) std::fprintf(stderr, "invsync: %s\n", context_text().c_str());
  }
  std::fflush(stderr);
  std::abort();
}

}  // namespace invsync::base
