#include "authctl/prompt.h"

#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include "common/secret.h"

namespace provisioning {
namespace {

constexpr size_t kMaxLine = 4096;

// Terminal state to put back if a signal arrives while echo is off; a
// process killed there would otherwise leave the shell without echo.
volatile sig_atomic_t g_echo_off = 0;
int g_tty_fd = -1;
struct termios g_saved_termios;
constexpr int kRestoreSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

extern "C" void restore_and_reraise(int sig) {
  if (g_echo_off != 0) tcsetattr(g_tty_fd, TCSAFLUSH, &g_saved_termios);
  signal(sig, SIG_DFL);
  raise(sig);
}

// Turns echo off for its lifetime.
class EchoOff {
 public:
  explicit EchoOff(int fd) {
    if (tcgetattr(fd, &g_saved_termios) != 0) return;
    struct sigaction action {};
    action.sa_handler = restore_and_reraise;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < std::size(kRestoreSignals); ++i) {
      sigaction(kRestoreSignals[i], &action, &previous_[i]);
    }
    struct termios quiet = g_saved_termios;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO | ECHOE | ECHOK);
    g_tty_fd = fd;
    g_echo_off = 1;
    active_ = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
    if (!active_) restore_handlers();
  }
  ~EchoOff() {
    if (!active_) return;
    tcsetattr(g_tty_fd, TCSAFLUSH, &g_saved_termios);
    restore_handlers();
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  void restore_handlers() {
    g_echo_off = 0;
    for (size_t i = 0; i < std::size(kRestoreSignals); ++i) {
      sigaction(kRestoreSignals[i], &previous_[i], nullptr);
    }
  }

  bool active_ = false;
  struct sigaction previous_[std::size(kRestoreSignals)]{};
};

}  // namespace

Prompter Prompter::standard() { return Prompter(STDIN_FILENO, STDERR_FILENO); }

bool Prompter::interactive() const { return isatty(in_fd_) == 1; }

void Prompter::show(std::string_view text) const {
  while (!text.empty()) {
    const ssize_t n = ::write(out_fd_, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // nowhere to show it; the read still works
    text.remove_prefix(static_cast<size_t>(n));
  }
}

common::Result<std::string> Prompter::read_line(std::string_view prompt) {
  std::string answer;
  answer.reserve(kMaxLine + 1);  // no reallocation: it would leave copies of a secret behind
  for (;;) {
    char c = 0;
    const ssize_t n = ::read(in_fd_, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      common::wipe(answer);
      return common::make_error(common::Errc::unavailable,
                                "cannot read " + std::string(prompt) + ": " + std::strerror(err));
    }
    if (n == 0) {
      // A last line without a newline still counts; nothing at all does not.
      if (!answer.empty()) break;
      return common::make_error(common::Errc::bad_request,
                                "no answer for " + std::string(prompt) + " (end of input)");
    }
    if (c == '\n') break;
    if (answer.size() == kMaxLine) {
      common::wipe(answer);
      return common::make_error(common::Errc::bad_request,
                                "the answer for " + std::string(prompt) + " is too long");
    }
    answer.push_back(c);
  }
  if (!answer.empty() && answer.back() == '\r') answer.pop_back();
  return answer;
}

common::Result<std::string> Prompter::line(std::string_view prompt) {
  if (interactive()) show(std::string(prompt) + ": ");
  return read_line(prompt);
}

common::Result<std::string> Prompter::secret(std::string_view prompt) {
  if (!interactive()) return read_line(prompt);
  common::Result<std::string> answer = common::make_error(common::Errc::internal, "unread");
  {
    EchoOff quiet(in_fd_);
    show(std::string(prompt) + ": ");
    answer = read_line(prompt);
  }
  show("\n");  // the user's Enter was not echoed
  return answer;
}

}  // namespace provisioning
