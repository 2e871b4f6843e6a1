// FaultInjectingHsm fails on demand with `unavailable` and otherwise passes
// calls through to the real token.
#include "hsm/fault_injecting_hsm.h"

#include "test_support.h"

namespace hsm_test {
namespace {

using common::Errc;

class FaultInjectingHsmTest : public TokenTest {
 protected:
  void SetUp() override {
    TokenTest::SetUp();
    if (HasFatalFailure()) return;
    auto uri = hsm_->generate(hsm::KeyType::ec_p256, "audit-f");
    ASSERT_TRUE(uri.ok());
    key_ = *uri;
    faulty_ = std::make_shared<hsm::FaultInjectingHsm>(std::shared_ptr<hsm::Hsm>(std::move(hsm_)));
  }
  void TearDown() override { faulty_.reset(); }
  std::string key_;
  std::shared_ptr<hsm::FaultInjectingHsm> faulty_;
};

TEST_F(FaultInjectingHsmTest, PassesThroughWhenNotFailing) {
  auto sig = faulty_->sign_es256(key_, bytes("m"));
  ASSERT_TRUE(sig.ok()) << sig.error().message;
  EXPECT_EQ(sig->size(), 64u);
  EXPECT_EQ(faulty_->calls(), 1);
}

TEST_F(FaultInjectingHsmTest, FailAllFailsEveryOperationUntilCleared) {
  faulty_->fail_all(true);
  EXPECT_EQ(faulty_->sign_es256(key_, bytes("m")).error().code, Errc::unavailable);
  EXPECT_EQ(faulty_->seal(key_, bytes("m"), {}).error().code, Errc::unavailable);
  EXPECT_EQ(faulty_->open(key_, std::vector<uint8_t>(40), {}).error().code, Errc::unavailable);
  EXPECT_EQ(faulty_->random_bytes(4).error().code, Errc::unavailable);
  EXPECT_EQ(faulty_->public_key_der(key_).error().code, Errc::unavailable);
  EXPECT_EQ(faulty_->generate(hsm::KeyType::aes256, "w").error().code, Errc::unavailable);
  EXPECT_EQ(faulty_->inspect(key_).error().code, Errc::unavailable);
  EXPECT_EQ(faulty_->calls(), 7);
  faulty_->fail_all(false);
  EXPECT_TRUE(faulty_->sign_es256(key_, bytes("m")).ok());
  // Nothing was generated while failing.
  EXPECT_TRUE(faulty_->generate(hsm::KeyType::aes256, "w").ok());
}

TEST_F(FaultInjectingHsmTest, FailAfterFailsExactlyTheNthCallOnce) {
  faulty_->fail_after(2);
  EXPECT_TRUE(faulty_->sign_es256(key_, bytes("1")).ok());
  EXPECT_TRUE(faulty_->public_key_der(key_).ok());
  auto third = faulty_->sign_es256(key_, bytes("3"));
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().code, Errc::unavailable);
  EXPECT_TRUE(faulty_->sign_es256(key_, bytes("4")).ok());
  EXPECT_TRUE(faulty_->sign_es256(key_, bytes("5")).ok());

  faulty_->fail_after(0);
  EXPECT_FALSE(faulty_->random_bytes(1).ok());
  EXPECT_TRUE(faulty_->random_bytes(1).ok());
  EXPECT_EQ(faulty_->calls(), 7);
}

}  // namespace
}  // namespace hsm_test
