// Algorithm names and time steps: the parts of TOTP that need no key.
#include <algorithm>
#include <cctype>
#include <string>

#include "tokens/totp.h"

namespace tokens {

common::Result<TotpAlgorithm> parse_totp_algorithm(std::string_view name) {
  // Case-insensitive because policy files and otpauth URIs in the wild use
  // both "SHA1" and "sha1".
  std::string upper(name);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (upper == "SHA1") return TotpAlgorithm::sha1;
  if (upper == "SHA256") return TotpAlgorithm::sha256;
  if (upper == "SHA512") return TotpAlgorithm::sha512;
  return common::make_error(common::Errc::bad_request,
                            "unknown TOTP algorithm (expected SHA1, SHA256 or SHA512)",
                            "algorithm");
}

const char* totp_algorithm_name(TotpAlgorithm algorithm) {
  switch (algorithm) {
    case TotpAlgorithm::sha1:
      return "SHA1";
    case TotpAlgorithm::sha256:
      return "SHA256";
    case TotpAlgorithm::sha512:
      return "SHA512";
  }
  return "SHA1";
}

int64_t totp_step(common::TimePoint t, std::chrono::seconds period) {
  if (period.count() <= 0) return 0;
  // floor, not truncation, so instants before the epoch land in the step
  // that contains them rather than in step 0.
  const int64_t seconds = std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
  const int64_t p = period.count();
  int64_t step = seconds / p;
  if (seconds % p != 0 && seconds < 0) --step;
  return step;
}

}  // namespace tokens
