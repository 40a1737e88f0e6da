// In-memory Store: one mutex, hash maps for lookups and an index by expiry second so that
// sweeping costs O(expired) rather than a scan of every mailbox.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "reference/relay/store.hpp"

namespace tigress::relay {

class MemoryStore final : public Store {
 public:
  std::unique_ptr<Transaction> begin() override;

 private:
  friend class MemoryTransaction;

  // A stored value with its place in its expiry bucket.
  template <class T>
  struct Indexed {
    Indexed() = default;
    explicit Indexed(T&& moved) : value(std::move(moved)) {}
    T value{};
    std::size_t slot = 0;
  };

  // The entries due at each second: each bucket is a vector of pointers to the map entries it
  // indexes, and each entry knows its slot there. Adding one appends, removing one moves the
  // bucket's last entry into its slot: neither allocates per entry nor hashes or compares keys,
  // and a map entry stays where it is until it is erased, which the index lets go of first.
  template <class Entry>  // std::pair<const std::string, Indexed<T>>, a map's element
  class TimeIndex {
   public:
    void insert(codec::UnixSeconds at, Entry& entry) {
      auto& bucket = buckets_[at];
      entry.second.slot = bucket.size();
      bucket.push_back(&entry);
    }
    void erase(codec::UnixSeconds at, Entry& entry) {
      auto found = buckets_.find(at);
      if (found == buckets_.end()) return;
      auto& bucket = found->second;
      const std::size_t slot = entry.second.slot;
      if (slot >= bucket.size() || bucket[slot] != &entry) return;
      bucket[slot] = bucket.back();
      bucket[slot]->second.slot = slot;
      bucket.pop_back();
      if (bucket.empty()) buckets_.erase(found);
    }
    // Removes every entry due at or before `now`, each key handed to `take` first.
    template <class Take>
    void drain_until(codec::UnixSeconds now, Take&& take) {
      while (!buckets_.empty() && buckets_.begin()->first <= now) {
        const std::vector<Entry*> due = std::move(buckets_.begin()->second);
        buckets_.erase(buckets_.begin());
        for (Entry* entry : due) take(entry->first);
      }
    }

   private:
    std::map<codec::UnixSeconds, std::vector<Entry*>> buckets_;
  };

  using Mailboxes = std::unordered_map<std::string, Indexed<Mailbox>>;
  using Records = std::unordered_map<std::string, Indexed<RequestRecord>>;  // by device claim

  std::mutex mutex_;
  Mailboxes mailboxes_;
  TimeIndex<Mailboxes::value_type> mailbox_expiry_;
  Records records_;
  TimeIndex<Records::value_type> record_expiry_;
};

}  // namespace tigress::relay
