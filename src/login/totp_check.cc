#include "login/totp_check.h"

#include <optional>

namespace core::login {

OtpCheck check_totp(const common::SecretBytes& secret, std::string_view code, common::TimePoint now,
                    const tokens::TotpParams& params, uint32_t window_steps,
                    int64_t last_accepted_step, int64_t drift_steps) {
  // A corrupt row must not move the window arbitrarily far: an offset beyond
  // the largest resynchronisation window (100 steps) is not honoured.
  if (drift_steps > 100 || drift_steps < -100) drift_steps = 0;
  const auto centre = now + drift_steps * params.period;
  // Both windows, around now and around the remembered offset, are always
  // checked (four verifications whatever the code), so the time taken says
  // nothing about which matched, and a token that drifted back is accepted.
  auto fresh_now =
      tokens::verify_totp(secret.view(), code, now, params, window_steps, last_accepted_step);
  auto fresh_drift =
      tokens::verify_totp(secret.view(), code, centre, params, window_steps, last_accepted_step);
  // Any step at all, replays included: only to name the failure.
  auto any_now = tokens::verify_totp(secret.view(), code, now, params, window_steps, -1);
  auto any_drift = tokens::verify_totp(secret.view(), code, centre, params, window_steps, -1);
  OtpCheck check;
  std::optional<int64_t> step;
  if (fresh_now) step = fresh_now->step;
  if (fresh_drift && (!step || fresh_drift->step > *step)) step = fresh_drift->step;
  if (step) {
    check.outcome = OtpOutcome::accepted;
    check.step = *step;
    check.offset = *step - tokens::totp_step(now, params.period);
  } else if (any_now || any_drift) {
    check.outcome = OtpOutcome::replayed;
  }
  return check;
}

}  // namespace core::login
