#include "test_token.h"

#include <stdexcept>

namespace authd_test {

TestToken make_test_token(const std::filesystem::path& dir, const std::string& label) {
  auto module = hsm::create_softhsm_token(dir, label);
  if (!module) throw std::runtime_error("create_softhsm_token: " + module.error().message);
  auto opened = hsm::open_pkcs11(*module);
  if (!opened) throw std::runtime_error("open_pkcs11: " + opened.error().message);
  TestToken token{*module, std::move(*opened), {}};
  const auto generate = [&](hsm::KeyType type, const std::string& name) {
    auto uri = token.hsm->generate(type, name);
    if (!uri) throw std::runtime_error("generate " + name + ": " + uri.error().message);
    return *uri;
  };
  token.keys.audit = generate(hsm::KeyType::ec_p256, "audit-test");
  token.keys.assertion = generate(hsm::KeyType::ec_p256, "assertion-test");
  token.keys.wrap = generate(hsm::KeyType::aes256, "wrap-test");
  return token;
}

}  // namespace authd_test
