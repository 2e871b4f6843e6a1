// An outbox message as an Internet Message Format (RFC 5322) text.
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <span>
#include <string>

#include "audit/base64.h"
#include "notifications/notifier.h"

namespace core::notifications {
namespace {

bool is_ascii_printable(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return b >= 0x20 && b < 0x7f;
  });
}

// A header value on one line: control characters (CR, LF above all) become
// spaces, so no text can start a header of its own; non-ASCII is sent as an
// RFC 2047 encoded word.
std::string header_value(std::string_view text) {
  std::string flat(text);
  for (char& c : flat) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7f) c = ' ';
  }
  if (is_ascii_printable(flat)) return flat;
  return "=?UTF-8?B?" +
         audit::base64_encode(std::span(reinterpret_cast<const uint8_t*>(flat.data()), flat.size())) +
         "?=";
}

std::string rfc5322_date(common::TimePoint at) {
  const std::time_t t = static_cast<std::time_t>(common::unix_seconds(at));
  std::tm tm{};
  gmtime_r(&t, &tm);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buffer;
}

std::string domain_of(std::string_view address) {
  const auto at = address.rfind('@');
  return at == std::string_view::npos ? "localhost" : std::string(address.substr(at + 1));
}

}  // namespace

bool safe_address(std::string_view address) {
  if (address.empty() || address.size() > 254) return false;
  const auto at = address.find('@');
  if (at == 0 || at == std::string_view::npos || at + 1 == address.size() ||
      address.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  return std::all_of(address.begin(), address.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return b > 0x20 && b < 0x7f && c != '<' && c != '>' && c != ',' && c != '"' && c != '\'' &&
           c != '(' && c != ')' && c != ';' && c != '\\';
  });
}

std::string rfc5322_text(const Envelope& envelope, std::string_view eol) {
  const auto& m = envelope.message;
  std::string out;
  const auto header = [&](std::string_view name, const std::string& value) {
    out.append(name).append(": ").append(value).append(eol);
  };
  header("From", "<" + envelope.from + ">");
  header("To", "<" + m.recipient + ">");
  header("Subject", header_value(m.subject));
  header("Date", rfc5322_date(envelope.date));
  header("Message-ID", "<authd-notification-" + std::to_string(m.id) + "." +
                           std::to_string(m.created_at) + "@" + domain_of(envelope.from) + ">");
  header("MIME-Version", "1.0");
  header("Content-Type", "text/plain; charset=UTF-8");
  header("Content-Transfer-Encoding", "8bit");
  header("Auto-Submitted", "auto-generated");
  header("X-Authd-Kind", header_value(m.kind));
  out.append(eol);
  // Normalise the body's line ends to `eol`; a lone CR becomes a line end
  // too, so no bare CR reaches an SMTP server (RFC 5321 2.3.8).
  for (size_t i = 0; i < m.body.size(); ++i) {
    const char c = m.body[i];
    if (c == '\r') {
      if (i + 1 < m.body.size() && m.body[i + 1] == '\n') ++i;
      out.append(eol);
    } else if (c == '\n') {
      out.append(eol);
    } else {
      out += c;
    }
  }
  if (!m.body.empty() && m.body.back() != '\n' && m.body.back() != '\r') out.append(eol);
  return out;
}

}  // namespace core::notifications
