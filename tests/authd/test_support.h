// Helpers shared by the daemon's tests: temporary directories, child
// processes (the authd binary, openssl, curl, oathtool) and a cheap policy.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "policy/policy.h"

namespace authd_test {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it.
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

struct CommandResult {
  int exit_code = -1;  // -1 if it did not exit normally (signal, timeout)
  std::string out;
  std::string err;
};

// Runs argv[0] (found on PATH) with `input` on stdin; kills it after `timeout`.
CommandResult run_command(const std::vector<std::string>& argv, const std::string& input = {},
                          std::chrono::seconds timeout = std::chrono::seconds(60));

// A long-running child whose stdout can be read line by line.
class Child {
 public:
  // stderr goes to the test's own stderr, or to `stderr_file` (created or
  // truncated) when given, for tests that read the daemon's log.
  explicit Child(const std::vector<std::string>& argv,
                 const std::filesystem::path& stderr_file = {});
  ~Child();  // kills the child if still running
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // The next line of stdout without its newline; nullopt on EOF or timeout.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);
  void send_signal(int signal_number);
  // The exit code, -1 for death by a signal, nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string buffer_;
  bool reaped_ = false;
};

// The path of the authd binary under test.
std::string authd_binary();

// `authd ARGS...`, with a 120 s limit.
CommandResult run_authd(const std::vector<std::string>& args);

// The permission bits of `path` (07777), or 0 if it cannot be stat'ed.
mode_t file_mode(const std::filesystem::path& path);

// The whole file, or "" if it cannot be read.
std::string read_text(const std::filesystem::path& path);

// The default policy with cheap Argon2id (tests hash hundreds of times) and
// throttling after 3 failures, so throttling tests stay short.
policy::Policy cheap_policy();

// The base32 secret in an otpauth:// URI.
std::string otpauth_secret(const std::string& uri);

// The TOTP code (SHA1, 6 digits, 30 s) for `t`, from the oathtool command.
std::string oathtool_code(const std::string& base32_secret, common::TimePoint t);

// Percent-encodes every byte outside [A-Za-z0-9_.~-].
std::string percent_encode(const std::string& text);

}  // namespace authd_test
