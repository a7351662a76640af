// Conformance of PosixDisk and SimulatedDisk to disk.h, plus the simulated crash model.
#include "runtime/disk.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "runtime/simulated_disk.h"

namespace borealis::runtime {
namespace {

std::unique_ptr<File> MustOpen(Disk& disk, const std::string& path, OpenMode mode) {
  auto file = disk.Open(path, mode);
  BOREALIS_CHECK(file.ok(), file.status().ToString());
  return std::move(file).value();
}

class DiskConformanceTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam()) {
      char templ[] = "/tmp/borealis_disk_test_XXXXXX";
      ASSERT_NE(::mkdtemp(templ), nullptr);
      root_ = templ;
      disk_ = std::make_unique<PosixDisk>();
    } else {
      root_ = "/data";
      disk_ = std::make_unique<SimulatedDisk>(&random_, SimulatedDiskOptions{});
      ASSERT_TRUE(disk_->CreateDir(root_).ok());
    }
  }
  void TearDown() override {
    if (GetParam()) std::filesystem::remove_all(root_);
  }
  std::string Path(const std::string& name) const { return root_ + "/" + name; }

  SeededRandom random_{7};
  std::string root_;
  std::unique_ptr<Disk> disk_;
};

TEST_P(DiskConformanceTest, ReadOnlyOpensExistingFiles) {
  EXPECT_EQ(disk_->Open(Path("r"), OpenMode::kReadOnly).status().code(), Code::kNotFound);
  ASSERT_TRUE(MustOpen(*disk_, Path("r"), OpenMode::kCreateNew)->Append("data").ok());
  auto file = MustOpen(*disk_, Path("r"), OpenMode::kReadOnly);
  EXPECT_EQ(*file->Size(), 4u);
  EXPECT_EQ(*file->ReadAt(1, 10), "ata");
}

TEST_P(DiskConformanceTest, FileReadWriteAppendTruncate) {
  EXPECT_EQ(disk_->Open(Path("f"), OpenMode::kOpenExisting).status().code(), Code::kNotFound);
  auto file = disk_->Open(Path("f"), OpenMode::kCreateNew);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(disk_->Open(Path("f"), OpenMode::kCreateNew).status().code(), Code::kAlreadyExists);
  File& f = **file;
  ASSERT_TRUE(f.Append("hello").ok());
  ASSERT_TRUE(f.Append(" world").ok());
  ASSERT_TRUE(f.WriteAt(0, "J").ok());
  EXPECT_EQ(*f.ReadAt(0, 100), "Jello world");
  EXPECT_EQ(*f.ReadAt(6, 3), "wor");
  EXPECT_EQ(*f.ReadAt(50, 3), "");
  ASSERT_TRUE(f.WriteAt(13, "!").ok());  // beyond the end: zero-filled gap
  EXPECT_EQ(*f.Size(), 14u);
  EXPECT_EQ(*f.ReadAt(11, 3), std::string("\0\0!", 3));
  ASSERT_TRUE(f.Truncate(5).ok());
  ASSERT_TRUE(f.Append("!").ok());
  EXPECT_EQ(*f.ReadAt(0, 100), "Jello!");
  ASSERT_TRUE(f.Sync().ok());
  ASSERT_TRUE(f.Close().ok());
  EXPECT_FALSE(f.Sync().ok());

  auto again = disk_->Open(Path("f"), OpenMode::kCreateIfMissing);
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE((*again)->Append("?").ok());
  EXPECT_EQ(*(*again)->ReadAt(0, 100), "Jello!?");
}

TEST_P(DiskConformanceTest, DirectoriesRenameRemove) {
  ASSERT_TRUE(disk_->CreateDir(Path("sub")).ok());
  EXPECT_EQ(disk_->CreateDir(Path("sub")).code(), Code::kAlreadyExists);
  EXPECT_EQ(disk_->CreateDir(Path("missing/sub")).code(), Code::kNotFound);
  ASSERT_TRUE(disk_->Open(Path("sub/a"), OpenMode::kCreateNew).ok());
  ASSERT_TRUE(disk_->Open(Path("sub/b"), OpenMode::kCreateNew).ok());
  EXPECT_EQ(*disk_->ListDir(Path("sub")), (std::vector<std::string>{"a", "b"}));
  ASSERT_TRUE(disk_->Rename(Path("sub/a"), Path("sub/c")).ok());
  ASSERT_TRUE(disk_->Rename(Path("sub/c"), Path("sub/b")).ok());  // replaces b
  EXPECT_EQ(*disk_->ListDir(Path("sub")), (std::vector<std::string>{"b"}));
  EXPECT_TRUE(*disk_->Exists(Path("sub/b")));
  EXPECT_FALSE(*disk_->Exists(Path("sub/a")));
  ASSERT_TRUE(disk_->SyncDir(Path("sub")).ok());
  EXPECT_FALSE(disk_->Remove(Path("sub")).ok());  // not empty
  ASSERT_TRUE(disk_->Remove(Path("sub/b")).ok());
  ASSERT_TRUE(disk_->Remove(Path("sub")).ok());
  EXPECT_EQ(disk_->Remove(Path("sub")).code(), Code::kNotFound);
  EXPECT_EQ(disk_->ListDir(Path("sub")).status().code(), Code::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Disks, DiskConformanceTest, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "Posix" : "Simulated"; });

SimulatedDiskOptions NoSurvivors() { return SimulatedDiskOptions{0, 0, 0}; }

TEST(SimulatedDiskTest, CrashKeepsSyncedDataAndDropsUnsyncedData) {
  SeededRandom random(1);
  SimulatedDisk disk(&random, NoSurvivors());
  auto file = MustOpen(disk, "log", OpenMode::kCreateNew);
  ASSERT_TRUE(disk.SyncDir("").ok());
  ASSERT_TRUE(file->Append("durable").ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(file->Append("-lost").ok());
  EXPECT_EQ(disk.UnsyncedBytes(), 5u);
  disk.Crash();
  EXPECT_EQ(file->Append("x").code(), Code::kIoError);  // stale handle
  auto reopened = MustOpen(disk, "log", OpenMode::kOpenExisting);
  EXPECT_EQ(*reopened->ReadAt(0, 100), "durable");
}

TEST(SimulatedDiskTest, UnsyncedDirectoryEntriesVanish) {
  SeededRandom random(1);
  SimulatedDisk disk(&random, NoSurvivors());
  ASSERT_TRUE(disk.CreateDir("d").ok());
  auto file = MustOpen(disk, "d/f", OpenMode::kCreateNew);
  ASSERT_TRUE(file->Append("data").ok());
  ASSERT_TRUE(file->Sync().ok());  // data synced, but no directory entry synced
  disk.Crash();
  EXPECT_FALSE(*disk.Exists("d"));

  ASSERT_TRUE(disk.CreateDir("d").ok());
  ASSERT_TRUE(disk.SyncDir("").ok());
  file = MustOpen(disk, "d/tmp", OpenMode::kCreateNew);
  ASSERT_TRUE(file->Append("v2").ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(disk.SyncDir("d").ok());
  ASSERT_TRUE(disk.Rename("d/tmp", "d/current").ok());
  disk.Crash();  // the rename was not synced
  EXPECT_EQ(*disk.ListDir("d"), std::vector<std::string>{"tmp"});
  ASSERT_TRUE(disk.Rename("d/tmp", "d/current").ok());
  ASSERT_TRUE(disk.SyncDir("d").ok());
  disk.Crash();
  EXPECT_EQ(*disk.ListDir("d"), std::vector<std::string>{"current"});
  EXPECT_EQ(*MustOpen(disk, "d/current", OpenMode::kOpenExisting)->ReadAt(0, 10), "v2");
}

TEST(SimulatedDiskTest, TornWritesLeaveAPrefixAndAreDeterministic) {
  auto run = [](uint64_t seed) {
    SeededRandom random(seed);
    SimulatedDisk disk(&random, SimulatedDiskOptions{0.5, 0.5, 0});
    auto file = MustOpen(disk, "log", OpenMode::kCreateNew);
    EXPECT_TRUE(disk.SyncDir("").ok());
    EXPECT_TRUE(file->Append("base|").ok());
    EXPECT_TRUE(file->Sync().ok());
    const std::string tail = "first-record|second-record|third-record|";
    EXPECT_TRUE(file->Append("first-record|").ok());
    EXPECT_TRUE(file->Append("second-record|").ok());
    EXPECT_TRUE(file->Append("third-record|").ok());
    disk.Crash();
    std::string image = *MustOpen(disk, "log", OpenMode::kOpenExisting)->ReadAt(0, 1000);
    EXPECT_EQ(image.substr(0, 5), "base|");
    EXPECT_EQ(tail.substr(0, image.size() - 5), image.substr(5)) << "not a prefix";
    return image;
  };
  std::set<size_t> lengths;
  for (uint64_t seed = 0; seed < 64; ++seed) {
    const std::string image = run(seed);
    EXPECT_EQ(image, run(seed));
    lengths.insert(image.size());
  }
  EXPECT_GT(lengths.size(), 5u) << "crashes should leave many different tails";
}

TEST(SimulatedDiskTest, InjectedIoErrors) {
  SeededRandom random(3);
  SimulatedDisk disk(&random, SimulatedDiskOptions{0, 0, 1.0});
  auto file = MustOpen(disk, "f", OpenMode::kCreateNew);
  EXPECT_EQ(file->Append("x").code(), Code::kIoError);
  EXPECT_EQ(file->Sync().code(), Code::kIoError);
  EXPECT_EQ(*file->Size(), 0u);
}

}  // namespace
}  // namespace borealis::runtime
