// Cases register themselves (one file per draft section, like h2spec) with their ID, section,
// category, level and the catalogue requirements they check:
//
//   TIGRESS_CASE("6.5/second-reader-refused", "6.5", kAntiReplay, kMust,
//                ({"MBX-READ-05", "MBX-BIND-01"}),
//                "a second new claim cannot read a bound mailbox") {
//     auto box = ctx.create_mailbox();
//     ...
//   }
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "conformance/framework/verdict.hpp"

namespace tigress::conformance {

class CaseContext;

struct CaseDefinition {
  std::string id;
  std::string section;
  Category category;
  Level level;
  std::vector<std::string> requirements;
  std::string title;
  std::function<void(CaseContext&)> body;
  bool slow = false;  // waits in real time (expiry): started first, all at once
};

std::vector<CaseDefinition>& case_registry();

struct CaseRegistrar {
  explicit CaseRegistrar(CaseDefinition definition);
};

}  // namespace tigress::conformance

#define TIGRESS_CASE_CONCAT2(a, b) a##b
#define TIGRESS_CASE_CONCAT(a, b) TIGRESS_CASE_CONCAT2(a, b)
// The names carry __COUNTER__, not __LINE__: in a unity build several case files share one
// translation unit, and two cases on the same line of different files must not collide.
#define TIGRESS_CASE_NAMED(n, slow, id, section, category, level, requirements, title)        \
  static void TIGRESS_CASE_CONCAT(tigress_case_, n)(::tigress::conformance::CaseContext&);      \
  static ::tigress::conformance::CaseRegistrar TIGRESS_CASE_CONCAT(tigress_registrar_, n)(      \
      ::tigress::conformance::CaseDefinition{                                                  \
          id, section, ::tigress::conformance::Category::category,                             \
          ::tigress::conformance::Level::level, std::vector<std::string> requirements, title,  \
          &TIGRESS_CASE_CONCAT(tigress_case_, n), slow});                                      \
  static void TIGRESS_CASE_CONCAT(tigress_case_, n)(                                           \
      [[maybe_unused]] ::tigress::conformance::CaseContext & ctx)
#define TIGRESS_CASE_EXPAND(...) TIGRESS_CASE_NAMED(__VA_ARGS__)
#define TIGRESS_CASE_IMPL(slow, id, section, category, level, requirements, title) \
  TIGRESS_CASE_EXPAND(__COUNTER__, slow, id, section, category, level, requirements, title)

#define TIGRESS_CASE(id, section, category, level, requirements, title) \
  TIGRESS_CASE_IMPL(false, id, section, category, level, requirements, title)
#define TIGRESS_SLOW_CASE(id, section, category, level, requirements, title) \
  TIGRESS_CASE_IMPL(true, id, section, category, level, requirements, title)
