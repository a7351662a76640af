// nextval, currval, setval (2 and 3 arguments), lastval and pg_get_serial_sequence: the SQL
// functions over sequences (issue 4). They forward to FunctionContext::Sequence* (the session,
// qp/sequences.h) and CatalogAccess::SerialSequence; values are int8, the sequence a regclass
// (so `nextval('s')` resolves the name through the catalog as PostgreSQL does).
//
// Contract: registered once into the immutable function catalog by
// RegisterCatalogFunctions (sql/catalog_functions.cc). None of them is ever constant-folded.
#pragma once

#include "sql/catalog_functions.h"

namespace borealis::sql {

void RegisterSequenceFunctions(const FunctionAdder& add);

}  // namespace borealis::sql
