// libFuzzer target: the frontend message decoder. The first byte picks the phase; the rest is
// a byte stream cut into frames exactly as the server does. Any input must give frames or a
// 08P01 error, never a crash, an overread or an unbounded allocation.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/check.h"
#include "pgwire/encoder.h"
#include "pgwire/protocol.h"

namespace {
constexpr size_t kFuzzMaxMessageSizeBytes = 1 << 20;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace borealis::pgwire;
  if (size == 0) return 0;
  Phase phase = data[0] & 1 ? Phase::kTyped : Phase::kStartup;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  BackendWriter out;
  while (!input.empty()) {
    auto scan = ScanFrame(input, phase, kFuzzMaxMessageSizeBytes);
    if (!scan.ok()) {
      BOREALIS_CHECK(scan.status().sqlstate() == "08P01");
      out.ErrorResponse(scan.status(), Severity::kFatal);
      break;
    }
    if (!scan->frame) {
      BOREALIS_CHECK(scan->needed_bytes > input.size());
      break;
    }
    BOREALIS_CHECK_LE(scan->frame->size_bytes, input.size());
    if (phase == Phase::kStartup) {
      auto message = DecodeStartupFrame(*scan->frame);
      if (!message.ok()) out.ErrorResponse(message.status(), Severity::kFatal);
      phase = Phase::kTyped;
    } else {
      auto message = DecodeTypedFrame(*scan->frame);
      if (!message.ok()) {
        out.ErrorResponse(message.status(), Severity::kFatal);
      } else if (auto* password = std::get_if<PasswordData>(&*message)) {
        (void)DecodePasswordMessage(password->body).ok();
        (void)DecodeSaslInitialResponse(password->body).ok();
      }
    }
    input.remove_prefix(scan->frame->size_bytes);
  }
  return 0;
}
