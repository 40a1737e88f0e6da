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

#include "common/cli_flag_kinds.hpp"
#include "common/cli_numbers.hpp"

#include "reference/relay/memory_store.hpp"
#include "reference/relay/program_lifecycle.hpp"
#include "reference/relay/redis_store.hpp"
#include "reference/relay/server.hpp"
#include "reference/relay/store_url.hpp"
#include "reference/tls/tls_material.hpp"

namespace {

const tigress::cli::CommandHelp kHelp{
    "usage: tigress-relay [options]",
    "Serves the TIGRESS mailbox API (draft-vinokurov-tigress-http-00) over HTTPS only.\n",
    "Prints \"listening on https://HOST:PORT\" once ready; stops cleanly on SIGINT or SIGTERM.\n"};

int fail(const std::string& message) { return tigress::cli::usage_error("tigress-relay", message); }

struct RelayFlags {
  std::string listen = "127.0.0.1:8443", cert, key, cert_out, public_url;
  bool self_signed = false, list_defects = false, list_readings = false;
  std::optional<tigress::relay::RedisEndpoint> redis;
  tigress::relay::RelayConfig config;
  tigress::relay::ServerOptions options;
  long long max_ttl = 0, default_ttl = 0, max_body = 0, threads = 0;
};

tigress::cli::FlagTable relay_flag_table(RelayFlags& f) {
  using namespace tigress;
  cli::FlagTable table;
  table.add(cli::text_flag("--listen", "HOST:PORT",
                           "address to listen on (default 127.0.0.1:8443; port 0 = any free port)", f.listen));
  table.add(cli::text_flag("--cert", "FILE", "PEM certificate (chain); with --key FILE, its private key", f.cert));
  table.add(cli::text_flag("--key", "FILE", "PEM private key of --cert", f.key));
  table.add(cli::switch_flag("--self-signed", "generate a fresh P-256 certificate for localhost/127.0.0.1/::1",
                             f.self_signed));
  table.add(cli::text_flag("--cert-out", "FILE",
                           "with --self-signed: write the certificate (PEM) here for clients' --ca", f.cert_out));
  table.add(cli::text_flag("--client-ca", "FILE",
                           "mutual TLS: require client certificates that chain to this PEM bundle",
                           f.options.client_ca_file));
  table.add(cli::text_flag("--public-url", "URL", "base of urlLink (default https://HOST:PORT)", f.public_url));
  table.add(cli::duration_flag("--max-ttl", "DURATION",
                               "cap on mailbox lifetime (default 48h); e.g. 3600, 90s, 30m, 48h, 2d", f.max_ttl));
  table.add(cli::duration_flag("--default-ttl", "DURATION",
                               "lifetime when a create request has no mailboxConfiguration (default 24h)",
                               f.default_ttl));
  table.add(cli::count_flag("--max-body", "BYTES", "largest accepted request body (default 65536; larger: 413)",
                            {1024, 1LL << 40, "bytes"}, f.max_body));
  table.add(cli::count_flag("--threads", "N", "worker threads (default 64)", {1, 4096, ""}, f.threads));
  table.add({"--store", "URL",
             "where mailboxes live: memory (default; this process only) or\n"
             "redis://HOST:PORT[/DB], shared atomically by every relay using it",
             [&f](const std::string& value) -> Status {
               auto parsed = relay::parse_store_url(value);
               if (!parsed) return parsed.error();
               f.redis = *parsed;
               return {};
             }});
  table.add({"--defect", "NAME[,NAME]", "switch on deliberate defects (repeatable; for testing the suite only)",
             [&f](const std::string& value) -> Status {
               if (auto status = relay::enable_relay_defect(f.config.defects, value); !status) return status;
               std::cerr << "tigress-relay: WARNING: deliberate defect '" << value
                         << "' is on; this relay does not conform\n";
               return {};
             }});
  table.add(cli::switch_flag("--list-defects", "list the deliberate defects and the conformance cases that catch them",
                             f.list_defects));
  table.add({"--reading", "NAME",
             "take a defensible reading of the draft other than the reference's own\n"
             "(repeatable; the relay still conforms)",
             [&f](const std::string& value) { return relay::enable_relay_reading(f.config.readings, value); }});
  table.add(cli::switch_flag("--list-readings", "list those readings and the conformance cases that must accept them",
                             f.list_readings));
  return table;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace tigress;
  const std::vector<std::string> args(argv + 1, argv + argc);
  RelayFlags f;
  const cli::FlagTable table = relay_flag_table(f);
  auto help = table.parse(args);
  if (!help) return fail(help.error().message());
  if (*help) {
    std::cout << cli::render_help(kHelp, table);
    return 0;
  }
  if (f.list_defects) {
    for (const auto& defect : relay::relay_defect_catalogue()) {
      std::cout << defect.name << "\t" << defect.category << "\t" << defect.description << "\tcaught by:";
      for (auto id : defect.caught_by) std::cout << " " << id;
      if (!defect.blocks.empty()) std::cout << "\tblocked (control answered " << defect.control_status << "):";
      for (auto id : defect.blocks) std::cout << " " << id;
      std::cout << "\n";
    }
    return 0;
  }
  if (f.list_readings) {
    for (const auto& reading : relay::relay_reading_catalogue()) {
      std::cout << reading.name << "\t" << reading.ambiguity << "\t" << reading.description << "\t" << reading.verdict
                << " in:";
      for (auto id : reading.cases) std::cout << " " << id;
      std::cout << "\n";
    }
    return 0;
  }
  const std::string& listen = f.listen;
  const std::string &cert = f.cert, &key = f.key, &cert_out = f.cert_out;
  std::string public_url = f.public_url;
  const bool self_signed = f.self_signed;
  relay::RelayConfig& config = f.config;
  relay::ServerOptions& options = f.options;
  const std::optional<relay::RedisEndpoint>& redis = f.redis;
  if (f.max_ttl > 0) config.max_ttl = f.max_ttl;
  if (f.default_ttl > 0) config.default_ttl = f.default_ttl;
  if (f.max_body > 0) config.max_body_bytes = static_cast<std::size_t>(f.max_body);
  if (f.threads > 0) options.worker_threads = static_cast<std::size_t>(f.threads);

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
  auto material = self_signed ? tls::generate_self_signed({"localhost"}, {"127.0.0.1", "::1"}, 30)
                              : tls::load_tls_material(cert, key);
  if (!material) return fail("TLS material: " + material.error().message());
  if (!cert_out.empty()) {
    if (auto written = relay::write_certificate_pem(cert_out, material->cert_pem); !written) {
      return fail(written.error().message());
    }
  }

  // Signals are taken synchronously by this thread only; the server threads inherit the mask.
  const relay::TerminationSignals signals;

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

  signals.wait();
  (*server)->stop();
  std::cerr << "tigress-relay: stopped\n";
  return 0;
}
