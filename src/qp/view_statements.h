// Views (issue 4): CREATE [OR REPLACE] VIEW, DROP VIEW, the 2BP01 dependency rule of DROP
// TABLE / DROP VIEW, and finding a view named in a FROM clause. Internal to qp.
//
// Contract (docs/design/sql.md "Views"): a view stores its query's text, column names and
// types and the relations it reads directly (catalog/views.h). CREATE binds the query at the
// transaction's snapshot (42P01/42703/... as any query; 42P02 for `$n`; 42P17 when it would
// read itself), then rewrites the version key of every table and the descriptor of every view
// it reads with their unchanged values, so that a concurrent DROP of one of them conflicts
// (write-write, 40001) instead of leaving a dangling view. A FROM item naming a view binds
// the stored text again, as a derived table named like the view (qp/select_binder.cc); its
// result must still have the stored column types (42P17 otherwise... see BindView).
// DROP TABLE / DROP VIEW of a relation other views read: 2BP01 with PostgreSQL's message,
// DETAIL and HINT; CASCADE drops them (and the views that read those) with PostgreSQL's
// NOTICE. Threading: one statement on one thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/store.h"
#include "catalog/views.h"
#include "qp/session.h"
#include "sql/ast_view.h"
#include "txn/kv.h"

namespace borealis::qp {

// Views nested inside one another at most (a deeper expansion is taken for a cycle).
inline constexpr size_t kMaxViewNesting = 64;

// CREATE [OR REPLACE] VIEW / DROP VIEW; returns the command tag.
Result<std::string> RunViewStatement(const sql::ViewStatement& statement,
                                     std::shared_ptr<const std::string> source,
                                     txn::KvTransaction& txn, catalog::DescriptorCache& cache,
                                     std::vector<Notice>& notices);

// Before dropping the relations `ids` (tables or views; `kind` "table" or "view" names them in
// messages, `names` their names, parallel to ids): the views that read them, directly or
// through other views, are dropped when `cascade` (NOTICE as PostgreSQL), else 2BP01.
Status DropDependentViews(txn::KvTransaction& txn, const std::vector<uint32_t>& ids,
                          const std::vector<std::string>& names, const char* kind, bool cascade,
                          std::vector<Notice>& notices);

// INSERT/UPDATE/DELETE naming a view (`verb`: "insert into", "update", "delete from"):
// PostgreSQL's 55000 with its DETAIL for a view it would not update either, 0A000 for a
// simple view (automatically updatable views are not implemented yet).
Status ViewWriteError(const catalog::ViewDescriptor& view, const char* verb);

// The view `ref` names, when it names no table (FROM items: tables are looked up first, so a
// table reference costs no extra read); system catalogs are never views here.
Result<std::optional<catalog::ViewDescriptor>> FindView(const sql::TableRef& ref,
                                                        txn::KvTransaction& txn,
                                                        catalog::DescriptorCache& cache);

}  // namespace borealis::qp
