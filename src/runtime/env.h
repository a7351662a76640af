// The injected environment: the only way the transaction core reaches time, randomness, disk,
// network and timers (ARCHITECTURE.md §6, STYLE.md "everything external is injected").
//
// Contract: Env is a bundle of non-owning pointers handed to a component's constructor. Whoever
// builds the Env (ProductionEnv, or the Simulator for a simulated node) owns the objects and
// keeps them alive as long as the component. Every pointer is non-null. Components call them
// on the node's event-loop thread only, except Disk, which production code calls from a
// blocking pool.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/status.h"
#include "runtime/clock.h"
#include "runtime/disk.h"
#include "runtime/local_transport.h"
#include "runtime/random.h"
#include "runtime/scheduler.h"
#include "runtime/tcp_transport.h"
#include "runtime/transport.h"

namespace borealis::runtime {

struct Env {
  Clock* clock = nullptr;
  Random* random = nullptr;
  Disk* disk = nullptr;
  Transport* transport = nullptr;
  Scheduler* scheduler = nullptr;
};

struct ProductionEnvOptions {
  std::chrono::nanoseconds max_clock_error{0};
  TcpTransportOptions transport;
  // When set, peers registered in this hub (the same process) are reached without sockets
  // (local_transport.h); the hub must outlive the environment.
  LocalHub* local_hub = nullptr;
};

// The production bindings: system clock + HLC, std::random_device-seeded Random, PosixDisk,
// LocalTransport (TCP, plus in-process peers when given a hub) and AsioScheduler on one
// io_context. Construct and use on the io_context's
// thread; the io_context must outlive it.
class ProductionEnv {
 public:
  ProductionEnv(asio::io_context& io, ProductionEnvOptions options);

  // Starts listening. REQUIRES: called once.
  Status Start();
  // Closes the transport (leaves the hub, closes sockets). On the loop thread.
  void StopTransport() { transport_.Stop(); }
  Env env();

 private:
  SystemPhysicalClock physical_clock_;
  HybridLogicalClock clock_;
  std::unique_ptr<Random> random_;
  PosixDisk disk_;
  LocalTransport transport_;
  AsioScheduler scheduler_;
};

}  // namespace borealis::runtime
