// token issue [--temporary], token activate, and a token's life after that:
// token lost | revoke | return | resync.
#include <CLI/CLI.hpp>
#include <iostream>

#include "authctl/context.h"
#include "authctl/output.h"
#include "common/secret.h"
#include "tokens/qr.h"

namespace provisioning::cli {
namespace {

struct IssueOptions {
  std::string type = "totp";
  std::string username;
  bool temporary = false;
  bool json = false;
};

struct ChangeOptions {
  std::string token_id;
  std::string note;
};

struct ResyncOptions {
  std::string token_id;
  std::string first_code;
  std::string second_code;
};

struct ActivateOptions {
  std::string token_id;
  std::string otp;
};

// A security key: the enrolment code is shown once; the holder registers the
// key in the browser (authd's /ui/register-key.html) with it.
int run_issue_key(Context& ctx, const IssueOptions& options) {
  if (options.temporary) fail(kExitUsage, "security keys have no temporary form; use --type totp");
  Reply reply = ctx.call("POST", "/v1/users/" + url_escape(options.username) + "/tokens",
                         nlohmann::json{{"type", "fido2"}}.dump());
  const std::string token_id = text(reply.body, "token_id");
  const std::string expires = text(reply.body, "enrolment_expires_at");
  std::string code = text(reply.body, "enrolment_code");
  wipe_json_strings(reply.body);
  if (token_id.empty() || code.empty()) {
    fail(kExitTransport, "the server's answer has no token id or enrolment code");
  }
  if (options.json) {
    nlohmann::json out = {
        {"token_id", token_id}, {"enrolment_code", code}, {"enrolment_expires_at", expires}};
    std::cout << dump_and_wipe(out) << "\n";
  } else {
    std::cout << "Issued security key " << printable(token_id) << " for "
              << printable(options.username) << ".\n"
              << "Enrolment code (shown only this once; valid until " << printable(expires)
              << "):\n\n  " << printable(code) << "\n\n"
              << "Give it to the holder by a separate channel. They register the key at\n"
              << "/ui/register-key.html, logged in or with their password and this code.\n";
  }
  std::cout.flush();
  common::wipe(code);
  return kExitOk;
}

int run_issue(Context& ctx, const IssueOptions& options) {
  if (options.type == "fido2") return run_issue_key(ctx, options);
  nlohmann::json request = {{"type", options.type}};
  if (options.temporary) request["temporary"] = true;
  Reply reply =
      ctx.call("POST", "/v1/users/" + url_escape(options.username) + "/tokens", request.dump());
  const std::string token_id = text(reply.body, "token_id");
  std::string uri = text(reply.body, "otpauth_uri");
  wipe_json_strings(reply.body);
  if (token_id.empty() || uri.empty()) {
    fail(kExitTransport, "the server's answer has no token id or otpauth URI");
  }

  if (options.json) {
    nlohmann::json out = {{"token_id", token_id}, {"otpauth_uri", uri}};
    std::cout << dump_and_wipe(out) << "\n";
  } else {
    auto qr = tokens::qr_terminal(uri);
    std::cout << "Issued " << (options.temporary ? "temporary " : "") << printable(options.type)
              << " token " << printable(token_id) << " for "
              << printable(options.username) << ".\n"
              << "Scan the QR code with the authenticator app, or enter the URI by hand:\n\n";
    if (qr) {
      std::cout << qr.value() << "\n";
      common::wipe(qr.value());  // the picture encodes the secret too
    } else {
      std::cerr << "authctl: cannot draw the QR code: " << qr.error().message << "\n";
    }
    if (options.temporary) {
      std::cout << "It replaces a lost token and expires after the policy's lifetime\n"
                   "(its expiry is shown by `authctl user show`).\n";
    }
    std::cout << printable(uri) << "\n\n"
              << "This secret is shown only this once; it cannot be shown again.\n"
              << "Activate the token with a code from the app:\n"
              << "  authctl token activate " << printable(token_id) << "\n";
  }
  std::cout.flush();
  common::wipe(uri);
  return kExitOk;
}

int run_activate(Context& ctx, const ActivateOptions& options) {
  (void)ctx.require_session();
  std::string otp = options.otp.empty() ? ask_line(ctx, "TOTP code") : options.otp;
  nlohmann::json request = {{"otp", otp}};
  common::wipe(otp);
  Reply reply = ctx.call("POST", "/v1/tokens/" + url_escape(options.token_id) + "/activate",
                         dump_and_wipe(request));
  std::cout << "Token " << printable(text(reply.body, "token_id", options.token_id)) << " is "
            << printable(text(reply.body, "state", "active")) << ".\n";
  return kExitOk;
}

// lost, revoke, return: POST /v1/tokens/{id}/<action> with an optional note.
int run_change(Context& ctx, const std::string& action, const ChangeOptions& options) {
  nlohmann::json request = nlohmann::json::object();
  if (!options.note.empty()) request["note"] = options.note;
  Reply reply = ctx.call("POST", "/v1/tokens/" + url_escape(options.token_id) + "/" + action,
                         request.dump());
  std::cout << "Token " << printable(text(reply.body, "token_id", options.token_id)) << " is now "
            << printable(text(reply.body, "state", "?")) << " (custody "
            << printable(text(reply.body, "custody", "?")) << ").\n";
  if (action == "lost") {
    std::cout << "The holder's account is suspended (token_lost). Issue a replacement (or a\n"
                 "temporary token with `authctl token issue --temporary`) before reactivating.\n";
  }
  return kExitOk;
}

int run_resync(Context& ctx, const ResyncOptions& options) {
  (void)ctx.require_session();
  std::string first =
      options.first_code.empty() ? ask_line(ctx, "First TOTP code") : options.first_code;
  std::string second =
      options.second_code.empty() ? ask_line(ctx, "Next TOTP code") : options.second_code;
  nlohmann::json request = {{"first_code", first}, {"second_code", second}};
  common::wipe(first);
  common::wipe(second);
  Reply reply = ctx.call("POST", "/v1/tokens/" + url_escape(options.token_id) + "/resync",
                         dump_and_wipe(request));
  std::cout << "Token " << printable(text(reply.body, "token_id", options.token_id))
            << " is resynchronised.\n";
  return kExitOk;
}

}  // namespace

void add_token_commands(CLI::App& app, Context& ctx) {
  CLI::App* token =
      app.add_subcommand("token", "Issue, activate, revoke and resynchronise second-factor tokens");
  token->require_subcommand(1);

  auto issue_options = std::make_shared<IssueOptions>();
  CLI::App* issue = token->add_subcommand(
      "issue",
      "Issue a token to a user and show its enrolment secret once (TOTP: otpauth URI and QR\n"
      "code; fido2: the one-time code the holder registers their security key with)");
  issue->add_option("--type", issue_options->type, "Token type")
      ->check(CLI::IsMember({"totp", "fido2"}))
      ->capture_default_str();
  issue->add_option("username", issue_options->username, "The token's holder")->required();
  issue->add_flag("--temporary", issue_options->temporary,
                  "A temporary replacement while a lost token is replaced (expires after the\n"
                  "policy's lifecycle.temporary_token_days)");
  issue->add_flag("--json", issue_options->json,
                  "Print {\"token_id\", \"otpauth_uri\"} (fido2: {\"token_id\",\n"
                  "\"enrolment_code\", \"enrolment_expires_at\"}) as JSON instead");
  issue->callback([&ctx, issue_options] {
    ctx.action = [&ctx, issue_options] { return run_issue(ctx, *issue_options); };
  });

  auto activate_options = std::make_shared<ActivateOptions>();
  CLI::App* activate = token->add_subcommand(
      "activate",
      "Activate an issued token with a current code from it (prompted when --otp is not\n"
      "given; from a non-terminal stdin, one line)");
  activate->add_option("token_id", activate_options->token_id, "The token's id")->required();
  activate->add_option("--otp", activate_options->otp, "A current code from the token");
  activate->callback([&ctx, activate_options] {
    ctx.action = [&ctx, activate_options] { return run_activate(ctx, *activate_options); };
  });

  struct Change {
    const char* name;
    const char* help;
  };
  for (const Change& change :
       {Change{"lost",
               "Report a token lost (by its holder, or an administrator on their behalf): it\n"
               "stops working and the holder's account is suspended at once"},
        Change{"revoke", "Revoke a token for good: it never authenticates again"},
        Change{"return", "Record that a token's hardware came back (custody returned)"}}) {
    auto options = std::make_shared<ChangeOptions>();
    CLI::App* command = token->add_subcommand(change.name, change.help);
    command->add_option("token_id", options->token_id, "The token's id")->required();
    command->add_option("--note", options->note, "The written record");
    const std::string action = change.name;
    command->callback([&ctx, options, action] {
      ctx.action = [&ctx, options, action] { return run_change(ctx, action, *options); };
    });
  }

  auto resync_options = std::make_shared<ResyncOptions>();
  CLI::App* resync = token->add_subcommand(
      "resync",
      "Resynchronise a drifting TOTP token from two consecutive codes shown by it (prompted\n"
      "when not given; from a non-terminal stdin, one line each)");
  resync->add_option("token_id", resync_options->token_id, "The token's id")->required();
  resync->add_option("--first-code", resync_options->first_code, "A code from the token");
  resync->add_option("--second-code", resync_options->second_code, "The code that follows it");
  resync->callback([&ctx, resync_options] {
    ctx.action = [&ctx, resync_options] { return run_resync(ctx, *resync_options); };
  });
}

}  // namespace provisioning::cli
