// Cases of every suite register themselves in one registry (one file per draft section, like
// h2spec) with their suite, ID, section, category, level and the catalogue requirements they
// check. The suite decides which context the body gets and which mode runs it:
// `tigress-conform relay` sees only kRelay cases, `tigress-conform client` only kClient ones.
//
//   TIGRESS_CASE(kRelay, "6.5/second-reader-refused", "6.5", kAntiReplay, kMust,
//                ({"MBX-READ-05", "MBX-BIND-01"}),
//                "a second new claim cannot read a bound mailbox") {
//     auto box = ctx.create_mailbox();
//     ...
//   }
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "conformance/framework/verdict.hpp"

namespace tigress::conformance {

class CaseContext;
namespace client_suite {
class ClientCaseContext;
}

enum class CaseSuite { kRelay, kClient };

template <CaseSuite suite>
struct SuiteTraits;
template <>
struct SuiteTraits<CaseSuite::kRelay> {
  using Context = CaseContext;  // requests to the relay under test
};
template <>
struct SuiteTraits<CaseSuite::kClient> {
  using Context = client_suite::ClientCaseContext;  // a shim and an instrumented relay
};
template <CaseSuite suite>
using SuiteContext = typename SuiteTraits<suite>::Context;

template <CaseSuite suite>
using SuiteBody = std::function<void(SuiteContext<suite>&)>;
// One alternative per suite, in CaseSuite order: the alternative held is the case's suite.
using CaseBody = std::variant<SuiteBody<CaseSuite::kRelay>, SuiteBody<CaseSuite::kClient>>;

template <CaseSuite suite>
CaseBody case_body(void (*body)(SuiteContext<suite>&)) {
  return CaseBody(std::in_place_index<static_cast<std::size_t>(suite)>, body);
}

struct CaseDefinition {
  std::string id;
  std::string section;
  Category category;
  Level level;
  std::vector<std::string> requirements;
  std::string title;
  CaseBody body;
  bool slow = false;  // waits in real time (expiry): started first, all at once
  CaseSuite suite() const { return static_cast<CaseSuite>(body.index()); }
};

// A result that names `definition` (id, title, section, category, level, requirements) and
// holds nothing else yet.
CaseResult result_naming(const CaseDefinition& definition);

// Every registered case of every suite, in registration order.
std::vector<CaseDefinition>& case_registry();
std::vector<const CaseDefinition*> suite_cases(CaseSuite suite);

struct CaseRegistrar {
  explicit CaseRegistrar(CaseDefinition definition);
};

}  // namespace tigress::conformance

#define TIGRESS_CASE_CONCAT2(a, b) a##b
#define TIGRESS_CASE_CONCAT(a, b) TIGRESS_CASE_CONCAT2(a, b)
// The names carry __COUNTER__, not __LINE__: in a unity build several case files share one
// translation unit, and two cases on the same line of different files must not collide.
#define TIGRESS_CASE_NAMED(n, slow, suite, id, section, category, level, requirements, title)                          \
  static void TIGRESS_CASE_CONCAT(tigress_case_,                                                                       \
                                  n)(::tigress::conformance::SuiteContext<::tigress::conformance::CaseSuite::suite>&); \
  static ::tigress::conformance::CaseRegistrar TIGRESS_CASE_CONCAT(tigress_registrar_,                                 \
                                                                   n)(::tigress::conformance::CaseDefinition{          \
      id, section, ::tigress::conformance::Category::category, ::tigress::conformance::Level::level,                   \
      std::vector<std::string> requirements, title,                                                                    \
      ::tigress::conformance::case_body<::tigress::conformance::CaseSuite::suite>(                                     \
          &TIGRESS_CASE_CONCAT(tigress_case_, n)),                                                                     \
      slow});                                                                                                          \
  static void TIGRESS_CASE_CONCAT(tigress_case_, n)(                                                                   \
      [[maybe_unused]] ::tigress::conformance::SuiteContext<::tigress::conformance::CaseSuite::suite> & ctx)
#define TIGRESS_CASE_EXPAND(...) TIGRESS_CASE_NAMED(__VA_ARGS__)

#define TIGRESS_CASE(suite, id, section, category, level, requirements, title) \
  TIGRESS_CASE_EXPAND(__COUNTER__, false, suite, id, section, category, level, requirements, title)
#define TIGRESS_SLOW_CASE(suite, id, section, category, level, requirements, title) \
  TIGRESS_CASE_EXPAND(__COUNTER__, true, suite, id, section, category, level, requirements, title)
