// catalog/acl.h: grant/revoke, held privileges, PostgreSQL's aclitem text, the binary codec.
#include "catalog/acl.h"

#include <gtest/gtest.h>

#include <map>

#include "catalog/descriptor.h"

namespace borealis::catalog {
namespace {

std::string Name(uint32_t oid) {
  static const std::map<uint32_t, std::string> kNames = {
      {10, "admin"}, {20000, "bob"}, {20001, "Weird Name"}, {20002, "carol"}};
  return kNames.at(oid);
}

TEST(AclTest, GrantRevokeFormatLikePostgres) {
  std::optional<Acl> acl;  // relacl NULL: owner admin holds everything
  EXPECT_EQ(FormatAcl(DefaultAcl(AclObject::kTable, 10), Name), "{admin=arwdDxt/admin}");
  Result<Acl> granted = GrantPrivileges(acl, AclObject::kTable, 10, 20000, kAclSelect);
  ASSERT_TRUE(granted.ok());
  acl = *granted;
  acl = GrantPrivileges(acl, AclObject::kTable, 10, kPublicGrantee, kAclSelect).value();
  acl = GrantPrivileges(acl, AclObject::kTable, 10, 20000, kAclInsert | kAclUpdate).value();
  EXPECT_EQ(FormatAcl(*acl, Name), "{admin=arwdDxt/admin,bob=arw/admin,=r/admin}");
  acl = GrantPrivileges(acl, AclObject::kTable, 10, 20001, kAclDelete).value();
  EXPECT_EQ(FormatAcl(*acl, Name),
            "{admin=arwdDxt/admin,bob=arw/admin,=r/admin,\"\\\"Weird Name\\\"=d/admin\"}");
  acl = RevokePrivileges(acl, AclObject::kTable, 10, 20000, kAclAllTable);
  acl = RevokePrivileges(acl, AclObject::kTable, 10, 20001, kAclDelete);
  EXPECT_EQ(FormatAcl(*acl, Name), "{admin=arwdDxt/admin,=r/admin}");
  // The owner may revoke its own privileges; the list may become empty ("{}").
  Acl none = RevokePrivileges(std::nullopt, AclObject::kTable, 10, 10, kAclAllTable);
  EXPECT_EQ(FormatAcl(none, Name), "{}");
  EXPECT_EQ(FormatAcl(DefaultAcl(AclObject::kSequence, 10), Name), "{admin=rwU/admin}");
}

TEST(AclTest, HeldPrivilegesFollowMembershipAndPublic) {
  Acl acl = GrantPrivileges(std::nullopt, AclObject::kTable, 10, 20002, kAclSelect).value();
  acl = GrantPrivileges(acl, AclObject::kTable, 10, kPublicGrantee, kAclInsert).value();
  auto bob = [](uint32_t grantee) { return grantee == 20000; };
  auto bob_in_carol = [](uint32_t grantee) { return grantee == 20000 || grantee == 20002; };
  EXPECT_EQ(HeldPrivileges(acl, AclObject::kTable, 10, bob), kAclInsert);
  EXPECT_EQ(HeldPrivileges(acl, AclObject::kTable, 10, bob_in_carol), kAclInsert | kAclSelect);
  auto admin = [](uint32_t grantee) { return grantee == 10; };
  EXPECT_EQ(HeldPrivileges(std::nullopt, AclObject::kTable, 10, admin), kAclAllTable);
  EXPECT_EQ(HeldPrivileges(std::nullopt, AclObject::kTable, 10, bob), 0u);
}

TEST(AclTest, PrivilegeKeywords) {
  EXPECT_EQ(PrivilegeBits(AclObject::kTable, "select"), kAclSelect);
  EXPECT_EQ(PrivilegeBits(AclObject::kTable, "all"), kAclAllTable);
  EXPECT_EQ(PrivilegeBits(AclObject::kTable, "usage"), std::nullopt);
  EXPECT_EQ(PrivilegeBits(AclObject::kSequence, "usage"), kAclUsage);
  EXPECT_EQ(PrivilegeBits(AclObject::kSequence, "insert"), std::nullopt);
  EXPECT_EQ(PrivilegeKeyword(kAclTruncate), "TRUNCATE");
  EXPECT_EQ(FormatPrivileges(kAclAllTable), "arwdDxt");
}

TEST(AclTest, ChangeOwnerMergesItems) {
  Acl acl = GrantPrivileges(std::nullopt, AclObject::kTable, 10, 20000, kAclSelect).value();
  acl = GrantPrivileges(acl, AclObject::kTable, 10, 20002, kAclInsert).value();
  // bob becomes the owner: his own item merges into the owner's.
  EXPECT_EQ(FormatAcl(ChangeAclOwner(acl, 10, 20000), Name), "{bob=arwdDxt/bob,carol=a/bob}");
}

TEST(AclTest, CodecRoundTripsAndRejectsGarbage) {
  Acl acl = {{10, 10, kAclAllTable}, {0, 10, kAclSelect}, {20000, 10, kAclUpdate}};
  Result<Acl> back = DecodeAcl(EncodeAcl(acl));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, acl);
  EXPECT_FALSE(DecodeAcl(EncodeAcl(acl) + "x").ok());
  EXPECT_FALSE(DecodeAcl(EncodeAcl(acl).substr(0, 3)).ok());
  EXPECT_TRUE(AclMentions(acl, 20000));
  EXPECT_FALSE(AclMentions(acl, 20001));
}

}  // namespace
}  // namespace borealis::catalog

namespace borealis::catalog {
namespace {

// Owner and ACL live in the descriptors (dropped with the object); old descriptors without
// them decode as owned by the bootstrap superuser with no ACL (relacl NULL).
TEST(AclTest, DescriptorsKeepOwnerAndAcl) {
  TableDescriptor table;
  table.id = kFirstUserTableId;
  table.name = "t";
  ColumnDescriptor column;
  column.id = 1;
  column.name = "a";
  column.type_oid = 23;
  table.columns.push_back(column);
  table.primary_key = {1};
  table.next_column_id = 2;
  Result<TableDescriptor> plain = DecodeDescriptor(EncodeDescriptor(table));
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_EQ(plain->owner, kBootstrapOwnerOid);
  EXPECT_FALSE(plain->acl.has_value());
  table.owner = 20000;
  table.acl = GrantPrivileges(std::nullopt, AclObject::kTable, 20000, 0, kAclSelect).value();
  Result<TableDescriptor> back = DecodeDescriptor(EncodeDescriptor(table));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, table);
}

}  // namespace
}  // namespace borealis::catalog
