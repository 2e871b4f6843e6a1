// The dummy hash stands in for unknown users: it must cost what a real hash
// costs, match no password, and be made once per parameter set.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "password/password.h"

namespace {

namespace pw = core::password;

TEST(DummyHash, IsAValidHashAtTheRequestedCost) {
  const pw::Argon2Params params{2048, 2, 1};
  const auto& phc = pw::dummy_hash(params);
  EXPECT_EQ(phc.rfind("$argon2id$v=19$m=2048,t=2,p=1$", 0), 0u) << phc;
  EXPECT_EQ(pw::phc_params(phc), params);
  EXPECT_FALSE(pw::needs_rehash(phc, params));
}

TEST(DummyHash, DefaultPolicyCostMatchesARealHash) {
  const auto params = pw::params_from(policy::PasswordPolicy{});
  auto random = common::openssl_random();
  const auto real = pw::hash("correct horse battery staple", params, *random);
  ASSERT_TRUE(real.ok());
  EXPECT_EQ(pw::phc_params(pw::dummy_hash(params)), pw::phc_params(real.value()));
}

TEST(DummyHash, VerifiesNothing) {
  const auto& phc = pw::dummy_hash(pw::Argon2Params{1024, 1, 1});
  for (std::string_view guess : {"", "password", "correct horse battery staple", "0000"}) {
    EXPECT_FALSE(pw::verify(guess, phc)) << guess;
  }
}

TEST(DummyHash, IsMadeOncePerParameterSet) {
  const pw::Argon2Params params{1024, 1, 1};
  const std::string& first = pw::dummy_hash(params);
  const std::string copy = first;
  const std::string& second = pw::dummy_hash(params);
  EXPECT_EQ(&first, &second);
  EXPECT_EQ(second, copy);
  const std::string& other = pw::dummy_hash(pw::Argon2Params{1024, 2, 1});
  EXPECT_NE(&other, &first);
  EXPECT_EQ(other.rfind("$argon2id$v=19$m=1024,t=2,p=1$", 0), 0u);
}

TEST(DummyHash, ConcurrentFirstCallsShareOneHash) {
  const pw::Argon2Params params{1032, 1, 1};  // a set no other test uses
  std::vector<const std::string*> seen(8, nullptr);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back([&, i] { seen[i] = &pw::dummy_hash(params); });
  }
  for (auto& t : threads) t.join();
  for (const auto* phc : seen) {
    EXPECT_EQ(phc, seen[0]);
    EXPECT_FALSE(phc->empty());
  }
}

}  // namespace
