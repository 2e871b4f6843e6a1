#include "accounts/one_time_password.h"

#include <string_view>
#include <vector>

#include "common/secret.h"

namespace core::accounts {
namespace {

// 55 symbols, read off a screen and typed once.
constexpr std::string_view kAlphabet = "23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
constexpr size_t kPasswordLength = 20;

}  // namespace

std::string one_time_password(common::Random& random) {
  std::string out;
  // Rejection sampling keeps every symbol equally likely.
  const unsigned limit = 256 - (256 % kAlphabet.size());
  while (out.size() < kPasswordLength) {
    std::vector<uint8_t> bytes = random.bytes(32);
    for (uint8_t b : bytes) {
      if (b < limit && out.size() < kPasswordLength) out.push_back(kAlphabet[b % kAlphabet.size()]);
    }
    common::wipe(bytes);
  }
  return out;
}

}  // namespace core::accounts
