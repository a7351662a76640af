#include "auth/role_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace borealis::auth {
namespace {

// Deterministic bytes so tests are reproducible.
class CountingRandom final : public RandomSource {
 public:
  std::string Bytes(size_t n) override {
    std::string out(n, '\0');
    for (auto& c : out) c = static_cast<char>(next_++);
    return out;
  }

 private:
  uint8_t next_ = 1;
};

// Forwards to a MemoryBlobStorage the test keeps a pointer to.
class SharedStorage final : public BlobStorage {
 public:
  explicit SharedStorage(MemoryBlobStorage* target) : target_(target) {}
  Result<std::optional<std::string>> Load() override { return target_->Load(); }
  Status Save(std::string_view blob) override {
    if (fail_saves) return Status::IoError("injected");
    return target_->Save(blob);
  }
  bool fail_saves = false;

 private:
  MemoryBlobStorage* target_;
};

TEST(RoleStoreTest, CreateFindPersistReload) {
  CountingRandom random;
  MemoryBlobStorage memory;
  {
    auto store = RoleStore::Open(std::make_unique<SharedStorage>(&memory), random);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->CreateRole("alice", "pw", false).ok());
    auto again = (*store)->CreateRole("alice", "pw2", false);
    EXPECT_EQ(again.sqlstate(), "42710");
    EXPECT_EQ(again.message(), "role \"alice\" already exists");
    EXPECT_EQ((*store)->CreateRole("", "pw", false).sqlstate(), "42602");
  }
  auto store = RoleStore::Open(std::make_unique<SharedStorage>(&memory), random);
  ASSERT_TRUE(store.ok());
  auto alice = (*store)->Find("alice");
  ASSERT_TRUE(alice.has_value());
  EXPECT_FALSE(alice->superuser);
  EXPECT_TRUE(PasswordMatchesVerifier("pw", alice->verifier));
  ASSERT_TRUE((*store)->SetPassword("alice", "new").ok());
  EXPECT_TRUE(PasswordMatchesVerifier("new", (*store)->Find("alice")->verifier));
  EXPECT_EQ((*store)->SetPassword("bob", "x").sqlstate(), "42704");
}

TEST(RoleStoreTest, AttributesMembershipsRenameDropPersist) {
  CountingRandom random;
  MemoryBlobStorage memory;
  {
    auto store = RoleStore::Open(std::make_unique<SharedStorage>(&memory), random);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(BootstrapAdmin(**store, std::string("pw"), random).ok());
    RoleOptions group;
    ASSERT_TRUE((*store)->CreateRole("staff", group).ok());
    RoleOptions user;
    user.login = true;
    user.create_db = true;
    user.connection_limit = 3;
    user.password = std::optional<std::string>("secret");
    ASSERT_TRUE((*store)->CreateRole("bob", user).ok());
    // A pre-computed verifier is stored as is.
    ScramVerifier verifier = MakeScramVerifier("other", std::string(16, 'x'), 4096);
    RoleOptions carol;
    carol.password = std::optional<std::string>(verifier.ToString());
    ASSERT_TRUE((*store)->CreateRole("carol", carol).ok());
    ASSERT_TRUE((*store)->GrantMembership("staff", "bob", false).value());
    EXPECT_FALSE((*store)->GrantMembership("staff", "bob", false).value());  // already
    auto cycle = (*store)->GrantMembership("bob", "staff", false);
    EXPECT_EQ(cycle.status().sqlstate(), "0LP01");
    EXPECT_EQ(cycle.status().message(), "role \"staff\" is a member of role \"bob\"");
    EXPECT_EQ((*store)->GrantMembership("bob", "bob", false).status().sqlstate(), "0LP01");
    EXPECT_EQ((*store)->GrantMembership("nobody", "bob", false).status().sqlstate(), "42704");
  }
  auto store = RoleStore::Open(std::make_unique<SharedStorage>(&memory), random);
  ASSERT_TRUE(store.ok());
  auto snapshot = (*store)->Snapshot();
  const Role* admin = snapshot->Find("admin");
  ASSERT_NE(admin, nullptr);
  EXPECT_EQ(admin->oid, kAdminRoleOid);
  const Role* staff = snapshot->Find("staff");
  const Role* bob = snapshot->Find("bob");
  const Role* carol = snapshot->Find("carol");
  ASSERT_TRUE(staff && bob && carol);
  EXPECT_FALSE(staff->login);
  EXPECT_FALSE(staff->has_password);
  EXPECT_TRUE(bob->login && bob->create_db && !bob->superuser);
  EXPECT_EQ(bob->connection_limit, 3);
  EXPECT_TRUE(PasswordMatchesVerifier("secret", bob->verifier));
  EXPECT_TRUE(PasswordMatchesVerifier("other", carol->verifier));
  EXPECT_GE(staff->oid, kFirstRoleOid);
  EXPECT_NE(staff->oid, bob->oid);
  EXPECT_TRUE(snapshot->IsMemberOf(bob->oid, staff->oid, true));
  EXPECT_FALSE(snapshot->IsMemberOf(staff->oid, bob->oid, false));
  uint32_t bob_oid = bob->oid;
  uint32_t staff_oid = staff->oid;

  ASSERT_TRUE((*store)->RenameRole("bob", "robert").ok());
  EXPECT_EQ((*store)->RenameRole("robert", "carol").sqlstate(), "42710");
  EXPECT_EQ((*store)->RenameRole("bob", "x").sqlstate(), "42704");
  auto renamed = (*store)->Find("robert");
  ASSERT_TRUE(renamed.has_value());
  EXPECT_EQ(renamed->oid, bob_oid);  // OIDs survive a rename: ACLs hold OIDs
  EXPECT_TRUE(PasswordMatchesVerifier("secret", renamed->verifier));

  RoleOptions no_inherit;
  no_inherit.inherit = false;
  no_inherit.password = std::optional<std::string>();  // PASSWORD NULL
  ASSERT_TRUE((*store)->AlterRole("robert", no_inherit).ok());
  EXPECT_FALSE((*store)->Find("robert")->has_password);
  EXPECT_FALSE((*store)->Snapshot()->IsMemberOf(bob_oid, staff_oid, true));
  EXPECT_TRUE((*store)->Snapshot()->IsMemberOf(bob_oid, staff_oid, false));

  ASSERT_TRUE((*store)->DropRole("staff").ok());
  EXPECT_TRUE((*store)->Find("robert")->member_of.empty());
  EXPECT_EQ((*store)->DropRole("staff").sqlstate(), "42704");
  ASSERT_TRUE(RoleStore::Open(std::make_unique<SharedStorage>(&memory), random).ok());
}

TEST(RoleStoreTest, Version1BlobLoads) {
  CountingRandom random;
  MemoryBlobStorage memory;
  ScramVerifier verifier = MakeScramVerifier("pw", std::string(16, 's'), 4096);
  ASSERT_TRUE(memory
                  .Save(R"({"version":1,"roles":[{"name":"admin","superuser":true,"verifier":")" +
                        verifier.ToString() + R"("},{"name":"old","superuser":false,"verifier":")" +
                        verifier.ToString() + R"("}]})")
                  .ok());
  auto store = RoleStore::Open(std::make_unique<SharedStorage>(&memory), random);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->Find("admin")->oid, kAdminRoleOid);
  EXPECT_TRUE((*store)->Find("old")->login);
  ASSERT_TRUE((*store)->CreateRole("new", RoleOptions()).ok());
  EXPECT_NE((*store)->Find("new")->oid, (*store)->Find("old")->oid);
}

TEST(RoleStoreTest, FailedSaveLeavesStoreUnchanged) {
  CountingRandom random;
  MemoryBlobStorage memory;
  auto storage = std::make_unique<SharedStorage>(&memory);
  SharedStorage* raw = storage.get();
  auto store = RoleStore::Open(std::move(storage), random);
  ASSERT_TRUE(store.ok());
  raw->fail_saves = true;
  EXPECT_FALSE((*store)->CreateRole("bob", "pw", false).ok());
  EXPECT_FALSE((*store)->Find("bob").has_value());
}

TEST(RoleStoreTest, CorruptBlobIsRejected) {
  CountingRandom random;
  for (std::string blob :
       {"not json", "{}", R"({"version":1,"roles":[{"name":"a"}]})",
        R"({"version":1,"roles":[{"name":"a","superuser":true,"verifier":"x"}]})"}) {
    auto memory = std::make_unique<MemoryBlobStorage>();
    ASSERT_TRUE(memory->Save(blob).ok());
    EXPECT_FALSE(RoleStore::Open(std::move(memory), random).ok()) << blob;
  }
}

TEST(RoleStoreTest, MockVerifierIsStableAndNeverMatches) {
  CountingRandom random;
  auto store = RoleStore::Open(std::make_unique<MemoryBlobStorage>(), random);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->MockVerifier("x").ToString(), (*store)->MockVerifier("x").ToString());
  EXPECT_NE((*store)->MockVerifier("x").salt, (*store)->MockVerifier("y").salt);
}

TEST(RoleStoreTest, BootstrapAdmin) {
  CountingRandom random;
  auto store = RoleStore::Open(std::make_unique<MemoryBlobStorage>(), random);
  ASSERT_TRUE(store.ok());
  auto generated = BootstrapAdmin(**store, std::nullopt, random);
  ASSERT_TRUE(generated.ok());
  ASSERT_TRUE(generated->has_value());
  auto admin = (*store)->Find("admin");
  ASSERT_TRUE(admin.has_value());
  EXPECT_TRUE(admin->superuser);
  EXPECT_TRUE(PasswordMatchesVerifier(**generated, admin->verifier));
  auto second = BootstrapAdmin(**store, std::string("other"), random);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->has_value());
  EXPECT_TRUE(PasswordMatchesVerifier(**generated, (*store)->Find("admin")->verifier));
}

TEST(FileBlobStorageTest, AtomicSaveAndLoad) {
  std::string dir = ::testing::TempDir() + "/borealis_role_store_" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  FileBlobStorage storage(dir + "/roles.json");
  auto empty = storage.Load();
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->has_value());
  ASSERT_TRUE(storage.Save("one").ok());
  ASSERT_TRUE(storage.Save("two").ok());
  auto loaded = storage.Load();
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(**loaded, "two");
  EXPECT_FALSE(std::filesystem::exists(dir + "/roles.json.tmp"));
  struct stat st {};
  ASSERT_EQ(::stat((dir + "/roles.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace borealis::auth
