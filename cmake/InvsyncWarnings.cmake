# invsync_warnings: warnings-as-errors for our own code only (linked PRIVATE by every target).
add_library(invsync_warnings INTERFACE)
add_library(invsync::warnings ALIAS invsync_warnings)
target_compile_options(invsync_warnings INTERFACE
  -Wall -Wextra -Wpedantic
  -Wshadow                 # a local hiding a member is how stale values get pushed
  -Wnon-virtual-dtor       # interfaces are deleted through base pointers
  -Wimplicit-fallthrough   # every switch case ends deliberately
  -Wnull-dereference
  -Wno-missing-field-initializers  # designated initializers with member defaults are our idiom
  -Wno-maybe-uninitialized         # GCC 12 false positives inside std::variant/optional at -O2
  -Werror)
