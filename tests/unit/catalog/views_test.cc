#include "catalog/views.h"

#include <gtest/gtest.h>

namespace borealis::catalog {
namespace {

ViewDescriptor Sample() {
  ViewDescriptor view;
  view.id = 321;
  view.name = "v";
  view.version = 3;
  view.query = "SELECT a, b || 'x' FROM t WHERE a < 3";
  view.columns = {{"a", 23, -1}, {"?column?", 25, -1}, {"c", 1043, 14}};
  view.depends_on = {100, 250};
  return view;
}

TEST(ViewDescriptorTest, RoundTrip) {
  ViewDescriptor view = Sample();
  std::string bytes = EncodeView(view);
  Result<ViewDescriptor> decoded = DecodeView(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, view);
  EXPECT_EQ(EncodeView(*decoded), bytes);
}

TEST(ViewDescriptorTest, TruncationAndGarbageAreCorruption) {
  std::string bytes = EncodeView(Sample());
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(DecodeView(bytes.substr(0, n)).ok()) << n;
  }
  EXPECT_FALSE(DecodeView("garbage").ok());
}

TEST(ViewDescriptorTest, KeysAreInTheSystemTable) {
  EXPECT_NE(ViewKey(100), ViewKey(101));
  EXPECT_LT(ViewKey(100), ViewKey(101));
}

}  // namespace
}  // namespace borealis::catalog
