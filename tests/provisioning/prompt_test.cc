#include "authctl/prompt.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <string>
#include <thread>

namespace provisioning {
namespace {

class Pipe {
 public:
  Pipe() {
    int fds[2];
    if (::pipe(fds) != 0) std::abort();
    read_ = fds[0];
    write_ = fds[1];
  }
  ~Pipe() {
    close_write();
    ::close(read_);
  }
  void write(const std::string& text) {
    ASSERT_EQ(::write(write_, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  }
  void close_write() {
    if (write_ >= 0) ::close(write_);
    write_ = -1;
  }
  int read_fd() const { return read_; }

 private:
  int read_ = -1;
  int write_ = -1;
};

std::string drain(int fd) {
  std::string out;
  char chunk[256];
  ssize_t n;
  while ((n = ::read(fd, chunk, sizeof chunk)) > 0) out.append(chunk, static_cast<size_t>(n));
  return out;
}

TEST(Prompt, ReadsOneAnswerPerLineFromAPipeWithoutShowingPrompts) {
  Pipe input;
  input.write("correct horse battery staple\r\n123456\nlast line without newline");
  input.close_write();
  Prompter prompter(input.read_fd(), /*out_fd=*/-1);
  EXPECT_FALSE(prompter.interactive());

  auto password = prompter.secret("Password");
  ASSERT_TRUE(password.ok()) << password.error().message;
  EXPECT_EQ(password.value(), "correct horse battery staple");
  auto code = prompter.line("TOTP code");
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(code.value(), "123456");
  auto last = prompter.line("Anything");
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last.value(), "last line without newline");

  auto none = prompter.secret("Repeat password");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, common::Errc::bad_request);
  EXPECT_NE(none.error().message.find("Repeat password"), std::string::npos);
}

TEST(Prompt, LeavesTheRestOfTheInputForTheNextReader) {
  Pipe input;
  input.write("first\nsecond\n");
  input.close_write();
  Prompter prompter(input.read_fd(), -1);
  ASSERT_TRUE(prompter.line("one").ok());
  EXPECT_EQ(drain(input.read_fd()), "second\n");
}

TEST(Prompt, RefusesAnOverlongLine) {
  Pipe input;
  input.write(std::string(5000, 'x') + "\n");
  input.close_write();
  Prompter prompter(input.read_fd(), -1);
  auto answer = prompter.secret("Password");
  ASSERT_FALSE(answer.ok());
  EXPECT_NE(answer.error().message.find("too long"), std::string::npos);
}

// On a terminal the secret must not be echoed, and echo must be back on after.
TEST(Prompt, ReadsASecretFromATerminalWithoutEcho) {
  int master = -1;
  int slave = -1;
  ASSERT_EQ(::openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  Prompter prompter(slave, slave);
  ASSERT_TRUE(prompter.interactive());

  std::string screen;
  std::thread typist([&] {
    // Type only once the prompt is on screen, i.e. after echo was turned off.
    char chunk[256];
    while (screen.find("Password: ") == std::string::npos) {
      const ssize_t n = ::read(master, chunk, sizeof chunk);
      if (n <= 0) return;
      screen.append(chunk, static_cast<size_t>(n));
    }
    const std::string typed = "s3cret-typed\n";
    (void)!::write(master, typed.data(), typed.size());
  });
  auto answer = prompter.secret("Password");
  typist.join();
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(answer.value(), "s3cret-typed");

  // Whatever reached the screen after the prompt must not contain the secret.
  pollfd pfd{master, POLLIN, 0};
  while (::poll(&pfd, 1, 200) > 0) {
    char chunk[256];
    const ssize_t n = ::read(master, chunk, sizeof chunk);
    if (n <= 0) break;
    screen.append(chunk, static_cast<size_t>(n));
  }
  EXPECT_EQ(screen.find("s3cret"), std::string::npos) << screen;

  termios after{};
  ASSERT_EQ(::tcgetattr(slave, &after), 0);
  EXPECT_NE(after.c_lflag & ECHO, 0u);
  ::close(slave);
  ::close(master);
}

TEST(Prompt, EchoesAPlainLineOnATerminal) {
  int master = -1;
  int slave = -1;
  ASSERT_EQ(::openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  Prompter prompter(slave, slave);
  std::string screen;
  std::thread typist([&] {
    char chunk[256];
    while (screen.find("Username: ") == std::string::npos) {
      const ssize_t n = ::read(master, chunk, sizeof chunk);
      if (n <= 0) return;
      screen.append(chunk, static_cast<size_t>(n));
    }
    (void)!::write(master, "alice\n", 6);
  });
  auto answer = prompter.line("Username");
  typist.join();
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer.value(), "alice");
  pollfd pfd{master, POLLIN, 0};
  while (::poll(&pfd, 1, 200) > 0) {
    char chunk[256];
    const ssize_t n = ::read(master, chunk, sizeof chunk);
    if (n <= 0) break;
    screen.append(chunk, static_cast<size_t>(n));
  }
  // The contrast with the secret test: here the terminal does echo.
  EXPECT_NE(screen.find("alice"), std::string::npos) << screen;
  ::close(slave);
  ::close(master);
}

}  // namespace
}  // namespace provisioning
