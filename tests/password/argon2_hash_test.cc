// Argon2id hashing and verification, including interoperability with the
// reference `argon2` command line tool (Debian package argon2).
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "password/password.h"

namespace {

namespace pw = core::password;
namespace fs = std::filesystem;

// Cheap parameters for tests that are not about the cost.
const pw::Argon2Params kFast{1024, 1, 1};

// Fills every request with the same bytes, so a hash is reproducible.
class FixedRandom : public common::Random {
 public:
  explicit FixedRandom(std::string bytes) : bytes_(std::move(bytes)) {}
  void fill(std::span<uint8_t> out) override {
    for (size_t i = 0; i < out.size(); ++i) {
      out[i] = static_cast<uint8_t>(bytes_[i % bytes_.size()]);
    }
  }

 private:
  std::string bytes_;
};

std::string normalised(std::string_view text) {
  auto result = pw::normalise(text);
  EXPECT_TRUE(result.ok());
  return result.ok() ? result.value() : std::string();
}

std::string must_hash(std::string_view password, const pw::Argon2Params& params) {
  auto random = common::openssl_random();
  auto result = pw::hash(normalised(password), params, *random);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
  return result.ok() ? result.value() : std::string();
}

// Runs the reference tool: `argon2 SALT -id -t T -k M -p P -l 32 -e`, password on stdin.
std::string argon2_cli(std::string_view password, std::string_view salt,
                       const pw::Argon2Params& params) {
  std::string dir_pattern = (fs::temp_directory_path() / "argon2_cli.XXXXXX").string();
  if (mkdtemp(dir_pattern.data()) == nullptr) return {};
  const fs::path dir = dir_pattern;
  const fs::path input = dir / "password";
  std::ofstream(input, std::ios::binary) << password;
  const std::string command =
      "argon2 '" + std::string(salt) + "' -id -t " + std::to_string(params.iterations) + " -k " +
      std::to_string(params.memory_kib) + " -p " + std::to_string(params.parallelism) +
      " -l 32 -e < '" + input.string() + "'";
  std::string output;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    std::array<char, 256> buffer{};
    while (fgets(buffer.data(), buffer.size(), pipe) != nullptr) output += buffer.data();
    EXPECT_EQ(pclose(pipe), 0) << command << " (is the Debian package argon2 installed?)";
  }
  fs::remove_all(dir);
  while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) output.pop_back();
  return output;
}

TEST(Argon2Hash, RoundTrip) {
  const auto phc = must_hash("correct horse battery staple", kFast);
  EXPECT_TRUE(pw::verify(normalised("correct horse battery staple"), phc));
}

TEST(Argon2Hash, WrongPasswordFails) {
  const auto phc = must_hash("correct horse battery staple", kFast);
  EXPECT_FALSE(pw::verify(normalised("correct horse battery stapl"), phc));
  EXPECT_FALSE(pw::verify(normalised("Correct horse battery staple"), phc));
  EXPECT_FALSE(pw::verify(normalised("correct horse battery staple "), phc));
  EXPECT_FALSE(pw::verify("", phc));
}

TEST(Argon2Hash, DefaultPolicyParametersAppearInThePhcString) {
  const auto params = pw::params_from(policy::PasswordPolicy{});
  const auto phc = must_hash("correct horse battery staple", params);
  EXPECT_EQ(phc.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << phc;
  EXPECT_TRUE(pw::verify(normalised("correct horse battery staple"), phc));
}

TEST(Argon2Hash, PolicyParametersAppearInThePhcString) {
  policy::PasswordPolicy policy;
  policy.argon2_memory_kib = 4096;
  policy.argon2_iterations = 3;
  policy.argon2_parallelism = 2;
  const auto params = pw::params_from(policy);
  EXPECT_EQ(params, (pw::Argon2Params{4096, 3, 2}));
  const auto phc = must_hash("correct horse battery staple", params);
  EXPECT_EQ(phc.rfind("$argon2id$v=19$m=4096,t=3,p=2$", 0), 0u) << phc;
  // $argon2id$v=19$m=..,t=..,p=..$SALT$HASH: 16-byte salt and 32-byte hash in unpadded base64.
  const auto hash_start = phc.rfind('$');
  const auto salt_start = phc.rfind('$', hash_start - 1);
  EXPECT_EQ(hash_start - salt_start - 1, 22u) << phc;
  EXPECT_EQ(phc.size() - hash_start - 1, 43u) << phc;
  EXPECT_EQ(pw::phc_params(phc), params);
}

TEST(Argon2Hash, SaltComesFromTheRandomSource) {
  FixedRandom fixed("0123456789abcdef");
  const auto a = pw::hash("correct horse battery staple", kFast, fixed);
  const auto b = pw::hash("correct horse battery staple", kFast, fixed);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a.value(), b.value());  // same salt, same hash
  EXPECT_NE(a.value().find("$MDEyMzQ1Njc4OWFiY2RlZg$"), std::string::npos) << a.value();
  // With the real CSPRNG two hashes of one password differ.
  EXPECT_NE(must_hash("correct horse battery staple", kFast),
            must_hash("correct horse battery staple", kFast));
}

TEST(Argon2Hash, NormalisedFormsOfOnePasswordVerifyEachOther) {
  const auto phc = must_hash("caf\u00e9 \uff50\uff41\uff53\uff53 \ufb01le", kFast);
  EXPECT_TRUE(pw::verify(normalised("cafe\u0301 pass file"), phc));
}

TEST(Argon2Hash, LongUnicodePasswordsHash) {
  std::string password;
  for (int i = 0; i < 128; ++i) password += "\U0001F511";  // 128 code points, 512 bytes
  const auto phc = must_hash(password, kFast);
  EXPECT_TRUE(pw::verify(normalised(password), phc));
  EXPECT_FALSE(pw::verify(normalised(password.substr(4)), phc));
}

// A hash made by the reference implementation verifies with ours.
TEST(Argon2Hash, VerifiesAHashMadeByTheArgon2CommandLineTool) {
  const pw::Argon2Params params{19456, 2, 1};
  const auto phc = argon2_cli("pw", "saltsalt", params);
  ASSERT_EQ(phc.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << phc;
  EXPECT_TRUE(pw::verify("pw", phc));
  EXPECT_FALSE(pw::verify("pW", phc));
}

// And ours is byte for byte what the reference tool makes with the same salt,
// including for a password that NFKC changed.
TEST(Argon2Hash, MatchesTheArgon2CommandLineToolExactly) {
  const std::string salt = "sixteen byte slt";
  FixedRandom fixed(salt);
  for (std::string_view password : {"correct horse battery staple", "\uff50\u00e9 \u5bc6\u7801"}) {
    const auto n = normalised(password);
    for (const auto& params : {pw::Argon2Params{19456, 2, 1}, pw::Argon2Params{4096, 3, 2}}) {
      const auto ours = pw::hash(n, params, fixed);
      ASSERT_TRUE(ours.ok());
      EXPECT_EQ(ours.value(), argon2_cli(n, salt, params));
    }
  }
}

TEST(Argon2Hash, MalformedPhcStringsVerifyNothing) {
  const auto good = must_hash("correct horse battery staple", kFast);
  const auto n = normalised("correct horse battery staple");
  ASSERT_TRUE(pw::verify(n, good));
  std::string with_nul = good;
  with_nul.insert(with_nul.size() - 5, 1, '\0');
  std::string argon2i = good;
  argon2i.replace(0, 9, "$argon2i$");
  for (const std::string& bad : {
           std::string(),
           std::string("garbage"),
           good.substr(0, good.size() - 10),
           good.substr(0, good.rfind('$')),
           good + "$extra",
           with_nul,
           argon2i,
           std::string("$argon2id$v=16$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"),
           std::string("$argon2id$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"),
           std::string("$argon2id$v=19$m=1024,t=1,p=1$!!!!$aGFzaGhhc2hoYXNoaGFzaA"),
           std::string("$argon2id$v=19$m=01024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"),
       }) {
    EXPECT_FALSE(pw::verify(n, bad)) << bad;
  }
}

// A damaged row must not make one login allocate terabytes.
TEST(Argon2Hash, HashesAboveTheCostLimitsAreRefusedUnrun) {
  for (const char* phc : {
           "$argon2id$v=19$m=4294967295,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA",
           "$argon2id$v=19$m=1024,t=100000,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA",
           "$argon2id$v=19$m=1024,t=1,p=255$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA",
           "$argon2id$v=19$m=99999999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
       }) {
    EXPECT_EQ(pw::phc_params(phc), std::nullopt) << phc;
    EXPECT_FALSE(pw::verify("pw", phc)) << phc;
  }
}

TEST(Argon2Hash, NeedsRehashWhenThePolicyCostChanges) {
  const auto phc = must_hash("correct horse battery staple", kFast);
  EXPECT_FALSE(pw::needs_rehash(phc, kFast));
  EXPECT_TRUE(pw::needs_rehash(phc, pw::Argon2Params{2048, 1, 1}));
  EXPECT_TRUE(pw::needs_rehash(phc, pw::Argon2Params{1024, 2, 1}));
  EXPECT_TRUE(pw::needs_rehash(phc, pw::Argon2Params{1024, 1, 2}));
  EXPECT_TRUE(pw::needs_rehash("garbage", kFast));
}

}  // namespace
