// Client conformance cases register themselves like the relay cases, but in a registry of their
// own: `tigress-conform relay` never sees them and `tigress-conform client` sees nothing else.
//
//   TIGRESS_CLIENT_CASE("client/4.1/claims-differ-between-roles", "4.1", kAntiReplay, kMust,
//                       ({"MBX-CLM-03"}), "the recipient's claim differs from the initiator's") {
//     auto share = ctx.must_share();
//     ...
//   }
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "conformance/framework/case_registry.hpp"
#include "conformance/framework/verdict.hpp"

namespace tigress::conformance::client_suite {

class ClientCaseContext;

struct ClientCaseDefinition {
  CaseDefinition describe;  // id, section, category, level, requirements, title (body unused)
  std::function<void(ClientCaseContext&)> body;
};

std::vector<ClientCaseDefinition>& client_case_registry();

struct ClientCaseRegistrar {
  explicit ClientCaseRegistrar(ClientCaseDefinition definition);
};

}  // namespace tigress::conformance::client_suite

#define TIGRESS_CLIENT_CASE_CONCAT2(a, b) a##b
#define TIGRESS_CLIENT_CASE_CONCAT(a, b) TIGRESS_CLIENT_CASE_CONCAT2(a, b)
// __COUNTER__ rather than __LINE__, so that case files sharing a unity-build unit never collide.
#define TIGRESS_CLIENT_CASE_NAMED(n, id, section, category, level, requirements, title)                    \
  static void TIGRESS_CLIENT_CASE_CONCAT(tigress_client_case_,                                             \
                                         n)(::tigress::conformance::client_suite::ClientCaseContext&);     \
  static ::tigress::conformance::client_suite::ClientCaseRegistrar TIGRESS_CLIENT_CASE_CONCAT(             \
      tigress_client_registrar_, n)(::tigress::conformance::client_suite::ClientCaseDefinition{             \
      ::tigress::conformance::CaseDefinition{id, section, ::tigress::conformance::Category::category,      \
                                             ::tigress::conformance::Level::level,                         \
                                             std::vector<std::string> requirements, title, {}, false},     \
      &TIGRESS_CLIENT_CASE_CONCAT(tigress_client_case_, n)});                                              \
  static void TIGRESS_CLIENT_CASE_CONCAT(tigress_client_case_, n)(                                         \
      [[maybe_unused]] ::tigress::conformance::client_suite::ClientCaseContext & ctx)
#define TIGRESS_CLIENT_CASE_EXPAND(...) TIGRESS_CLIENT_CASE_NAMED(__VA_ARGS__)
#define TIGRESS_CLIENT_CASE(id, section, category, level, requirements, title) \
  TIGRESS_CLIENT_CASE_EXPAND(__COUNTER__, id, section, category, level, requirements, title)
