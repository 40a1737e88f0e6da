#include "reference/relay/memory_store.hpp"

namespace tigress::relay {

class MemoryTransaction final : public Transaction {
 public:
  explicit MemoryTransaction(MemoryStore& store) : store_(store), lock_(store.mutex_) {}

  Mailbox* find(const std::string& id) override {
    auto it = store_.mailboxes_.find(id);
    return it == store_.mailboxes_.end() ? nullptr : &it->second;
  }

  bool insert(Mailbox mailbox) override {
    auto expiration = mailbox.expiration;
    auto id = mailbox.id;
    auto [it, inserted] = store_.mailboxes_.emplace(id, std::move(mailbox));
    if (inserted) store_.mailbox_expiry_.insert(expiration, id);
    return inserted;
  }

  bool erase(const std::string& id) override {
    auto it = store_.mailboxes_.find(id);
    if (it == store_.mailboxes_.end()) return false;
    store_.mailbox_expiry_.erase(it->second.expiration, id);
    store_.mailboxes_.erase(it);
    return true;
  }

  std::optional<RequestRecord> last_request(const std::string& claim) override {
    auto it = store_.records_.find(claim);
    if (it == store_.records_.end()) return std::nullopt;
    return it->second;
  }

  void remember_request(const std::string& claim, RequestRecord record) override {
    auto it = store_.records_.find(claim);
    if (it != store_.records_.end()) {
      store_.record_expiry_.erase(it->second.forget_after, claim);
      store_.records_.erase(it);
    }
    store_.record_expiry_.insert(record.forget_after, claim);
    store_.records_.emplace(claim, std::move(record));
  }

  std::size_t erase_expired(codec::UnixSeconds now) override {
    std::size_t removed = 0;
    store_.mailbox_expiry_.drain_until(now, [&](const std::string& id) { removed += store_.mailboxes_.erase(id); });
    store_.record_expiry_.drain_until(now, [&](const std::string& claim) { store_.records_.erase(claim); });
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
