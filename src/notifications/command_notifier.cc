// Delivery through a local command (sendmail -t -i, or a site's script).
//
// posix_spawn, not fork: the daemon is multi-threaded, and between fork and
// exec only async-signal-safe calls are allowed; posix_spawn does the
// descriptor set-up for us. No shell: argv goes to execvp as it is, so no
// text from a message can become a command. The child gets its own process
// group so a timeout kills whatever it started too, and every descriptor but
// 0-2 is closed in it (no database or socket leaks into the command).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "notifications/notifier.h"

extern char** environ;

namespace core::notifications {
namespace {

using common::Errc;
using common::make_error;
using Clock = std::chrono::steady_clock;

common::Error failed(std::string why) { return make_error(Errc::unavailable, std::move(why)); }

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// Writes `text` to the child's stdin without blocking past `deadline`.
// SIGPIPE (the child exited without reading) is blocked on this thread and
// any pending one consumed, so it cannot kill the daemon; write says EPIPE.
bool write_all(int fd, std::string_view text, Clock::time_point deadline) {
  sigset_t pipe_only, old;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
  bool ok = true;
  while (!text.empty()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      ok = false;
      break;
    }
    pollfd p{fd, POLLOUT, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      ok = false;
      break;
    }
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      ok = false;
      break;
    }
    text.remove_prefix(static_cast<size_t>(n));
  }
  if (!ok && errno == EPIPE) {
    const timespec zero{0, 0};
    (void)sigtimedwait(&pipe_only, nullptr, &zero);
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  return ok;
}

class CommandNotifier final : public Notifier {
 public:
  CommandNotifier(std::vector<std::string> argv, std::chrono::milliseconds timeout)
      : argv_(std::move(argv)), timeout_(timeout) {}

  common::Result<void> deliver(const Envelope& envelope) override {
    if (argv_.empty()) return failed("no notification command configured");
    if (!safe_address(envelope.message.recipient)) return failed("recipient address refused");
    const std::string text = rfc5322_text(envelope, "\n");
    const auto deadline = Clock::now() + timeout_;

    int fds[2];
    if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) return failed("cannot make a pipe");
    Fd read_end(fds[0]), write_end(fds[1]);
    // The child's end must block: commands expect an ordinary stdin.
    ::fcntl(read_end.get(), F_SETFL, 0);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, read_end.get(), 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                        POSIX_SPAWN_SETSIGDEF);

    std::vector<char*> args;
    for (auto& arg : argv_) args.push_back(arg.data());
    args.push_back(nullptr);
    pid_t pid = -1;
    const int rc = ::posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) return failed("cannot start the notification command (" + std::string(std::strerror(rc)) + ")");
    read_end.reset();

    const bool written = write_all(write_end.get(), text, deadline);
    write_end.reset();  // EOF for the command

    // Wait for the exit, polling: waitpid has no timeout. Never more than
    // 50 ms late, and a stuck command is killed with its process group.
    int status = 0;
    for (;;) {
      const pid_t done = ::waitpid(pid, &status, WNOHANG);
      if (done == pid) break;
      if (done < 0 && errno != EINTR) return failed("lost the notification command");
      if (Clock::now() >= deadline) {
        ::kill(-pid, SIGKILL);
        ::kill(pid, SIGKILL);
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        return failed("notification command timed out after " +
                      std::to_string(timeout_.count()) + " ms");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (WIFSIGNALED(status)) {
      return failed("notification command killed by signal " + std::to_string(WTERMSIG(status)));
    }
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (code == 127 && !written) return failed("notification command not found");
    if (code != 0) return failed("notification command exited with status " + std::to_string(code));
    // Exit 0 without reading all of the message: it cannot have taken it.
    if (!written) return failed("notification command did not read the message");
    return {};
  }

 private:
  std::vector<std::string> argv_;
  std::chrono::milliseconds timeout_;
};

}  // namespace

std::unique_ptr<Notifier> command_notifier(std::vector<std::string> argv,
                                           std::chrono::milliseconds timeout) {
  return std::make_unique<CommandNotifier>(std::move(argv), timeout);
}

}  // namespace core::notifications
