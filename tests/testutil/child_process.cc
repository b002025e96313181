#include "tests/testutil/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <thread>

extern char** environ;

namespace invsync::testutil {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

ChildProcess::ChildProcess(milliseconds exit_timeout) : exit_timeout_(exit_timeout) {}

ChildProcess::~ChildProcess() { (void)terminate(); }

bool ChildProcess::spawn(const std::string& binary, const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& env_extra,
                         const std::string& stderr_path) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return false;
  // Everything the child needs is prepared before fork: it may only make async-signal-safe calls
  // (this process has threads).
  std::vector<std::string> owned = {binary};
  owned.insert(owned.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : owned) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_owned;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e;
    const std::string name = entry.substr(0, entry.find('='));
    if (env_extra.count(name) == 0) env_owned.push_back(entry);
  }
  for (const auto& [k, v] : env_extra) env_owned.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (std::string& e : env_owned) envp.push_back(e.data());
  envp.push_back(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return false;
  }
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    const int err = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (err < 0 || dup2(fds[1], STDOUT_FILENO) < 0 || dup2(err, STDERR_FILENO) < 0) _exit(127);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(fds[1]);
  pid_ = pid;
  out_fd_ = fds[0];
  return true;
}

std::optional<std::string> ChildProcess::read_line(milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  while (out_fd_ >= 0) {
    const size_t nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return line;
    }
    const auto left =
        std::chrono::duration_cast<milliseconds>(deadline - SteadyClock::now()).count();
    if (left <= 0) return std::nullopt;
    pollfd p{out_fd_, POLLIN, 0};
    const int n = poll(&p, 1, static_cast<int>(left));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    char chunk[4096];
    const ssize_t got = read(out_fd_, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return std::nullopt;  // end of output: the child exited
    buffer_.append(chunk, static_cast<size_t>(got));
  }
  return std::nullopt;
}

std::optional<int> ChildProcess::wait_exit(milliseconds timeout) {
  if (pid_ <= 0) return std::nullopt;
  const auto deadline = SteadyClock::now() + timeout;
  while (true) {
    int status = 0;
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      reap();
      return status;
    }
    if (r < 0 && errno != EINTR) {
      reap();
      return std::nullopt;
    }
    if (SteadyClock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(milliseconds(10));
  }
}

std::optional<int> ChildProcess::terminate() {
  if (pid_ <= 0) return std::nullopt;
  kill(pid_, SIGTERM);
  std::optional<int> status = wait_exit(exit_timeout_);
  if (!status && pid_ > 0) {
    kill(pid_, SIGKILL);
    int ignored = 0;
    waitpid(pid_, &ignored, 0);
    reap();
  }
  return status;
}

void ChildProcess::reap() {
  pid_ = -1;
  if (out_fd_ >= 0) close(out_fd_);
  out_fd_ = -1;
}

}  // namespace invsync::testutil
