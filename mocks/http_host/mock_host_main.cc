// invsync-mock: serves the four platform mocks over HTTP on loopback from a JSON config.
//   invsync-mock CONFIG.json
// Prints one JSON line with the bound ports ({"shopify": 41001, ..., "control": 41005}) and then
// serves until SIGINT or SIGTERM. A bad config exits 2 with the path of the offending key.
#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "mocks/http_host/mock_host.h"

int main(int argc, char** argv) {
  // SIGINT/SIGTERM are blocked before any thread exists (every server thread inherits the mask)
  // and taken synchronously with sigwait below. A handler plus sigsuspend loses the signal when
  // the kernel delivers it to one of cpp-httplib's threads: main then never wakes.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
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
  const auto st = (*host)->start();
  if (!st.ok()) {
    std::fprintf(stderr, "invsync-mock: %s\n", st.to_string().c_str());
    return 1;
  }
  std::printf("%s\n", nlohmann::json((*host)->ports()).dump().c_str());
  std::fflush(stdout);
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  (*host)->stop();
  return 0;
}
