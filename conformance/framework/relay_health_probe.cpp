#include "conformance/framework/relay_health_probe.hpp"

#include "conformance/framework/runner.hpp"

namespace tigress::conformance {

namespace {

// Stopped serving means a 5xx or no answer (the latter ends the probe with ERROR inside send). A
// refusal (4xx) is an answer: whether the relay takes canonical requests is the preflight's question.
void stop_on_server_error(CaseContext& ctx, const harness::HttpResponse& response, const std::string& what) {
  if (response.status >= 500) {
    ctx.abort_error(what + " answered " + std::to_string(response.status) + ": " + ctx.redacted(response.body, 120));
  }
}

void probe_body(CaseContext& ctx) {
  const std::string initiator = ctx.uuid();
  const nlohmann::json body = ctx.create_body();
  const harness::HttpResponse created = ctx.create(initiator, body);
  stop_on_server_error(ctx, created, "CreateMailbox");
  const auto json = nlohmann::json::parse(created.body, nullptr, false);
  if (created.status / 100 != 2 || !json.is_object() || !json.contains("urlLink") || !json["urlLink"].is_string())
    return;
  const MailboxRef box = ctx.mailbox_from(created, initiator, body);
  stop_on_server_error(ctx, ctx.remove(box, initiator), "DeleteMailbox");
}

const CaseDefinition& probe_definition() {
  static const CaseDefinition definition{"health/probe",
                                         "6.1",
                                         Category::kRobustness,
                                         Level::kMust,
                                         {},
                                         "the relay still serves a canonical Create and Delete",
                                         case_body<CaseSuite::kRelay>(&probe_body)};
  return definition;
}

}  // namespace

Status probe_relay_health(const RunOptions& options) {
  CaseContext ctx(probe_definition(), options);
  const CaseResult result = run_one(ctx, [&] { probe_body(ctx); });
  if (result.verdict == Verdict::kPass) return {};
  return make_error(result.detail.substr(0, result.detail.find('\n')));
}

Status probe_every_instance(const RunOptions& options) {
  if (options.more_instances.empty()) return probe_relay_health(options);
  for (const harness::TargetInstance& instance : options.instances()) {
    RunOptions one = options;
    one.target = instance.target;
    one.tls = instance.tls;
    one.more_instances.clear();
    if (Status served = probe_relay_health(one); !served) {
      return make_error(instance.target.url() + ": " + served.error().message());
    }
  }
  return {};
}

}  // namespace tigress::conformance
