#include "conformance/model/model.hpp"

#include <algorithm>
#include <cctype>

namespace tigress::model {
namespace {

std::string statuses_text(const std::vector<int>& statuses) {
  std::string out;
  for (int s : statuses) out += (out.empty() ? "" : "|") + std::to_string(s);
  return out;
}

// Cites shared by several alternatives.
constexpr const char* kNoClaim = "MBX-CLM-01: a request without a claim is refused and binds nothing (AMB-01, AMB-25)";

// The first requirement ID a violation cites.
std::string first_requirement(const std::string& text) {
  const std::size_t at = text.find("MBX-");
  if (at == std::string::npos) return {};
  std::size_t end = at + 4;
  while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '-')) ++end;
  return text.substr(at, end - at);
}

}  // namespace

bool rights_has(const std::optional<std::string>& rights, char letter) {
  // 6.1.5: without accessRights the mailbox allows read and delete.
  return rights ? rights->find(letter) != std::string::npos : (letter == 'R' || letter == 'D');
}

RelayModel::RelayModel(ModelOptions options) : options_(options) {}

std::string RelayModel::mailbox_target(int slot) const {
  if (slot < 0 || slot >= slot_count() || slots_[slot] < 0) return {};
  return mailboxes_[slots_[slot]].target;
}

std::vector<std::string> RelayModel::enforced_requirements() {
  return {"MBX-CREATE-01",  "MBX-CREATE-02",  "MBX-CREATE-03", "MBX-CREATE-04",  "MBX-CREATE-08",  "MBX-CREATE-12",
          "MBX-READ-01",    "MBX-READ-02",    "MBX-READ-03",   "MBX-READ-04",    "MBX-READ-05",    "MBX-READ-06",
          "MBX-READ-07",    "MBX-READ-08",    "MBX-READ-09",   "MBX-UPDATE-01",  "MBX-UPDATE-02",  "MBX-UPDATE-03",
          "MBX-UPDATE-06",  "MBX-UPDATE-07",  "MBX-UPDATE-08", "MBX-UPDATE-09",  "MBX-DELETE-01",  "MBX-DELETE-02",
          "MBX-DELETE-03",  "MBX-DELETE-05",  "MBX-DELETE-06", "MBX-PREVIEW-01", "MBX-PREVIEW-03", "MBX-PREVIEW-04",
          "MBX-PREVIEW-05", "MBX-PREVIEW-09", "MBX-RELINQ-01", "MBX-RELINQ-02",  "MBX-RELINQ-03",  "MBX-RELINQ-04",
          "MBX-RELINQ-06",  "MBX-RELINQ-07",  "MBX-BIND-01",   "MBX-BIND-02",    "MBX-BIND-03",    "MBX-ACL-01",
          "MBX-ACL-02",     "MBX-ACL-03",     "MBX-ACL-04",    "MBX-ACL-05",     "MBX-EXP-01",     "MBX-EXP-03",
          "MBX-EXP-04",     "MBX-EXP-06",     "MBX-RID-03",    "MBX-RID-06",     "MBX-RID-07",     "MBX-RID-08",
          "MBX-RID-09",     "MBX-RID-10",     "MBX-RID-11",    "MBX-RID-13",     "MBX-CLM-01",     "MBX-ID-04",
          "MBX-ENC-05",     "MBX-DES-02",     "MBX-DES-03",    "MBX-PRIV-02"};
}

Outcome RelayModel::step(const Request& request, const Response& response) {
  std::vector<Alternative> alternatives =
      request.op == Op::kCreate ? create_alternatives(request) : mailbox_alternatives(request);
  Outcome outcome;
  for (const auto& alternative : alternatives) {
    outcome.expected +=
        (outcome.expected.empty() ? "" : "; or ") + statuses_text(alternative.statuses) + " (" + alternative.cite + ")";
  }
  for (const auto& alternative : alternatives) {
    const auto& s = alternative.statuses;
    outcome.status_fits = outcome.status_fits || std::find(s.begin(), s.end(), response.status) != s.end();
  }
  auto fail = [&](std::string why) {
    outcome.ok = false;
    outcome.rule = first_requirement(why);
    outcome.violation = std::move(why);
    return outcome;
  };
  // Checks that hold whatever the state.
  if (response.status >= 500) {
    return fail("MBX-GEN-09: answered " + std::to_string(response.status) +
                "; client mistakes are answered 4xx, never 5xx (AMB-02)");
  }
  if (std::string echo = check_echo(response, request); !echo.empty()) return fail(echo);
  if (std::string leak = check_not_leaking(response, request); !leak.empty()) return fail(leak);
  if (request.op == Op::kUnknown) {
    outcome.chosen = "no endpoint of the draft: only the rules for every answer apply";
    return outcome;
  }

  std::string mismatch;
  for (const auto& alternative : alternatives) {
    const auto& s = alternative.statuses;
    if (std::find(s.begin(), s.end(), response.status) == s.end()) continue;
    if (alternative.check) {
      if (std::string why = alternative.check(response); !why.empty()) {
        if (mismatch.empty()) mismatch = why;
        continue;
      }
    }
    // A refusal of an unvouched request may be about its bytes, not the state: it teaches nothing.
    if (alternative.effect && (is_2xx(response.status) || !request.unvouched)) alternative.effect(response);
    outcome.chosen = alternative.cite;
    return outcome;
  }
  if (request.unvouched && response.status >= 400 && response.status < 500) {
    outcome.chosen = "a request the caller cannot vouch for, refused; nothing changes";
    return outcome;
  }
  if (!mismatch.empty()) return fail("answered " + std::to_string(response.status) + ", but " + mismatch);
  return fail("answered " + std::to_string(response.status) + "; a conforming relay answers " + outcome.expected);
}

RelayModel::Repeat RelayModel::classify_repeat(const Request& request, int index) const {
  if (request.request_id.empty() || request.claim.empty()) return Repeat::kNone;
  auto same = [&](const Record& r) {
    return r.request_id == request.request_id && r.op == request.op &&
           (request.op == Op::kCreate || r.mailbox == index);
  };
  if (auto it = records_.find(request.claim); it != records_.end() && same(it->second)) return Repeat::kLast;
  if (auto it = history_.find(request.claim); it != history_.end()) {
    if (std::any_of(it->second.begin(), it->second.end(), same)) return Repeat::kEarlier;
  }
  return Repeat::kNone;
}

void RelayModel::remember(const Request& request, int index, const std::string& url_link) {
  // 5.1: the relay keeps the last successfully processed Request-ID per device claim.
  if (request.request_id.empty() || request.claim.empty()) return;
  Record record{request.request_id, request.op, index, url_link};
  records_[request.claim] = record;
  history_[request.claim].push_back(record);
}

RelayModel::Liveness RelayModel::liveness(Mailbox& mailbox, const Request& request) const {
  if (mailbox.status != Status::kLive) return Liveness::kGone;
  // The relay handled the request somewhere in [sent, answered] of our clock, its own clock
  // being up to clock_skew away.
  if (request.answered + options_.clock_skew < mailbox.expires_lo) return Liveness::kLive;
  if (mailbox.expires_hi != kUnbounded &&
      request.sent - options_.clock_skew >= mailbox.expires_hi + options_.expiry_grace) {
    mailbox.status = Status::kExpired;  // certain: from here on every answer must say so
    return Liveness::kGone;
  }
  return Liveness::kEither;
}

int RelayModel::open_mailbox(const Request& request, const Response& response, int slot) {
  Mailbox mailbox;
  mailbox.status = Status::kLive;
  mailbox.url_link = created_link(response.body);
  mailbox.target = protocol::link_target(mailbox.url_link);
  mailbox.id = protocol::mailbox_id_of(mailbox.target);
  mailbox.initiator = request.claim;
  // Unknown rights allow everything: a refusal then fits only an unvouched request's any-4xx.
  mailbox.read = !request.body_known || rights_has(request.access_rights, 'R');
  mailbox.write = !request.body_known || rights_has(request.access_rights, 'W');
  mailbox.remove = !request.body_known || rights_has(request.access_rights, 'D');
  mailbox.requested = request.body_known ? request.expiration.value_or(0) : 0;
  mailbox.payload_known = mailbox.contents_known = request.body_known;
  mailbox.payload = request.payload;
  mailbox.payload_step = request.step;
  mailbox.display = request.display;
  mailboxes_.push_back(mailbox);
  const int index = static_cast<int>(mailboxes_.size()) - 1;
  if (slot >= 0) slots_[slot] = index;
  remember(request, index, mailbox.url_link);
  return index;
}

std::vector<RelayModel::Alternative> RelayModel::create_alternatives(const Request& request) {
  int slot = request.slot;
  if (slot < 0) {
    slots_.push_back(-1);
    slot = slot_count() - 1;
  } else {
    slot = -1;  // a repeat processed afresh makes a mailbox no command addresses
  }
  const Repeat repeat = classify_repeat(request, -1);
  std::vector<Alternative> out;
  const Record* original = nullptr;
  if (repeat != Repeat::kNone) {
    const auto& list = history_.at(request.claim);
    auto it = std::find_if(list.rbegin(), list.rend(),
                           [&](const Record& r) { return r.request_id == request.request_id && r.op == Op::kCreate; });
    original = &*it;
    const std::string link = original->url_link;
    out.push_back({{201},
                   repeat == Repeat::kLast
                       ? "MBX-RID-07: a repeated Create answers 201 and creates nothing; a urlLink in it is "
                         "the first one (AMB-03)"
                       : "AMB-41: a repeat of an older Create may still be recognised (201)",
                   [this, link](const Response& r) { return check_repeat_link(r, link); },
                   nullptr});
    // AMB-41 lets an older request be processed again; AMB-64 lets the record go with the mailbox.
    if (repeat == Repeat::kLast && liveness(mailboxes_[original->mailbox], request) == Liveness::kLive) return out;
  }

  const Seconds t0 = request.sent, t1 = request.answered, skew = options_.clock_skew;
  Seconds lo = t0 - skew + options_.min_lifetime;
  Seconds hi = options_.max_ttl ? t1 + skew + *options_.max_ttl : kUnbounded;
  std::string cite = request.has_configuration
                         ? "MBX-CREATE-01: a first Create answers 200 with urlLink"
                         : "MBX-CREATE-01, MBX-CREATE-08: 200 with the relay's default configuration";
  bool may_refuse = false;
  std::string refuse_cite;
  if (request.expiration) {
    const Seconds requested = *request.expiration;
    if (requested <= t0 - skew) {
      // Certainly in the past: refused (strict), or accepted as an already expired mailbox.
      out.push_back({{400}, "MBX-EXP-04: an expiration in the past is refused", nullptr, nullptr});
      cite = "AMB-13: a past expiration accepted, the mailbox expired at once";
      lo = hi = requested;
    } else {
      // Never later than asked; exactly as asked unless a lifetime cap explains a shorter one.
      hi = std::min(hi, requested);
      lo = std::min(lo, requested);
      if (requested - t1 <= options_.min_lifetime) lo = requested;
      if (requested <= t1 + skew) {
        may_refuse = true;
        refuse_cite = "MBX-EXP-04: at the relay's clock the expiration may already have passed";
      } else if (requested - t1 > options_.min_lifetime) {
        may_refuse = true;
        refuse_cite = "AMB-14: a lifetime beyond the relay's maximum may be refused";
      }
    }
  }
  if (may_refuse) out.push_back({{400}, refuse_cite, nullptr, nullptr});
  if (!request.body_known) {  // any expiration, even one already past (AMB-13)
    lo = 0;
    hi = kUnbounded;
  }
  auto created = [this, &request, slot, lo, hi](const Response& response) {
    const int index = open_mailbox(request, response, slot);
    mailboxes_[index].expires_lo = lo;
    mailboxes_[index].expires_hi = hi;
  };
  auto check = [this](const Response& r) { return check_created(r); };
  out.push_back({{200}, cite, check, created});
  if (repeat == Repeat::kNone) {
    out.push_back(
        {{201}, "AMB-24: 201 with the full body on a first Create (an interoperability risk)", check, created});
  }
  return out;
}

std::vector<RelayModel::Alternative> RelayModel::mailbox_alternatives(const Request& request) {
  // A slot of -1: a mailbox the model never saw created.
  const int index = request.slot < 0 ? -1 : slots_.at(request.slot);
  if (index < 0) return gone_alternatives(request, -1, Repeat::kNone, false);
  const Repeat repeat = classify_repeat(request, index);
  const Liveness live = liveness(mailboxes_[index], request);
  std::vector<Alternative> out;
  if (live != Liveness::kGone) out = live_alternatives(request, index, repeat);
  if (live != Liveness::kLive) {
    auto gone = gone_alternatives(request, index, repeat, live == Liveness::kEither);
    out.insert(out.end(), gone.begin(), gone.end());
  }
  return out;
}

std::vector<RelayModel::Alternative> RelayModel::live_alternatives(const Request& request, int index, Repeat repeat) {
  if (repeat == Repeat::kLast) {
    // The claim's last success, sent again: recognised, nothing executed (5.1).
    const Mailbox& m = mailboxes_[index];
    switch (request.op) {
      case Op::kUpdate:
        return {{{201}, "MBX-RID-08: a repeated Update answers 201 and stores nothing", nullptr, nullptr}};
      case Op::kRelinquish:
        if (m.recipient == request.claim) {
          return {{{201}, "MBX-RID-09: a repeated Relinquish answers 201", nullptr, nullptr}};
        }
        return {{{201}, "MBX-RID-09: a repeated Relinquish answers 201", nullptr, nullptr},
                {{401, 403}, "AMB-42: the duplicate check may come after authorisation", nullptr, nullptr}};
      default:
        return {{{201}, "MBX-RID-06: a repeated request answers 201", nullptr, nullptr}};
    }
  }
  auto out = fresh_alternatives(request, index);
  if (repeat == Repeat::kEarlier) {
    out.push_back({{201}, "AMB-41: a repeat of an older request may still be recognised", nullptr, nullptr});
  }
  return out;
}

std::vector<RelayModel::Alternative> RelayModel::fresh_alternatives(const Request& request, int index) {
  Mailbox& m = mailboxes_[index];
  const std::string& claim = request.claim;
  const bool initiator = !claim.empty() && claim == m.initiator;
  const bool recipient = !claim.empty() && m.recipient == claim;
  const bool bound = initiator || recipient;
  const bool slot_free = !m.recipient && !claim.empty() && !initiator;
  const std::vector<int> refused{401, 403};        // AMB-25: 403 wherever the draft says 401
  const std::vector<int> no_right{401, 403, 405};  // AMB-10
  auto keep = [this, &request, index](const Response&) { remember(request, index, {}); };

  switch (request.op) {
    case Op::kCreate:
    case Op::kUnknown:
      break;
    case Op::kPreview:
      return {{{200},
               "MBX-PREVIEW-01, MBX-PREVIEW-09: the preview is served while the mailbox exists, binding nothing",
               [this, index](const Response& r) { return check_preview(mailboxes_[index], r); },
               nullptr}};
    case Op::kRead: {
      if (claim.empty())
        return {{{401, 400, 403}, "MBX-READ-08, AMB-01: a Read without a claim binds nothing", nullptr, nullptr}};
      if (!m.read) return {{refused, "MBX-ACL-04: without R nobody reads and nobody binds (AMB-10)", nullptr, nullptr}};
      auto check = [this, index, &request](const Response& r) { return check_read(mailboxes_[index], r, request); };
      auto learn = [this, index](const Response& r) { learn_expiration(mailboxes_[index], r); };
      if (bound) {
        return {{{200},
                 initiator ? "MBX-READ-01, MBX-BIND-03: the initiator reads the current payload and binds nothing"
                           : "MBX-READ-01, MBX-READ-09: the bound recipient reads the current payload",
                 check,
                 learn}};
      }
      if (slot_free) {
        std::vector<Alternative> out{{{200},
                                      m.relinquished.empty()
                                          ? "MBX-READ-04: the first other claim to read becomes the recipient"
                                          : "MBX-RELINQ-02, MBX-READ-04: after a relinquish the next reader binds",
                                      check,
                                      [this, index, claim, learn](const Response& r) {
                                        learn(r);
                                        mailboxes_[index].recipient = claim;
                                      }}};
        if (m.relinquished.count(claim)) {
          out.push_back({refused, "AMB-32: a relay may refuse a relinquished claim for good", nullptr, nullptr});
        }
        return out;
      }
      return {{refused, "MBX-READ-05, MBX-BIND-01: exactly one recipient; other claims are refused", nullptr, nullptr}};
    }
    case Op::kUpdate: {
      if (claim.empty()) return {{{400, 401, 403}, kNoClaim, nullptr, nullptr}};
      if (bound && !m.write) {
        return {{no_right, "MBX-ACL-01, MBX-ACL-05: without W nobody updates (AMB-10)", nullptr, nullptr}};
      }
      if (bound) {
        return {{{200},
                 "MBX-UPDATE-01, MBX-UPDATE-02: a bound party with W replaces the payload",
                 [this](const Response& r) { return check_updated(r); },
                 [this, index, &request, keep](const Response& r) {
                   keep(r);
                   mailboxes_[index].payload = request.payload;
                   mailboxes_[index].payload_known = request.body_known;
                   mailboxes_[index].payload_step = request.step;
                 }}};
      }
      return {{refused,
               slot_free ? "MBX-UPDATE-08: binding happens only on Read (AMB-34)"
                         : "MBX-UPDATE-06, MBX-BIND-02: only bound claims update",
               nullptr, nullptr}};
    }
    case Op::kDelete: {
      if (claim.empty()) return {{{401, 400, 403}, kNoClaim, nullptr, nullptr}};
      if (bound && !m.remove) {
        return {{no_right, "MBX-ACL-03, MBX-DELETE-06: without D nobody deletes (AMB-10)", nullptr, nullptr}};
      }
      if (bound) {
        return {{{200},
                 initiator ? "MBX-DELETE-01: the initiator closes the mailbox"
                           : "MBX-DELETE-02: the bound recipient closes the mailbox",
                 nullptr,
                 [this, index, keep](const Response& r) {
                   keep(r);
                   mailboxes_[index].status = Status::kDeleted;
                 }}};
      }
      return {{refused, "MBX-DELETE-03, MBX-BIND-02: only bound claims delete (AMB-34)", nullptr, nullptr}};
    }
    case Op::kRelinquish: {
      if (claim.empty()) return {{{401, 400, 403}, kNoClaim, nullptr, nullptr}};
      if (recipient) {
        return {{{200},
                 "MBX-RELINQ-01: the bound recipient gives the mailbox up",
                 nullptr,
                 [this, index, claim, keep](const Response& r) {
                   keep(r);
                   mailboxes_[index].recipient.reset();
                   mailboxes_[index].relinquished.insert(claim);
                 }}};
      }
      if (initiator || slot_free) {
        return {{refused,
                 initiator ? "MBX-RELINQ-06: the initiator cannot relinquish"
                           : "MBX-RELINQ-04: nobody is bound, nothing to relinquish",
                 nullptr, nullptr},
                {{200}, "AMB-31: 200 as a no-op; bindings unchanged", nullptr, keep}};
      }
      return {{refused, "MBX-RELINQ-03, MBX-RELINQ-04: only the bound recipient relinquishes", nullptr, nullptr}};
    }
  }
  return {};
}

std::vector<RelayModel::Alternative> RelayModel::gone_alternatives(const Request& request, int index, Repeat repeat,
                                                                   bool uncertain) {
  const Status status = index < 0 ? Status::kNone : mailboxes_[index].status;
  std::vector<Alternative> out;
  std::function<void(const Response&)> mark;
  if (uncertain) {
    mark = [this, index](const Response&) { mailboxes_[index].status = Status::kExpired; };
  }
  if (status == Status::kDeleted) {
    out.push_back(
        {{404, 410}, "MBX-DELETE-05: nothing about a deleted mailbox is served (AMB-17: 404 or 410)", nullptr, mark});
  } else if (status == Status::kNone) {
    out.push_back(
        {{404}, "MBX-READ-07, MBX-UPDATE-07, MBX-PREVIEW-03: an unknown mailbox is 404 (AMB-26)", nullptr, mark});
  } else {
    out.push_back({{404, 410},
                   uncertain ? "MBX-EXP-01: the mailbox may have expired by now (AMB-16: 404 or 410)"
                             : "MBX-EXP-01: an expired mailbox is deleted; every endpoint 404 (AMB-16, AMB-17, AMB-53)",
                   nullptr,
                   mark});
  }
  if (request.claim.empty() && request.op != Op::kPreview) {
    out.push_back({{400, 401, 403}, "AMB-01: a missing claim may be refused before the lookup", nullptr, nullptr});
  }
  if (repeat != Repeat::kNone) {
    out.push_back({request.op == Op::kDelete ? std::vector<int>{201, 200} : std::vector<int>{201},
                   request.op == Op::kDelete ? "MBX-RID-10: a repeated Delete may answer 201 or 200 (AMB-04)"
                                             : "AMB-04, AMB-41: a repeat may be recognised before the lookup",
                   nullptr, nullptr});
  }
  return out;
}

}  // namespace tigress::model
