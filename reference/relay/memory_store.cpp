#include "reference/relay/memory_store.hpp"

namespace tigress::relay {

class MemoryTransaction final : public Transaction {
 public:
  explicit MemoryTransaction(MemoryStore& store) : store_(store), lock_(store.mutex_) {}

  Mailbox* find(const std::string& id) override {
    auto it = store_.mailboxes_.find(id);
    return it == store_.mailboxes_.end() ? nullptr : &it->second.value;
  }

  bool insert(Mailbox&& mailbox) override {
    // try_emplace moves from the mailbox only when it inserts, and the pair's key is built
    // before its value, so the id is copied before the mailbox moves.
    auto [it, inserted] = store_.mailboxes_.try_emplace(mailbox.id, std::move(mailbox));
    if (inserted) store_.mailbox_expiry_.insert(it->second.value.expiration, *it);
    return inserted;
  }

  bool erase(const std::string& id) override {
    auto it = store_.mailboxes_.find(id);
    if (it == store_.mailboxes_.end()) return false;
    store_.mailbox_expiry_.erase(it->second.value.expiration, *it);
    store_.mailboxes_.erase(it);
    return true;
  }

  const RequestRecord* last_request(const std::string& claim) override {
    auto it = store_.records_.find(claim);
    return it == store_.records_.end() ? nullptr : &it->second.value;
  }

  // A claim's record is replaced where it is, so a device sending request after request reuses
  // one entry and its index slot rather than freeing and allocating them each time.
  void remember_request(const std::string& claim, RequestRecord record) override {
    auto [it, fresh] = store_.records_.try_emplace(claim);
    RequestRecord& kept = it->second.value;
    const bool same_second = !fresh && kept.forget_after == record.forget_after;
    if (!fresh && !same_second) store_.record_expiry_.erase(kept.forget_after, *it);
    kept = std::move(record);
    if (!same_second) store_.record_expiry_.insert(kept.forget_after, *it);
  }

  std::size_t erase_expired(codec::UnixSeconds now) override {
    std::size_t removed = 0;
    store_.mailbox_expiry_.drain_until(now, [&](const std::string& id) {
      if (auto it = store_.mailboxes_.find(id); it != store_.mailboxes_.end()) {
        store_.mailboxes_.erase(it);
        ++removed;
      }
    });
    store_.record_expiry_.drain_until(now, [&](const std::string& claim) {
      if (auto it = store_.records_.find(claim); it != store_.records_.end()) store_.records_.erase(it);
    });
    return removed;
  }

  std::size_t mailbox_count() override { return store_.mailboxes_.size(); }

  // The lock held since begin() excludes every other transaction, so writes land in place and
  // nothing can conflict.
  Result<CommitOutcome> commit() override { return CommitOutcome::kCommitted; }

 private:
  MemoryStore& store_;
  std::unique_lock<std::mutex> lock_;
};

std::unique_ptr<Transaction> MemoryStore::begin() { return std::make_unique<MemoryTransaction>(*this); }

}  // namespace tigress::relay
