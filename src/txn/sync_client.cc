#include "txn/sync_client.h"

#include <asio.hpp>
#include <future>

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
                                                            std::string listen) {
  auto impl = std::make_unique<Impl>();
  runtime::ProductionEnvOptions env_options;
  env_options.transport.listen_endpoint = std::move(listen);
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
    static_cast<runtime::TcpTransport*>(impl->env->env().transport)->Stop();
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

Result<std::optional<std::string>> SyncTxnClient::Txn::Get(std::string key) {
  owner_->CheckNotOnLoop();
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
  std::promise<Result<std::vector<Row>>> promise;
  auto future = promise.get_future();
  txn_->Scan(std::move(begin), std::move(end), limit, reverse,
             [&promise](Result<std::vector<Row>> rows) { promise.set_value(std::move(rows)); });
  return future.get();
}

Result<Timestamp> SyncTxnClient::Txn::Commit() {
  owner_->CheckNotOnLoop();
  std::promise<Result<Timestamp>> promise;
  auto future = promise.get_future();
  txn_->Commit([&promise](Result<Timestamp> committed) { promise.set_value(committed); });
  return future.get();
}

}  // namespace borealis::txn
