// netfuzz_faulty_relay: the reference relay with one fault that the relay's defect catalogue
// cannot hold (every conformance case would ERROR against it, while the catalogue's self-check
// expects FAIL or WARN): the process dies, or a request stalls. It exists only so the network
// fuzzer's self-test can prove the crash and hang classes. Test-only, never installed.
//   --fault crash   storing a mailbox with a payload or display string over 255 bytes aborts
//                   the process (an unchecked 256-byte buffer in a storage backend);
//   --fault hang    storing a mailbox with a non-ASCII byte in a payload or display string
//                   stalls that request for 30 s (a backend stuck on a charset conversion);
//                   the store lock is released meanwhile, so other requests are served.
// Prints "listening on https://127.0.0.1:PORT" when ready; stops on SIGINT/SIGTERM.
#include <pthread.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include "reference/relay/clock.hpp"
#include "reference/relay/memory_store.hpp"
#include "reference/relay/program_lifecycle.hpp"
#include "reference/relay/server.hpp"
#include "reference/tls/tls_material.hpp"

namespace {

using namespace tigress;

enum class Fault { kCrash, kHang };

bool has_non_ascii(const std::string& text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

class FaultyTransaction final : public relay::Transaction {
 public:
  FaultyTransaction(relay::Store& store, Fault fault) : store_(store), inner_(store.begin()), fault_(fault) {}

  relay::Mailbox* find(const std::string& id) override { return inner_->find(id); }
  bool insert(relay::Mailbox&& mailbox) override {
    const auto& d = mailbox.display;
    const std::string* const strings[] = {&mailbox.payload.type, &mailbox.payload.data, &d.title, &d.description,
                                          &d.image_url};
    bool too_long = false;
    bool non_ascii = false;
    for (const std::string* s : strings) {
      too_long = too_long || s->size() > 255;
      non_ascii = non_ascii || has_non_ascii(*s);
    }
    if (fault_ == Fault::kCrash && too_long) std::abort();
    if (fault_ == Fault::kHang && non_ascii) {
      inner_.reset();  // let every other request through while this one is stuck
      std::this_thread::sleep_for(std::chrono::seconds(30));
      inner_ = store_.begin();
    }
    return inner_->insert(std::move(mailbox));
  }
  bool erase(const std::string& id) override { return inner_->erase(id); }
  const relay::RequestRecord* last_request(const std::string& claim) override { return inner_->last_request(claim); }
  void remember_request(const std::string& claim, relay::RequestRecord record) override {
    inner_->remember_request(claim, std::move(record));
  }
  std::size_t erase_expired(codec::UnixSeconds now) override { return inner_->erase_expired(now); }
  std::size_t mailbox_count() override { return inner_->mailbox_count(); }
  Result<relay::CommitOutcome> commit() override { return inner_->commit(); }

 private:
  relay::Store& store_;
  std::unique_ptr<relay::Transaction> inner_;
  Fault fault_;
};

class FaultyStore final : public relay::Store {
 public:
  explicit FaultyStore(Fault fault) : fault_(fault) {}
  std::unique_ptr<relay::Transaction> begin() override { return std::make_unique<FaultyTransaction>(inner_, fault_); }

 private:
  relay::MemoryStore inner_;
  Fault fault_;
};

int fail(const std::string& why) {
  std::cerr << "netfuzz_faulty_relay: " << why << "\nusage: netfuzz_faulty_relay --fault crash|hang --cert-out FILE\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string fault_name;
  std::string cert_out;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--fault") {
      fault_name = argv[i + 1];
    } else if (flag == "--cert-out") {
      cert_out = argv[i + 1];
    } else {
      return fail("unknown flag " + flag);
    }
  }
  if ((fault_name != "crash" && fault_name != "hang") || cert_out.empty()) return fail("bad arguments");
  auto material = tls::generate_self_signed({"localhost"}, {"127.0.0.1"}, 1);
  if (!material) return fail(material.error().message());
  if (auto written = relay::write_certificate_pem(cert_out, material->cert_pem); !written) {
    return fail(written.error().message());
  }
  const relay::TerminationSignals signals;

  relay::SystemClock clock;
  FaultyStore store(fault_name == "crash" ? Fault::kCrash : Fault::kHang);
  relay::RelayConfig config;
  config.public_base_url.clear();  // derived from the bound address
  auto server = relay::RelayServer::start(relay::Relay(config), clock, store, *material, relay::ServerOptions{});
  if (!server) return fail(server.error().message());
  std::cout << "listening on " << (*server)->url() << std::endl;
  signals.wait();
  (*server)->stop();
  return 0;
}
