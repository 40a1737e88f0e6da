#include "harness/key_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace tigress::harness {
namespace {

class KeyLogFile {
 public:
  explicit KeyLogFile(int fd) : fd_(fd) {}
  ~KeyLogFile() { ::close(fd_); }
  KeyLogFile(const KeyLogFile&) = delete;
  KeyLogFile& operator=(const KeyLogFile&) = delete;

  void append(const char* line) {
    std::string text = line;
    text += '\n';
    std::lock_guard lock(mutex_);
    const char* data = text.data();
    std::size_t left = text.size();
    while (left > 0) {
      const ssize_t n = ::write(fd_, data, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // a full disk must not break the connection
      data += n;
      left -= static_cast<std::size_t>(n);
    }
  }

 private:
  int fd_;
  std::mutex mutex_;
};

// Files live for the whole process: OpenSSL may call back from any thread at any time.
KeyLogFile* file_for(const std::string& path) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<KeyLogFile>> files;
  std::lock_guard lock(mutex);
  auto found = files.find(path);
  if (found != files.end()) return found->second.get();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    std::fprintf(stderr, "SSLKEYLOGFILE: cannot open %s: %s; TLS keys are not logged\n", path.c_str(),
                 std::strerror(errno));
  }
  auto& slot = files[path];
  if (fd >= 0) slot = std::make_unique<KeyLogFile>(fd);
  return slot.get();
}

int context_index() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

void write_key_line(const SSL* ssl, const char* line) {
  auto* file = static_cast<KeyLogFile*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), context_index()));
  if (file != nullptr) file->append(line);
}

}  // namespace

void install_key_log(SSL_CTX* context) {
  const char* path = std::getenv("SSLKEYLOGFILE");
  if (path == nullptr || *path == '\0' || context_index() < 0) return;
  KeyLogFile* file = file_for(path);
  if (file == nullptr) return;
  if (SSL_CTX_set_ex_data(context, context_index(), file) != 1) return;
  SSL_CTX_set_keylog_callback(context, write_key_line);
}

}  // namespace tigress::harness
