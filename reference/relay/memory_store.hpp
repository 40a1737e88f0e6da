// In-memory Store: one mutex, hash maps for lookups and time-ordered sets so that sweeping costs
// O(expired) rather than a scan of every mailbox.
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

#include "reference/relay/store.hpp"

namespace tigress::relay {

class MemoryStore final : public Store {
 public:
  std::unique_ptr<Transaction> begin() override;

 private:
  friend class MemoryTransaction;
  using TimeIndex = std::set<std::pair<codec::UnixSeconds, std::string>>;

  std::mutex mutex_;
  std::unordered_map<std::string, Mailbox> mailboxes_;
  TimeIndex mailbox_expiry_;
  std::unordered_map<std::string, RequestRecord> records_;  // by device claim
  TimeIndex record_expiry_;
};

}  // namespace tigress::relay
