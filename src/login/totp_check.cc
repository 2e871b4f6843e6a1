#include "login/totp_check.h"

namespace core::login {

OtpCheck check_totp(const common::SecretBytes& secret, std::string_view code, common::TimePoint now,
                    const tokens::TotpParams& params, uint32_t window_steps,
                    int64_t last_accepted_step) {
  auto fresh =
      tokens::verify_totp(secret.view(), code, now, params, window_steps, last_accepted_step);
  // Any step at all, replays included: only to name the failure.
  auto any = tokens::verify_totp(secret.view(), code, now, params, window_steps, -1);
  OtpCheck check;
  if (fresh) {
    check.outcome = OtpOutcome::accepted;
    check.step = fresh->step;
    check.offset = fresh->offset;
  } else if (any) {
    check.outcome = OtpOutcome::replayed;
  }
  return check;
}

}  // namespace core::login
