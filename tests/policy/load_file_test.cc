// load_policy_file(): reading from disk, and refusing what cannot be read.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "policy/policy.h"

namespace {

namespace fs = std::filesystem;

class LoadFile : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "policy_test.XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const std::string& text) {
    auto path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  fs::path dir_;
};

TEST_F(LoadFile, ReadsAPolicyFile) {
  const auto path = write("policy.toml", "[password]\nmin_length = 15\n");
  const auto result = policy::load_policy_file(path);
  ASSERT_TRUE(result.policy) << result.error;
  EXPECT_EQ(result.policy->password.min_length, 15u);
}

TEST_F(LoadFile, ReadsTheDefaultFile) {
  const auto path = write("policy.toml", policy::default_policy_toml());
  const auto result = policy::load_policy_file(path);
  ASSERT_TRUE(result.policy) << result.error;
  EXPECT_EQ(*result.policy, policy::Policy{});
}

TEST_F(LoadFile, MissingFileIsAnErrorNamingIt) {
  const auto path = dir_ / "absent.toml";
  const auto result = policy::load_policy_file(path);
  EXPECT_FALSE(result.policy);
  EXPECT_NE(result.error.find(path.string()), std::string::npos) << result.error;
}

TEST_F(LoadFile, DirectoryIsAnError) {
  const auto result = policy::load_policy_file(dir_);
  EXPECT_FALSE(result.policy);
  EXPECT_NE(result.error.find(dir_.string()), std::string::npos) << result.error;
}

TEST_F(LoadFile, ErrorsInsideTheFileNameTheFileKeyAndLine) {
  const auto path = write("policy.toml", "# comment\n[lockout]\nlock_after_failures = 1000\n");
  const auto result = policy::load_policy_file(path);
  EXPECT_FALSE(result.policy);
  EXPECT_EQ(result.error.rfind(path.string() + ": lockout.lock_after_failures (line 3)", 0), 0u)
      << result.error;
}

}  // namespace
