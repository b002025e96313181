// ChildProcess: an executable started by a test (the real `invsync`, invsync-mock): its stdout is
// a pipe read here line by line with a timeout, its stderr goes to a file. The child is killed if
// the test process dies first (PR_SET_PDEATHSIG), so a crashed or timed-out run leaves no server
// behind; on destruction it gets SIGTERM, a bounded wait, then SIGKILL. Every wait is bounded.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace invsync::testutil {

class ChildProcess {
 public:
  // `exit_timeout`: how long terminate() (and so the destructor) waits after SIGTERM.
  explicit ChildProcess(std::chrono::milliseconds exit_timeout);
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  // Starts `binary args...` with this process's environment plus `env_extra` (which replaces
  // variables of the same name; may be empty), stderr to `stderr_path` (truncated). False if the
  // process could not be started.
  bool spawn(const std::string& binary, const std::vector<std::string>& args,
             const std::map<std::string, std::string>& env_extra, const std::string& stderr_path);

  // The next line of the child's stdout, or nullopt after `timeout` or at end of output.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);

  // Waits at most `timeout` for the child to exit; its wait status, or nullopt if it did not.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);

  // SIGTERM, then a wait of at most the exit timeout; SIGKILL if the child hangs (nullopt then).
  std::optional<int> terminate();

  bool running() const { return pid_ > 0; }

 private:
  void reap();

  std::chrono::milliseconds exit_timeout_;
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string buffer_;
};

}  // namespace invsync::testutil
