// SyncTxnClient: a blocking facade over TxnClient for the query processor's worker threads.
//
// It owns an event loop thread with its own transport endpoint (TCP; with a LocalHub, roles of
// the same process are reached without sockets), Messenger and TxnClient, and reaches the
// adjudicator and storage given in the options: the same code serves the embedded deployment
// (endpoints of the in-process roles) and a QP-only process.
// Every blocking call completes: the underlying reads and commits have their own deadlines
// (TxnClientOptions::read_timeout, commit_timeout).
// Threading: thread-safe for different transactions; one thread at a time per Txn. Never call
// from the client's own loop thread (CHECK-fails: it would deadlock).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "txn/client.h"
#include "txn/kv.h"

namespace borealis::runtime {
class LocalHub;
}

namespace borealis::txn {

class SyncTxnClient {
 public:
  // `listen` is the HOST:PORT the client's transport binds (replies come back to it): an
  // address the core's roles can reach, port 0 for any. `hub` (optional, must outlive the
  // client): the process's in-process endpoints (runtime/local_transport.h).
  static Result<std::unique_ptr<SyncTxnClient>> Start(TxnClientOptions options,
                                                      std::string listen = "127.0.0.1:0",
                                                      runtime::LocalHub* hub = nullptr);
  ~SyncTxnClient();

  class Txn : public KvTransaction {
   public:
    Timestamp t_start() const { return txn_->t_start(); }
    const WriteSet& writes() const { return txn_->writes(); }
    Result<std::optional<std::string>> Get(std::string key) override;
    Result<std::vector<Row>> Scan(std::string begin, std::string end, size_t limit,
                                  bool reverse = false) override;
    Status Put(std::string key, std::string value) override {
      RETURN_IF_ERROR(VerifyExpectations());
      return txn_->Put(std::move(key), std::move(value));
    }
    Status Delete(std::string key) override {
      RETURN_IF_ERROR(VerifyExpectations());
      return txn_->Delete(std::move(key));
    }
    void Lock(std::string key) override { txn_->Lock(std::move(key)); }
    void AddCheckKey(std::string key) override { txn_->AddCheckKey(std::move(key)); }
    bool HasOwnWrite(std::string_view key) const override {
      return txn_->writes().Find(key).has_value();
    }
    // Savepoints (Transaction::SetSavepoint & co.).
    size_t SetSavepoint() { return txn_->SetSavepoint(); }
    void RollbackToSavepoint(size_t mark) { txn_->RollbackToSavepoint(mark); }
    void ReleaseSavepoint(size_t mark) { txn_->ReleaseSavepoint(mark); }
    // t_commit, or the typed errors of Transaction::Commit. The Txn is spent afterwards.
    Result<Timestamp> Commit();

    // While on, Expect() only records the expectation: it is checked by the next Get (in the
    // same hand-off to storage as that read: one round trip for both), or before the next
    // Scan, Put, Delete or Commit, or by VerifyExpectations(). The first of those calls fails
    // with KvTransaction::StaleExpectation() if any recorded expectation does not hold, before
    // it reads or writes anything; the recorded expectations are then dropped. Off: Expect()
    // checks at once. At most kMaxBatchGetKeys - 1 are recorded (beyond: checked at once).
    void DeferExpectations(bool on) { defer_expectations_ = on; }
    Status Expect(std::string key, std::string value) override;
    Status ExpectAbsent(std::string key) override;
    Status VerifyExpectations();
    bool has_expectations() const { return !expectations_.empty(); }

   private:
    friend class SyncTxnClient;
    Txn(const SyncTxnClient* owner, std::unique_ptr<Transaction> txn)
        : owner_(owner), txn_(std::move(txn)) {}
    // Reads `keys` in one batch and checks the expectations, which are dropped.
    Result<std::vector<Result<std::optional<std::string>>>> ReadWithExpectations(
        std::vector<std::string> keys);

    const SyncTxnClient* owner_;
    std::unique_ptr<Transaction> txn_;
    bool defer_expectations_ = false;
    // key, expected value (nullopt: no value)
    std::vector<std::pair<std::string, std::optional<std::string>>> expectations_;
  };

  std::unique_ptr<Txn> Begin();

  struct Impl;

 private:
  explicit SyncTxnClient(std::unique_ptr<Impl> impl);
  void CheckNotOnLoop() const;
  std::unique_ptr<Impl> impl_;
};

}  // namespace borealis::txn
