// The relay's storage behind a small interface. The core performs every request inside one
// Transaction, so first-recipient binding and duplicate detection are atomic.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "reference/relay/mailbox.hpp"

namespace tigress::relay {

class Transaction {
 public:
  virtual ~Transaction() = default;
  // nullptr when absent. The pointer stays valid until the transaction ends or the entry is
  // erased.
  virtual Mailbox* find(const std::string& id) = 0;
  // False when the id exists already (the caller draws a new one).
  virtual bool insert(Mailbox mailbox) = 0;
  virtual bool erase(const std::string& id) = 0;
  virtual std::optional<RequestRecord> last_request(const std::string& claim) = 0;
  virtual void remember_request(const std::string& claim, RequestRecord record) = 0;
  // Removes every mailbox whose expiration <= now and every request record past forget_after.
  // Costs O(number removed + log n): the store keeps a time-ordered index.
  virtual std::size_t erase_expired(codec::UnixSeconds now) = 0;
  virtual std::size_t mailbox_count() = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // Exclusive access until the returned object is destroyed.
  virtual std::unique_ptr<Transaction> begin() = 0;
};

}  // namespace tigress::relay
