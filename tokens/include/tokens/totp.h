// TOTP (RFC 6238) and HOTP (RFC 4226) through liboath.
//
// Thread safety: free functions with no shared state; liboath is initialised
// once, on first use.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "common/result.h"

namespace tokens {

enum class TotpAlgorithm { sha1, sha256, sha512 };

struct TotpParams {
  TotpAlgorithm algorithm = TotpAlgorithm::sha1;
  uint32_t digits = 6;  // 6..8
  std::chrono::seconds period{30};
};

// "SHA1" / "SHA256" / "SHA512" <-> enum (parsing ignores case). Unknown text is
// bad_request.
common::Result<TotpAlgorithm> parse_totp_algorithm(std::string_view name);
const char* totp_algorithm_name(TotpAlgorithm algorithm);

// The time step that contains `t` (floor(unix_seconds / period)); 0 if
// period <= 0.
int64_t totp_step(common::TimePoint t, std::chrono::seconds period);

// The code for one counter value / time step. Fails (bad_request) on digits
// out of range or an empty secret, a period outside 1..2^32-1 s, a negative
// step, or (SHA256/SHA512 HOTP) a counter above INT64_MAX; internal if liboath
// fails. The returned code is a secret: wipe it after use.
common::Result<std::string> hotp_code(std::span<const uint8_t> secret, uint64_t counter,
                                      uint32_t digits,
                                      TotpAlgorithm algorithm = TotpAlgorithm::sha1);
common::Result<std::string> totp_code(std::span<const uint8_t> secret, int64_t step,
                                      const TotpParams& params);

struct TotpMatch {
  int64_t step;    // the accepted time step
  int32_t offset;  // step - current step, within [-window, +window]
};

// Checks `code` against the steps in [now-window, now+window], in constant time
// per candidate. A code matching only a step <= last_accepted_step is a replay
// and is refused. `last_accepted_step` < 0 means none accepted yet.
// Every candidate in the window is generated and compared whether or not an
// earlier one matched; if several eligible steps match, the latest wins.
// Failure: invalid_credentials for a wrong, malformed or replayed code (one
// error for all, so callers cannot tell them apart), message
// "invalid credentials"; bad_request for invalid params, an empty secret or a
// window over 10 steps; internal if liboath fails.
common::Result<TotpMatch> verify_totp(std::span<const uint8_t> secret, std::string_view code,
                                      common::TimePoint now, const TotpParams& params,
                                      uint32_t window_steps, int64_t last_accepted_step);

// A new secret of `bytes` (>= 20) random bytes; a smaller request gets 20.
std::vector<uint8_t> new_totp_secret(common::Random& random, size_t bytes = 20);

// RFC 4648 base32 without padding (as authenticator apps expect), and back.
// Decoding accepts lower case, spaces and full padding; anything else that is
// not base32 (bad characters, partial padding, impossible lengths) is
// bad_request with field "secret".
std::string base32_encode(std::span<const uint8_t> bytes);
common::Result<std::vector<uint8_t>> base32_decode(std::string_view text);

// otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=...&algorithm=...&digits=...&period=...
// Issuer and account are percent-encoded.
std::string otpauth_uri(std::string_view issuer, std::string_view account,
                        std::span<const uint8_t> secret, const TotpParams& params);

}  // namespace tokens
