// Delivery to an SMTP relay (RFC 5321), the minimum a relay on a trusted
// network needs: EHLO, MAIL FROM, RCPT TO, DATA (dot-stuffed), QUIT.
//
// Synchronous from the caller's view, but every network step runs as an
// asynchronous operation on a private io_context with run_for(), so each has
// a deadline and a silent relay cannot hold the deliverer for ever.
//
// Not done: STARTTLS and AUTH. Use a relay on the host or a trusted network
// (or the command notifier with a TLS-capable sendmail).
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <cctype>
#include <istream>

#include "notifications/notifier.h"

namespace core::notifications {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using common::Errc;
using common::make_error;

common::Error failed(std::string why) { return make_error(Errc::unavailable, std::move(why)); }

// Lines starting with '.' get another '.' (RFC 5321 4.5.2); the text is
// already CRLF-terminated (rfc5322_text with "\r\n").
std::string dot_stuffed(const std::string& text) {
  std::string out;
  out.reserve(text.size() + 16);
  bool line_start = true;
  for (char c : text) {
    if (line_start && c == '.') out += '.';
    out += c;
    line_start = c == '\n';
  }
  return out;
}

std::string ehlo_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
  std::string host(name);
  for (char c : host) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.')) return "localhost";
  }
  return host;
}

class Session {
 public:
  explicit Session(std::chrono::milliseconds timeout) : socket_(io_), timeout_(timeout) {}

  common::Result<void> connect(const std::string& host, const std::string& port) {
    tcp::resolver resolver(io_);
    boost::system::error_code error = asio::error::timed_out;
    tcp::resolver::results_type endpoints;
    resolver.async_resolve(host, port, [&](boost::system::error_code e, tcp::resolver::results_type r) {
      error = e;
      endpoints = std::move(r);
    });
    if (!run()) return failed("SMTP relay " + host + " not resolved in time");
    if (error) return failed("SMTP relay " + host + " not resolved");
    error = asio::error::timed_out;
    asio::async_connect(socket_, endpoints,
                        [&](boost::system::error_code e, const tcp::endpoint&) { error = e; });
    if (!run()) return failed("SMTP relay did not accept a connection in time");
    if (error) return failed("SMTP relay refused the connection");
    return {};
  }

  // One reply (all its lines); the code of the last line.
  common::Result<int> reply(std::string_view step) {
    for (;;) {
      boost::system::error_code error = asio::error::timed_out;
      asio::async_read_until(socket_, buffer_, "\r\n",
                             [&](boost::system::error_code e, size_t) { error = e; });
      if (!run()) return failed("SMTP relay did not answer " + std::string(step) + " in time");
      if (error) return failed("SMTP connection lost at " + std::string(step));
      std::istream in(&buffer_);
      std::string line;
      std::getline(in, line);
      if (line.size() < 3 || !std::isdigit(static_cast<unsigned char>(line[0])) ||
          !std::isdigit(static_cast<unsigned char>(line[1])) ||
          !std::isdigit(static_cast<unsigned char>(line[2]))) {
        return failed("SMTP relay sent a malformed reply at " + std::string(step));
      }
      // "250-..." continues; "250 ..." (or just "250") ends the reply.
      if (line.size() > 3 && line[3] == '-') {
        if (++continuation_lines_ > 1000) return failed("SMTP reply too long");
        continue;
      }
      return std::stoi(line.substr(0, 3));
    }
  }

  common::Result<void> send(std::string_view text, std::string_view step) {
    boost::system::error_code error = asio::error::timed_out;
    asio::async_write(socket_, asio::buffer(text.data(), text.size()),
                      [&](boost::system::error_code e, size_t) { error = e; });
    if (!run()) return failed("SMTP relay did not take " + std::string(step) + " in time");
    if (error) return failed("SMTP connection lost sending " + std::string(step));
    return {};
  }

  // Sends a command and expects a reply code in [low, high].
  common::Result<void> command(std::string_view text, std::string_view step, int low, int high) {
    if (!text.empty()) {
      if (auto sent = send(text, step); !sent) return sent;
    }
    auto code = reply(step);
    if (!code) return code.error();
    if (*code < low || *code > high) {
      return failed("SMTP " + std::string(step) + " refused: " + std::to_string(*code));
    }
    return {};
  }

  void close() {
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

 private:
  // Runs the pending operation until done or the timeout; false (and the
  // socket closed, cancelling it) on timeout.
  bool run() {
    io_.restart();
    io_.run_for(timeout_);
    if (!io_.stopped()) {
      close();
      io_.restart();
      io_.run();  // let the cancelled handlers finish
      return false;
    }
    return true;
  }

  asio::io_context io_;
  tcp::socket socket_;
  asio::streambuf buffer_{64 * 1024};
  std::chrono::milliseconds timeout_;
  int continuation_lines_ = 0;
};

class SmtpNotifier final : public Notifier {
 public:
  SmtpNotifier(std::string relay, std::chrono::milliseconds timeout)
      : relay_(std::move(relay)), timeout_(timeout), helo_(ehlo_name()) {}

  common::Result<void> deliver(const Envelope& envelope) override {
    // An address with CR or LF could inject SMTP commands: refuse it here,
    // before any byte is sent.
    if (!safe_address(envelope.from)) return failed("sender address refused");
    if (!safe_address(envelope.message.recipient)) return failed("recipient address refused");
    const auto colon = relay_.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == relay_.size()) {
      return failed("smtp_relay must be host:port");
    }
    std::string host = relay_.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    const std::string port = relay_.substr(colon + 1);

    Session s(timeout_);
    auto result = [&]() -> common::Result<void> {
      if (auto ok = s.connect(host, port); !ok) return ok;
      if (auto ok = s.command("", "greeting", 220, 220); !ok) return ok;
      if (auto ok = s.command("EHLO " + helo_ + "\r\n", "EHLO", 250, 250); !ok) return ok;
      if (auto ok = s.command("MAIL FROM:<" + envelope.from + ">\r\n", "MAIL FROM", 250, 250); !ok) {
        return ok;
      }
      if (auto ok = s.command("RCPT TO:<" + envelope.message.recipient + ">\r\n", "RCPT TO", 250,
                              251);
          !ok) {
        return ok;
      }
      if (auto ok = s.command("DATA\r\n", "DATA", 354, 354); !ok) return ok;
      const std::string body = dot_stuffed(rfc5322_text(envelope, "\r\n")) + ".\r\n";
      if (auto ok = s.command(body, "message", 250, 250); !ok) return ok;
      // The relay has taken the message; a failed QUIT changes nothing.
      (void)s.command("QUIT\r\n", "QUIT", 221, 221);
      return {};
    }();
    s.close();
    return result;
  }

 private:
  std::string relay_;
  std::chrono::milliseconds timeout_;
  std::string helo_;
};

}  // namespace

std::unique_ptr<Notifier> smtp_notifier(std::string relay, std::chrono::milliseconds timeout) {
  return std::make_unique<SmtpNotifier>(std::move(relay), timeout);
}

}  // namespace core::notifications
