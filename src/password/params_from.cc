#include "password/password.h"

namespace core::password {

Argon2Params params_from(const policy::PasswordPolicy& policy) {
  return Argon2Params{policy.argon2_memory_kib, policy.argon2_iterations,
                      policy.argon2_parallelism};
}

}  // namespace core::password
