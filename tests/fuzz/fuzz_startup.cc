// libFuzzer target: the startup/authentication exchange (StartupMachine + SCRAM), fed a byte
// stream cut into frames in whatever phase the machine asks for. The first byte selects the
// authentication method and whether TLS is "available"; TLS handshakes are assumed to succeed.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "auth/role_store.h"
#include "common/check.h"
#include "pgwire/startup.h"

namespace {

constexpr size_t kFuzzMaxMessageSizeBytes = 1 << 16;

class FixedRandom final : public borealis::auth::RandomSource {
 public:
  std::string Bytes(size_t n) override { return std::string(n, '\x5a'); }
};

borealis::auth::RoleStore& Roles() {
  static FixedRandom random;
  static std::unique_ptr<borealis::auth::RoleStore> roles = [] {
    auto store = borealis::auth::RoleStore::Open(
        std::make_unique<borealis::auth::MemoryBlobStorage>(), random);
    BOREALIS_CHECK(store.ok());
    BOREALIS_CHECK((*store)->CreateRole("alice", "secret", true).ok());
    return std::move(store).value();
  }();
  return *roles;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace borealis::pgwire;
  if (size == 0) return 0;
  static FixedRandom random;
  StartupOptions options;
  options.auth_method = static_cast<AuthMethod>(data[0] % 3);
  options.tls_available = (data[0] & 4) != 0;
  options.too_many_connections = (data[0] & 8) != 0;
  BackendWriter out;
  StartupMachine machine(options, Roles(), random, out);
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  while (!input.empty()) {
    auto scan = ScanFrame(input, machine.phase(), kFuzzMaxMessageSizeBytes);
    if (!scan.ok() || !scan->frame) break;
    StartupAction action = machine.Step(*scan->frame);
    input.remove_prefix(scan->frame->size_bytes);
    if (action == StartupAction::kStartTls) {
      machine.OnTlsEstablished();
    } else if (action != StartupAction::kContinue) {
      if (action == StartupAction::kAuthenticated) {
        BOREALIS_CHECK(!machine.session_options().user.empty());
      }
      break;
    }
  }
  return 0;
}
