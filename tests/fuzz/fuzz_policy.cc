// Fuzz target: policy::parse_policy on arbitrary text (toml11 underneath).
// Besides not crashing, a policy the parser accepts must pass validate():
// the header promises the parser applies the same ranges and cross-key
// rules, so a disagreement aborts and the fuzzer reports it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "policy/policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto result =
      policy::parse_policy(std::string_view(reinterpret_cast<const char*>(data), size));
  if (result.policy.has_value()) {
    if (!result.error.empty() || !policy::validate(*result.policy).empty()) std::abort();
  } else if (result.error.empty()) {
    std::abort();  // a refusal must say why
  }
  return 0;
}
