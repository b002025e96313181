// invsync-mock: serves the four platform mocks over HTTP on loopback from a JSON config.
//   invsync-mock CONFIG.json
// Prints one JSON line with the bound ports ({"shopify": 41001, ..., "control": 41005}) and then
// serves until SIGINT or SIGTERM. A bad config exits 2 with the path of the offending key.
#include <csignal>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "mocks/http_host/mock_host.h"

namespace {
volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }
}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: invsync-mock CONFIG.json\n");
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::fprintf(stderr, "invsync-mock: cannot read %s\n", argv[1]);
    return 2;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto host = invsync::mocks::MockHost::create(text.str());
  if (!host.ok()) {
    std::fprintf(stderr, "invsync-mock: %s\n", host.status().to_string().c_str());
    return 2;
  }
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  const auto st = (*host)->start();
  if (!st.ok()) {
    std::fprintf(stderr, "invsync-mock: %s\n", st.to_string().c_str());
    return 1;
  }
  std::printf("%s\n", nlohmann::json((*host)->ports()).dump().c_str());
  std::fflush(stdout);
  sigset_t none;
  sigemptyset(&none);
  while (g_stop == 0) sigsuspend(&none);
  (*host)->stop();
  return 0;
}
