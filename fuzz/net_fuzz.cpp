// The network fuzzer (net_fuzz.hpp): a seeded PRNG drives short request sequences, one mailbox
// per sequence with three fresh claims, so sequences never interfere and a run is reproducible.
#include "fuzz/net_fuzz.hpp"

#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "harness/wire_client.hpp"
#include "reference/codec/bodies.hpp"
#include "reference/codec/uuid.hpp"

namespace tigress::fuzz {
namespace {

struct Options {
  std::string target;
  harness::TlsOptions tls;
  std::uint64_t seed = 1;
  int sequences = 100;
  int steps = 12;
  int timeout_ms = 5000;
};

int usage(const std::string& why) {
  std::fprintf(stderr,
               "tigress-netfuzz: %s\nusage: --target URL (--ca FILE | --insecure) [--seed N] "
               "[--sequences N] [--steps N] [--timeout-ms N]\n",
               why.c_str());
  return 2;
}

// A fresh random v4 UUID from the run's PRNG, so a run is reproducible from its seed.
std::string random_uuid(std::mt19937_64& rng) {
  static const char* const kHex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
    int nibble = static_cast<int>(rng() % 16);
    if (i == 12) nibble = 4;
    if (i == 16) nibble = 8 + nibble % 4;
    out += kHex[nibble];
  }
  return out;
}

// Header values stay printable (CR/LF would split the request and make a relay's close look like
// a finding); bodies are framed by Content-Length and may hold any byte.
std::string random_bytes(std::mt19937_64& rng, std::size_t max, bool printable = false) {
  std::string out(rng() % (max + 1), '\0');
  for (char& c : out) {
    c = static_cast<char>(!printable && rng() % 4 == 0 ? rng() % 256 : 0x20 + rng() % 95);
  }
  return out;
}

// POST (Read) weighted up: binding bugs need several reads by different claims per sequence.
const char* const kMethods[] = {"POST", "POST", "POST", "GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"};
constexpr const char* kPayloadMarker = "TkVURlVaWi1QQVlMT0FE";  // distinctive payload.data

std::string create_body(std::mt19937_64& rng) {
  std::string body = std::string("{\"payload\":{\"type\":\"AEAD_AES_128_GCM\",\"data\":\"") +
                     kPayloadMarker + "\"},\"displayInformation\":{\"title\":\"t\",\"description\":"
                     "\"d\",\"imageURL\":\"https://i\"}";
  if (rng() % 2) body += ",\"mailboxConfiguration\":{\"accessRights\":\"RWD\",\"expiration\":\"2099-01-01T00:00:00Z\"}";
  return body + "}";
}

struct Sequence {
  std::vector<std::string> claims;  // [0] is the initiator
  std::string mailbox;              // id, once created
  std::optional<std::string> recipient;
};

class Fuzzer {
 public:
  Fuzzer(const Options& options, harness::WireClient client)
      : options_(options), client_(std::move(client)), rng_(options.seed) {}

  int run() {
    for (int s = 0; s < options_.sequences; ++s) {
      Sequence seq;
      for (int i = 0; i < 3; ++i) seq.claims.push_back(random_uuid(rng_));
      for (int step = 0; step < options_.steps; ++step) one_step(seq, s, step);
    }
    std::printf("netfuzz: %d sequences, %d requests, %d findings (seed %llu)\n", options_.sequences,
                requests_, findings_, static_cast<unsigned long long>(options_.seed));
    return findings_ == 0 ? 0 : 1;
  }

 private:
  void finding(int seq, int step, const harness::HttpRequest& request, const std::string& what) {
    ++findings_;
    std::printf("FINDING seq %d step %d: %s %s: %s\n", seq, step, request.method.c_str(),
                request.target.c_str(), what.c_str());
  }

  void one_step(Sequence& seq, int s, int step) {
    harness::HttpRequest request;
    std::string claim;
    // The first step of every sequence creates its mailbox, so later steps have one to hit.
    const bool create = seq.mailbox.empty() && step == 0;
    request.method = create ? "POST" : kMethods[rng_() % std::size(kMethods)];
    const std::string base = client_.target().base_path;
    switch (create ? 0 : rng_() % 6) {
      case 0: request.target = base + "/v1/m"; break;
      case 1: case 2: case 3: request.target = base + "/v1/m/" + seq.mailbox; break;
      case 4: request.target = base + "/v2/m/" + seq.mailbox; break;
      default: request.target = base + "/v1/m/" + random_uuid(rng_); break;
    }
    const auto claim_choice = create ? 0 : rng_() % 6;
    if (claim_choice < 3) {
      claim = seq.claims[claim_choice];
      request.headers.emplace_back("Mailbox-Device-Claim", claim);
    } else if (claim_choice == 3) {
      request.headers.emplace_back("Mailbox-Device-Claim", random_bytes(rng_, 40, true));
    }
    if (rng_() % 4 != 0) {
      request.headers.emplace_back("Mailbox-Request-ID", "nf-" + std::to_string(s) + "-" +
                                                             std::to_string(rng_() % 4));
    }
    if (create || rng_() % 3 != 0) request.headers.emplace_back("Content-Type", "application/json");
    switch (create ? 0 : rng_() % 5) {
      case 0: request.body = create_body(rng_); break;
      case 1: request.body = "{\"payload\":{\"type\":\"t\",\"data\":\"" + std::string(kPayloadMarker) + "\"}}"; break;
      case 2: request.body = random_bytes(rng_, 200); break;
      default: break;  // empty
    }
    ++requests_;
    auto response = client_.send(request);
    if (!response) {
      finding(s, step, request, "no HTTP answer: " + response.error().message());
      return;
    }
    check(seq, s, step, request, claim, *response);
  }

  void check(Sequence& seq, int s, int step, const harness::HttpRequest& request,
             const std::string& claim, const harness::HttpResponse& response) {
    if (response.status >= 500) finding(s, step, request, "status " + std::to_string(response.status));
    for (const auto& [name, value] : request.headers) {
      if (name != "Mailbox-Request-ID") continue;
      const auto echoed = response.header(name);
      if (!echoed || *echoed != value) finding(s, step, request, "Mailbox-Request-ID not echoed");
    }
    const bool on_mailbox = !seq.mailbox.empty() && request.target.ends_with("/v1/m/" + seq.mailbox);
    if (request.target.ends_with("/v1/m") && response.status == 200 && seq.mailbox.empty()) {
      auto created = codec::parse_create_response(response.body);
      if (!created) {
        finding(s, step, request, "create 200 with an invalid body");
        return;
      }
      seq.mailbox = created->url_link.substr(created->url_link.rfind('/') + 1);
    } else if (on_mailbox && request.method == "POST" && response.status == 200 &&
               claim != seq.claims[0]) {
      if (claim.empty()) finding(s, step, request, "read answered 200 without a valid claim");
      if (seq.recipient && *seq.recipient != claim) finding(s, step, request, "second recipient bound");
      seq.recipient = claim;
    } else if (on_mailbox && request.method == "PATCH" && response.status == 200) {
      seq.recipient.reset();
    } else if (on_mailbox && request.method == "GET" && response.status == 200 &&
               response.body.find(kPayloadMarker) != std::string::npos) {
      finding(s, step, request, "preview contains payload.data");
    }
  }

  const Options& options_;
  harness::WireClient client_;
  std::mt19937_64 rng_;
  int requests_ = 0;
  int findings_ = 0;
};

}  // namespace

int run_network_fuzz(const std::vector<std::string>& args) {
  Options options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--insecure") {
      options.tls.insecure = true;
      continue;
    }
    if (i + 1 >= args.size()) return usage("missing value for " + flag);
    const std::string& value = args[++i];
    try {
      if (flag == "--target") options.target = value;
      else if (flag == "--ca") options.tls.ca_file = value;
      else if (flag == "--seed") options.seed = std::stoull(value);
      else if (flag == "--sequences") options.sequences = std::stoi(value);
      else if (flag == "--steps") options.steps = std::stoi(value);
      else if (flag == "--timeout-ms") options.timeout_ms = std::stoi(value);
      else return usage("unknown flag " + flag);
    } catch (const std::exception&) {
      return usage("bad number for " + flag);
    }
  }
  if (options.target.empty()) return usage("--target is required");
  if (options.tls.ca_file.empty() && !options.tls.insecure) return usage("--ca or --insecure is required");
  auto target = harness::parse_target(options.target);
  if (!target) return usage("--target: " + target.error().message());
  harness::ClientLimits limits;
  limits.timeout = std::chrono::milliseconds(options.timeout_ms);
  return Fuzzer(options, harness::WireClient(*target, options.tls, limits)).run();
}

}  // namespace tigress::fuzz
