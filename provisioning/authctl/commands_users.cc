// user add, user show.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>

#include "authctl/context.h"
#include "authctl/output.h"
#include "common/secret.h"

namespace provisioning::cli {
namespace {

struct AddOptions {
  std::string username;
  std::string display_name;
  std::string organisation;
  std::vector<std::string> roles;
  std::string password_file;
};

struct ShowOptions {
  std::string username;
  bool json = false;
};

std::string read_password_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(kExitUsage, "cannot read password file '" + path + "'");
  std::string password;
  std::getline(in, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty()) fail(kExitUsage, "password file '" + path + "' has an empty first line");
  return password;
}

std::string initial_password(Context& ctx, const AddOptions& options) {
  if (!options.password_file.empty()) return read_password_file(options.password_file);
  std::string password = ask_secret(ctx, "Initial password");
  std::string again = ask_secret(ctx, "Repeat initial password");
  const bool same = common::constant_time_equal(password, again);
  common::wipe(again);
  if (!same) {
    common::wipe(password);
    fail(kExitUsage, "the passwords do not match; no user was created");
  }
  return password;
}

std::string joined(const nlohmann::json& list) {
  std::string out;
  if (!list.is_array()) return out;
  for (const auto& item : list) {
    if (!item.is_string()) continue;
    if (!out.empty()) out += ", ";
    out += item.get<std::string>();
  }
  return out;
}

int run_add(Context& ctx, const AddOptions& options) {
  (void)ctx.require_session();  // before asking for a password that could not be used
  std::string password = initial_password(ctx, options);
  nlohmann::json request = {{"username", options.username},
                            {"display_name", options.display_name},
                            {"organisation", options.organisation},
                            {"roles", options.roles},
                            {"password", password}};
  common::wipe(password);
  Reply reply = ctx.call("POST", "/v1/users", dump_and_wipe(request));
  std::cout << "Created user " << printable(text(reply.body, "username", options.username))
            << " in " << printable(text(reply.body, "organisation", options.organisation))
            << " with roles " << printable(joined(reply.body.value("roles", nlohmann::json())))
            << ".\nThe password must be changed at first login. Issue a TOTP token with:\n"
            << "  authctl token issue --type totp " << printable(options.username) << "\n";
  return kExitOk;
}

int run_show(Context& ctx, const ShowOptions& options) {
  Reply reply = ctx.call("GET", "/v1/users/" + url_escape(options.username));
  if (options.json) {
    std::cout << reply.body.dump() << "\n";
    return kExitOk;
  }
  const nlohmann::json& user = reply.body;
  std::cout << format_fields(
      {{"username", text(user, "username")},
       {"display name", text(user, "display_name")},
       {"organisation", text(user, "organisation")},
       {"roles", joined(user.value("roles", nlohmann::json()))},
       {"state", text(user, "state")},
       {"must change password", user.value("must_change_password", false) ? "yes" : "no"},
       {"created at", text(user, "created_at")},
       {"last login at", text(user, "last_login_at", "never")}});
  std::vector<std::vector<std::string>> rows;
  if (user.contains("tokens") && user["tokens"].is_array()) {
    for (const auto& token : user["tokens"]) {
      rows.push_back({text(token, "token_id"), text(token, "type"), text(token, "state"),
                      text(token, "issued_at"), text(token, "activated_at", "-")});
    }
  }
  if (rows.empty()) {
    std::cout << "\nNo tokens.\n";
  } else {
    std::cout << "\n" << format_table({"TOKEN", "TYPE", "STATE", "ISSUED", "ACTIVATED"}, rows);
  }
  return kExitOk;
}

}  // namespace

void add_user_commands(CLI::App& app, Context& ctx) {
  CLI::App* user = app.add_subcommand("user", "Manage user accounts");
  user->require_subcommand(1);

  auto add_options = std::make_shared<AddOptions>();
  CLI::App* add = user->add_subcommand(
      "add",
      "Create a user with an initial password that must be changed at first login.\n"
      "Without --password-file it prompts twice; from a non-terminal stdin it reads\n"
      "the password and its repetition, one line each.");
  add->add_option("username", add_options->username, "The new account's username")->required();
  add->add_option("--display-name", add_options->display_name, "Name shown to people")->required();
  add->add_option("--org", add_options->organisation, "Organisation id, e.g. LA-001")->required();
  add->add_option("--role", add_options->roles, "A role to grant (repeat for several)")
      ->required()
      ->allow_extra_args(false);  // `--role a bob`: bob is the username, not a role
  add->add_option("--password-file", add_options->password_file,
                  "Read the initial password from the first line of this file");
  add->callback([&ctx, add_options] {
    ctx.action = [&ctx, add_options] { return run_add(ctx, *add_options); };
  });

  auto show_options = std::make_shared<ShowOptions>();
  CLI::App* show = user->add_subcommand("show", "Show a user and their tokens");
  show->add_option("username", show_options->username, "The account to show")->required();
  show->add_flag("--json", show_options->json, "Print the server's JSON answer");
  show->callback([&ctx, show_options] {
    ctx.action = [&ctx, show_options] { return run_show(ctx, *show_options); };
  });
}

}  // namespace provisioning::cli
