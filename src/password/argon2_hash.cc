// Argon2id through libargon2, in the PHC string format other tools read
// (the `argon2` command, libsodium, passlib). The comparison of the computed
// hash with the stored one happens inside argon2id_verify(), in constant time.
#include <argon2.h>

#include <array>
#include <cstring>

#include "password/password.h"

namespace core::password {
namespace {

constexpr uint32_t kSaltBytes = 16;
constexpr uint32_t kHashBytes = 32;

}  // namespace

common::Result<std::string> hash(std::string_view normalised, const Argon2Params& params,
                                 common::Random& random) {
  std::array<uint8_t, kSaltBytes> salt{};
  random.fill(salt);
  const size_t size = argon2_encodedlen(params.iterations, params.memory_kib, params.parallelism,
                                        kSaltBytes, kHashBytes, Argon2_id);
  std::string encoded(size, '\0');
  const int rc = argon2id_hash_encoded(params.iterations, params.memory_kib, params.parallelism,
                                       normalised.data(), normalised.size(), salt.data(),
                                       salt.size(), kHashBytes, encoded.data(), encoded.size());
  if (rc == ARGON2_MEMORY_ALLOCATION_ERROR) {
    return common::make_error(common::Errc::unavailable, "not enough memory to hash the password");
  }
  if (rc != ARGON2_OK) {
    return common::make_error(common::Errc::internal,
                              std::string("argon2id: ") + argon2_error_message(rc));
  }
  encoded.resize(std::strlen(encoded.c_str()));
  return encoded;
}

bool verify(std::string_view normalised, std::string_view phc) {
  if (!phc_params(phc)) {
    // Still pay for one hash, so a damaged row takes as long as a sound one.
    const std::string& dummy = dummy_hash(Argon2Params{});
    if (!dummy.empty()) (void)argon2id_verify(dummy.c_str(), normalised.data(), normalised.size());
    return false;
  }
  const std::string encoded(phc);  // libargon2 wants a NUL-terminated string
  return argon2id_verify(encoded.c_str(), normalised.data(), normalised.size()) == ARGON2_OK;
}

bool needs_rehash(std::string_view phc, const Argon2Params& params) {
  const auto current = phc_params(phc);
  return !current || !(*current == params);
}

}  // namespace core::password
