// The secondary-index access-path rule (issue 4).
//
// A Filter over a full Scan whose AND-ed conjuncts fix a prefix of an index's columns with `=`
// and/or bound the next column with <, <=, >, >= (BETWEEN arrives as two of these) turns the
// scan into an index scan: the executor (sql/exec/index_scan.h) reads that key range of the
// index and fetches each row by primary key. The other side of each comparison must not
// reference the row and must have the column's type (or both be integers). The Filter stays
// above and re-checks every conjunct, so the rule never changes results; it only narrows the
// rows read. The primary key takes part as an index too (TableInfo::primary_index: ranges on
// it; its rows need no fetch). Among candidates the one with the most `=` columns wins (ties:
// a range on the next column, then the primary key, then a unique index, then the first
// created). Pure.
#pragma once

#include "sql/planner/plan.h"

namespace borealis::sql::planner {

// REQUIRES: filter.child.get() == &scan, scan is a full scan. Leaves the scan unchanged when
// no index helps.
void ChooseIndexAccess(PlanNode& filter, PlanNode& scan);

// Ordered index scans: under a Limit (through Distinct/Project), a Sort whose keys are columns
// of a scanned table matching the index's columns in order (from the first, or from the first
// column after the `=` prefix), all in the index's direction and NULL order or all reversed,
// is removed and the scan reads that index in order (backwards when reversed). Without a
// Limit the Sort stays: a full read in index order costs a point read per row.
void ChooseOrderedIndexScan(PlanNode& root);

}  // namespace borealis::sql::planner
