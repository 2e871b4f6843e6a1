// The ceiling for logins per second: raw Argon2id verifications through
// libargon2 at the default policy's cost, on one and on two threads. A login
// verifies one password, so the daemon's logins/s is compared with the
// two-thread rate here (bench/run.sh).
#include <argon2.h>
#include <benchmark/benchmark.h>

#include <array>
#include <cstring>
#include <string>

#include "policy/policy.h"

namespace {

constexpr uint32_t kSaltBytes = 16;  // as src/password/argon2_hash.cc
constexpr uint32_t kHashBytes = 32;

const std::string kPassword = "a benchmark passphrase of moderate length";

// A PHC string at the default policy's parameters. The salt is fixed: this
// hash protects nothing, and verification cost does not depend on it.
std::string default_cost_hash() {
  const policy::PasswordPolicy p;
  const std::array<uint8_t, kSaltBytes> salt = {1, 2,  3,  4,  5,  6,  7,  8,
                                                9, 10, 11, 12, 13, 14, 15, 16};
  std::string encoded(argon2_encodedlen(p.argon2_iterations, p.argon2_memory_kib,
                                        p.argon2_parallelism, kSaltBytes, kHashBytes, Argon2_id),
                      '\0');
  const int rc = argon2id_hash_encoded(
      p.argon2_iterations, p.argon2_memory_kib, p.argon2_parallelism, kPassword.data(),
      kPassword.size(), salt.data(), salt.size(), kHashBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) return {};
  encoded.resize(std::strlen(encoded.c_str()));
  return encoded;
}

void BM_Argon2idVerifyDefaultCost(benchmark::State& state) {
  static const std::string phc = default_cost_hash();
  if (phc.empty()) {
    state.SkipWithError("argon2id_hash_encoded failed");
    return;
  }
  for (auto _ : state) {
    if (argon2id_verify(phc.c_str(), kPassword.data(), kPassword.size()) != ARGON2_OK) {
      state.SkipWithError("argon2id_verify failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  const policy::PasswordPolicy p;
  state.SetLabel("m=" + std::to_string(p.argon2_memory_kib) +
                 ",t=" + std::to_string(p.argon2_iterations) +
                 ",p=" + std::to_string(p.argon2_parallelism));
}
BENCHMARK(BM_Argon2idVerifyDefaultCost)->Threads(1)->Threads(2)->UseRealTime()->MinTime(5.0);

}  // namespace

BENCHMARK_MAIN();
