// FaultInjectingHsm: an Hsm decorator for tests that makes calls fail with
// `unavailable` on demand, to prove that an HSM fault fails the action
// cleanly and loses nothing (STYLE.md: FailingHsm).
//
// Thread safety: as the wrapped Hsm; the fault switches are atomic.
#pragma once

#include <atomic>
#include <memory>

#include "hsm/hsm.h"

namespace hsm {

class FaultInjectingHsm final : public Hsm {
 public:
  explicit FaultInjectingHsm(std::shared_ptr<Hsm> inner);

  // Every call fails while set.
  void fail_all(bool failing) { fail_all_ = failing; }
  // The call after `calls` more successful ones fails, once (0: the next call).
  void fail_after(int calls) { countdown_ = calls; }
  // Calls made so far (successful or not).
  int calls() const { return calls_; }

  Result<std::vector<uint8_t>> sign_es256(const std::string& key_uri,
                                          std::span<const uint8_t> message) override;
  Result<std::vector<uint8_t>> sign_ed25519(const std::string& key_uri,
                                            std::span<const uint8_t> message) override;
  Result<std::vector<uint8_t>> seal(const std::string& key_uri, std::span<const uint8_t> plaintext,
                                    std::span<const uint8_t> aad) override;
  Result<common::SecretBytes> open(const std::string& key_uri, std::span<const uint8_t> sealed,
                                   std::span<const uint8_t> aad) override;
  Result<std::vector<uint8_t>> random_bytes(size_t count) override;
  Result<std::vector<uint8_t>> public_key_der(const std::string& key_uri) override;
  Result<std::string> generate(KeyType type, const std::string& label) override;
  Result<KeyAttributes> inspect(const std::string& key_uri) override;

 private:
  bool should_fail();
  std::shared_ptr<Hsm> inner_;
  std::atomic<bool> fail_all_{false};
  std::atomic<int> countdown_{-1};
  std::atomic<int> calls_{0};
};

}  // namespace hsm
