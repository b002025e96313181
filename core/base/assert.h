// INVSYNC_ASSERT: checks for programmer errors that stay on in every build (release included).
// A failed assertion prints the condition, file and line, plus whatever context was installed
// (the simulator installs its seed and a reproduce line), then aborts. Never assert on external
// input: bad input is a Status.
#pragma once

#include <string>

namespace invsync::base {

[[noreturn]] void assert_fail(const char* expression, const char* file, int line);

// Extra text printed on every assertion failure, e.g. "seed=42 reproduce: ...". Process-wide by
// necessity (an abort has no caller to return context to); set once by executables, not by core.
void set_assert_context(std::string context);

}  // namespace invsync::base

#define INVSYNC_ASSERT(cond)                                     \
  do {                                                           \
    if (!(cond)) [[unlikely]] {                                  \
      ::invsync::base::assert_fail(#cond, __FILE__, __LINE__);   \
    }                                                            \
  } while (false)
