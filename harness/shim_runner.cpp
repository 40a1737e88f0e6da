#include "harness/shim_runner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

extern char** environ;

namespace tigress::harness {

std::vector<std::string> split_shim_command(std::string_view command) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < command.size()) {
    while (i < command.size() && (command[i] == ' ' || command[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < command.size() && command[i] != ' ' && command[i] != '\t') ++i;
    if (i > start) words.emplace_back(command.substr(start, i - start));
  }
  return words;
}

namespace {

using Clock = std::chrono::steady_clock;

// Once the shim itself has exited, a helper it left behind may still hold our pipes open; we
// give it this long to finish writing before the group is killed and the outcome recorded.
constexpr std::chrono::milliseconds kOrphanGrace{200};

struct CapturedStream {
  int fd = -1;
  std::string* text = nullptr;
  bool open() const { return fd >= 0; }
};

void close_fd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

// Reads what is available; keeps at most `limit` bytes, flags the rest as discarded.
void drain(CapturedStream& stream, std::size_t limit, bool& truncated) {
  std::array<char, 8192> chunk{};
  const ssize_t n = ::read(stream.fd, chunk.data(), chunk.size());
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (n <= 0) {
    close_fd(stream.fd);
    return;
  }
  const auto got = static_cast<std::size_t>(n);
  const std::size_t room = limit > stream.text->size() ? limit - stream.text->size() : 0;
  stream.text->append(chunk.data(), std::min(room, got));
  if (got > room) truncated = true;
}

// Kills the whole process group (the shim and anything it spawned).
void kill_group(pid_t pid) {
  if (kill(-pid, SIGKILL) != 0) kill(pid, SIGKILL);
}

struct Pipes {
  int out[2] = {-1, -1};
  int err[2] = {-1, -1};
  ~Pipes() {
    for (int* fd : {&out[0], &out[1], &err[0], &err[1]}) close_fd(*fd);
  }
};

}  // namespace

Result<ShimOutcome> run_shim(const ShimInvocation& invocation) {
  if (invocation.argv.empty() || invocation.argv[0].empty()) return make_error("empty shim command");
  Pipes pipes;
  if (pipe2(pipes.out, O_CLOEXEC) != 0 || pipe2(pipes.err, O_CLOEXEC) != 0)
    return make_error(std::string("pipe: ") + std::strerror(errno));

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipes.out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, pipes.err[1], STDERR_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attributes, 0);
  sigset_t default_signals;
  sigemptyset(&default_signals);
  sigaddset(&default_signals, SIGPIPE);
  posix_spawnattr_setsigdefault(&attributes, &default_signals);

  std::vector<char*> raw;
  raw.reserve(invocation.argv.size() + 1);
  for (const auto& arg : invocation.argv) raw.push_back(const_cast<char*>(arg.c_str()));
  raw.push_back(nullptr);

  const auto started = Clock::now();
  pid_t pid = -1;
  // posix_spawnp: a shim may name its program through PATH (e.g. "python3 my_shim.py").
  const int rc = posix_spawnp(&pid, raw[0], &actions, &attributes, raw.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  close_fd(pipes.out[1]);
  close_fd(pipes.err[1]);
  if (rc != 0) return make_error("cannot start " + invocation.argv[0] + ": " + std::strerror(rc));

  ShimOutcome outcome;
  std::array<CapturedStream, 2> streams{CapturedStream{pipes.out[0], &outcome.stdout_text},
                                        CapturedStream{pipes.err[0], &outcome.stderr_text}};
  pipes.out[0] = pipes.err[0] = -1;  // owned by `streams` now

  const auto deadline = started + invocation.timeout;
  bool reaped = false;
  int status = 0;
  Clock::time_point orphan_deadline{};
  for (;;) {
    if (!reaped) {
      const pid_t done = waitpid(pid, &status, WNOHANG);
      if (done == pid) {
        reaped = true;
        orphan_deadline = Clock::now() + kOrphanGrace;
      }
    }
    const bool any_open = streams[0].open() || streams[1].open();
    if (reaped && !any_open) break;
    const auto now = Clock::now();
    if (!reaped && now >= deadline) {
      kill_group(pid);
      waitpid(pid, &status, 0);
      outcome.timed_out = true;
      break;
    }
    if (reaped && now >= orphan_deadline) {
      kill_group(pid);  // the leftover helpers only; the shim's own status is already known
      break;
    }
    const auto until = reaped ? orphan_deadline : deadline;
    // Poll in short slices while the child runs so its exit is noticed even with no output.
    auto wait_ms = std::chrono::duration_cast<std::chrono::milliseconds>(until - now).count();
    wait_ms = std::clamp<long long>(wait_ms, 1, any_open ? 50 : 5);
    std::array<pollfd, 2> fds{};
    nfds_t count = 0;
    std::array<CapturedStream*, 2> polled{};
    for (auto& stream : streams) {
      if (!stream.open()) continue;
      fds[count] = pollfd{stream.fd, POLLIN, 0};
      polled[count++] = &stream;
    }
    const int ready = count > 0 ? poll(fds.data(), count, static_cast<int>(wait_ms)) : 0;
    if (count == 0) poll(nullptr, 0, static_cast<int>(wait_ms));
    if (ready < 0 && errno != EINTR) {
      if (!reaped) {
        kill_group(pid);
        waitpid(pid, &status, 0);
        reaped = true;
      }
      break;
    }
    for (nfds_t i = 0; ready > 0 && i < count; ++i) {
      if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0)
        drain(*polled[i], invocation.max_output_bytes, outcome.output_truncated);
    }
  }
  for (auto& stream : streams) close_fd(stream.fd);

  outcome.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  if (!outcome.timed_out) {
    if (WIFEXITED(status)) {
      outcome.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      outcome.signalled = true;
      outcome.signal = WTERMSIG(status);
    }
  }
  return outcome;
}

}  // namespace tigress::harness
