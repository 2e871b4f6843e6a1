// Delivery of one outbox message to its recipient. Two implementations: a
// local command (sendmail -t -i and the like) and an SMTP relay. Either
// reports success only when the message was taken; the Deliverer retries
// failures, so a delivery may be attempted more than once but a message is
// never dropped.
//
// Errors (unavailable) carry a short reason fit for the outbox row and the
// audit trail ("command exited with status 1", "SMTP RCPT TO refused: 550"):
// never the command's output or the server's text verbatim beyond its code.
//
// Thread safety: deliver() may be called from one thread at a time.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "core/service.h"
#include "store/records.h"

namespace core::notifications {

// The message as handed to a transport.
struct Envelope {
  std::string from;  // NotificationDelivery.from
  store::NotificationRecord message;
  common::TimePoint date;  // for the Date: header
};

class Notifier {
 public:
  virtual ~Notifier() = default;
  virtual common::Result<void> deliver(const Envelope& envelope) = 0;
};

// Runs argv (no shell) with the message as RFC 5322 text (LF line endings)
// on stdin; success is exit status 0 within `timeout` (then the process
// group is killed). stdout and stderr go to /dev/null.
std::unique_ptr<Notifier> command_notifier(std::vector<std::string> argv,
                                           std::chrono::milliseconds timeout =
                                               std::chrono::seconds(30));

// Speaks SMTP (RFC 5321: EHLO, MAIL FROM, RCPT TO, DATA, QUIT) to
// "host:port", plain text; each step must complete within `timeout`.
std::unique_ptr<Notifier> smtp_notifier(std::string relay,
                                        std::chrono::milliseconds timeout =
                                            std::chrono::seconds(30));

// From Config.notifications: the command, else the relay, else none.
std::unique_ptr<Notifier> notifier_for(const NotificationDelivery& delivery);

// Whether `address` may go into an envelope or header: 1..254 bytes, one
// '@' with text either side, printable ASCII without spaces, '<', '>', ','
// or quotes (CR and LF above all: they would inject commands or headers).
bool safe_address(std::string_view address);

// The message as RFC 5322 text: From, To, Subject (RFC 2047 when not
// ASCII), Date, Message-ID, MIME headers, blank line, body. `eol` is "\n"
// for a local command, "\r\n" on the wire. No dot-stuffing here.
std::string rfc5322_text(const Envelope& envelope, std::string_view eol);

}  // namespace core::notifications
