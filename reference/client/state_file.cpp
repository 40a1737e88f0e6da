#include "reference/client/state_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <vector>

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>

#include "reference/codec/base64.hpp"
#include "reference/codec/bodies.hpp"

namespace tigress::client {
namespace {

using nlohmann::json;

constexpr int kFormatVersion = 1;
constexpr std::size_t kMaxStateBytes = 64 * 1024;  // a state file is a few hundred bytes

std::string errno_text() { return std::strerror(errno); }

// Key material copied into temporary strings is wiped before the memory is released.
void wipe(std::string& text) {
  if (!text.empty()) OPENSSL_cleanse(text.data(), text.size());
  text.clear();
}

std::optional<codec::Vertical> vertical_from(std::string_view text) {
  if (text == "a") return codec::Vertical::kAccess;
  if (text == "h") return codec::Vertical::kHome;
  if (text == "c") return codec::Vertical::kCar;
  return std::nullopt;
}

Result<std::string> string_member(const json& document, const char* name) {
  const auto found = document.find(name);
  if (found == document.end()) return field_error(name, "missing");
  if (!found->is_string()) return field_error(name, "must be a string");
  return found->get<std::string>();
}

std::string parent_directory(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

Status write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_error(errno_text());
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

}  // namespace

std::string_view role_name(Role role) { return role == Role::kInitiator ? "initiator" : "recipient"; }

std::string serialize_state(const ClientState& state) {
  json document = {
      {"version", kFormatVersion},
      {"role", std::string(role_name(state.role))},
      {"mailboxUrl", state.mailbox_url},
      {"deviceClaim", state.claim.to_string()},
      {"algorithm", std::string(crypto::algorithm_name(state.algorithm))},
      {"secret", codec::base64_encode(state.secret.reveal())},
  };
  if (state.vertical) document["vertical"] = std::string(1, static_cast<char>(*state.vertical));
  std::string text = codec::dump_json(document);
  wipe(document["secret"].get_ref<std::string&>());
  return text + "\n";
}

Result<ClientState> parse_state(std::string_view text) {
  const json document = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) {
    return make_error("not a JSON object");
  }
  const auto version = document.find("version");
  if (version == document.end() || !version->is_number_integer() || version->get<long long>() != kFormatVersion) {
    return field_error("version", "must be " + std::to_string(kFormatVersion));
  }
  ClientState state;

  auto role = string_member(document, "role");
  if (!role) return role.error();
  if (*role == "initiator") {
    state.role = Role::kInitiator;
  } else if (*role == "recipient") {
    state.role = Role::kRecipient;
  } else {
    return field_error("role", "must be \"initiator\" or \"recipient\"");
  }

  auto url = string_member(document, "mailboxUrl");
  if (!url) return url.error();
  if (auto parsed = codec::parse_mailbox_url(*url); !parsed) {
    return field_error("mailboxUrl", parsed.error().message());
  }
  state.mailbox_url = std::move(*url);

  auto claim_text = string_member(document, "deviceClaim");
  if (!claim_text) return claim_text.error();
  auto claim = codec::parse_uuid(*claim_text);
  if (!claim) return field_error("deviceClaim", claim.error().reason);
  state.claim = *claim;

  auto algorithm_text = string_member(document, "algorithm");
  if (!algorithm_text) return algorithm_text.error();
  const auto algorithm = crypto::algorithm_from_name(*algorithm_text);
  if (!algorithm) return field_error("algorithm", "must be AEAD_AES_128_GCM or AEAD_AES_256_GCM");
  state.algorithm = *algorithm;

  auto secret_text = string_member(document, "secret");
  if (!secret_text) return secret_text.error();
  auto secret = codec::base64_decode(*secret_text);
  wipe(*secret_text);
  if (!secret) return field_error("secret", "not base64");  // reason could echo key bytes
  if (secret->size() != crypto::key_size(state.algorithm)) {
    return field_error("secret", "length does not match the algorithm");
  }
  state.secret = codec::Secret(std::move(*secret));

  if (const auto found = document.find("vertical"); found != document.end()) {
    const auto vertical = found->is_string() ? vertical_from(found->get<std::string>()) : std::nullopt;
    if (!vertical) return field_error("vertical", "must be \"a\", \"h\" or \"c\"");
    state.vertical = vertical;
  }
  return state;
}

Status write_private_file(const std::string& path, std::string_view data) {
  if (path.empty()) return make_error("empty file path");
  std::string temp = path + ".tmp.XXXXXX";
  std::vector<char> pattern(temp.begin(), temp.end());
  pattern.push_back('\0');
  // mkstemp creates the file 0600 and exclusively, so the content is never readable by others,
  // not even for a moment.
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) {
    return make_error("cannot create a temporary file next to " + path + ": " + errno_text());
  }
  temp.assign(pattern.data());
  Status status = write_all(fd, data);
  if (status && ::fchmod(fd, S_IRUSR | S_IWUSR) != 0) status = make_error(errno_text());
  if (status && ::fsync(fd) != 0) status = make_error(errno_text());
  if (::close(fd) != 0 && status) status = make_error(errno_text());
  if (status && ::rename(temp.c_str(), path.c_str()) != 0) status = make_error(errno_text());
  if (!status) {
    ::unlink(temp.c_str());
    return make_error("cannot write " + path + ": " + status.error().reason);
  }
  // The rename itself must reach the disk too, or a crash could bring back the old file.
  const int dir = ::open(parent_directory(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return {};
}

Status save_state(const std::string& path, const ClientState& state) {
  std::string text = serialize_state(state);
  Status status = write_private_file(path, text);
  wipe(text);
  if (!status) return make_error("state file: " + status.error().reason);
  return {};
}

Result<ClientState> load_state(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return make_error("cannot open state file " + path + ": " + errno_text());
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return make_error("state file " + path + " is not a regular file");
  }
  // Like ssh with private keys: a secret others can read is no longer a secret.
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    ::close(fd);
    return make_error("state file " + path + " is accessible by other users; chmod 600 it");
  }
  if (static_cast<std::size_t>(info.st_size) > kMaxStateBytes) {
    ::close(fd);
    return make_error("state file " + path + " is too large to be a state file");
  }
  std::string text(static_cast<std::size_t>(info.st_size), '\0');
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::read(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  text.resize(done);
  auto state = parse_state(text);
  wipe(text);
  if (!state) return make_error("state file " + path + ": " + state.error().message());
  return state;
}

}  // namespace tigress::client
