// bank_tool: runs the bank workload (tests/workload/bank.h) against a real deployment of the
// transaction core over TCP, then checks the invariants: every snapshot sums to the total,
// every acknowledged transfer is present, no definitely failed one is.
//   bank_tool --adjudicator HOST:PORT --storage HOST:PORT [--setup] [--clients N]
//             [--duration-s S] [--accounts N]
// Prints one summary line; exit 0 iff no violation. Bounded: the run lasts --duration-s, the
// final read retries for at most ~60 s.
#include <CLI/CLI.hpp>
#include <asio.hpp>
#include <cstdio>
#include <optional>

#include "runtime/env.h"
#include "txn/client.h"
#include "workload/bank.h"

namespace borealis {
namespace {

int Run(const std::string& adjudicator, const std::string& storage, bool setup, int clients,
        int duration_s, int accounts) {
  asio::io_context io(1);
  runtime::ProductionEnv production(io, runtime::ProductionEnvOptions{});
  Status started = production.Start();
  if (!started.ok()) {
    std::fprintf(stderr, "bank_tool: %s\n", started.ToString().c_str());
    return 2;
  }
  runtime::Env env = production.env();
  txn::Messenger messenger(env);
  txn::TxnClient client(&messenger,
                        {.adjudicator_endpoint = adjudicator, .storage_endpoint = storage});
  workload::BankOptions options;
  options.accounts = accounts;
  workload::BankHistory history;
  std::vector<std::unique_ptr<workload::BankClient>> bank;
  std::optional<Result<workload::FinalState>> final_state;
  bool setup_failed = false;
  auto finish = [&] {
    for (auto& c : bank) c->Stop();
    // Let transactions in flight finish (their outcome is recorded), then read the end state.
    auto wait = std::make_shared<std::function<void(int)>>();
    std::weak_ptr<std::function<void(int)>> weak_wait = wait;
    *wait = [&, weak_wait](int rounds) {
      bool idle = std::all_of(bank.begin(), bank.end(), [](auto& c) { return c->idle(); });
      if (!idle && rounds > 0) {
        auto self = weak_wait.lock();
        env.scheduler->After(std::chrono::milliseconds(50),
                             [self, rounds] { (*self)(rounds - 1); });
        return;
      }
      bank.clear();  // anything still running now has an unknown outcome
      workload::ReadFinalState(&client, 1200, [&](Result<workload::FinalState> state) {
        final_state = std::move(state);
        io.stop();
      });
    };
    (*wait)(600);
  };
  auto start_clients = [&] {
    for (int i = 0; i < clients; ++i) {
      bank.push_back(std::make_unique<workload::BankClient>(env, &client, "c" + std::to_string(i),
                                                            &history, options));
    }
    env.scheduler->After(std::chrono::seconds(duration_s), finish);
  };
  if (setup) {
    workload::CreateAccounts(&client, options, 600, [&](bool ok) {
      if (!ok) {
        setup_failed = true;
        io.stop();
        return;
      }
      start_clients();
    });
  } else {
    start_clients();
  }
  io.run();
  if (setup_failed) {
    std::fprintf(stderr, "bank_tool: could not create the accounts\n");
    return 1;
  }
  if (!final_state.has_value() || !final_state->ok()) {
    std::fprintf(stderr, "bank_tool: could not read the final state: %s\n",
                 final_state.has_value() ? final_state->status().ToString().c_str() : "stopped");
    return 1;
  }
  std::vector<std::string> violations =
      workload::CheckFinalState(history, final_state->value(), options);
  std::printf(
      "bank: transfers=%lld conflicts=%lld unknown=%lld reads_checked=%lld markers=%zu "
      "violations=%zu\n",
      static_cast<long long>(history.transfers), static_cast<long long>(history.conflicts),
      static_cast<long long>(history.unknown), static_cast<long long>(history.reads_checked),
      final_state->value().markers.size(), violations.size());
  for (size_t i = 0; i < violations.size() && i < 10; ++i) {
    std::printf("  violation: %s\n", violations[i].c_str());
  }
  return violations.empty() ? 0 : 1;
}

}  // namespace
}  // namespace borealis

int main(int argc, char** argv) {
  CLI::App app{"bank workload against a Borealis transaction core"};
  std::string adjudicator, storage;
  bool setup = false;
  int clients = 8, duration_s = 10, accounts = 8;
  app.add_option("--adjudicator", adjudicator)->required();
  app.add_option("--storage", storage)->required();
  app.add_flag("--setup", setup, "create the accounts first");
  app.add_option("--clients", clients)->check(CLI::Range(1, 256));
  app.add_option("--duration-s", duration_s)->check(CLI::Range(1, 3600));
  app.add_option("--accounts", accounts)->check(CLI::Range(2, 100000));
  CLI11_PARSE(app, argc, argv);
  return borealis::Run(adjudicator, storage, setup, clients, duration_s, accounts);
}
