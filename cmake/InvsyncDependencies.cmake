# Every dependency comes from Debian 12 packages (see ../shared/TOOLCHAIN.md section 2).
# libpqxx and cpp-httplib ship no CMake config: pkg-config IMPORTED_TARGETs carry their flags
# (cpp-httplib's -DCPPHTTPLIB_* flags are ABI-relevant: never link it without them).
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(Boost 1.74 REQUIRED)                  # Boost::headers (Asio is header-only)
find_package(OpenSSL 3 REQUIRED)                   # OpenSSL::Crypto
find_package(nlohmann_json 3.11 REQUIRED)          # nlohmann_json::nlohmann_json
find_package(simdjson 3 CONFIG REQUIRED)           # simdjson::simdjson: hot-path parsing
pkg_check_modules(PQXX REQUIRED IMPORTED_TARGET libpqxx>=6.4)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib>=0.11)
# tcmalloc (gperftools): the executables' allocator, not under a sanitizer (it brings its own).
# The simulator allocates millions of small strings and JSON nodes; glibc malloc was a fifth of it.
if(NOT INVSYNC_SANITIZE)
  pkg_check_modules(TCMALLOC REQUIRED IMPORTED_TARGET libtcmalloc_minimal)
endif()
if(INVSYNC_BUILD_TESTS)
  find_package(GTest REQUIRED)
  find_package(rapidcheck CONFIG REQUIRED)         # no version file: never pass a version
endif()
if(INVSYNC_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
