// CoreNode: runs transaction-core roles (journal, adjudicator, crossbar, storage) of one
// process on one event-loop thread, each role behind its own transport endpoint (TCP, and
// in-process delivery between the roles and clients of one process when given a LocalHub)
// (ARCHITECTURE §5). The embedded deployment runs all four in the `borealis start` process on
// loopback ports; the cluster deployment runs one role per process with the peers' endpoints
// given on the command line. The same role code runs under the simulator (tests/sim).
//
// Durability: the journal lives in DATA_DIR/journal (PosixDisk, fdatasync on a blocking
// thread); storage in DATA_DIR/storage (RocksDB). The endpoints actually bound are written to
// DATA_DIR/endpoints.<role> so tools can find ephemeral ports.
// Threading: Start() and Stop() from one controlling thread; each role runs on its own event
// loop thread.
#pragma once

#include <memory>
#include <set>
#include <string>

#include "common/status.h"

namespace borealis::runtime {
class LocalHub;
}

namespace borealis::server {

enum class Role { kJournal, kAdjudicator, kCrossbar, kStorage };

Result<Role> ParseRole(const std::string& name);
const char* RoleName(Role role);

struct CoreNodeOptions {
  std::string data_dir;
  std::set<Role> roles;
  // Listen endpoints for the roles this node runs (port 0: ephemeral), and where to reach
  // the roles other processes run. A role run here uses its own bound endpoint for peers.
  std::string journal_endpoint = "127.0.0.1:0";
  std::string adjudicator_endpoint = "127.0.0.1:0";
  std::string crossbar_endpoint = "127.0.0.1:0";
  std::string storage_endpoint = "127.0.0.1:0";
  int64_t max_clock_error_ns = 0;
  // When set, the roles join this hub and reach each other (and other in-process clients, such
  // as the QP's transaction client) without sockets; they still accept TCP peers. Must outlive
  // the node.
  runtime::LocalHub* local_hub = nullptr;
};

struct CoreEndpoints {
  std::string journal;
  std::string adjudicator;
  std::string crossbar;
  std::string storage;
};

class CoreNode {
 public:
  static Result<std::unique_ptr<CoreNode>> Start(CoreNodeOptions options);
  ~CoreNode();  // stops

  void Stop();
  const CoreEndpoints& endpoints() const;

  struct Impl;

 private:
  explicit CoreNode(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace borealis::server
