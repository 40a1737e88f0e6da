// tigress-relay: the reference relay (draft-vinokurov-tigress-http-00) over HTTPS.
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/cli_numbers.hpp"

#include "reference/relay/memory_store.hpp"
#include "reference/relay/redis_store.hpp"
#include "reference/relay/server.hpp"
#include "reference/relay/store_url.hpp"
#include "reference/tls/tls_material.hpp"

namespace {

constexpr const char* kUsage = R"(usage: tigress-relay [options]

Serves the TIGRESS mailbox API (draft-vinokurov-tigress-http-00) over HTTPS only.

  --listen HOST:PORT     address to listen on (default 127.0.0.1:8443; port 0 = any free port)
  --cert FILE --key FILE PEM certificate (chain) and private key
  --self-signed          generate a fresh P-256 certificate for localhost/127.0.0.1/::1
  --cert-out FILE        with --self-signed: write the certificate (PEM) here for clients' --ca
  --client-ca FILE       mutual TLS: require client certificates that chain to this PEM bundle
  --public-url URL       base of urlLink (default https://HOST:PORT)
  --max-ttl DURATION     cap on mailbox lifetime (default 48h); e.g. 3600, 90s, 30m, 48h, 2d
  --default-ttl DURATION lifetime when a create request has no mailboxConfiguration (default 24h)
  --max-body BYTES       largest accepted request body (default 65536; larger: 413)
  --threads N            worker threads (default 64)
  --store URL            where mailboxes live: memory (default; this process only) or
                         redis://HOST:PORT[/DB], shared atomically by every relay using it
  --defect NAME[,NAME]   switch on deliberate defects (repeatable; for testing the suite only)
  --list-defects         list the deliberate defects and the conformance cases that catch them
  --reading NAME         take a defensible reading of the draft other than the reference's own
                         (repeatable; the relay still conforms)
  --list-readings        list those readings and the conformance cases that must accept them
  --help                 this text

Prints "listening on https://HOST:PORT" once ready; stops cleanly on SIGINT or SIGTERM.
)";

int fail(const std::string& message) {
  std::cerr << "tigress-relay: " << message << "\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace tigress;
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string listen = "127.0.0.1:8443", cert, key, cert_out, public_url;
  bool self_signed = false;
  relay::RelayConfig config;
  relay::ServerOptions options;
  std::optional<relay::RedisEndpoint> redis;

  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (flag == "--self-signed") {
      self_signed = true;
      continue;
    } else if (flag == "--list-defects") {
      for (const auto& defect : relay::relay_defect_catalogue()) {
        std::cout << defect.name << "\t" << defect.category << "\t" << defect.description << "\tcaught by:";
        for (auto id : defect.caught_by) std::cout << " " << id;
        if (!defect.blocks.empty()) std::cout << "\tblocked (control refused):";
        for (auto id : defect.blocks) std::cout << " " << id;
        std::cout << "\n";
      }
      return 0;
    } else if (flag == "--list-readings") {
      for (const auto& reading : relay::relay_reading_catalogue()) {
        std::cout << reading.name << "\t" << reading.ambiguity << "\t" << reading.description << "\t" << reading.verdict
                  << " in:";
        for (auto id : reading.cases) std::cout << " " << id;
        std::cout << "\n";
      }
      return 0;
    }
    auto v = value();
    if (!v) return fail(flag.rfind("--", 0) == 0 ? flag + " needs a value" : "unknown argument " + flag);
    if (flag == "--listen") {
      listen = *v;
    } else if (flag == "--cert") {
      cert = *v;
    } else if (flag == "--key") {
      key = *v;
    } else if (flag == "--cert-out") {
      cert_out = *v;
    } else if (flag == "--client-ca") {
      options.client_ca_file = *v;
    } else if (flag == "--public-url") {
      public_url = *v;
    } else if (flag == "--max-ttl" || flag == "--default-ttl") {
      auto seconds = cli::parse_duration(*v);
      if (!seconds) return fail(flag + " takes a positive duration such as 3600, 30m, 48h, 2d");
      (flag == "--max-ttl" ? config.max_ttl : config.default_ttl) = *seconds;
    } else if (flag == "--max-body") {
      auto bytes = cli::parse_count(*v);
      if (!bytes || *bytes < 1024) return fail("--max-body takes a byte count of at least 1024");
      config.max_body_bytes = static_cast<std::size_t>(*bytes);
    } else if (flag == "--defect") {
      if (auto status = relay::enable_relay_defect(config.defects, *v); !status) {
        return fail(status.error().message());
      }
      std::cerr << "tigress-relay: WARNING: deliberate defect '" << *v << "' is on; this relay does not conform\n";
    } else if (flag == "--reading") {
      if (auto status = relay::enable_relay_reading(config.readings, *v); !status) return fail(status.error().message());
    } else if (flag == "--store") {
      auto parsed = relay::parse_store_url(*v);
      if (!parsed) return fail(parsed.error().message());
      redis = *parsed;
    } else if (flag == "--threads") {
      auto n = cli::parse_count(*v);
      if (!n || *n < 1 || *n > 4096) return fail("--threads takes a number from 1 to 4096");
      options.worker_threads = static_cast<std::size_t>(*n);
    } else {
      return fail("unknown option " + flag + " (see --help)");
    }
  }

  const auto colon = listen.rfind(':');
  auto port = colon == std::string::npos ? std::nullopt : cli::parse_count(listen.substr(colon + 1));
  if (!port || *port > 65535) return fail("--listen takes HOST:PORT, e.g. 127.0.0.1:8443");
  options.host = listen.substr(0, colon);
  if (options.host.size() > 2 && options.host.front() == '[' && options.host.back() == ']') {
    options.host = options.host.substr(1, options.host.size() - 2);
  }
  options.port = static_cast<int>(*port);

  if (self_signed == !cert.empty() || cert.empty() != key.empty()) {
    return fail("give either --cert FILE --key FILE or --self-signed");
  }
  auto material = self_signed
                      ? tls::generate_self_signed({"localhost"}, {"127.0.0.1", "::1"}, 30)
                      : tls::load_tls_material(cert, key);
  if (!material) return fail("TLS material: " + material.error().message());
  if (!cert_out.empty()) {
    std::ofstream out(cert_out, std::ios::binary | std::ios::trunc);
    if (!(out << material->cert_pem)) return fail("cannot write " + cert_out);
  }

  // Signals are taken synchronously by this thread only; the server threads inherit the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  if (config.defects.store_nonatomic_binding && !redis) {
    return fail("--defect store-nonatomic-binding needs --store redis://HOST:PORT");
  }
  relay::SystemClock clock;
  std::unique_ptr<relay::Store> store;
  if (redis) {
    relay::RedisStoreOptions store_options;
    store_options.endpoint = *redis;
    store_options.nonatomic_binding = config.defects.store_nonatomic_binding;
    store_options.max_value_bytes = std::max(store_options.max_value_bytes, 4 * config.max_body_bytes);
    store_options.max_idle_connections = options.worker_threads;
    auto redis_store = std::make_unique<relay::RedisStore>(store_options, clock);
    if (auto reachable = redis_store->check_reachable(); !reachable) {
      return fail("--store: " + reachable.error().message());
    }
    store = std::move(redis_store);
  } else {
    store = std::make_unique<relay::MemoryStore>();
  }
  if (config.default_ttl > config.max_ttl) config.default_ttl = config.max_ttl;
  while (!public_url.empty() && public_url.back() == '/') public_url.pop_back();
  config.public_base_url = public_url;  // empty: the server derives it from the bound address
  auto server = relay::RelayServer::start(relay::Relay(config), clock, *store, *material, options);
  if (!server) return fail(server.error().message());
  std::cout << "listening on " << (*server)->url() << std::endl;

  int received = 0;
  sigwait(&signals, &received);
  (*server)->stop();
  std::cerr << "tigress-relay: stopped\n";
  return 0;
}
