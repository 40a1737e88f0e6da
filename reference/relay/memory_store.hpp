// In-memory Store: one mutex, hash maps for lookups and an index by expiry second so that
// sweeping costs O(expired) rather than a scan of every mailbox.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "reference/relay/store.hpp"

namespace tigress::relay {

class MemoryStore final : public Store {
 public:
  std::unique_ptr<Transaction> begin() override;

 private:
  friend class MemoryTransaction;
  // The keys due at each second. Entries made in the same second share a bucket, so adding or
  // removing one is a hash operation on the newest bucket, not a walk of an ordered tree keyed
  // by (time, text) whose every step compares identifiers.
  class TimeIndex {
   public:
    void insert(codec::UnixSeconds at, const std::string& key) { buckets_[at].insert(key); }
    void erase(codec::UnixSeconds at, const std::string& key) {
      auto bucket = buckets_.find(at);
      if (bucket == buckets_.end()) return;
      bucket->second.erase(key);
      if (bucket->second.empty()) buckets_.erase(bucket);
    }
    // Removes every key due at or before `now`, each handed to `take` first.
    template <class Take>
    void drain_until(codec::UnixSeconds now, Take&& take) {
      while (!buckets_.empty() && buckets_.begin()->first <= now) {
        for (const std::string& key : buckets_.begin()->second) take(key);
        buckets_.erase(buckets_.begin());
      }
    }

   private:
    std::map<codec::UnixSeconds, std::unordered_set<std::string>> buckets_;
  };

  std::mutex mutex_;
  std::unordered_map<std::string, Mailbox> mailboxes_;
  TimeIndex mailbox_expiry_;
  std::unordered_map<std::string, RequestRecord> records_;  // by device claim
  TimeIndex record_expiry_;
};

}  // namespace tigress::relay
