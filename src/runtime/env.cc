#include "runtime/env.h"

namespace borealis::runtime {

ProductionEnv::ProductionEnv(asio::io_context& io, ProductionEnvOptions options)
    : clock_(&physical_clock_, options.max_clock_error),
      random_(MakeProductionRandom()),
      transport_(io, std::move(options.transport), options.local_hub),
      scheduler_(io) {}

Status ProductionEnv::Start() { return transport_.Start(); }

Env ProductionEnv::env() { return Env{&clock_, random_.get(), &disk_, &transport_, &scheduler_}; }

}  // namespace borealis::runtime
