// Child processes for the integration test: one-shot commands (authd init,
// authctl, oathtool) and a long-running daemon (authd serve).
//
// Children are started with posix_spawn; every pipe is close-on-exec in the
// parent so one child never holds another's pipe open.
//
// Thread safety: a DaemonProcess belongs to one test thread; run_command is
// reentrant.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace integration {

struct CommandResult {
  int exit_code = -1;  // the exit status, or 128 + signal when killed by one
  bool timed_out = false;
  std::string out;
  std::string err;
};

// Runs argv[0] (looked up in PATH when it has no slash) with `input` on its
// standard input, collects stdout and stderr, and waits for it to end.
// `env` entries replace or add environment variables. A child still running
// after `timeout` is killed and reported as timed_out.
CommandResult run_command(const std::vector<std::string>& argv, const std::string& input = {},
                          const std::map<std::string, std::string>& env = {},
                          std::chrono::seconds timeout = std::chrono::seconds(60));

// A daemon whose stdout is watched for a line starting with a given prefix.
class DaemonProcess {
 public:
  DaemonProcess() = default;
  ~DaemonProcess();  // kills a still-running child (SIGKILL)
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  // Spawns argv with stderr appended to `stderr_log`, then waits until stdout
  // prints a line beginning with `ready_prefix`. Returns the rest of that line,
  // or nullopt (with `error` set) if the child exits or the timeout passes first.
  std::optional<std::string> start(const std::vector<std::string>& argv,
                                   const std::filesystem::path& stderr_log,
                                   const std::string& ready_prefix, std::chrono::seconds timeout,
                                   std::string* error);

  bool running();
  pid_t pid() const { return pid_; }

  // Sends `signal` and waits for the child to end. Returns its exit status
  // (128 + signal when it died of one), or nullopt after `timeout` (the child
  // is then killed).
  std::optional<int> stop(int signal, std::chrono::seconds timeout);

  // Everything the child printed on stdout so far.
  std::string output();

 private:
  void drain();

  pid_t pid_ = -1;
  std::optional<int> reaped_status_;  // set when running() saw the child end
  int stdout_fd_ = -1;
  std::thread drainer_;
  std::mutex mutex_;
  std::string output_;
};

}  // namespace integration
