// Share URL vectors (draft section 7.3): URLs are assembled here from known components, so the
// expected parse (host, port, version, mailbox ID, vertical, secret) and the relay URL after the
// fragment is stripped are known by construction, not by running the reference parser.
#include <optional>

#include "reference/codec/base64.hpp"
#include "vectors/tool/generators.hpp"

namespace tigress::vectors {
namespace {

constexpr std::uint64_t kShareUrlSeed = 0x7469677265737302ULL;

std::string uuid_text(const Bytes& b) {
  const std::string hex = to_hex(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20);
}

std::string random_uuid_v4(DeterministicRng& rng) {
  Bytes b = rng.bytes(16);
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3F) | 0x80);
  return uuid_text(b);
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return text;
}

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return text;
}

struct Parts {
  std::string host;  // as written in the URL
  std::optional<int> port;
  int version = 1;
  std::string id;  // as written
  std::optional<char> vertical;
  Bytes secret;                // empty: no fragment
  std::string fragment;        // as written
  std::string canonical_host;  // when the parsed host is not simply the lower-case spelling
};

std::string assemble(const Parts& p, bool with_fragment) {
  std::string url = "https://" + p.host;
  if (p.port) url += ":" + std::to_string(*p.port);
  url += "/v" + std::to_string(p.version) + "/m/" + p.id;
  if (p.vertical) url += std::string("?v=") + *p.vertical;
  if (with_fragment && !p.fragment.empty()) url += "#" + p.fragment;
  return url;
}

OJson expected(const Parts& p) {
  Parts canonical = p;
  canonical.host = p.canonical_host.empty() ? lower(p.host) : p.canonical_host;
  canonical.id = lower(p.id);
  OJson e;
  e["host"] = canonical.host;
  e["port"] = p.port ? OJson(*p.port) : OJson(nullptr);
  e["apiVersion"] = p.version;
  e["mailboxId"] = canonical.id;
  e["vertical"] = p.vertical ? OJson(std::string(1, *p.vertical)) : OJson(nullptr);
  e["secret"] = p.secret.empty() ? OJson(nullptr) : OJson(to_hex(p.secret));
  e["relayUrl"] = assemble(canonical, false);
  Parts no_query = canonical;
  no_query.vertical.reset();
  e["mailboxUrl"] = assemble(no_query, false);
  return e;
}

std::string unpadded_url_safe(const Bytes& secret) { return codec::base64url_encode_unpadded(secret); }

std::string percent_escaped(const std::string& b64) {
  std::string out;
  for (char c : b64) {
    if (c == '+')
      out += "%2B";
    else if (c == '/')
      out += "%2F";
    else if (c == '=')
      out += "%3D";
    else
      out.push_back(c);
  }
  return out;
}

void add_share_url_notes(VectorFile& file) {
  file.note("Typical", "FUNCTIONALITY",
            "A share URL as an initiator emits it: lower-case host, standard padded base64 secret (AMB-45).");
  file.note("Port", "FUNCTIONALITY", "An explicit port; it is kept in the relay URL as written.");
  file.note("Vertical", "FUNCTIONALITY",
            "A ?v= query naming a credential vertical (section 7.3.1); it is kept in the relay URL.");
  file.note("HostCase", "FUNCTIONALITY",
            "Host or mailbox ID in upper case: DNS names and UUIDs compare case-insensitively; the parsed values are "
            "lower case.");
  file.note("IpLiteral", "FUNCTIONALITY",
            "The host is a dotted-quad IPv4 address or a bracketed IPv6 literal; IPv6 hosts parse to the URL "
            "Standard's canonical spelling (compressed, lower-case hex, no dotted IPv4).");
  file.note(
      "SecretEncoding", "FUNCTIONALITY",
      "The secret in a form recipients accept (AMB-45): base64url, unpadded, or with '+', '/', '=' percent-encoded.");
  file.note("NoSecret", "EDGE_CASE",
            "No fragment: a valid mailbox URL but no usable share URL; a recipient may refuse it or ask for the secret "
            "elsewhere.");
  file.note("UnknownApiVersion", "EDGE_CASE",
            "An API version other than v1 (v0 and v2 alike): syntactically a share URL, but no relay serves it today.");
  file.note("SchemeCase", "EDGE_CASE",
            "Scheme in upper case: RFC 3986 schemes are case-insensitive, the draft only shows 'https'.");
  file.note("WrongScheme", "MALFORMED_INPUT", "Not https (section 7.3 and 8.1.1: TLS only).");
  file.note("Userinfo", "MALFORMED_INPUT",
            "userinfo before the host: never part of a share URL and a phishing vector.");
  file.note("BadHost", "MALFORMED_INPUT",
            "Empty, malformed or non-LDH host, or a host browsers would read as a non-canonical IPv4 number (127.1, "
            "0x7f000001).");
  file.note("BadPort", "MALFORMED_INPUT", "Port empty, 0, above 65535, with leading zeros or not decimal.");
  file.note("BadPath", "MALFORMED_INPUT", "The path is not exactly /v{N}/m/{uuid}.");
  file.note("BadMailboxId", "MALFORMED_INPUT", "The mailbox ID is not a UUID in its 36-character form.");
  file.note("BadQuery", "MALFORMED_INPUT", "The query is not exactly v=a, v=h or v=c.");
  file.note("BadSecret", "MALFORMED_INPUT", "The fragment is not base64 of a 16- or 32-octet AES key.");
  file.note("Idn", "EDGE_CASE",
            "An internationalised host: the A-label (xn--) form is an LDH name; raw Unicode is an IRI, not a URI (RFC "
            "3986 reg-name is ASCII), so it is refused rather than converted.");
  file.note("ForbiddenCharacter", "MALFORMED_INPUT",
            "A tab, line break or backslash inside the URL: RFC 3986 has no place for them; WHATWG parsers silently "
            "drop or convert them, so accepting them would let two parsers disagree.");
  file.note("TrailingBits", "EDGE_CASE",
            "A secret whose base64 has non-zero unused trailing bits: RFC 4648 section 3.5 lets decoders reject it; "
            "recipients that accept it decode the same key (AMB-45 names no rule).");
  file.note(
      "PercentCase", "FUNCTIONALITY",
      "Percent-escapes in lower case (%2b, %2f, %3d): RFC 3986 section 2.1 makes their hex digits case-insensitive.");
  file.note("SingleLabel", "EDGE_CASE",
            "A single-label host: an LDH name, but not the fully qualified host name MBX-CREATE-03 expects; a "
            "recipient cannot tell either way.");
  file.note("LenientUrlParser", "EDGE_CASE",
            "A generic URL parser accepts this URL (libcurl's curl_url does: it reads, normalises or keeps the host or "
            "port); the share URL reading refuses it because the host a recipient connects to must be the one the "
            "initiator wrote, an RFC 3986 LDH, IPv4 or IPv6 host with a port 1-65535 without leading zeros.");
  file.note("OtherVersion", "FUNCTIONALITY",
            "A mailbox ID of a UUID version other than 4 (the draft's own example ID is version 1, AMB-51): version 4 "
            "is a SHOULD for the relay, so a recipient parses any version.");
}

}  // namespace

Result<std::vector<GeneratedFile>> generate_share_url_vectors() {
  VectorFile file(
      "share URL (draft-vinokurov-tigress-http-00 section 7.3)", "share_url_test_schema_v1.json",
      {"Share URLs https://{host}[:{port}]/v{N}/m/{uuid}[?v={vertical}][#{secret}].",
       "Valid: the parse must give every member of 'expected' (secret as hex of the decoded key; port null when "
       "absent); relayUrl is the URL without its fragment, which is what may be sent to the relay (section 8.2.1); "
       "mailboxUrl is the API address (no query).",
       "Invalid: the URL must be refused. Acceptable: either; when accepted, the parse must equal 'expected' where "
       "given."},
      "Expected parts known by construction (each URL is assembled from them); tigress-vectors verify runs the "
      "reference share URL parser, which vectors_crosscheck_test checks against WHATWG urltestdata.json.");
  add_share_url_notes(file);
  DeterministicRng rng(kShareUrlSeed);
  OJson params;
  params["type"] = "ShareUrlTest";
  const std::size_t g = file.group(params);

  auto add = [&](const std::string& comment, std::vector<std::string> flags, const std::string& url,
                 const std::string& result, const std::optional<Parts>& parts) {
    OJson t = file.test(comment, flags);
    t["url"] = url;
    if (parts) t["expected"] = expected(*parts);
    t["result"] = result;
    file.add_test(g, std::move(t));
  };
  auto typical = [&]() {
    Parts p;
    p.host = "relay.example.com";
    p.id = random_uuid_v4(rng);
    p.secret = rng.bytes(rng.below(2) ? 32 : 16);
    p.fragment = codec::base64_encode(p.secret);
    return p;
  };

  for (int i = 0; i < 4; ++i) {
    Parts p = typical();
    add("typical share URL " + std::to_string(i + 1), {"Typical"}, assemble(p, true), "valid", p);
  }
  for (char v : {'a', 'h', 'c'}) {
    Parts p = typical();
    p.vertical = v;
    add(std::string("vertical ") + v, {"Vertical"}, assemble(p, true), "valid", p);
  }
  for (int port : {1, 443, 8443, 65535}) {
    Parts p = typical();
    p.port = port;
    add("port " + std::to_string(port), {"Port"}, assemble(p, true), "valid", p);
  }
  {
    Parts p = typical();
    p.host = "Relay.EXAMPLE.com";
    add("upper-case host", {"HostCase"}, assemble(p, true), "valid", p);
    Parts q = typical();
    q.id = upper(q.id);
    add("upper-case mailbox ID", {"HostCase"}, assemble(q, true), "valid", q);
  }
  for (std::string host : {"127.0.0.1", "[::1]", "[2001:db8::7]"}) {
    Parts p = typical();
    p.host = host;
    p.port = 8443;
    add("host " + host, {"IpLiteral"}, assemble(p, true), "valid", p);
  }
  struct Ipv6Spelling {
    const char* written;
    const char* canonical;
  };
  for (Ipv6Spelling v :
       {Ipv6Spelling{"[2001:DB8:0:0:0:0:0:7]", "[2001:db8::7]"}, Ipv6Spelling{"[::127.0.0.1]", "[::7f00:1]"},
        Ipv6Spelling{"[1:0:0:2:0:0:0:3]", "[1:0:0:2::3]"}}) {
    Parts p = typical();
    p.host = v.written;
    p.canonical_host = v.canonical;
    add(std::string("IPv6 host ") + v.written + " in its canonical spelling", {"IpLiteral"}, assemble(p, true), "valid",
        p);
  }
  for (int i = 0; i < 3; ++i) {
    Parts p = typical();
    // Search deterministically for a key whose encoding uses '+' or '/' so the variants differ.
    while (codec::base64_encode(p.secret).find_first_of("+/") == std::string::npos)
      p.secret = rng.bytes(p.secret.size());
    const std::string standard = codec::base64_encode(p.secret);
    if (i == 0) p.fragment = unpadded_url_safe(p.secret);
    if (i == 1) p.fragment = standard.substr(0, standard.find('='));
    if (i == 2) p.fragment = percent_escaped(standard);
    const char* what[] = {"base64url unpadded secret", "standard unpadded secret", "percent-encoded secret"};
    add(what[i], {"SecretEncoding"}, assemble(p, true), "valid", p);
  }
  {
    Parts p = typical();
    p.secret.clear();
    p.fragment.clear();
    add("no fragment", {"NoSecret"}, assemble(p, true), "acceptable", p);
    Parts q = typical();
    q.version = 2;
    add("API version 2", {"UnknownApiVersion"}, assemble(q, true), "acceptable", q);
    Parts r = typical();
    std::string url = assemble(r, true);
    add("scheme HTTPS", {"SchemeCase"}, "HTTPS" + url.substr(5), "acceptable", r);
  }

  // Invalid: each mutates one component of a typical URL.
  const Parts base = typical();
  const std::string good = assemble(base, true);
  const std::string rest = good.substr(std::string("https://relay.example.com").size());  // "/v1/m/...#..."
  const std::string tail = rest.substr(std::string("/v1/m/").size() + 36);                // "#..."
  const std::string id = base.id;
  auto invalid = [&](const std::string& comment, const std::string& flag, const std::string& url) {
    add(comment, {flag}, url, "invalid", std::nullopt);
  };
  auto invalid_lenient = [&](const std::string& comment, const std::string& flag, const std::string& url) {
    add(comment, {flag, "LenientUrlParser"}, url, "invalid", std::nullopt);
  };
  invalid("http scheme", "WrongScheme", "http://relay.example.com" + rest);
  invalid("ftp scheme", "WrongScheme", "ftp://relay.example.com" + rest);
  invalid("scheme-relative", "WrongScheme", "//relay.example.com" + rest);
  invalid("userinfo", "Userinfo", "https://user@relay.example.com" + rest);
  invalid("userinfo with password", "Userinfo", "https://user:pw@relay.example.com" + rest);
  invalid_lenient("empty host", "BadHost", "https://" + rest);
  invalid_lenient("underscore in host", "BadHost", "https://relay_1.example.com" + rest);
  invalid_lenient("label starting with '-'", "BadHost", "https://-relay.example.com" + rest);
  invalid_lenient("trailing dot", "BadHost", "https://relay.example.com." + rest);
  invalid_lenient("doubled dot", "BadHost", "https://relay..example.com" + rest);
  invalid_lenient("percent-encoded host", "BadHost", "https://relay%2Eexample.com" + rest);
  invalid("IPv6 without closing bracket", "BadHost", "https://[::1" + rest);
  invalid("malformed IPv6", "BadHost", "https://[::g]" + rest);
  invalid_lenient("non-canonical IPv4", "BadHost", "https://127.1" + rest);
  invalid_lenient("hexadecimal IPv4 host", "BadHost", "https://0x7f000001" + rest);
  invalid_lenient("hexadecimal last IPv4 label", "BadHost", "https://192.0x00a80001" + rest);
  invalid_lenient("IPv4 octet above 255", "BadHost", "https://256.0.0.1" + rest);
  invalid("space in host", "BadHost", "https://relay example.com" + rest);
  invalid_lenient("empty port", "BadPort", "https://relay.example.com:" + rest);
  invalid_lenient("port 0", "BadPort", "https://relay.example.com:0" + rest);
  invalid("port 65536", "BadPort", "https://relay.example.com:65536" + rest);
  invalid_lenient("port with leading zero", "BadPort", "https://relay.example.com:08443" + rest);
  invalid("port not decimal", "BadPort", "https://relay.example.com:https" + rest);
  invalid("no path", "BadPath", "https://relay.example.com" + tail);
  invalid("version with leading zero", "BadPath", "https://relay.example.com/v01/m/" + id + tail);
  invalid("version without digits", "BadPath", "https://relay.example.com/v/m/" + id + tail);
  invalid("collection other than m", "BadPath", "https://relay.example.com/v1/x/" + id + tail);
  invalid("trailing slash", "BadPath", "https://relay.example.com/v1/m/" + id + "/" + tail);
  invalid("extra segment", "BadPath", "https://relay.example.com/v1/m/" + id + "/preview" + tail);
  invalid("prefix before /v1", "BadPath", "https://relay.example.com/api/v1/m/" + id + tail);
  invalid("dot segment", "BadPath", "https://relay.example.com/v1/m/../m/" + id + tail);
  invalid("empty mailbox ID", "BadMailboxId", "https://relay.example.com/v1/m/" + tail);
  invalid("mailbox ID not a UUID", "BadMailboxId", "https://relay.example.com/v1/m/mailbox-1" + tail);
  invalid("mailbox ID without hyphens", "BadMailboxId",
          "https://relay.example.com/v1/m/" + id.substr(0, 8) + id.substr(9, 4) + id.substr(14, 4) + id.substr(19, 4) +
              id.substr(24) + tail);
  invalid("mailbox ID in braces", "BadMailboxId", "https://relay.example.com/v1/m/%7B" + id + "%7D" + tail);
  invalid("mailbox ID one digit short", "BadMailboxId", "https://relay.example.com/v1/m/" + id.substr(0, 35) + tail);
  invalid("unknown vertical", "BadQuery", "https://relay.example.com/v1/m/" + id + "?v=x" + tail);
  invalid("vertical in upper case", "BadQuery", "https://relay.example.com/v1/m/" + id + "?v=A" + tail);
  invalid("empty query", "BadQuery", "https://relay.example.com/v1/m/" + id + "?" + tail);
  invalid("other query member", "BadQuery", "https://relay.example.com/v1/m/" + id + "?v=a&x=1" + tail);
  invalid("other query key", "BadQuery", "https://relay.example.com/v1/m/" + id + "?vertical=a" + tail);
  const std::string no_fragment = "https://relay.example.com/v1/m/" + id;
  invalid("empty fragment", "BadSecret", no_fragment + "#");
  invalid("secret of 15 octets", "BadSecret", no_fragment + "#" + codec::base64_encode(rng.bytes(15)));
  invalid("secret of 24 octets", "BadSecret", no_fragment + "#" + codec::base64_encode(rng.bytes(24)));
  invalid("secret of 33 octets", "BadSecret", no_fragment + "#" + codec::base64_encode(rng.bytes(33)));
  invalid("secret not base64", "BadSecret", no_fragment + "#not*base64*at*all*xxxxxxx");
  invalid("secret with wrong padding", "BadSecret", no_fragment + "#" + codec::base64_encode(base.secret) + "=");
  invalid("secret with a truncated percent-escape", "BadSecret",
          no_fragment + "#" + codec::base64_encode(base.secret) + "%3");
  {
    Bytes key = rng.bytes(16);
    while (codec::base64_encode(key).find('+') == std::string::npos ||
           codec::base64_encode(key).find('/') == std::string::npos) {
      key = rng.bytes(16);
    }
    std::string mixed = codec::base64_encode(key);
    mixed[mixed.find('+')] = '-';  // one URL-safe symbol next to a standard '/'
    invalid("secret mixing both alphabets", "BadSecret", no_fragment + "#" + mixed);
  }
  invalid("empty string", "BadPath", "");
  invalid("space before the URL", "WrongScheme", " " + good);

  // ---- later edges ----
  {
    Parts v0 = typical();
    v0.version = 0;
    add("API version 0: as unknown as version 2", {"UnknownApiVersion"}, assemble(v0, true), "acceptable", v0);
    Parts idn = typical();
    idn.host = "xn--bcher-kva.example";
    add("A-label host xn--bcher-kva.example (IDNA form of b\xc3\xbc"
        "cher.example)",
        {"Idn"}, assemble(idn, true), "valid", idn);
    Parts idn_upper = typical();
    idn_upper.host = "XN--BCHER-KVA.example";
    add("A-label host in upper case", {"Idn", "HostCase"}, assemble(idn_upper, true), "valid", idn_upper);
    Parts mapped = typical();
    mapped.host = "[::ffff:192.0.2.1]";
    mapped.canonical_host = "[::ffff:c000:201]";
    add("IPv4-mapped IPv6 host [::ffff:192.0.2.1], canonical [::ffff:c000:201]", {"IpLiteral"}, assemble(mapped, true),
        "valid", mapped);
    Parts label63 = typical();
    label63.host = std::string(63, 'a') + ".example.com";
    add("a label of 63 characters, the most RFC 1035 allows", {"Typical"}, assemble(label63, true), "valid", label63);
    Parts single = typical();
    single.host = "relay";
    add("single-label host", {"SingleLabel"}, assemble(single, true), "acceptable", single);
    Parts lower_escapes = typical();
    while (codec::base64_encode(lower_escapes.secret).find_first_of("+/") == std::string::npos) {
      lower_escapes.secret = rng.bytes(lower_escapes.secret.size());
    }
    lower_escapes.fragment = lower(percent_escaped(codec::base64_encode(lower_escapes.secret)));
    // lower() also lowers the base64 letters: rebuild with only the escapes in lower case.
    lower_escapes.fragment.clear();
    for (char c : codec::base64_encode(lower_escapes.secret)) {
      lower_escapes.fragment += c == '+'   ? std::string("%2b")
                                : c == '/' ? std::string("%2f")
                                : c == '=' ? std::string("%3d")
                                           : std::string(1, c);
    }
    add("secret with lower-case percent-escapes", {"SecretEncoding", "PercentCase"}, assemble(lower_escapes, true),
        "valid", lower_escapes);
    Parts trailing = typical();
    trailing.secret = rng.bytes(16);
    std::string bits = codec::base64_encode(trailing.secret);  // 16 octets: 22 symbols, 4 unused bits, "=="
    static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    bits[21] = kAlphabet[kAlphabet.find(bits[21]) | 1];
    trailing.fragment = bits;
    add("secret with non-zero unused trailing bits", {"TrailingBits"}, assemble(trailing, true), "acceptable",
        trailing);
    for (int version : {1, 7}) {
      Parts other = typical();
      Bytes b = rng.bytes(16);
      b[6] = static_cast<std::uint8_t>((b[6] & 0x0F) | (version << 4));
      b[8] = static_cast<std::uint8_t>((b[8] & 0x3F) | 0x80);
      other.id = uuid_text(b);
      add("mailbox ID of UUID version " + std::to_string(version), {"OtherVersion"}, assemble(other, true), "valid",
          other);
    }
    Parts example;
    example.host = "relay.example.com";
    example.id = "2bba630e-519b-11ec-bf63-0242ac130002";
    example.vertical = 'c';
    example.fragment = "hXlr6aRC7KgJpOLTNZaLsw==";
    example.secret = {0x85, 0x79, 0x6b, 0xe9, 0xa4, 0x42, 0xec, 0xa8, 0x09, 0xa4, 0xe2, 0xd3, 0x35, 0x96, 0x8b, 0xb3};
    add("the draft's example mailbox ID (version 1, section 7.3.1) and example secret", {"OtherVersion", "Vertical"},
        assemble(example, true), "valid", example);
  }
  invalid_lenient(
      "raw Unicode host b\xc3\xbc"
      "cher.example",
      "Idn",
      "https://b\xc3\xbc"
      "cher.example" +
          rest);
  invalid_lenient("percent-encoded UTF-8 host", "Idn", "https://b%C3%BCcher.example" + rest);
  invalid_lenient("A-label that is no valid punycode (xn--)", "Idn", "https://xn--.example" + rest);
  invalid_lenient("a label of 64 characters", "BadHost", "https://" + std::string(64, 'a') + ".example.com" + rest);
  invalid("tab inside the host", "ForbiddenCharacter", "https://relay.exa\tmple.com" + rest);
  invalid("line feed inside the path", "ForbiddenCharacter", "https://relay.example.com/v1/m/\n" + id + tail);
  invalid("carriage return and line feed after the URL", "ForbiddenCharacter", good + "\r\n");
  invalid("tab inside the secret", "ForbiddenCharacter",
          no_fragment + "#" + codec::base64_encode(base.secret).insert(8, "\t"));
  invalid("backslash instead of the first slash of the path", "ForbiddenCharacter",
          "https://relay.example.com\\v1/m/" + id + tail);
  invalid("backslashes instead of //", "ForbiddenCharacter", "https:\\\\relay.example.com" + rest);
  invalid_lenient("IPv6 host with a zone ID (RFC 6874): names an interface of the reader, not a relay", "BadHost",
                  "https://[fe80::1%25eth0]" + rest);
  invalid_lenient("IPv6 host with an unescaped zone ID", "BadHost", "https://[fe80::1%eth0]" + rest);
  invalid("a second '#' in the fragment", "BadSecret", good + "#");
  invalid("a second '#' inside the secret", "BadSecret",
          no_fragment + "#" + codec::base64_encode(base.secret).insert(4, "#"));
  invalid("/V1/ in upper case: paths are case-sensitive (RFC 3986 section 6.2.2.1)", "BadPath",
          "https://relay.example.com/V1/m/" + id + tail);
  invalid("/v1/M/ in upper case", "BadPath", "https://relay.example.com/v1/M/" + id + tail);

  auto doc = file.finish();
  if (!doc) return doc.error();
  return std::vector<GeneratedFile>{{"share_url_test.json", std::move(*doc)}};
}

}  // namespace tigress::vectors
