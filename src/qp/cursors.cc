#include "qp/cursors.h"

#include <algorithm>
#include <cstdint>

#include "fmt/format.h"

namespace borealis::qp {
namespace {

Status NoSuchCursor(const std::string& name) {
  return Status::Sql("34000", fmt::format("cursor \"{}\" does not exist", name));
}

}  // namespace

Status CursorTable::Declare(const sql::DeclareCursorStatement& declare,
                            std::vector<FieldDescription> fields, RowSource source) {
  if (cursors_.count(declare.name) != 0) {
    return Status::Sql("42P03", fmt::format("cursor \"{}\" already exists", declare.name));
  }
  if (cursors_.size() >= kMaxCursors) {
    return Status::Sql("54000", fmt::format("a session may have at most {} open cursors "
                                            "(kMaxCursors)",
                                            kMaxCursors));
  }
  Cursor cursor;
  cursor.fields = std::move(fields);
  cursor.source = std::move(source);
  cursor.no_scroll = declare.no_scroll;
  cursor.hold = declare.hold;
  cursors_.emplace(declare.name, std::move(cursor));
  return Status::Ok();
}

const std::vector<FieldDescription>* CursorTable::Fields(const std::string& name) const {
  auto it = cursors_.find(name);
  return it == cursors_.end() ? nullptr : &it->second.fields;
}

Result<bool> CursorTable::Load(Cursor& cursor, int64_t k) {
  while (static_cast<int64_t>(cursor.rows.size()) < k && cursor.source) {
    Result<std::optional<Row>> row = cursor.source();
    if (!row.ok()) {
      cursor.source = nullptr;  // a failed query does not run again
      return row.status();
    }
    if (!row->has_value()) {
      cursor.source = nullptr;
      break;
    }
    if (cursor.rows.size() >= kMaxCursorRows) {
      return Status::Sql("54000", fmt::format("a cursor may hold at most {} rows "
                                              "(kMaxCursorRows)",
                                              kMaxCursorRows));
    }
    cursor.rows.push_back(std::move(**row));
  }
  return k >= 1 && k <= static_cast<int64_t>(cursor.rows.size());
}

Result<CursorTable::Fetched> CursorTable::Fetch(const sql::FetchStatement& fetch) {
  auto it = cursors_.find(fetch.name);
  if (it == cursors_.end()) return NoSuchCursor(fetch.name);
  Cursor& cursor = it->second;
  auto scroll_error = [] {
    return Status::Sql("55000", "cursor can only scan forward")
        .WithHint("Declare it with SCROLL option to enable backward scan.");
  };
  int64_t count = fetch.count;
  sql::FetchDirection direction = fetch.direction;
  Fetched out;
  // Row numbers first: reading further rows may move the ones already held.
  std::vector<int64_t> taken;
  auto take = [&](int64_t k) {  // REQUIRES: row k is held
    ++out.moved;
    if (!fetch.is_move) taken.push_back(k);
  };
  auto result = [&]() -> Fetched {
    for (int64_t k : taken) out.rows.push_back(&cursor.rows[static_cast<size_t>(k - 1)]);
    return std::move(out);
  };
  // ABSOLUTE and RELATIVE position the cursor, then return at most the one row there.
  if (direction == sql::FetchDirection::kAbsolute || direction == sql::FetchDirection::kRelative) {
    int64_t target;
    if (direction == sql::FetchDirection::kAbsolute && count < 0) {
      RETURN_IF_ERROR(Load(cursor, INT64_MAX).status());
      target = static_cast<int64_t>(cursor.rows.size()) + 1 + count;
    } else {
      target = direction == sql::FetchDirection::kAbsolute ? count : cursor.position + count;
    }
    if (target < cursor.position && cursor.no_scroll) return scroll_error();
    if (target < 0) target = 0;
    ASSIGN_OR_RETURN(bool exists, Load(cursor, target));
    if (exists) {
      cursor.position = target;
      take(target);
    } else {
      cursor.position = target <= 0 ? 0 : static_cast<int64_t>(cursor.rows.size()) + 1;
    }
    return result();
  }
  if (count < 0) {
    direction = direction == sql::FetchDirection::kForward ? sql::FetchDirection::kBackward
                                                           : sql::FetchDirection::kForward;
    count = -count;
  }
  if (count == 0) {  // FETCH FORWARD/BACKWARD 0: the current row
    ASSIGN_OR_RETURN(bool exists, Load(cursor, cursor.position));
    if (exists) take(cursor.position);
    return result();
  }
  if (direction == sql::FetchDirection::kBackward) {
    if (cursor.no_scroll) return scroll_error();
    while (count > 0 && cursor.position > 1) {
      --cursor.position;
      --count;
      take(cursor.position);
    }
    if (count > 0) cursor.position = 0;  // ran off the start
    return result();
  }
  while (count > 0) {
    ASSIGN_OR_RETURN(bool exists, Load(cursor, cursor.position + 1));
    if (!exists) {
      cursor.position = static_cast<int64_t>(cursor.rows.size()) + 1;  // ran off the end
      break;
    }
    ++cursor.position;
    --count;
    take(cursor.position);
  }
  return result();
}

Status CursorTable::Close(const sql::CloseCursorStatement& close) {
  if (!close.name) {
    cursors_.clear();
    return Status::Ok();
  }
  if (cursors_.erase(*close.name) == 0) return NoSuchCursor(*close.name);
  return Status::Ok();
}

void CursorTable::EndTransaction(bool commit) {
  for (auto it = cursors_.begin(); it != cursors_.end();) {
    Cursor& cursor = it->second;
    bool keep = cursor.hold && (commit || !cursor.declared_in_transaction);
    if (!keep) {
      it = cursors_.erase(it);
      continue;
    }
    cursor.declared_in_transaction = false;
    ++it;
  }
}

}  // namespace borealis::qp
