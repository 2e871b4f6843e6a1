// token issue, token activate.
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
  bool json = false;
};

struct ActivateOptions {
  std::string token_id;
  std::string otp;
};

int run_issue(Context& ctx, const IssueOptions& options) {
  nlohmann::json request = {{"type", options.type}};
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
    std::cout << "Issued " << printable(options.type) << " token " << printable(token_id) << " for "
              << printable(options.username) << ".\n"
              << "Scan the QR code with the authenticator app, or enter the URI by hand:\n\n";
    if (qr) {
      std::cout << qr.value() << "\n";
      common::wipe(qr.value());  // the picture encodes the secret too
    } else {
      std::cerr << "authctl: cannot draw the QR code: " << qr.error().message << "\n";
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

}  // namespace

void add_token_commands(CLI::App& app, Context& ctx) {
  CLI::App* token = app.add_subcommand("token", "Issue and activate second-factor tokens");
  token->require_subcommand(1);

  auto issue_options = std::make_shared<IssueOptions>();
  CLI::App* issue = token->add_subcommand(
      "issue",
      "Issue a token to a user and show its enrolment secret (otpauth URI and QR code) once");
  issue->add_option("--type", issue_options->type, "Token type")
      ->check(CLI::IsMember({"totp"}))
      ->capture_default_str();
  issue->add_option("username", issue_options->username, "The token's holder")->required();
  issue->add_flag("--json", issue_options->json,
                  "Print {\"token_id\", \"otpauth_uri\"} as JSON instead");
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
}

}  // namespace provisioning::cli
