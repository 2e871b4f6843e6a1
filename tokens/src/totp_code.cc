// One HOTP/TOTP code through liboath. Everything else in tokens/ that needs a
// code (verification included) comes through here.
#include <liboath/oath.h>

#include <array>
#include <limits>

#include "common/secret.h"
#include "oath_library.h"
#include "tokens/totp.h"

namespace tokens {
namespace {

constexpr uint32_t kMinDigits = 6;
constexpr uint32_t kMaxDigits = 8;

common::Error bad(std::string message, std::string field) {
  return common::make_error(common::Errc::bad_request, std::move(message), std::move(field));
}

int oath_flags(TotpAlgorithm algorithm) {
  switch (algorithm) {
    case TotpAlgorithm::sha256:
      return OATH_TOTP_HMAC_SHA256;
    case TotpAlgorithm::sha512:
      return OATH_TOTP_HMAC_SHA512;
    case TotpAlgorithm::sha1:
      break;
  }
  return 0;
}

// Runs `generate` into a stack buffer that is wiped whatever happens, and
// turns liboath's status into a Result. The code is a secret until used.
template <class Generate>
common::Result<std::string> generate_code(Generate&& generate) {
  if (auto init = detail::ensure_oath_initialised(); !init) return init.error();
  std::array<char, kMaxDigits + 1> buffer{};
  const int rc = generate(buffer.data());
  std::string code;
  if (rc == OATH_OK) code.assign(buffer.data());
  common::wipe(std::span<uint8_t>(reinterpret_cast<uint8_t*>(buffer.data()), buffer.size()));
  if (rc != OATH_OK) {
    return common::make_error(common::Errc::internal, "one-time code generation failed");
  }
  return code;
}

const char* as_chars(std::span<const uint8_t> secret) {
  return reinterpret_cast<const char*>(secret.data());
}

}  // namespace

common::Result<std::string> hotp_code(std::span<const uint8_t> secret, uint64_t counter,
                                      uint32_t digits, TotpAlgorithm algorithm) {
  if (secret.empty()) return bad("empty token secret", "secret");
  if (digits < kMinDigits || digits > kMaxDigits) return bad("digits must be 6 to 8", "digits");
  if (algorithm == TotpAlgorithm::sha1) {
    return generate_code([&](char* out) {
      return oath_hotp_generate(as_chars(secret), secret.size(), counter, digits, false,
                                OATH_HOTP_DYNAMIC_TRUNCATION, out);
    });
  }
  // liboath's HOTP entry point is SHA-1 only; its TOTP one takes the HMAC
  // choice, and with a one-second step from the epoch its counter is `now`.
  if (counter > static_cast<uint64_t>(std::numeric_limits<time_t>::max())) {
    return bad("counter out of range for this algorithm", "counter");
  }
  return generate_code([&](char* out) {
    return oath_totp_generate2(as_chars(secret), secret.size(), static_cast<time_t>(counter), 1, 0,
                               digits, oath_flags(algorithm), out);
  });
}

common::Result<std::string> totp_code(std::span<const uint8_t> secret, int64_t step,
                                      const TotpParams& params) {
  if (secret.empty()) return bad("empty token secret", "secret");
  if (params.digits < kMinDigits || params.digits > kMaxDigits) {
    return bad("digits must be 6 to 8", "digits");
  }
  const int64_t period = params.period.count();
  if (period <= 0 || period > std::numeric_limits<unsigned>::max()) {
    return bad("period out of range", "period");
  }
  if (step < 0 || step > std::numeric_limits<time_t>::max() / period) {
    return bad("time step out of range", "step");
  }
  // The step's first second lies inside it, so liboath recomputes exactly `step`.
  return generate_code([&](char* out) {
    return oath_totp_generate2(as_chars(secret), secret.size(), static_cast<time_t>(step * period),
                               static_cast<unsigned>(period), 0, params.digits,
                               oath_flags(params.algorithm), out);
  });
}

}  // namespace tokens
