// Sequences in the catalog (issue 4): their descriptors, their current state, and their names
// in the relation namespace they share with tables and indexes.
//
// Keys (table id kSystemTableId, like the rest of the catalog, catalog/descriptor.h):
//   (1, kSequenceIndex, int8 id)       -> descriptor row (EncodeSequence)
//   (1, kSequenceStateIndex, int8 id)  -> state row {1: last_value, 2: is_called, 3: version}
//   (1, kNameIndex, schema, name)      -> {1: int8 id, 3: bool true} (a sequence's name row)
// Ids come from the table id allocator, so a sequence's OID never collides with a table's.
// The descriptor changes only by DDL (CREATE/ALTER/DROP SEQUENCE); the state row is written by
// DDL and by the allocation transactions of nextval/setval (qp/sequences.h), which run apart
// from the caller's transaction. The state row carries the descriptor's version so an
// allocator that cached the descriptor notices an ALTER without reading it again.
// Threading: as txn::KvTransaction. Pure encodings otherwise.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/descriptor.h"
#include "common/status.h"
#include "txn/kv.h"

namespace borealis::catalog {

inline constexpr uint32_t kSequenceIndex = 5;
inline constexpr uint32_t kSequenceStateIndex = 6;
// Sequences listed per scan by ListSequences (pg_class & co.) and owned by one table.
inline constexpr size_t kMaxSequences = 100000;

struct SequenceDescriptor {
  uint32_t id = 0;
  std::string schema = "public";
  std::string name;
  uint64_t version = 1;
  uint32_t type_oid = 20;  // int2 (21), int4 (23) or int8 (20): AS type
  int64_t increment = 1;
  int64_t min_value = 1;
  int64_t max_value = INT64_MAX;
  int64_t start = 1;
  int64_t cache = 1;
  bool cycle = false;
  // OWNED BY table.column (0: none); DROP TABLE drops the sequences its columns own.
  uint32_t owner_table_id = 0;
  uint32_t owner_column_id = 0;
  // The owning role and ACL (catalog/acl.h), as TableDescriptor's.
  uint32_t owner = kBootstrapOwnerOid;
  std::optional<Acl> acl;
  friend bool operator==(const SequenceDescriptor&, const SequenceDescriptor&) = default;
};

struct SequenceState {
  int64_t last_value = 1;
  bool is_called = false;
  uint64_t version = 1;  // the descriptor version it was written under
  friend bool operator==(const SequenceState&, const SequenceState&) = default;
};

std::string SequenceKey(uint32_t id);
std::string SequenceStateKey(uint32_t id);
std::string EncodeSequence(const SequenceDescriptor& sequence);
Result<SequenceDescriptor> DecodeSequence(std::string_view bytes);
std::string EncodeSequenceState(const SequenceState& state);
Result<SequenceState> DecodeSequenceState(std::string_view bytes);

// Whether a name row (the value of a NameKey) names a sequence.
Result<bool> IsSequenceNameRow(std::string_view row);

// Allocates the id and writes the descriptor, its name and its state (last_value = start,
// is_called = false). 42P07 `relation "x" already exists` when the name is taken.
Result<SequenceDescriptor> CreateSequence(txn::KvTransaction& txn, SequenceDescriptor sequence);
// The sequence named schema.name at the snapshot, or nullopt (also when the name is a table's).
Result<std::optional<SequenceDescriptor>> LookupSequence(txn::KvTransaction& txn,
                                                         std::string_view schema,
                                                         std::string_view name);
Result<std::optional<SequenceDescriptor>> ReadSequence(txn::KvTransaction& txn, uint32_t id);
// Writes the descriptor with version + 1 and `state` under that version; returns it.
Result<SequenceDescriptor> WriteSequence(txn::KvTransaction& txn, SequenceDescriptor sequence,
                                         SequenceState state);
Result<std::optional<SequenceState>> ReadSequenceState(txn::KvTransaction& txn, uint32_t id);
Status DropSequence(txn::KvTransaction& txn, const SequenceDescriptor& sequence);
// Every sequence (at most kMaxSequences), in id order.
Result<std::vector<SequenceDescriptor>> ListSequences(txn::KvTransaction& txn);

// PostgreSQL's bounds of a sequence type (int2, int4, int8).
int64_t SequenceTypeMin(uint32_t type_oid);
int64_t SequenceTypeMax(uint32_t type_oid);

}  // namespace borealis::catalog
