// core_bench: measures a running transaction core (embedded or one process per role) from a
// client over TCP, beside the fdatasync floor of the disk its data directory is on.
//   core_bench --adjudicator HOST:PORT --storage HOST:PORT --data-dir DIR [--seconds S]
//              [--clients N]
// Prints one line per measure: fdatasync floor p50/p99, single-client commit latency p50/p99,
// commit throughput with N concurrent clients, point-read throughput with N concurrent readers.
// A benchmark, not a test: nothing here asserts a time.
#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <asio.hpp>
#include <chrono>
#include <cstdio>
#include <vector>

#include "runtime/env.h"
#include "txn/client.h"

namespace borealis {
namespace {

using Clock = std::chrono::steady_clock;

double Percentile(std::vector<double> samples, double p) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  size_t index = std::min(samples.size() - 1, static_cast<size_t>(p * samples.size()));
  return samples[index];
}

// Appends 8 kB and fdatasyncs, `count` times, in DIR: what a durable commit costs at least.
std::vector<double> FsyncFloorUs(const std::string& dir, int count) {
  std::string path = dir + "/fsync-floor.bench";
  int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  BOREALIS_CHECK(fd >= 0, "cannot open", path);
  std::string block(8192, 'x');
  std::vector<double> samples;
  for (int i = 0; i < count; ++i) {
    auto start = Clock::now();
    BOREALIS_CHECK(::write(fd, block.data(), block.size()) == static_cast<ssize_t>(block.size()));
    BOREALIS_CHECK(::fdatasync(fd) == 0);
    samples.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  ::close(fd);
  ::unlink(path.c_str());
  return samples;
}

class Bench {
 public:
  Bench(asio::io_context& io, runtime::Env env, txn::TxnClient* client)
      : io_(io), env_(env), client_(client) {}

  // One client, one single-key commit after another.
  std::vector<double> CommitLatencyUs(std::chrono::seconds duration) {
    std::vector<double> samples;
    auto deadline = Clock::now() + duration;
    auto step = std::make_shared<std::function<void(int)>>();
    std::weak_ptr<std::function<void(int)>> weak = step;
    *step = [&, weak](int i) {
      if (Clock::now() >= deadline) return io_.stop();
      auto txn = std::shared_ptr<txn::Transaction>(client_->Begin());
      BOREALIS_CHECK(txn->Put("bench/latency/" + std::to_string(i), "v").ok());
      auto start = Clock::now();
      auto self = weak.lock();
      txn->Commit([&, txn, start, self, i](Result<txn::Timestamp> committed) {
        BOREALIS_CHECK(committed.ok(), committed.status().ToString());
        samples.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
        (*self)(i + 1);
      });
    };
    (*step)(0);
    Run();
    return samples;
  }

  // `clients` loops committing distinct keys; returns commits per second.
  double CommitThroughput(int clients, std::chrono::seconds duration) {
    return Loop(clients, duration, [this](int client, uint64_t i, std::function<void()> next) {
      auto txn = std::shared_ptr<txn::Transaction>(client_->Begin());
      BOREALIS_CHECK(txn->Put("bench/tput/" + std::to_string(client) + "/" + std::to_string(i),
                              "value-of-a-row-of-some-size")
                         .ok());
      txn->Commit([txn, next](Result<txn::Timestamp> committed) {
        BOREALIS_CHECK(committed.ok(), committed.status().ToString());
        next();
      });
    });
  }

  // `clients` loops of point reads of keys written by CommitLatencyUs; returns reads per second.
  double PointReads(int clients, std::chrono::seconds duration, uint64_t keys) {
    return Loop(clients, duration, [this, keys](int, uint64_t i, std::function<void()> next) {
      auto txn = std::shared_ptr<txn::Transaction>(client_->Begin());
      txn->Get("bench/latency/" + std::to_string(i * 7919 % keys),
               [txn, next](Result<std::optional<std::string>> value) {
                 BOREALIS_CHECK(value.ok(), value.status().ToString());
                 next();
               });
    });
  }

 private:
  using Op = std::function<void(int client, uint64_t i, std::function<void()> next)>;

  double Loop(int clients, std::chrono::seconds duration, Op op) {
    auto start = Clock::now();
    auto deadline = start + duration;
    uint64_t done = 0;
    int running = clients;
    std::vector<std::shared_ptr<std::function<void(uint64_t)>>> loops;
    for (int c = 0; c < clients; ++c) {
      auto step = std::make_shared<std::function<void(uint64_t)>>();
      std::weak_ptr<std::function<void(uint64_t)>> weak = step;
      *step = [&, c, weak](uint64_t i) {
        if (Clock::now() >= deadline) {
          if (--running == 0) io_.stop();
          return;
        }
        auto self = weak.lock();
        op(c, i, [&, self, i] {
          ++done;
          (*self)(i + 1);
        });
      };
      loops.push_back(step);
      (*step)(0);
    }
    Run();
    return done / std::chrono::duration<double>(Clock::now() - start).count();
  }

  void Run() {
    io_.restart();
    io_.run();
  }

  asio::io_context& io_;
  runtime::Env env_;
  txn::TxnClient* client_;
};

int Main(const std::string& adjudicator, const std::string& storage, const std::string& dir,
         int seconds, int clients) {
  std::vector<double> floor = FsyncFloorUs(dir, 2000);
  std::printf("fdatasync floor (8 kB, %s): p50 %.0f us, p99 %.0f us\n", dir.c_str(),
              Percentile(floor, 0.5), Percentile(floor, 0.99));
  asio::io_context io(1);
  runtime::ProductionEnv production(io, runtime::ProductionEnvOptions{});
  BOREALIS_CHECK(production.Start().ok());
  txn::Messenger messenger(production.env());
  txn::TxnClient client(&messenger,
                        {.adjudicator_endpoint = adjudicator, .storage_endpoint = storage});
  Bench bench(io, production.env(), &client);
  std::vector<double> latency = bench.CommitLatencyUs(std::chrono::seconds(seconds));
  std::printf(
      "commit latency, 1 client: p50 %.0f us, p99 %.0f us (%.1fx / %.1fx the floor), %zu commits\n",
      Percentile(latency, 0.5), Percentile(latency, 0.99),
      Percentile(latency, 0.5) / Percentile(floor, 0.5),
      Percentile(latency, 0.99) / Percentile(floor, 0.99), latency.size());
  double commits = bench.CommitThroughput(clients, std::chrono::seconds(seconds));
  std::printf("commit throughput, %d clients: %.0f commits/s\n", clients, commits);
  double reads = bench.PointReads(clients, std::chrono::seconds(seconds), latency.size());
  std::printf("point reads, %d clients: %.0f reads/s\n", clients, reads);
  return 0;
}

}  // namespace
}  // namespace borealis

int main(int argc, char** argv) {
  CLI::App app{"transaction-core benchmark"};
  std::string adjudicator, storage, dir;
  int seconds = 5, clients = 32;
  app.add_option("--adjudicator", adjudicator)->required();
  app.add_option("--storage", storage)->required();
  app.add_option("--data-dir", dir, "a directory on the deployment's disk")->required();
  app.add_option("--seconds", seconds)->check(CLI::Range(1, 600));
  app.add_option("--clients", clients)->check(CLI::Range(1, 1024));
  CLI11_PARSE(app, argc, argv);
  return borealis::Main(adjudicator, storage, dir, seconds, clients);
}
