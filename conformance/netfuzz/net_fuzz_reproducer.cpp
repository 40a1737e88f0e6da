// Reproducer files of net_fuzz_reproducer.hpp: JSON for --replay, a curl script for people.
#include "conformance/netfuzz/net_fuzz_reproducer.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "harness/protocol/vocabulary.hpp"
#include "reference/codec/base64.hpp"

namespace tigress::fuzz {
namespace {

using Json = nlohmann::json;
constexpr const char* kFormat = "tigress-netfuzz-reproducer/1";

std::string dump(const Json& json) { return json.dump(2, ' ', false, Json::error_handler_t::replace); }

// nlohmann refuses invalid UTF-8 when dumping; such bodies are stored as base64 instead.
bool is_valid_utf8(const std::string& text) {
  try {
    (void)Json(text).dump();
    return true;
  } catch (const Json::exception&) {
    return false;
  }
}

Json step_to_json(const NetRequest& r) {
  Json headers = Json::array();
  for (const auto& [name, value] : r.headers) headers.push_back({name, value});
  Json step = {{"method", r.method}, {"path", r.path}, {"headers", headers}, {"chunked", r.chunked}};
  if (is_valid_utf8(r.body)) {
    step["body"] = r.body;
  } else {
    step["body_base64"] = codec::base64_encode(Bytes(r.body.begin(), r.body.end()));
  }
  return step;
}

Result<NetRequest> step_from_json(const Json& step) {
  if (!step.is_object() || !step.contains("method") || !step["method"].is_string() || !step.contains("path") ||
      !step["path"].is_string() || !step.contains("headers") || !step["headers"].is_array()) {
    return make_error("a step needs method, path and headers");
  }
  NetRequest r;
  r.method = step["method"].get<std::string>();
  r.path = step["path"].get<std::string>();
  for (const auto& header : step["headers"]) {
    if (!header.is_array() || header.size() != 2 || !header[0].is_string() || !header[1].is_string()) {
      return make_error("a header is a [name, value] pair of strings");
    }
    r.headers.emplace_back(header[0].get<std::string>(), header[1].get<std::string>());
  }
  if (step.contains("body_base64") && step["body_base64"].is_string()) {
    auto bytes = codec::base64_decode(step["body_base64"].get<std::string>());
    if (!bytes) return make_error("body_base64: " + bytes.error().message());
    r.body.assign(bytes->begin(), bytes->end());
  } else if (step.contains("body") && step["body"].is_string()) {
    r.body = step["body"].get<std::string>();
  }
  r.chunked = step.value("chunked", false);
  return r;
}

std::string short_hash(const Reproducer& reproducer) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  auto mix = [&h](const std::string& text) {
    for (unsigned char c : text) h = (h ^ c) * 1099511628211ULL;
  };
  mix(reproducer.finding.key());
  for (const auto& step : reproducer.steps) mix(step.method + " " + step.path + "\n" + step.body);
  char out[9];
  std::snprintf(out, sizeof out, "%08llx", static_cast<unsigned long long>(h & 0xffffffffULL));
  return out;
}

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A shell word for a template: literal runs single-quoted, our ${VARIABLE}s expanded.
std::string shell_word(const std::string& text) {
  std::string out;
  std::string literal;
  std::size_t at = 0;
  while (at < text.size()) {
    bool matched = false;
    for (auto variable : kVariables) {
      const std::string token = "${" + std::string(variable) + "}";
      if (text.compare(at, token.size(), token) == 0) {
        if (!literal.empty()) out += shell_quote(literal);
        literal.clear();
        out += "\"" + token + "\"";
        at += token.size();
        matched = true;
        break;
      }
    }
    if (!matched) literal += text[at++];
  }
  if (!literal.empty() || out.empty()) out += shell_quote(literal);
  return out;
}

// A printf format that writes `bytes` exactly: every byte outside printable ASCII, the quote,
// the backslash and the percent sign as a three-digit octal escape.
std::string printf_format(const std::string& bytes) {
  std::string out = "'";
  for (unsigned char c : bytes) {
    if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\' && c != '%') {
      out += static_cast<char>(c);
    } else {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\%03o", c);
      out += escape;
    }
  }
  return out + "'";
}

bool has_header(const NetRequest& r, const std::string& name) {
  for (const auto& h : r.headers) {
    if (to_lower(h.first) == to_lower(name)) return true;
  }
  return false;
}

std::string comment_safe(const std::string& text) {
  std::string out;
  for (char c : text) out += (c == '\n' || c == '\r') ? ' ' : c;
  return out;
}

}  // namespace

std::string reproducer_script(const Reproducer& reproducer) {
  const Finding& f = reproducer.finding;
  std::ostringstream s;
  s << "#!/usr/bin/env bash\n"
    << "# tigress-netfuzz reproducer: " << f.finding_class << " at " << comment_safe(f.endpoint) << " ("
    << comment_safe(f.what) << ")\n"
    << "# expected: " << comment_safe(f.detail) << "\n"
    << "# found with --seed " << reproducer.seed << ", connection " << reproducer.connection << ", sequence "
    << reproducer.sequence << "; "
    << (reproducer.minimised ? "minimised from " + std::to_string(reproducer.original_steps) + " to " +
                                   std::to_string(reproducer.steps.size()) + " requests"
                             : "not minimised")
    << (reproducer.note.empty() ? "" : " (" + comment_safe(reproducer.note) + ")") << "\n"
    << "# usage: RELAY=https://host:port [CURL_TLS='--cacert ca.pem'] bash "
    << "this-script\n"
    << "# Claims are fresh UUIDs per run; MAILBOX is the id the first successful Create returns.\n"
    << "# Needs bash and curl. Prints each answer's status and the start of its body.\n"
    << "set -u\n"
    << "RELAY=${RELAY:?set RELAY to the relay base URL, e.g. https://127.0.0.1:8443}\n"
    << "CURL_TLS=${CURL_TLS:---insecure}\n"
    << "MAX_TIME=${MAX_TIME:-10}\n"
    << "new_uuid() { cat /proc/sys/kernel/random/uuid 2>/dev/null || uuidgen | tr 'A-F' 'a-f'; }\n"
    << "upper() { printf '%s' \"$1\" | tr 'a-f' 'A-F'; }\n"
    << "CLAIM0=$(new_uuid); CLAIM1=$(new_uuid); CLAIM2=$(new_uuid)\n"
    << "CLAIM0_UPPER=$(upper \"$CLAIM0\"); CLAIM1_UPPER=$(upper \"$CLAIM1\")\n"
    << "MAILBOX=" << kUnknownMailbox << "; MAILBOX_UPPER=$(upper \"$MAILBOX\"); CREATED=\n"
    << "OUT=$(mktemp); BODY=$(mktemp); trap 'rm -f \"$OUT\" \"$BODY\"' EXIT\n"
    << "step() {  # step NUMBER ENDPOINT curl-arguments...\n"
    << "  local number=$1 endpoint=$2; shift 2\n"
    << "  local code\n"
    << "  code=$(curl -sS -g --path-as-is --max-time \"$MAX_TIME\" $CURL_TLS -o \"$OUT\" -w '%{http_code}' \"$@\") "
       "|| code=\"no answer ($code)\"\n"
    << "  printf 'step %s %s: %s\\n' \"$number\" \"$endpoint\" \"$code\"\n"
    << "  head -c 300 \"$OUT\" | tr -c '[:print:]\\n' '.'; echo\n"
    << "}\n"
    << "learn_mailbox() {  # the first successful Create names the mailbox\n"
    << "  [[ -n $CREATED ]] && return\n"
    << "  local id\n"
    << "  id=$(sed -n 's|.*\"urlLink\" *: *\"[^\"]*/\\([^\"/]*\\)\".*|\\1|p' \"$OUT\" | head -1)\n"
    << "  if [[ -n $id ]]; then MAILBOX=$(printf '%s' \"$id\" | tr 'A-F' 'a-f'); MAILBOX_UPPER=$(upper \"$MAILBOX\"); "
       "CREATED=1; fi\n"
    << "}\n";
  int number = 0;
  for (const NetRequest& r : reproducer.steps) {
    ++number;
    s << "\n# " << number << ": " << comment_safe(endpoint_of(r)) << "\n";
    const bool body_method = r.method == "POST" || r.method == "PUT" || r.method == "PATCH";
    if (!r.body.empty()) s << "printf " << printf_format(r.body) << " >\"$BODY\"\n";
    s << "step " << number << " " << shell_quote(endpoint_of(r));
    s << (r.method == "HEAD" ? std::string(" --head") : " -X " + shell_quote(r.method));
    s << " \"$RELAY\"" << shell_word(r.path);
    for (const auto& [name, value] : r.headers) {
      s << " -H " << (value.empty() ? shell_quote(name + ";") : shell_word(name + ": " + value));
    }
    if (r.chunked) s << " -H 'Transfer-Encoding: chunked'";
    if (!r.body.empty()) {
      if (!has_header(r, "Content-Type")) s << " -H 'Content-Type:'";  // curl would add a form type
      s << " -H 'Expect:' --data-binary @\"$BODY\"";
    } else if (body_method && !r.chunked) {
      s << " -H 'Content-Length: 0'";  // what the fuzzer sent for a bodiless POST, PUT or PATCH
    }
    s << "\n";
    // As the runner: ${MAILBOX} is what a Create, as the relay routes it, answered.
    if (protocol::classify(r.method, protocol::normalise_target(r.path)).endpoint == protocol::Endpoint::kCreate) {
      s << "learn_mailbox\n";
    }
  }
  return s.str();
}

Result<SavedReproducer> save_reproducer(const Reproducer& reproducer, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return make_error("cannot create " + dir + ": " + ec.message());
  Json steps = Json::array();
  for (const auto& step : reproducer.steps) steps.push_back(step_to_json(step));
  const Finding& f = reproducer.finding;
  Json doc = {{"format", kFormat},
              {"finding",
               {{"class", f.finding_class},
                {"endpoint", f.endpoint},
                {"what", f.what},
                {"key", f.key()},
                {"detail", f.detail},
                {"step", f.step}}},
              {"seed", reproducer.seed},
              {"connection", reproducer.connection},
              {"sequence", reproducer.sequence},
              {"minimised", reproducer.minimised},
              {"original_steps", reproducer.original_steps},
              {"note", reproducer.note},
              {"found_with",
               {{"CLAIM0", reproducer.bindings.claims[0]},
                {"CLAIM1", reproducer.bindings.claims[1]},
                {"CLAIM2", reproducer.bindings.claims[2]},
                {"MAILBOX", reproducer.bindings.mailbox}}},
              {"steps", steps}};
  const std::string stem = (std::filesystem::path(dir) / (f.finding_class + "-" + short_hash(reproducer))).string();
  SavedReproducer saved{stem + ".json", stem + ".sh"};
  {
    std::ofstream out(saved.json_path, std::ios::binary | std::ios::trunc);
    if (!(out << dump(doc) << "\n")) return make_error("cannot write " + saved.json_path);
  }
  {
    std::ofstream out(saved.script_path, std::ios::binary | std::ios::trunc);
    if (!(out << reproducer_script(reproducer))) return make_error("cannot write " + saved.script_path);
  }
  std::filesystem::permissions(saved.script_path, std::filesystem::perms::owner_exec,
                               std::filesystem::perm_options::add, ec);
  return saved;
}

namespace {

Result<Reproducer> parse_reproducer(const std::string& json_path) {
  std::ifstream in(json_path, std::ios::binary);
  if (!in) return make_error("cannot read " + json_path);
  std::stringstream text;
  text << in.rdbuf();
  const Json doc = Json::parse(text.str(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || doc.value("format", "") != kFormat) {
    return make_error(json_path + ": not a " + std::string(kFormat) + " file");
  }
  Reproducer r;
  const Json& f = doc.contains("finding") ? doc["finding"] : Json::object();
  if (!f.is_object() || !doc.contains("steps") || !doc["steps"].is_array()) {
    return make_error(json_path + ": needs finding and steps");
  }
  r.finding.finding_class = f.value("class", "");
  r.finding.endpoint = f.value("endpoint", "");
  r.finding.what = f.value("what", "");
  r.finding.detail = f.value("detail", "");
  r.finding.step = f.value("step", 0);
  r.seed = doc.value("seed", std::uint64_t{0});
  r.connection = doc.value("connection", 0);
  r.sequence = doc.value("sequence", std::uint64_t{0});
  r.minimised = doc.value("minimised", false);
  r.original_steps = doc.value("original_steps", std::size_t{0});
  r.note = doc.value("note", "");
  for (const auto& step : doc["steps"]) {
    auto request = step_from_json(step);
    if (!request) return make_error(json_path + ": " + request.error().message());
    r.steps.push_back(std::move(*request));
  }
  if (r.steps.empty()) return make_error(json_path + ": no steps");
  return r;
}

}  // namespace

Result<Reproducer> load_reproducer(const std::string& json_path) {
  try {
    return parse_reproducer(json_path);
  } catch (const Json::exception& e) {  // a member of the wrong type
    return make_error(json_path + ": " + e.what());
  }
}

}  // namespace tigress::fuzz
