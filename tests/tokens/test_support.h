// Helpers shared by the tokens tests: running real commands and temporary
// directories.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tokens_test {

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout only
};

// Runs `command` through /bin/sh and captures its stdout.
CommandResult run_command(const std::string& command);

// Whether `program` is on PATH.
bool have_program(std::string_view program);

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::vector<uint8_t> bytes_of(std::string_view text);

// The byte string a URI component stands for ("%3A" -> ":"); no '+' rule.
std::string percent_decode(std::string_view text);

}  // namespace tokens_test
