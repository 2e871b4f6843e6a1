// The session pool under load: 8 threads signing and sealing through a pool
// of 4 sessions, every result checked.
#include <atomic>
#include <thread>

#include "test_support.h"

namespace hsm_test {
namespace {

class ConcurrencyTest : public TokenTest {};

TEST_F(ConcurrencyTest, EightThreadsSignAndSeal) {
  auto signing = hsm_->generate(hsm::KeyType::ec_p256, "audit-c");
  auto wrapping = hsm_->generate(hsm::KeyType::aes256, "wrap-c");
  ASSERT_TRUE(signing.ok() && wrapping.ok());
  auto spki = hsm_->public_key_der(*signing);
  ASSERT_TRUE(spki.ok());

  constexpr int kThreads = 8;
  constexpr int kRounds = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRounds; ++i) {
        const auto message = bytes("thread " + std::to_string(t) + " round " + std::to_string(i));
        auto raw = hsm_->sign_es256(*signing, message);
        auto der = raw.ok() ? hsm::ecdsa_raw_to_der(*raw) : raw;
        auto verified = der.ok() ? hsm::verify_es256_der(*spki, message, *der) : false;
        if (!verified.ok() || !*verified) ++failures;

        auto sealed = hsm_->seal(*wrapping, message, bytes(std::to_string(t)));
        if (!sealed.ok()) {
          ++failures;
          continue;
        }
        auto opened = hsm_->open(*wrapping, *sealed, bytes(std::to_string(t)));
        if (!opened.ok() || !std::equal(message.begin(), message.end(), opened->view().begin(),
                                        opened->view().end())) {
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace hsm_test
