// One TOTP check that tells a wrong code from a replayed one (for the audit
// reason only; callers answer both with the same error). It always runs two
// liboath verifications, so wrong, replayed and right codes cost the same.
//
// Thread safety: pure function.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/clock.h"
#include "common/secret.h"
#include "tokens/totp.h"

namespace core::login {

enum class OtpOutcome { accepted, wrong, replayed };

struct OtpCheck {
  OtpOutcome outcome = OtpOutcome::wrong;
  int64_t step = -1;   // the matched step when accepted
  int64_t offset = 0;  // its distance from the current step
};

OtpCheck check_totp(const common::SecretBytes& secret, std::string_view code, common::TimePoint now,
                    const tokens::TotpParams& params, uint32_t window_steps,
                    int64_t last_accepted_step);

}  // namespace core::login
