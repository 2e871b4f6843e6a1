#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <fstream>

namespace hsm_test {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "hsm-test.XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) std::abort();
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void TokenTest::SetUp() {
  auto config = hsm::create_softhsm_token(tmp_.path() / "hsm", "authd-test");
  ASSERT_TRUE(config.ok()) << config.error().message;
  config_ = *config;
  auto opened = hsm::open_pkcs11(config_);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  hsm_ = std::move(*opened);
}

void TokenTest::TearDown() { hsm_.reset(); }

std::vector<uint8_t> bytes(std::string_view text) { return {text.begin(), text.end()}; }

void write_file(const std::filesystem::path& path, std::span<const uint8_t> data) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  ASSERT_TRUE(out.good()) << path;
}

void write_file(const std::filesystem::path& path, std::string_view text) {
  write_file(path,
             std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

int run(const std::string& command, std::string* output) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  std::string text;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) text.append(buffer, n);
  const int status = pclose(pipe);
  if (output != nullptr) *output = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace hsm_test
