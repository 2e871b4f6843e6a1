// TOTP verification: constant work per call, one answer for every failure.
#include <algorithm>

#include "common/secret.h"
#include "tokens/totp.h"

namespace tokens {
namespace {

// A window wider than this is a policy mistake, not a tolerance: ±10 steps of
// 30 s already accept a code for ten minutes either side.
constexpr uint32_t kMaxWindowSteps = 10;

bool well_formed(std::string_view code, uint32_t digits) {
  if (code.size() != digits) return false;
  return std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

common::Result<TotpMatch> verify_totp(std::span<const uint8_t> secret, std::string_view code,
                                      common::TimePoint now, const TotpParams& params,
                                      uint32_t window_steps, int64_t last_accepted_step) {
  if (window_steps > kMaxWindowSteps) {
    return common::make_error(common::Errc::bad_request, "verification window too wide", "window");
  }
  const int64_t current = totp_step(now, params.period);
  const bool formed = well_formed(code, params.digits);

  // Every candidate is generated and compared, and the loop never stops at a
  // match, so the time taken says nothing about which step (if any) matched or
  // whether the match was a replay. Ascending order makes the latest eligible
  // step win, which also retires every earlier step for this token.
  int64_t accepted = -1;
  for (int64_t step = current - static_cast<int64_t>(window_steps);
       step <= current + static_cast<int64_t>(window_steps); ++step) {
    if (step < 0) continue;
    auto candidate = totp_code(secret, step, params);
    if (!candidate) return candidate.error();
    const bool equal = common::constant_time_equal(*candidate, code);
    common::wipe(*candidate);
    const bool eligible = equal && step > last_accepted_step;
    accepted = eligible ? step : accepted;
  }

  if (!formed || accepted < 0) {
    return common::make_error(common::Errc::invalid_credentials, "invalid credentials");
  }
  return TotpMatch{accepted, static_cast<int32_t>(accepted - current)};
}

}  // namespace tokens
