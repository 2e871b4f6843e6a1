// The outbox transports: a real child process reading the message on stdin,
// and a tiny SMTP server on 127.0.0.1 written here (a thread with a
// listening socket speaking just enough of RFC 5321).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "notifications/notifier.h"

namespace core::notifications {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Envelope envelope(std::string recipient = "manager.sam@example.org") {
  Envelope e;
  e.from = "authd@example.org";
  e.message.id = 7;
  e.message.kind = "account.suspended";
  e.message.recipient = std::move(recipient);
  e.message.subject = "Account suspended: sam";
  e.message.body = "The account of Sam was suspended.\n.hidden line\nReason: extended leave.\n";
  e.message.about = "sam";
  e.message.created_at = 1767225600;
  e.date = common::from_unix_seconds(1767225600);
  return e;
}

class CommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("notifier_test_" + std::to_string(rd()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // An executable script with `body` (after the #! line).
  std::string script(const std::string& name, const std::string& body) {
    const auto path = dir_ / name;
    std::ofstream(path) << "#!/bin/sh\n" << body;
    fs::permissions(path, fs::perms::owner_all);
    return path.string();
  }

  fs::path dir_;
};

TEST_F(CommandTest, TheCommandGetsTheMessageOnStdinAndExitZeroDelivers) {
  const auto out = dir_ / "mail.txt";
  auto notifier = command_notifier({script("deliver", "cat > \"$1\"\n"), out.string()});
  auto sent = notifier->deliver(envelope());
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  const auto text = read_file(out);
  EXPECT_NE(text.find("From: <authd@example.org>\n"), std::string::npos) << text;
  EXPECT_NE(text.find("To: <manager.sam@example.org>\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Subject: Account suspended: sam\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Date: Thu, 01 Jan 2026 00:00:00 +0000\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Message-ID: <authd-notification-7."), std::string::npos) << text;
  EXPECT_NE(text.find("Content-Type: text/plain; charset=UTF-8\n"), std::string::npos) << text;
  // Headers, a blank line, then the body untouched (no dot-stuffing locally).
  EXPECT_NE(text.find("\n\nThe account of Sam was suspended.\n.hidden line\n"), std::string::npos)
      << text;
  EXPECT_EQ(text.find('\r'), std::string::npos);
}

TEST_F(CommandTest, ArgumentsAreNotInterpretedByAShell) {
  const auto out = dir_ / "args.txt";
  auto notifier = command_notifier(
      {script("args", "printf '%s\\n' \"$@\" > \"$1\"\ncat > /dev/null\n"), out.string(),
       "$(touch " + (dir_ / "pwned").string() + ")", "a b;c"});
  ASSERT_TRUE(notifier->deliver(envelope()).ok());
  EXPECT_FALSE(fs::exists(dir_ / "pwned"));
  EXPECT_NE(read_file(out).find("a b;c\n"), std::string::npos);
}

TEST_F(CommandTest, ANonZeroExitIsAFailureNamingTheStatus) {
  auto notifier = command_notifier({script("fail", "cat > /dev/null\nexit 3\n")});
  auto sent = notifier->deliver(envelope());
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, common::Errc::unavailable);
  EXPECT_EQ(sent.error().message, "notification command exited with status 3");
}

TEST_F(CommandTest, TheCommandsOutputIsNotRepeated) {
  auto notifier = command_notifier(
      {script("noisy", "cat > /dev/null\necho 'secret-ish output'\necho oops >&2\nexit 1\n")});
  auto sent = notifier->deliver(envelope());
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().message.find("output"), std::string::npos);
  EXPECT_EQ(sent.error().message.find("oops"), std::string::npos);
}

TEST_F(CommandTest, AMissingCommandIsAFailure) {
  auto notifier = command_notifier({(dir_ / "no-such-program").string()});
  auto sent = notifier->deliver(envelope());
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, common::Errc::unavailable);
}

TEST_F(CommandTest, AStuckCommandIsKilledAtTheTimeout) {
  const auto started = std::chrono::steady_clock::now();
  auto notifier =
      command_notifier({script("stuck", "cat > /dev/null\nsleep 30\n")}, std::chrono::milliseconds(300));
  auto sent = notifier->deliver(envelope());
  ASSERT_FALSE(sent.ok());
  EXPECT_NE(sent.error().message.find("timed out"), std::string::npos) << sent.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST_F(CommandTest, AnAddressThatCouldInjectHeadersIsRefusedBeforeRunningAnything) {
  const auto marker = dir_ / "ran";
  auto notifier = command_notifier({script("marker", "touch \"$1\"\n"), marker.string()});
  for (const char* bad : {"a@b.org\r\nBcc: x@y.org", "a@b.org\nBcc: x@y.org", "no-at-sign",
                          "two@@b.org", "a b@c.org", "<a@b.org>", ""}) {
    auto sent = notifier->deliver(envelope(bad));
    EXPECT_FALSE(sent.ok()) << bad;
  }
  EXPECT_FALSE(fs::exists(marker));
}

TEST(Rfc5322Text, HeaderValuesStayOnOneLine) {
  auto e = envelope();
  e.message.subject = "Hi\r\nBcc: spy@example.org";
  const auto text = rfc5322_text(e, "\r\n");
  EXPECT_EQ(text.find("\r\nBcc:"), std::string::npos) << text;
  EXPECT_NE(text.find("Subject: Hi  Bcc: spy@example.org\r\n"), std::string::npos) << text;
}

TEST(Rfc5322Text, NonAsciiSubjectsAreEncodedWords) {
  auto e = envelope();
  e.message.subject = "Compte suspendu: Zoë";
  const auto text = rfc5322_text(e, "\n");
  EXPECT_NE(text.find("Subject: =?UTF-8?B?"), std::string::npos) << text;
}

TEST(Rfc5322Text, BodyLineEndsAreNormalised) {
  auto e = envelope();
  e.message.body = "one\ntwo\r\nthree\rfour";
  const auto text = rfc5322_text(e, "\r\n");
  EXPECT_NE(text.find("\r\n\r\none\r\ntwo\r\nthree\r\nfour\r\n"), std::string::npos) << text;
}

// A tiny SMTP server: one connection, scripted replies, the transcript kept.
class SmtpServer {
 public:
  struct Behaviour {
    bool greet = true;
    int rcpt_reply = 250;
  };

  explicit SmtpServer(Behaviour behaviour) : behaviour_(behaviour) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(listener_, 1), 0);
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~SmtpServer() {
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    if (thread_.joinable()) thread_.join();
  }

  std::string relay() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string transcript() {
    if (thread_.joinable()) thread_.join();
    return transcript_;
  }

 private:
  void send(int fd, const std::string& line) { (void)::write(fd, line.data(), line.size()); }

  // The next CRLF-terminated line from the client (without the CRLF).
  bool line(int fd, std::string& out) {
    out.clear();
    char c;
    while (::read(fd, &c, 1) == 1) {
      transcript_ += c;
      if (c == '\n' && !out.empty() && out.back() == '\r') {
        out.pop_back();
        return true;
      }
      out += c;
    }
    return false;
  }

  void serve() {
    const int fd = ::accept(listener_, nullptr, nullptr);
    if (fd < 0) return;
    if (!behaviour_.greet) {
      // Say nothing until the client gives up.
      char c;
      while (::read(fd, &c, 1) == 1) {
      }
      ::close(fd);
      return;
    }
    send(fd, "220 test.example ESMTP\r\n");
    std::string l;
    bool in_data = false;
    while (line(fd, l)) {
      if (in_data) {
        if (l == ".") {
          in_data = false;
          send(fd, "250 2.0.0 queued\r\n");
        }
        continue;
      }
      if (l.rfind("EHLO ", 0) == 0) {
        send(fd, "250-test.example\r\n250-8BITMIME\r\n250 SIZE 1000000\r\n");
      } else if (l.rfind("MAIL FROM:", 0) == 0) {
        send(fd, "250 2.1.0 ok\r\n");
      } else if (l.rfind("RCPT TO:", 0) == 0) {
        send(fd, std::to_string(behaviour_.rcpt_reply) + " rcpt\r\n");
      } else if (l == "DATA") {
        send(fd, "354 go ahead\r\n");
        in_data = true;
      } else if (l == "QUIT") {
        send(fd, "221 bye\r\n");
        break;
      } else {
        send(fd, "500 what\r\n");
      }
    }
    ::close(fd);
  }

  Behaviour behaviour_;
  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::string transcript_;
};

TEST(Smtp, DeliversThroughTheRelayWithDotStuffing) {
  SmtpServer server({});
  auto notifier = smtp_notifier(server.relay(), 5s);
  auto sent = notifier->deliver(envelope());
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  const auto t = server.transcript();
  EXPECT_NE(t.find("EHLO "), std::string::npos) << t;
  EXPECT_NE(t.find("MAIL FROM:<authd@example.org>\r\n"), std::string::npos) << t;
  EXPECT_NE(t.find("RCPT TO:<manager.sam@example.org>\r\n"), std::string::npos) << t;
  EXPECT_NE(t.find("DATA\r\n"), std::string::npos) << t;
  EXPECT_NE(t.find("Subject: Account suspended: sam\r\n"), std::string::npos) << t;
  // A body line starting with '.' is sent with a second one (RFC 5321 4.5.2).
  EXPECT_NE(t.find("\r\n..hidden line\r\n"), std::string::npos) << t;
  EXPECT_NE(t.find("\r\n.\r\nQUIT\r\n"), std::string::npos) << t;
}

TEST(Smtp, ARefusedRecipientIsAFailureWithTheCode) {
  SmtpServer server({.greet = true, .rcpt_reply = 550});
  auto sent = smtp_notifier(server.relay(), 5s)->deliver(envelope());
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().message, "SMTP RCPT TO refused: 550");
  EXPECT_EQ(server.transcript().find("DATA"), std::string::npos);
}

TEST(Smtp, ASilentRelayTimesOut) {
  SmtpServer server({.greet = false, .rcpt_reply = 250});
  const auto started = std::chrono::steady_clock::now();
  auto sent = smtp_notifier(server.relay(), 300ms)->deliver(envelope());
  ASSERT_FALSE(sent.ok());
  EXPECT_NE(sent.error().message.find("in time"), std::string::npos) << sent.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST(Smtp, NoRelayListeningIsAFailure) {
  // Bind a port, then close it: nothing listens there.
  int port = 0;
  {
    SmtpServer server({});
    port = std::stoi(server.relay().substr(10));
    // Connect once so the server thread ends.
    auto ignored = smtp_notifier(server.relay(), 2s)->deliver(envelope());
    (void)ignored;
  }
  auto sent = smtp_notifier("127.0.0.1:" + std::to_string(port), 2s)->deliver(envelope());
  EXPECT_FALSE(sent.ok());
}

TEST(Smtp, AddressesWithLineBreaksNeverReachTheWire) {
  SmtpServer server({});
  auto sent = smtp_notifier(server.relay(), 2s)
                  ->deliver(envelope("x@example.org>\r\nRCPT TO:<victim@example.org"));
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().message, "recipient address refused");
  // Nothing was sent: connect once more so the server thread ends.
  auto fine = smtp_notifier(server.relay(), 2s)->deliver(envelope());
  EXPECT_TRUE(fine.ok());
  EXPECT_EQ(server.transcript().find("victim"), std::string::npos);
}

TEST(NotifierFor, PicksTheConfiguredTransport) {
  NotificationDelivery none;
  EXPECT_EQ(notifier_for(none), nullptr);
  NotificationDelivery command;
  command.command = {"/bin/true"};
  EXPECT_NE(notifier_for(command), nullptr);
  NotificationDelivery relay;
  relay.smtp_relay = "127.0.0.1:25";
  EXPECT_NE(notifier_for(relay), nullptr);
}

}  // namespace
}  // namespace core::notifications
