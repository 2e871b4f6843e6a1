// Randomness comes in through Random so tests can make it repeatable; the
// production source is OpenSSL's CSPRNG (RAND_bytes).
//
// Thread safety: implementations are safe to call from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace common {

class Random {
 public:
  virtual ~Random() = default;
  // Fills `out` with random bytes. Aborts if the generator fails: running on
  // without randomness would be worse than stopping.
  virtual void fill(std::span<uint8_t> out) = 0;

  std::vector<uint8_t> bytes(size_t n) {
    std::vector<uint8_t> v(n);
    fill(v);
    return v;
  }
};

// OpenSSL's CSPRNG.
std::shared_ptr<Random> openssl_random();

}  // namespace common
