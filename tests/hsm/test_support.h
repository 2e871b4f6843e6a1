// Shared fixtures for hsm_test: a temporary directory, a real SoftHSM token
// in it opened through open_pkcs11, and helpers to run commands on files.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "hsm/hsm.h"

namespace hsm_test {

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A token labelled "authd-test" under tmp/hsm, and an Hsm open on it.
class TokenTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  TempDir tmp_;
  hsm::ModuleConfig config_;
  std::unique_ptr<hsm::Hsm> hsm_;
};

std::vector<uint8_t> bytes(std::string_view text);
void write_file(const std::filesystem::path& path, std::span<const uint8_t> data);
void write_file(const std::filesystem::path& path, std::string_view text);
// Runs a shell command; returns its exit status and fills `output` (stdout+stderr).
int run(const std::string& command, std::string* output = nullptr);

}  // namespace hsm_test
