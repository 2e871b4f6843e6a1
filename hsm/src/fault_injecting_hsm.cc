#include "hsm/fault_injecting_hsm.h"

#include <string>

namespace hsm {
namespace {

common::Error injected(const char* operation) {
  return common::make_error(common::Errc::unavailable,
                            std::string("HSM ") + operation + ": injected fault");
}

}  // namespace

FaultInjectingHsm::FaultInjectingHsm(std::shared_ptr<Hsm> inner) : inner_(std::move(inner)) {}

bool FaultInjectingHsm::should_fail() {
  ++calls_;
  if (fail_all_) return true;
  // Count down to 0 and fail exactly once; -1 means disarmed.
  int remaining = countdown_.load();
  while (remaining >= 0) {
    const int next = remaining == 0 ? -1 : remaining - 1;
    if (countdown_.compare_exchange_weak(remaining, next)) return remaining == 0;
  }
  return false;
}

Result<std::vector<uint8_t>> FaultInjectingHsm::sign_es256(const std::string& key_uri,
                                                           std::span<const uint8_t> message) {
  if (should_fail()) return injected("sign_es256");
  return inner_->sign_es256(key_uri, message);
}

Result<std::vector<uint8_t>> FaultInjectingHsm::sign_ed25519(const std::string& key_uri,
                                                             std::span<const uint8_t> message) {
  if (should_fail()) return injected("sign_ed25519");
  return inner_->sign_ed25519(key_uri, message);
}

Result<std::vector<uint8_t>> FaultInjectingHsm::seal(const std::string& key_uri,
                                                     std::span<const uint8_t> plaintext,
                                                     std::span<const uint8_t> aad) {
  if (should_fail()) return injected("seal");
  return inner_->seal(key_uri, plaintext, aad);
}

Result<common::SecretBytes> FaultInjectingHsm::open(const std::string& key_uri,
                                                    std::span<const uint8_t> sealed,
                                                    std::span<const uint8_t> aad) {
  if (should_fail()) return injected("open");
  return inner_->open(key_uri, sealed, aad);
}

Result<std::vector<uint8_t>> FaultInjectingHsm::random_bytes(size_t count) {
  if (should_fail()) return injected("random_bytes");
  return inner_->random_bytes(count);
}

Result<std::vector<uint8_t>> FaultInjectingHsm::public_key_der(const std::string& key_uri) {
  if (should_fail()) return injected("public_key_der");
  return inner_->public_key_der(key_uri);
}

Result<std::string> FaultInjectingHsm::generate(KeyType type, const std::string& label) {
  if (should_fail()) return injected("generate");
  return inner_->generate(type, label);
}

Result<KeyAttributes> FaultInjectingHsm::inspect(const std::string& key_uri) {
  if (should_fail()) return injected("inspect");
  return inner_->inspect(key_uri);
}

}  // namespace hsm
