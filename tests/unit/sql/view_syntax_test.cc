#include "sql/view_syntax.h"

#include <gtest/gtest.h>

namespace borealis::sql {
namespace {

std::string QueryOf(const std::string& source) {
  size_t name = source.find("v");
  Result<SourceSpan> span = ViewQuerySpan(source, name);
  if (!span.ok()) return "<" + span.status().message() + ">";
  return source.substr(span->begin, span->end - span->begin);
}

TEST(ViewQuerySpanTest, FindsTheQueryAfterAs) {
  EXPECT_EQ(QueryOf("CREATE VIEW v AS SELECT 1"), "SELECT 1");
  EXPECT_EQ(QueryOf("create view v (as_x, \"as\") as\n  select 1 as as_x, 2;"),
            "select 1 as as_x, 2");
  EXPECT_EQ(QueryOf("CREATE VIEW v AS SELECT 'a;b' AS x; SELECT 2"), "SELECT 'a;b' AS x");
  EXPECT_EQ(QueryOf("CREATE VIEW v AS WITH w AS (SELECT 1) SELECT * FROM w"),
            "WITH w AS (SELECT 1) SELECT * FROM w");
  EXPECT_EQ(QueryOf("CREATE VIEW v /* as */ -- as\n AS SELECT $$;$$, E'\\';' ; x"),
            "SELECT $$;$$, E'\\';'");
  EXPECT_EQ(QueryOf("CREATE VIEW vas AS (SELECT (1); )"), "(SELECT (1); )");
}

TEST(ViewQuerySpanTest, NoAsIsAnError) {
  EXPECT_EQ(QueryOf("CREATE VIEW v"), "<CREATE VIEW without AS>");
}

}  // namespace
}  // namespace borealis::sql
