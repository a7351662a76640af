#include "txn/sync_client.h"

#include <asio.hpp>
#include <future>
#include <utility>

#include "runtime/env.h"

namespace borealis::txn {

struct SyncTxnClient::Impl {
  asio::io_context io{1};
  std::unique_ptr<runtime::ProductionEnv> env;
  std::unique_ptr<Messenger> messenger;
  std::unique_ptr<TxnClient> client;
  std::unique_ptr<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::thread loop;
};

Result<std::unique_ptr<SyncTxnClient>> SyncTxnClient::Start(TxnClientOptions options,
                                                            std::string listen,
                                                            runtime::LocalHub* hub) {
  auto impl = std::make_unique<Impl>();
  runtime::ProductionEnvOptions env_options;
  env_options.transport.listen_endpoint = std::move(listen);
  env_options.local_hub = hub;
  impl->env = std::make_unique<runtime::ProductionEnv>(impl->io, std::move(env_options));
  RETURN_IF_ERROR(impl->env->Start());
  impl->messenger = std::make_unique<Messenger>(impl->env->env());
  asio::io_context* io = &impl->io;
  impl->client = std::make_unique<TxnClient>(
      impl->messenger.get(), std::move(options),
      [io](std::function<void()> fn) { asio::post(*io, std::move(fn)); });
  impl->work = std::make_unique<asio::executor_work_guard<asio::io_context::executor_type>>(
      impl->io.get_executor());
  impl->loop = std::thread([io] { io->run(); });
  return std::unique_ptr<SyncTxnClient>(new SyncTxnClient(std::move(impl)));
}

SyncTxnClient::SyncTxnClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SyncTxnClient::~SyncTxnClient() {
  Impl* impl = impl_.get();
  asio::post(impl->io, [impl] {
    impl->client.reset();
    impl->messenger.reset();
    impl->env->StopTransport();
    impl->work.reset();
  });
  if (impl->loop.joinable()) impl->loop.join();
}

void SyncTxnClient::CheckNotOnLoop() const {
  BOREALIS_CHECK(std::this_thread::get_id() != impl_->loop.get_id(),
                 "SyncTxnClient called from its own loop thread");
}

std::unique_ptr<SyncTxnClient::Txn> SyncTxnClient::Begin() {
  return std::unique_ptr<Txn>(new Txn(this, impl_->client->Begin()));
}

Status SyncTxnClient::Txn::Expect(std::string key, std::string value) {
  if (!defer_expectations_ || expectations_.size() + 1 >= kMaxBatchGetKeys) {
    return KvTransaction::Expect(std::move(key), std::move(value));
  }
  expectations_.emplace_back(std::move(key), std::move(value));
  return Status::Ok();
}

Status SyncTxnClient::Txn::ExpectAbsent(std::string key) {
  if (!defer_expectations_ || expectations_.size() + 1 >= kMaxBatchGetKeys) {
    return KvTransaction::ExpectAbsent(std::move(key));
  }
  expectations_.emplace_back(std::move(key), std::nullopt);
  return Status::Ok();
}

Result<std::vector<Result<std::optional<std::string>>>> SyncTxnClient::Txn::ReadWithExpectations(
    std::vector<std::string> keys) {
  owner_->CheckNotOnLoop();
  std::vector<std::pair<std::string, std::optional<std::string>>> expected =
      std::exchange(expectations_, {});
  std::vector<std::string> batch;
  batch.reserve(expected.size() + keys.size());
  for (const auto& [key, value] : expected) batch.push_back(key);
  for (std::string& key : keys) batch.push_back(std::move(key));
  std::promise<std::vector<Result<std::optional<std::string>>>> promise;
  auto future = promise.get_future();
  txn_->GetBatch(std::move(batch),
                 [&promise](std::vector<Result<std::optional<std::string>>> results) {
                   promise.set_value(std::move(results));
                 });
  std::vector<Result<std::optional<std::string>>> results = future.get();
  bool stale = false;
  for (size_t i = 0; i < expected.size(); ++i) {
    if (!results[i].ok()) return results[i].status();
    stale |= *results[i] != expected[i].second;
  }
  if (stale) return StaleExpectation();
  results.erase(results.begin(), results.begin() + static_cast<ptrdiff_t>(expected.size()));
  return results;
}

Status SyncTxnClient::Txn::VerifyExpectations() {
  if (expectations_.empty()) return Status::Ok();
  return ReadWithExpectations({}).status();
}

Result<std::optional<std::string>> SyncTxnClient::Txn::Get(std::string key) {
  owner_->CheckNotOnLoop();
  if (!expectations_.empty()) {
    ASSIGN_OR_RETURN(auto results, ReadWithExpectations({std::move(key)}));
    return std::move(results[0]);
  }
  std::promise<Result<std::optional<std::string>>> promise;
  auto future = promise.get_future();
  txn_->Get(std::move(key), [&promise](Result<std::optional<std::string>> value) {
    promise.set_value(std::move(value));
  });
  return future.get();
}

Result<std::vector<Row>> SyncTxnClient::Txn::Scan(std::string begin, std::string end, size_t limit,
                                                  bool reverse) {
  owner_->CheckNotOnLoop();
  RETURN_IF_ERROR(VerifyExpectations());
  std::promise<Result<std::vector<Row>>> promise;
  auto future = promise.get_future();
  txn_->Scan(std::move(begin), std::move(end), limit, reverse,
             [&promise](Result<std::vector<Row>> rows) { promise.set_value(std::move(rows)); });
  return future.get();
}

Result<Timestamp> SyncTxnClient::Txn::Commit() {
  owner_->CheckNotOnLoop();
  RETURN_IF_ERROR(VerifyExpectations());
  std::promise<Result<Timestamp>> promise;
  auto future = promise.get_future();
  txn_->Commit([&promise](Result<Timestamp> committed) { promise.set_value(committed); });
  return future.get();
}

}  // namespace borealis::txn
