#include "login/address_key.h"

#include <arpa/inet.h>

#include <array>
#include <cstring>

namespace core::login {

std::string address_key(std::string_view source_address) {
  const std::string text(source_address);
  std::array<unsigned char, 16> v6{};
  if (inet_pton(AF_INET6, text.c_str(), v6.data()) != 1) return text;
  char printed[INET6_ADDRSTRLEN] = {};
  constexpr std::array<unsigned char, 12> kMapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(v6.data(), kMapped.data(), kMapped.size()) == 0) {
    return inet_ntop(AF_INET, v6.data() + 12, printed, sizeof printed) ? printed : text;
  }
  std::fill(v6.begin() + 8, v6.end(), 0);
  if (!inet_ntop(AF_INET6, v6.data(), printed, sizeof printed)) return text;
  return std::string(printed) + "/64";
}

}  // namespace core::login
