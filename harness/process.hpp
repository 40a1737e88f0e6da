// Child processes for the harness: a relay or client under test, started with an argument
// vector (no shell), its stdout read line by line with a deadline, stopped with SIGTERM and, if
// it does not go, SIGKILL. Nothing here hangs forever on a misbehaving child.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace tigress::harness {

class ChildProcess {
 public:
  // stderr is inherited unless `quiet_stderr`, then it goes to /dev/null.
  static Result<ChildProcess> start(const std::vector<std::string>& argv, bool quiet_stderr = false);
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();  // stops the child if still running

  // Next line of the child's stdout (without '\n'), or an error at EOF or deadline.
  Result<std::string> read_line(std::chrono::milliseconds timeout);
  // Reads lines until one starts with `prefix`; returns the rest of that line.
  Result<std::string> wait_for_line_prefix(const std::string& prefix, std::chrono::milliseconds timeout);
  // SIGTERM, then SIGKILL after `grace`; returns the exit status (128+signal when killed).
  int stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000));
  // Waits for a normal exit up to `timeout`, killing the child after that; exit status.
  int wait(std::chrono::milliseconds timeout);
  pid_t pid() const { return pid_; }

 private:
  ChildProcess(pid_t pid, int stdout_fd) : pid_(pid), stdout_fd_(stdout_fd) {}
  int reap(bool block);

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string buffer_;
  int exit_status_ = -1;
};

}  // namespace tigress::harness
