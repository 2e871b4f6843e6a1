// login, password, logout, whoami: the caller's own session.
#include <CLI/CLI.hpp>
#include <iostream>

#include "authctl/context.h"
#include "authctl/output.h"
#include "common/secret.h"

namespace provisioning::cli {
namespace {

struct LoginOptions {
  std::string username;
};

struct ShowOptions {
  bool json = false;
};

// Ends a session this login replaces, so it does not linger until expiry.
// Failure is harmless: the old session times out on its own.
void end_replaced_session(Context& ctx, const std::optional<SavedSession>& old) {
  if (!old || old->server != ctx.server_url()) return;
  try {
    (void)ctx.send("POST", "/v1/logout", "{}", /*authenticated=*/true);
  } catch (const CommandError&) {
  }
}

int run_login(Context& ctx, const LoginOptions& options) {
  std::string username = options.username.empty() ? ask_line(ctx, "Username") : options.username;
  std::string password = ask_secret(ctx, "Password");
  std::string otp = ask_line(ctx, "TOTP code");
  nlohmann::json request = {{"username", username}, {"password", password}, {"otp", otp}};
  common::wipe(password);
  common::wipe(otp);
  // A damaged or unsafe old file is simply replaced below.
  std::optional<SavedSession> old;
  try {
    old = ctx.saved_session();
  } catch (const CommandError&) {
  }
  Reply reply = ctx.call("POST", "/v1/login", dump_and_wipe(request), /*authenticated=*/false);

  SavedSession session;
  session.server = ctx.server_url();
  session.username = username;
  session.token = text(reply.body, "session");
  session.expires_at = text(reply.body, "expires_at");
  if (reply.body.contains("session") && reply.body["session"].is_string()) {
    common::wipe(reply.body["session"].get_ref<std::string&>());
  }
  if (session.token.empty()) fail(kExitTransport, "the server's login answer has no session");

  auto saved = save_session(ctx.session_path(), session);
  if (!saved) fail(kExitUsage, "logged in, but " + saved.error().message);
  end_replaced_session(ctx, old);

  std::cout << "Logged in to " << session.server << " as " << printable(username) << ".\n"
            << "The session expires at " << printable(session.expires_at);
  if (reply.body.contains("idle_timeout_s") && reply.body["idle_timeout_s"].is_number()) {
    std::cout << ", or after " << reply.body["idle_timeout_s"].get<int64_t>() << " s without use";
  }
  std::cout << ".\n";
  if (reply.body.value("must_change_password", false)) {
    std::cout << "Your password must be changed before anything else: run `authctl password`.\n";
  }
  return kExitOk;
}

int run_password(Context& ctx) {
  (void)ctx.require_session();
  std::string current = ask_secret(ctx, "Current password");
  std::string fresh = ask_secret(ctx, "New password");
  std::string again = ask_secret(ctx, "Repeat new password");
  const bool same = common::constant_time_equal(fresh, again);
  common::wipe(again);
  if (!same) {
    common::wipe(current);
    common::wipe(fresh);
    fail(kExitUsage, "the new passwords do not match; nothing was changed");
  }
  nlohmann::json request = {{"current_password", current}, {"new_password", fresh}};
  common::wipe(current);
  common::wipe(fresh);
  ctx.call("POST", "/v1/password", dump_and_wipe(request));
  std::cout << "Password changed.\n";
  return kExitOk;
}

int run_logout(Context& ctx) {
  const SavedSession& session = ctx.require_session();
  Reply reply = ctx.send("POST", "/v1/logout", "{}", /*authenticated=*/true);
  const bool already_ended = reply.status == 401;
  if (!already_ended && (reply.status < 200 || reply.status >= 300)) {
    fail(kExitRefused, describe_refusal(reply));
  }
  auto removed = remove_session(ctx.session_path());
  if (!removed) fail(kExitUsage, removed.error().message);
  std::cout << (already_ended ? "The session had already ended; " : "Logged out; ")
            << "removed the saved session of " << printable(session.username) << ".\n";
  return kExitOk;
}

std::string roles_text(const nlohmann::json& roles) {
  std::string out;
  if (!roles.is_array()) return out;
  for (const auto& role : roles) {
    if (!role.is_string()) continue;
    if (!out.empty()) out += ", ";
    out += role.get<std::string>();
  }
  return out;
}

int run_whoami(Context& ctx, const ShowOptions& options) {
  Reply reply = ctx.call("GET", "/v1/session");
  if (options.json) {
    std::cout << reply.body.dump() << "\n";
    return kExitOk;
  }
  std::cout << format_fields({{"username", text(reply.body, "username")},
                              {"display name", text(reply.body, "display_name")},
                              {"organisation", text(reply.body, "organisation")},
                              {"roles", roles_text(reply.body.value("roles", nlohmann::json()))},
                              {"route", text(reply.body, "route", "-")},
                              {"logged in at", text(reply.body, "created_at")},
                              {"expires at", text(reply.body, "expires_at")},
                              {"idle expiry", text(reply.body, "idle_expires_at")},
                              {"server", ctx.server_url()}});
  return kExitOk;
}

}  // namespace

void add_session_commands(CLI::App& app, Context& ctx) {
  auto login_options = std::make_shared<LoginOptions>();
  CLI::App* login = app.add_subcommand(
      "login",
      "Log in with username, password and TOTP code, and save the session.\n"
      "Prompts for what is not given; from a non-terminal stdin it reads the username\n"
      "(unless --username), the password and the code, one line each.");
  login->add_option("--username,-u", login_options->username, "Account to log in as");
  login->callback([&ctx, login_options] {
    ctx.action = [&ctx, login_options] { return run_login(ctx, *login_options); };
  });

  CLI::App* password = app.add_subcommand(
      "password",
      "Change your password (required after an administrator set it).\n"
      "Prompts for the current password and the new one twice; from a non-terminal\n"
      "stdin it reads those three lines.");
  password->callback([&ctx] { ctx.action = [&ctx] { return run_password(ctx); }; });

  CLI::App* logout = app.add_subcommand("logout", "End the session and remove the session file");
  logout->callback([&ctx] { ctx.action = [&ctx] { return run_logout(ctx); }; });

  auto show_options = std::make_shared<ShowOptions>();
  CLI::App* whoami = app.add_subcommand("whoami", "Show who the saved session belongs to");
  whoami->add_flag("--json", show_options->json, "Print the server's JSON answer");
  whoami->callback([&ctx, show_options] {
    ctx.action = [&ctx, show_options] { return run_whoami(ctx, *show_options); };
  });
}

}  // namespace provisioning::cli
