// Views in the catalog (issue 4): their descriptors and their names in the relation namespace
// they share with tables, indexes and sequences.
//
// Keys (table id kSystemTableId, like the rest of the catalog, catalog/descriptor.h):
//   (1, kViewIndex, int8 id)        -> descriptor row (EncodeView)
//   (1, kNameIndex, schema, name)   -> {1: int8 id, 4: bool true} (a view's name row)
// Ids come from the relation id allocator, so a view's OID (16384 + (id - 100) * 4096, as a
// table's) never collides with another relation's. A view holds the text of its query (bound
// again at every use, qp/view_statements.h), the names and types its columns had when it was
// created (what the query must still produce, and what pg_attribute shows), and the ids of the
// relations it reads (tables and views, also those read through other views), which DROP
// TABLE / DROP VIEW consult for PostgreSQL's 2BP01 dependency rule.
// Threading: as txn::KvTransaction. Pure encodings otherwise.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/acl.h"
#include "catalog/descriptor.h"
#include "common/status.h"
#include "txn/kv.h"

namespace borealis::catalog {

inline constexpr uint32_t kViewIndex = 7;
// Views listed per scan by ListViews (catalog relations, dependency checks).
inline constexpr size_t kMaxViews = 100000;
// The longest view query text stored (PostgreSQL has no such limit; ours bounds the
// descriptor, which every use of the view reads).
inline constexpr size_t kMaxViewQueryBytes = 1024 * 1024;
// Relations one view may depend on.
inline constexpr size_t kMaxViewDependencies = 10000;

struct ViewColumn {
  std::string name;
  uint32_t type_oid = 0;
  int32_t typmod = -1;
  friend bool operator==(const ViewColumn&, const ViewColumn&) = default;
};

struct ViewDescriptor {
  uint32_t id = 0;
  std::string schema = "public";
  std::string name;
  uint64_t version = 1;
  std::string query;  // the SELECT text as written in CREATE VIEW
  std::vector<ViewColumn> columns;
  std::vector<uint32_t> depends_on;  // relation ids (tables, views), ascending, no duplicates
  // Owner (its privileges check the view's query) and ACL, as TableDescriptor's.
  uint32_t owner = kBootstrapOwnerOid;
  std::optional<Acl> acl;
  friend bool operator==(const ViewDescriptor&, const ViewDescriptor&) = default;
};

std::string ViewKey(uint32_t id);
std::string EncodeView(const ViewDescriptor& view);
Result<ViewDescriptor> DecodeView(std::string_view bytes);

// The name row of view `id` (the value of its NameKey).
std::string ViewNameRow(uint32_t id);
// Whether a name row (the value of a NameKey) names a view.
Result<bool> IsViewNameRow(std::string_view row);

// Allocates the id and writes the descriptor and its name. 42P07 `relation "x" already
// exists` when the name is taken.
Result<ViewDescriptor> CreateView(txn::KvTransaction& txn, ViewDescriptor view);
// The view named schema.name at the snapshot, or nullopt (also when the name is another
// relation's).
Result<std::optional<ViewDescriptor>> LookupView(txn::KvTransaction& txn, std::string_view schema,
                                                 std::string_view name);
Result<std::optional<ViewDescriptor>> ReadView(txn::KvTransaction& txn, uint32_t id);
// Writes `view` (same id and name) as version + 1 (CREATE OR REPLACE VIEW); returns it.
Result<ViewDescriptor> ReplaceView(txn::KvTransaction& txn, ViewDescriptor view);
Status DropView(txn::KvTransaction& txn, const ViewDescriptor& view);
// Every view (at most kMaxViews), in id order.
Result<std::vector<ViewDescriptor>> ListViews(txn::KvTransaction& txn);

}  // namespace borealis::catalog
