#include <openssl/rand.h>

#include <climits>
#include <cstdio>
#include <cstdlib>

#include "common/random.h"

namespace common {
namespace {

class OpenSslRandom final : public Random {
 public:
  void fill(std::span<uint8_t> out) override {
    size_t done = 0;
    while (done < out.size()) {
      const size_t chunk = std::min<size_t>(out.size() - done, INT_MAX);
      if (RAND_bytes(out.data() + done, static_cast<int>(chunk)) != 1) {
        std::fputs("fatal: the OpenSSL random generator failed\n", stderr);
        std::abort();
      }
      done += chunk;
    }
  }
};

}  // namespace

std::shared_ptr<Random> openssl_random() {
  static const auto random = std::make_shared<OpenSslRandom>();
  return random;
}

}  // namespace common
