// One-time passwords handed to a person once (bootstrap administrator,
// password reset): 20 symbols from an alphabet without look-alikes
// (no 0/O, 1/l/I), about 115 bits. The holder must change it at first login.
//
// Thread safety: as the Random passed in.
#pragma once

#include <string>

#include "common/random.h"

namespace core::accounts {

std::string one_time_password(common::Random& random);

}  // namespace core::accounts
