// SQL cursors of one session (DECLARE / FETCH / MOVE / CLOSE), PostgreSQL's portal semantics
// over rows materialized when the cursor is declared.
//
// Contract: a cursor reads its query's rows as FETCH needs them and keeps them (at most
// kMaxCursorRows, 54000) for backward moves; it has a position: 0 before the first row, 1..n on a
// row, n + 1 after the last. FETCH FORWARD/BACKWARD/ABSOLUTE/RELATIVE move and return rows exactly
// as PostgreSQL's DoPortalRunFetch does; NO SCROLL cursors refuse backward moves (55000).
// Non-holdable cursors end with their transaction; WITH HOLD cursors survive a commit (a rollback
// drops the ones declared in the rolled-back transaction). Errors: 34000 unknown cursor, 42P03
// duplicate name. At most kMaxCursors per session (54000). Pure; owned by one session.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "qp/session.h"
#include "sql/ast_cursor.h"
#include "sql/value.h"

namespace borealis::qp {

inline constexpr size_t kMaxCursorRows = 10'000'000;
inline constexpr size_t kMaxCursors = 10'000;

class CursorTable {
 public:
  using Row = std::vector<sql::Value>;
  // Pulls the query's next row (nullopt at the end); owns what the query needs.
  using RowSource = std::function<Result<std::optional<Row>>()>;

  // The rows come from `source` as FETCH needs them (so the query's errors surface at FETCH,
  // as in PostgreSQL) and are kept for backward moves.
  Status Declare(const sql::DeclareCursorStatement& declare, std::vector<FieldDescription> fields,
                 RowSource source);
  // The cursor's columns (formats all text), or nullptr when there is no such cursor.
  const std::vector<FieldDescription>* Fields(const std::string& name) const;
  // Moves the cursor and returns the rows FETCH returns (none for MOVE; `moved` is the count
  // MOVE reports).
  struct Fetched {
    std::vector<const Row*> rows;
    uint64_t moved = 0;
  };
  Result<Fetched> Fetch(const sql::FetchStatement& fetch);
  Status Close(const sql::CloseCursorStatement& close);
  // Transaction end: drops non-holdable cursors, and on rollback those declared in it.
  void EndTransaction(bool commit);

 private:
  struct Cursor {
    std::vector<FieldDescription> fields;
    std::vector<Row> rows;  // read so far
    RowSource source;       // null once the query ended
    int64_t position = 0;
    bool no_scroll = false;
    bool hold = false;
    bool declared_in_transaction = true;
  };
  // Reads rows until row `k` (1-based) is held or the query ended; whether row k exists.
  static Result<bool> Load(Cursor& cursor, int64_t k);
  std::map<std::string, Cursor> cursors_;
};

}  // namespace borealis::qp
