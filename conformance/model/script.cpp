#include "conformance/model/script.hpp"

namespace tigress::model {
namespace {

// Comments may quote relay output: keep them on one line and printable.
std::string comment_text(std::string_view text, std::size_t limit = 600) {
  std::string out;
  for (char c : text.substr(0, limit)) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7F ? ' ' : c);
  }
  if (text.size() > limit) out += " ...";
  return out;
}

void comment(std::string& out, std::string_view prefix, std::string_view text) {
  // Long texts wrap at "; or " so each accepted answer gets its own line.
  std::string rest(text);
  std::string lead(prefix);
  while (true) {
    const std::size_t cut = rest.find("; or ");
    out += "# " + lead + comment_text(rest.substr(0, cut)) + "\n";
    if (cut == std::string::npos) break;
    rest = rest.substr(cut + 5);
    lead = std::string(prefix.size() > 3 ? prefix.size() - 3 : 0, ' ') + "or ";
  }
}

}  // namespace

std::string shell_quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  return out + "'";
}

std::string shell_json_word(std::string_view json, std::optional<long long> expires_in) {
  std::string out;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = json.find(kExpirationMarker, start);
    out += shell_quote(json.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) break;
    out += "\"$(expires_in " + std::to_string(expires_in.value_or(0)) + ")\"";
    start = at + kExpirationMarker.size();
  }
  return out;
}

namespace {

// The defaults of the script's base URL and TLS variables: $RELAY and $CURL_TLS for one instance,
// $TARGET_N and $CURL_TLS_N for each of several; either way overridable from the environment.
std::string target_variables(const Script& script, const ScriptHeader& header) {
  const auto origin_of = [](const std::string& url_variable) {
    return "$(printf '%s' \"$" + url_variable + "\" | sed -E 's#^(https://[^/]+).*#\\1#')\n";
  };
  if (script.instances <= 1) {
    return "RELAY=${RELAY:-" + shell_quote(header.relay_url) + "}\nCURL_TLS=${CURL_TLS:-" +
           shell_quote(header.tls_flags) + "}\nORIGIN=" + origin_of("RELAY");
  }
  std::string out;
  for (std::size_t i = 0; i < script.instances; ++i) {
    ScriptInstance instance{header.relay_url, header.tls_flags};
    if (i > 0) instance = i - 1 < header.more_instances.size() ? header.more_instances[i - 1] : ScriptInstance{};
    const std::string n = std::to_string(i + 1);
    out += "TARGET_" + n + "=${TARGET_" + n + ":-" + shell_quote(instance.url) + "}\nCURL_TLS_" + n + "=${CURL_TLS_" +
           n + ":-" + shell_quote(instance.tls_flags) + "}\nORIGIN_" + n + "=" + origin_of("TARGET_" + n);
  }
  return out;
}

// A request's command line: with several instances its instance's TLS flags come first (bash
// passes a variable assignment before a function call to that call only) and kInstanceMarker in
// its curl arguments becomes the instance's number.
std::string on_instance(const Script& script, std::size_t instance, const std::string& command) {
  if (script.instances <= 1) return command;
  const std::string n = std::to_string(instance + 1);
  std::string out = "CURL_TLS=$CURL_TLS_" + n + " ";
  std::size_t start = 0;
  while (true) {
    const std::size_t at = command.find(kInstanceMarker, start);
    out += command.substr(start, at == std::string::npos ? std::string::npos : at - start);
    if (at == std::string::npos) return out;
    out += n;
    start = at + kInstanceMarker.size();
  }
}

}  // namespace

std::string render_script(const Script& script, const ScriptHeader& header) {
  std::string out = "#!/usr/bin/env bash\n";
  comment(out, "", header.title);
  for (const auto& note : header.notes) comment(out, "", note);
  out += "#\n";
  if (script.instances <= 1) {
    out += "# Replays the sequence against $RELAY and prints each answer next to what the model accepts.\n";
  } else {
    const std::string n = std::to_string(script.instances);
    out +=
        "# Replays the sequence and prints each answer next to what the model accepts. The recorded run\n"
        "# spread its requests over " +
        n + " instances of one deployment ($TARGET_1 .. $TARGET_" + n +
        "):\n"
        "# each request goes where that run sent it, with its instance's $CURL_TLS_N.\n";
  }
  out +=
      "# Needs bash, curl, sed and GNU date.\n"
      "set -u\n" +
      target_variables(script, header) +
      "OUT=$(mktemp); trap 'rm -f \"$OUT\"' EXIT\n"
      "new_uuid() { cat /proc/sys/kernel/random/uuid 2>/dev/null || uuidgen | tr 'A-Z' 'a-z'; }\n"
      "expires_in() { date -u -d \"@$(( $(date +%s) + $1 ))\" +%Y-%m-%dT%H:%M:%SZ; }\n"
      "url_link() { sed -n 's/.*\"urlLink\"[[:space:]]*:[[:space:]]*\"\\([^\"]*\\)\".*/\\1/p' \"$OUT\"; }\n"
      "step() {  # step NUMBER curl-arguments...\n"
      "  local number=$1; shift\n"
      "  local code\n"
      "  # shellcheck disable=SC2086  # CURL_TLS holds several words on purpose\n"
      "  code=$(curl -sS $CURL_TLS -o \"$OUT\" -w '%{http_code}' \"$@\") || code=\"no answer\"\n"
      "  printf 'step %s: HTTP %s  %s\\n' \"$number\" \"$code\" \"$(head -c 300 \"$OUT\" | tr '\\n' ' ')\"\n"
      "}\n"
      "parallel_step() {  # parallel_step LABEL curl-arguments...: one of several requests sent at once\n"
      "  local label=$1; shift\n"
      "  local code out\n"
      "  out=$(mktemp)\n"
      "  # shellcheck disable=SC2086\n"
      "  code=$(curl -sS $CURL_TLS -o \"$out\" -w '%{http_code}' \"$@\") || code=\"no answer\"\n"
      "  printf 'step %s: HTTP %s  %s\\n' \"$label\" \"$code\" \"$(head -c 300 \"$out\" | tr '\\n' ' ')\"\n"
      "  rm -f \"$out\"\n"
      "}\n\n";
  for (const auto& variable : script.uuids) {
    out += variable.name + "=$(new_uuid)  # in the recorded run: " + comment_text(variable.original) + "\n";
  }
  out += "\n";
  for (const auto& step : script.steps) {
    out += "# --- step " + std::to_string(step.number) + ": " + comment_text(step.label) + "\n";
    if (!step.expected.empty()) comment(out, "model accepts: ", step.expected);
    if (!step.parallel_statuses.empty()) {
      std::string statuses;
      for (int status : step.parallel_statuses) {
        statuses += (statuses.empty() ? "" : ", ") + (status != 0 ? std::to_string(status) : std::string("none"));
      }
      out += "# recorded run: HTTP " + statuses + "\n";
    } else if (step.observed_status != 0) {
      out += "# recorded run: HTTP " + std::to_string(step.observed_status) + "\n";
    }
    if (!step.violation.empty()) comment(out, "VIOLATION: ", step.violation);
    out += step.before;
    if (step.sleep_seconds > 0) {
      out += "sleep " + std::to_string(step.sleep_seconds) + "\n";
    } else if (!step.parallel_curl_args.empty()) {
      for (std::size_t i = 0; i < step.parallel_curl_args.size(); ++i) {
        const std::size_t instance = i < step.parallel_instances.size() ? step.parallel_instances[i] : 0;
        out += on_instance(script, instance,
                           "parallel_step " + std::to_string(step.number) + "." + std::to_string(i + 1) + " " +
                               step.parallel_curl_args[i]) +
               " &\n";
      }
      out += "wait\n";
    } else {
      out += on_instance(script, step.instance, "step " + std::to_string(step.number) + " " + step.curl_args) + "\n";
    }
    out += step.after;
    out += "\n";
  }
  return out;
}

}  // namespace tigress::model
