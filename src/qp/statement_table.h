// PreparedStatementTable: the named prepared statements of one session, PostgreSQL's
// per-backend prepared-statement hash table (commands/prepare.c). One namespace serves the
// extended protocol's named statements and SQL PREPARE / EXECUTE / DEALLOCATE.
//
// Contract: names are non-empty (the unnamed statement lives in pgwire); Store fails with
// 42P05 for a name in use and with 54000 beyond kMaxPreparedStatementsPerSession. Entries are
// not transactional. Header-only so that a test double of qp::Session can use the same table.
// Thread-compatible (one per session).
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "fmt/format.h"

namespace borealis::qp {

class PreparedStatement;

inline constexpr size_t kMaxPreparedStatementsPerSession = 10000;

class PreparedStatementTable {
 public:
  Status Store(std::string_view name, std::shared_ptr<const PreparedStatement> statement) {
    BOREALIS_CHECK(!name.empty(), "the unnamed statement is not kept in the table");
    BOREALIS_CHECK(statement != nullptr);
    if (statements_.find(name) != statements_.end()) {
      return Status::Sql("42P05", fmt::format("prepared statement \"{}\" already exists", name));
    }
    if (statements_.size() >= kMaxPreparedStatementsPerSession) {
      return Status::Sql("54000", fmt::format("too many prepared statements (limit {})",
                                              kMaxPreparedStatementsPerSession));
    }
    statements_.emplace(std::string(name), std::move(statement));
    return Status::Ok();
  }

  // Null when there is no such statement.
  std::shared_ptr<const PreparedStatement> Find(std::string_view name) const {
    auto it = statements_.find(name);
    return it == statements_.end() ? nullptr : it->second;
  }

  // False when there was no such statement.
  bool Drop(std::string_view name) {
    auto it = statements_.find(name);
    if (it == statements_.end()) return false;
    statements_.erase(it);
    return true;
  }

  void DropAll() { statements_.clear(); }
  size_t size() const { return statements_.size(); }

 private:
  std::map<std::string, std::shared_ptr<const PreparedStatement>, std::less<>> statements_;
};

}  // namespace borealis::qp
