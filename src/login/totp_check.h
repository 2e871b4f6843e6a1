// One TOTP check that tells a wrong code from a replayed one (for the audit
// reason only; callers answer both with the same error). It always runs four
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
  int64_t offset = 0;  // its distance from the current step (the token's drift to remember)
};

// `drift_steps` is the token's remembered offset (tokens.drift_offset, from
// its last accepted code or an administrator's resynchronisation): codes are
// accepted within window_steps of now and within window_steps of now +
// drift_steps, so a token whose clock runs off keeps working as long as it
// drifts less than window_steps between uses. The returned offset is
// relative to the real current step.
OtpCheck check_totp(const common::SecretBytes& secret, std::string_view code, common::TimePoint now,
                    const tokens::TotpParams& params, uint32_t window_steps,
                    int64_t last_accepted_step, int64_t drift_steps = 0);

}  // namespace core::login
