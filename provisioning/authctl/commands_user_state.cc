// user approve | reject | suspend | reactivate | close | unlock | review |
// reset-password: an account's state changes and an administrator's
// interventions, each with the written record the guidance asks for.
#include <CLI/CLI.hpp>
#include <iostream>

#include "authctl/context.h"
#include "authctl/output.h"
#include "authctl/user_view.h"
#include "common/secret.h"
#include "core/service.h"

namespace provisioning::cli {
namespace {

// What one state-changing command sends: the account and the record.
struct RecordOptions {
  std::string username;
  std::string reason;
  std::string note;
  std::string requested_by;
  std::string verified_by;
};

// The record's members that were given (an empty option is left out, so the
// server says which required member is missing).
nlohmann::json record_body(const RecordOptions& options) {
  nlohmann::json body = nlohmann::json::object();
  const std::pair<const char*, const std::string*> members[] = {
      {"reason", &options.reason},
      {"note", &options.note},
      {"requested_by", &options.requested_by},
      {"verified_by", &options.verified_by}};
  for (const auto& [name, value] : members) {
    if (!value->empty()) body[name] = *value;
  }
  return body;
}

int run_action(Context& ctx, const std::string& action, const RecordOptions& options) {
  Reply reply = ctx.call("POST", "/v1/users/" + url_escape(options.username) + "/" + action,
                         record_body(options).dump());
  std::cout << user_outcome(reply.body, options.username);
  return kExitOk;
}

int run_reset_password(Context& ctx, const RecordOptions& options) {
  Reply reply = ctx.call("POST", "/v1/users/" + url_escape(options.username) + "/password-reset",
                         "{}");
  std::string password = text(reply.body, "password");
  wipe_json_strings(reply.body);
  if (password.empty()) fail(kExitTransport, "the server's answer has no password");
  std::cout << "One-time password for " << printable(options.username) << ": "
            << printable(password) << "\n"
            << "It is shown only this once. Every session of the user has ended; the password\n"
            << "must be changed at the next login.\n";
  std::cout.flush();
  common::wipe(password);
  return kExitOk;
}

struct Spec {
  const char* name;
  const char* help;
  bool reason, reason_required, note, note_required, requested;
};

std::vector<std::string> suspension_reasons() {
  std::vector<std::string> reasons;
  for (const char* reason : core::kSuspensionReasons) reasons.emplace_back(reason);
  return reasons;
}

}  // namespace

void add_user_state_commands(CLI::App& user, Context& ctx) {
  const Spec specs[] = {
      {"approve",
       "Approve a nominated account (-> active). Refused, naming each one, while a\n"
       "condition of access is unmet.",
       false, false, false, false, false},
      {"reject", "Reject a nominated account (-> rejected), with a reason", true, true, false,
       false, false},
      {"suspend",
       "Suspend an active account at once: every session ends, login is refused and the\n"
       "staff manager is notified. Needs a reason from the guidance's list and a note;\n"
       "--verified-by is required when --requested-by names someone else.",
       true, true, true, true, true},
      {"reactivate",
       "Reactivate a suspended account, with a note. Refused while a condition of access\n"
       "is unmet; after token_lost a new token must be active, after password_compromised\n"
       "the password must have been reset.",
       false, false, true, true, true},
      {"close",
       "Close an account for good: sessions end, every token is revoked and marked for\n"
       "return; the record is kept.",
       true, false, true, true, false},
      {"unlock", "Clear a lockout after too many failed logins", false, false, false, false,
       false},
      {"review", "Clear the access-review flag after reviewing a role or job change", false,
       false, true, true, false},
  };
  for (const Spec& spec : specs) {
    auto options = std::make_shared<RecordOptions>();
    CLI::App* command = user.add_subcommand(spec.name, spec.help);
    command->add_option("username", options->username, "The account")->required();
    if (spec.reason) {
      CLI::Option* reason = command->add_option("--reason", options->reason,
                                                std::string(spec.name) == "suspend"
                                                    ? "Why (one of the guidance's reasons)"
                                                    : "Why (free text)");
      if (std::string(spec.name) == "suspend") reason->check(CLI::IsMember(suspension_reasons()));
      if (spec.reason_required) reason->required();
    }
    if (spec.note) {
      CLI::Option* note = command->add_option("--note", options->note, "The written record");
      if (spec.note_required) note->required();
    }
    if (spec.requested) {
      command->add_option("--requested-by", options->requested_by,
                          "Who asked for it, when not you");
      command->add_option("--verified-by", options->verified_by,
                          "How, or by whom, a request from someone else was verified");
    }
    const std::string action = spec.name;
    command->callback([&ctx, options, action] {
      ctx.action = [&ctx, options, action] { return run_action(ctx, action, *options); };
    });
  }

  auto reset_options = std::make_shared<RecordOptions>();
  CLI::App* reset = user.add_subcommand(
      "reset-password",
      "Set a generated one-time password (shown once) and end the user's sessions; it must\n"
      "be changed at the next login");
  reset->add_option("username", reset_options->username, "The account")->required();
  reset->callback([&ctx, reset_options] {
    ctx.action = [&ctx, reset_options] { return run_reset_password(ctx, *reset_options); };
  });
}

}  // namespace provisioning::cli
