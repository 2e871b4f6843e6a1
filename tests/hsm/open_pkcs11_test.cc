// Opening a token: PIN file rules, wrong PINs, unknown or malformed URIs,
// several Hsm objects in one process, and token creation's failure modes.
#include <sys/stat.h>
#include <unistd.h>

#include "test_support.h"

namespace hsm_test {
namespace {

using common::Errc;

class OpenPkcs11Test : public TokenTest {
 protected:
  // A copy of the user PIN file with `mode`, so the fixture's Hsm stays valid.
  std::filesystem::path pin_copy(mode_t mode, std::string_view content = {}) {
    const auto path = tmp_.path() / "pin-copy";
    std::filesystem::remove(path);
    if (content.empty()) {
      std::filesystem::copy_file(config_.pin_file, path);
    } else {
      write_file(path, content);
    }
    chmod(path.c_str(), mode);
    return path;
  }
};

TEST_F(OpenPkcs11Test, PinFileReadableByGroupOrOthersIsRefused) {
  hsm_.reset();  // no logged-in session that would skip the PIN check
  for (mode_t mode : {0640, 0604, 0660, 0644, 0610}) {
    auto config = config_;
    config.pin_file = pin_copy(mode);
    auto opened = hsm::open_pkcs11(config);
    ASSERT_FALSE(opened.ok()) << std::oct << mode;
    EXPECT_EQ(opened.error().code, Errc::bad_request);
    EXPECT_EQ(opened.error().field, "pin_file");
    EXPECT_NE(opened.error().message.find("group or others"), std::string::npos);
  }
  auto config = config_;
  config.pin_file = pin_copy(0400);
  EXPECT_TRUE(hsm::open_pkcs11(config).ok());
}

TEST_F(OpenPkcs11Test, PinFileThatIsASymlinkDirectoryOrMissingIsRefused) {
  hsm_.reset();
  auto config = config_;
  const auto link = tmp_.path() / "pin-link";
  std::filesystem::create_symlink(config_.pin_file, link);
  for (const auto& path : {link, tmp_.path(), tmp_.path() / "missing.pin"}) {
    config.pin_file = path;
    auto opened = hsm::open_pkcs11(config);
    ASSERT_FALSE(opened.ok()) << path;
    EXPECT_EQ(opened.error().code, Errc::bad_request) << path;
    EXPECT_EQ(opened.error().field, "pin_file");
  }
}

TEST_F(OpenPkcs11Test, PinFileOwnedByAnotherUserIsRefused) {
  if (geteuid() != 0) GTEST_SKIP() << "giving a file to another user needs root";
  hsm_.reset();
  auto config = config_;
  config.pin_file = pin_copy(0600);
  ASSERT_EQ(chown(config.pin_file.c_str(), geteuid() + 1000, static_cast<gid_t>(-1)), 0);
  auto opened = hsm::open_pkcs11(config);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, Errc::bad_request);
  EXPECT_NE(opened.error().message.find("not owned"), std::string::npos);
}

TEST_F(OpenPkcs11Test, WrongPinIsInvalidCredentialsAndNeverInTheMessage) {
  hsm_.reset();
  auto config = config_;
  const std::string wrong = "0123456789abcdef0123456789abcdef";
  config.pin_file = pin_copy(0600, wrong);
  auto opened = hsm::open_pkcs11(config);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, Errc::invalid_credentials);
  EXPECT_NE(opened.error().message.find("CKR_PIN_INCORRECT"), std::string::npos)
      << opened.error().message;
  EXPECT_EQ(opened.error().message.find(wrong), std::string::npos);
}

TEST_F(OpenPkcs11Test, TrailingNewlineInPinFileIsIgnored) {
  hsm_.reset();
  std::string pin;
  ASSERT_EQ(run("cat '" + config_.pin_file.string() + "'", &pin), 0);
  auto config = config_;
  config.pin_file = pin_copy(0600, pin + "\n");
  auto opened = hsm::open_pkcs11(config);
  EXPECT_TRUE(opened.ok()) << opened.error().message;
}

TEST_F(OpenPkcs11Test, UnknownTokenIsNotFound) {
  auto config = config_;
  config.token_uri = "pkcs11:token=no-such-token";
  auto opened = hsm::open_pkcs11(config);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, Errc::not_found);
  EXPECT_NE(opened.error().message.find("pkcs11:token=no-such-token"), std::string::npos);
}

TEST_F(OpenPkcs11Test, MalformedTokenUriIsBadRequest) {
  for (const char* uri : {"token=authd-test", "pkcs11:token=%4", "http://example.org/"}) {
    auto config = config_;
    config.token_uri = uri;
    auto opened = hsm::open_pkcs11(config);
    ASSERT_FALSE(opened.ok()) << uri;
    EXPECT_EQ(opened.error().code, Errc::bad_request) << uri;
  }
  auto config = config_;
  config.sessions = 0;
  auto opened = hsm::open_pkcs11(config);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, Errc::bad_request);
}

TEST_F(OpenPkcs11Test, UnknownModuleIsRefused) {
  auto config = config_;
  config.module = "no-such-module";
  auto opened = hsm::open_pkcs11(config);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, Errc::not_found);
  config.module = (tmp_.path() / "missing.so").string();
  opened = hsm::open_pkcs11(config);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, Errc::unavailable);
}

TEST_F(OpenPkcs11Test, ModuleByAbsolutePathWorksToo) {
  auto config = config_;
  config.module = "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so";
  auto opened = hsm::open_pkcs11(config);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_TRUE((*opened)->random_bytes(8).ok());
}

TEST_F(OpenPkcs11Test, SeveralHsmObjectsShareOneToken) {
  auto uri = hsm_->generate(hsm::KeyType::ec_p256, "shared");
  ASSERT_TRUE(uri.ok());
  auto second = hsm::open_pkcs11(config_);
  ASSERT_TRUE(second.ok()) << second.error().message;
  auto sig = (*second)->sign_es256(*uri, bytes("m"));
  ASSERT_TRUE(sig.ok()) << sig.error().message;
  // Closing one leaves the other logged in and working.
  second->reset();
  EXPECT_TRUE(hsm_->sign_es256(*uri, bytes("m")).ok());
}

TEST_F(OpenPkcs11Test, AnotherUriForTheSameTokenOpensItToo) {
  auto key = hsm_->generate(hsm::KeyType::aes256, "k");
  ASSERT_TRUE(key.ok());
  auto config = config_;
  config.token_uri = "pkcs11:token=authd-test;manufacturer=SoftHSM%20project";
  config.sessions = 1;
  auto other = hsm::open_pkcs11(config);
  ASSERT_TRUE(other.ok()) << other.error().message;
  auto sealed = (*other)->seal(*key, bytes("s"), {});
  ASSERT_TRUE(sealed.ok());
  EXPECT_TRUE(hsm_->open(*key, *sealed, {}).ok());
  config.token_uri = "pkcs11:token=authd-test;manufacturer=Someone%20else";
  EXPECT_EQ(hsm::open_pkcs11(config).error().code, Errc::not_found);
}

TEST_F(OpenPkcs11Test, AnotherConfigurationWhileOpenIsRefusedThenWorksAfterClose) {
  TempDir other_dir;
  auto other = hsm::create_softhsm_token(other_dir.path() / "hsm", "other");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, Errc::unavailable);
  EXPECT_FALSE(std::filesystem::exists(other_dir.path() / "hsm"));

  hsm_.reset();
  other = hsm::create_softhsm_token(other_dir.path() / "hsm", "other");
  ASSERT_TRUE(other.ok()) << other.error().message;
  auto opened = hsm::open_pkcs11(*other);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  // Its keys are its own: the first token's label is unknown here.
  EXPECT_TRUE((*opened)->generate(hsm::KeyType::ec_p256, "k").ok());
  opened->reset();
  auto first = hsm::open_pkcs11(config_);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ((*first)->inspect("pkcs11:object=k").error().code, Errc::not_found);
}

TEST(CreateSoftHsmToken, RefusesNonEmptyDirectoryAndBadLabels) {
  TempDir tmp;
  write_file(tmp.path() / "hsm-existing", "x");
  std::filesystem::create_directory(tmp.path() / "full");
  write_file(tmp.path() / "full" / "file", "x");
  auto full = hsm::create_softhsm_token(tmp.path() / "full", "t");
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code, Errc::conflict);
  EXPECT_TRUE(std::filesystem::exists(tmp.path() / "full" / "file"));
  auto long_label = hsm::create_softhsm_token(tmp.path() / "new", std::string(33, 'x'));
  ASSERT_FALSE(long_label.ok());
  EXPECT_EQ(long_label.error().code, Errc::bad_request);
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "new"));
}

}  // namespace
}  // namespace hsm_test
