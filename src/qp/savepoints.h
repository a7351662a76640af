// Savepoints of one transaction block: SAVEPOINT name, RELEASE [SAVEPOINT] name and
// ROLLBACK TO [SAVEPOINT] name with PostgreSQL's semantics (src/backend/access/transam/xact.c,
// DefineSavepoint / ReleaseSavepoint / RollbackToSavepoint), reduced to what a buffered write
// set needs: no subtransaction ids, just what the session must put back.
//
// Contract:
// - A savepoint is pushed on a stack; names may repeat, and a lookup finds the newest one
//   (PostgreSQL's shadowing). Finding a missing name is 3B001 `savepoint "x" does not exist`.
// - RELEASE of savepoint i drops i and every later one (their writes stay); ROLLBACK TO i drops
//   every later one and keeps i, so it can be rolled back to again.
// - What a savepoint holds (`State`) is opaque here: the session saves its write-set mark
//   (txn::WriteSet marks), its settings and its DDL/DML flags, and restores them on
//   ROLLBACK TO. Sequences are not transactional (PostgreSQL's nextval is not either).
// - At most kMaxSavepoints at once (54000 beyond): each costs a settings copy (a few KiB).
// Not thread-safe: owned by one session.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "qp/settings.h"

namespace borealis::qp {

inline constexpr size_t kMaxSavepoints = 10000;

class SavepointStack {
 public:
  struct State {
    std::optional<size_t> write_mark;  // none without a transaction core
    uint64_t txn_generation = 0;       // the transaction the mark belongs to
    Settings::Snapshot settings;
    bool has_ddl = false;
    bool has_dml = false;
    std::string read_only;  // transaction_read_only at the savepoint (RELEASE restores it)
  };

  // 54000 beyond kMaxSavepoints.
  Status Push(std::string name, State state);
  // The index of the newest savepoint called `name`, or 3B001.
  Result<size_t> Find(std::string_view name) const;
  const State& at(size_t index) const { return entries_.at(index).state; }
  // Keeps savepoints [0, count).
  void Truncate(size_t count);
  void Clear() { entries_.clear(); }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

 private:
  struct Entry {
    std::string name;
    State state;
  };
  std::vector<Entry> entries_;
};

// PostgreSQL's 25P01 for savepoint commands outside a transaction block; `what` is "SAVEPOINT",
// "RELEASE SAVEPOINT" or "ROLLBACK TO SAVEPOINT".
Status SavepointOutsideBlock(std::string_view what);

}  // namespace borealis::qp
