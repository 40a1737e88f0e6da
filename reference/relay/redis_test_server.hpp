// A private redis-server for tests: on a free loopback port, nothing persisted, stopped (and
// killed with the test process, should that die first). Tests skip with a clear message only
// when redis-server is not installed.
#pragma once

#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "reference/relay/redis_connection.hpp"
#include "common/result.hpp"

namespace tigress::relay::testing {

class RedisTestServer {
 public:
  // The redis-server on PATH, or empty.
  static std::string program() {
    const char* path = std::getenv("PATH");
    std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
    for (std::size_t start = 0; start <= dirs.size();) {
      std::size_t end = dirs.find(':', start);
      if (end == std::string::npos) end = dirs.size();
      const std::filesystem::path candidate = std::filesystem::path(dirs.substr(start, end - start)) / "redis-server";
      if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
      start = end + 1;
    }
    return {};
  }

  static Result<std::unique_ptr<RedisTestServer>> start() {
    const std::string redis = program();
    if (redis.empty()) return make_error("redis-server is not installed (Debian package redis-server)");
    Error last = make_error("redis-server did not start");
    for (int attempt = 0; attempt < 5; ++attempt) {  // another process may take the port first
      const int port = free_port();
      if (port <= 0) return make_error("no free loopback port");
      std::unique_ptr<RedisTestServer> server(new RedisTestServer(spawn(redis, port), port));
      if (server->pid_ <= 0) return make_error("cannot start " + redis);
      auto ready = server->wait_until_ready();
      if (ready) return server;
      last = ready.error();
    }
    return last;
  }

  ~RedisTestServer() { stop(); }
  RedisTestServer(const RedisTestServer&) = delete;
  RedisTestServer& operator=(const RedisTestServer&) = delete;

  int port() const { return port_; }
  RedisEndpoint endpoint() const { return RedisEndpoint{"127.0.0.1", port_, 0}; }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }

  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

 private:
  RedisTestServer(pid_t pid, int port) : pid_(pid), port_(port) {}

  static int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    int port = -1;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), size) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0) {
      port = ntohs(address.sin_port);
    }
    ::close(fd);
    return port;
  }

  static pid_t spawn(const std::string& redis, int port) {
    const std::string port_text = std::to_string(port);
    const std::string dir = std::filesystem::temp_directory_path().string();
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid != 0) return pid;
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    const char* argv[] = {
        redis.c_str(), "--port", port_text.c_str(), "--bind",     "127.0.0.1", "--save",    "",          "--appendonly",
        "no",          "--dir",  dir.c_str(),       "--loglevel", "warning",   "--logfile", "/dev/null", nullptr};
    ::execv(redis.c_str(), const_cast<char* const*>(argv));
    ::_exit(127);
  }

  Status wait_until_ready() {
    using namespace std::chrono_literals;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return make_error("redis-server exited at start (port " + std::to_string(port_) + " taken?)");
      }
      auto connection = RedisConnection::open(endpoint(), 500ms, 1 << 20);
      if (connection && (*connection)->command({"PING"})) return {};
      std::this_thread::sleep_for(20ms);
    }
    stop();
    return make_error("redis-server did not answer PING within 10 s");
  }

  pid_t pid_;
  int port_;
};

// One server per test process, started on first use and stopped at exit.
inline Result<std::unique_ptr<RedisTestServer>>& shared_redis_server() {
  static Result<std::unique_ptr<RedisTestServer>> server = RedisTestServer::start();
  return server;
}

}  // namespace tigress::relay::testing
