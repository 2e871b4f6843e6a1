#include "enrolment/totp_secret.h"

namespace core::enrolment {

common::Result<std::vector<uint8_t>> seal_totp_secret(const common::SecretBytes& seed) {
  auto view = seed.view();
  return std::vector<uint8_t>(view.begin(), view.end());
}

common::Result<common::SecretBytes> open_totp_secret(const std::vector<uint8_t>& sealed) {
  if (sealed.empty()) {
    return common::make_error(common::Errc::internal, "a stored TOTP secret is empty");
  }
  return common::SecretBytes(std::vector<uint8_t>(sealed.begin(), sealed.end()));
}

}  // namespace core::enrolment
