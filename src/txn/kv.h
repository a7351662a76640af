// KvTransaction: the key-value view of one transaction that the SQL layer (catalog, executor)
// works against: snapshot reads merged with the transaction's own writes, buffered writes, and
// check keys (ARCHITECTURE §2). SyncTxnClient::Txn implements it over the transaction core;
// tests may implement it in memory.
//
// Threading: one thread at a time. Calls may block (reads wait for storage).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace borealis::txn {

struct Row {
  std::string key;
  std::string value;
};

class KvTransaction {
 public:
  virtual ~KvTransaction() = default;
  virtual Result<std::optional<std::string>> Get(std::string key) = 0;
  // Rows with begin <= key < end (end empty: unbounded), at most `limit`, in key order.
  virtual Result<std::vector<Row>> Scan(std::string begin, std::string end, size_t limit,
                                        bool reverse = false) = 0;
  virtual Status Put(std::string key, std::string value) = 0;
  virtual Status Delete(std::string key) = 0;
  // A lock-only key (SELECT ... FOR UPDATE): conflicts like a write, creates no version.
  virtual void Lock(std::string key) = 0;
  // Validated at commit (a write by a transaction that committed after t_start aborts this
  // one with OC001), never recorded.
  virtual void AddCheckKey(std::string key) = 0;
  // Proceed as if `key` holds `value` in this snapshot (a cached descriptor's schema version).
  // Returns kStaleExpectationMessage (kAborted) when it does not. This default checks at once;
  // a transaction may instead defer the check into its next storage request (see
  // SyncTxnClient::Txn::DeferExpectations), which then fails with that status, before
  // returning anything or buffering any write.
  virtual Status Expect(std::string key, std::string value) {
    Result<std::optional<std::string>> got = Get(std::move(key));
    if (!got.ok()) return got.status();
    if (*got != value) return StaleExpectation();
    return Status::Ok();
  }
  // As Expect, for a key that holds nothing in this snapshot (a name a plan found free).
  virtual Status ExpectAbsent(std::string key) {
    Result<std::optional<std::string>> got = Get(std::move(key));
    if (!got.ok()) return got.status();
    if (got->has_value()) return StaleExpectation();
    return Status::Ok();
  }
  static Status StaleExpectation() {
    return Status::Error(Code::kAborted, kStaleExpectationMessage);
  }
  static bool IsStaleExpectation(const Status& status) {
    return status.code() == Code::kAborted && status.message() == kStaleExpectationMessage;
  }
  static constexpr char kStaleExpectationMessage[] = "a cached catalog entry is out of date";
  // Whether the transaction has buffered a write (or lock) of `key`: what it reads there is its
  // own, not committed state. Conservative default for implementations that cannot tell.
  virtual bool HasOwnWrite(std::string_view key) const {
    (void)key;
    return true;
  }
};

}  // namespace borealis::txn
