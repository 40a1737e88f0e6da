// The relay's storage behind a small interface. The core performs every request inside one
// Transaction and commits it, so first-recipient binding and duplicate detection are atomic,
// also across relay processes that share one store (a commit that finds what the transaction
// read changed meanwhile is refused, and the core runs the request again).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "reference/relay/mailbox.hpp"
#include "common/result.hpp"

namespace tigress::relay {

enum class CommitOutcome {
  kCommitted,
  kConflict,  // something the transaction read has changed since: nothing was written
};

class Transaction {
 public:
  virtual ~Transaction() = default;
  // nullptr when absent. The pointer stays valid until the transaction ends or the entry is
  // erased.
  virtual Mailbox* find(const std::string& id) = 0;
  // False when the id exists already (the caller draws a new one); the mailbox is then left as
  // it was, and only a successful insert moves from it.
  virtual bool insert(Mailbox&& mailbox) = 0;
  virtual bool erase(const std::string& id) = 0;
  // nullptr when the claim has none. The pointer stays valid until the transaction ends or the
  // claim's record is replaced.
  virtual const RequestRecord* last_request(const std::string& claim) = 0;
  virtual void remember_request(const std::string& claim, RequestRecord record) = 0;
  // Removes every mailbox whose expiration <= now and every request record past forget_after.
  // Costs O(number removed + log n): the store keeps a time-ordered index.
  virtual std::size_t erase_expired(codec::UnixSeconds now) = 0;
  virtual std::size_t mailbox_count() = 0;
  // Makes the writes visible, all at once. An error (the store is unreachable) means nothing is
  // known to have been written; so does a failure of any call before it, which commit reports.
  virtual Result<CommitOutcome> commit() = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // A store kept in this process gives exclusive access until the returned object is destroyed;
  // a shared one gives a snapshot that commit() validates.
  virtual std::unique_ptr<Transaction> begin() = 0;
};

}  // namespace tigress::relay
