// user nominate (alias: add), user show, user update, user conditions: an
// account's details and its conditions of access. The state changes
// (approve, suspend, ...) are in commands_user_state.cc.
#include <CLI/CLI.hpp>
#include <array>
#include <fstream>
#include <iostream>

#include "authctl/context.h"
#include "authctl/output.h"
#include "authctl/user_view.h"
#include "common/secret.h"

namespace provisioning::cli {
namespace {

// The conditions of access, as options: only the ones given are sent.
struct ConditionOptions {
  struct Item {
    const char* flag;
    const char* member;
    const char* help;
    std::string value;
    CLI::Option* option = nullptr;
  };
  std::array<Item, 8> items = {{
      {"--need", "need", "Why the user needs access (free text)", {}},
      {"--accredited-training-on", "accredited_training_on",
       "Date (YYYY-MM-DD) accredited training was completed", {}},
      {"--local-training-on", "local_training_on", "Date (YYYY-MM-DD) of local training", {}},
      {"--vetting-disclosure-on", "vetting_disclosure_on",
       "Issue date (YYYY-MM-DD) of the enhanced vetting disclosure", {}},
      {"--vetting-basis", "vetting_basis",
       "disclosure_seen, or employer_confirmation (with --vetting-confirmed-by/-on)", {}},
      {"--vetting-confirmed-by", "vetting_confirmed_by",
       "Who confirmed the disclosure in writing for the employer", {}},
      {"--vetting-confirmed-on", "vetting_confirmed_on",
       "Date (YYYY-MM-DD) of the employer's written confirmation", {}},
      {"--barring-scheme-ref", "barring_scheme_ref", "Barring-scheme membership reference", {}},
  }};

  void add_to(CLI::App* app) {
    for (Item& item : items) item.option = app->add_option(item.flag, item.value, item.help);
  }
  // {"member": value} for each option given ("" clears a recorded value).
  nlohmann::json given() const {
    nlohmann::json out = nlohmann::json::object();
    for (const Item& item : items) {
      if (item.option != nullptr && item.option->count() > 0) out[item.member] = item.value;
    }
    return out;
  }
};

struct NominateOptions {
  std::string username;
  std::string display_name;
  std::string organisation;
  std::vector<std::string> roles;
  std::string password_file;
  std::string email, job_title, manager_name, manager_email;
  ConditionOptions conditions;
};

struct ShowOptions {
  std::string username;
  bool json = false;
};

struct UpdateOptions {
  std::string username;
  struct Item {
    const char* flag;
    const char* member;
    const char* help;
    std::string value;
    CLI::Option* option = nullptr;
  };
  std::array<Item, 5> items = {{
      {"--display-name", "display_name", "Name shown to people", {}},
      {"--email", "email", "The user's email address (\"\" clears it)", {}},
      {"--job-title", "job_title", "Job title (a change needs an access review)", {}},
      {"--manager-name", "manager_name", "The staff manager, told of suspensions", {}},
      {"--manager-email", "manager_email", "The staff manager's email address", {}},
  }};
  std::vector<std::string> roles;
  CLI::Option* roles_option = nullptr;
};

struct ConditionsOptions {
  std::string username;
  ConditionOptions conditions;
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

std::string initial_password(Context& ctx, const NominateOptions& options) {
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

int run_nominate(Context& ctx, const NominateOptions& options) {
  (void)ctx.require_session();  // before asking for a password that could not be used
  std::string password = initial_password(ctx, options);
  nlohmann::json request = {{"username", options.username},
                            {"display_name", options.display_name},
                            {"organisation", options.organisation},
                            {"roles", options.roles},
                            {"password", password}};
  common::wipe(password);
  const std::pair<const char*, const std::string*> details[] = {
      {"email", &options.email},
      {"job_title", &options.job_title},
      {"manager_name", &options.manager_name},
      {"manager_email", &options.manager_email}};
  for (const auto& [member, value] : details) {
    if (!value->empty()) request[member] = *value;
  }
  nlohmann::json conditions = options.conditions.given();
  if (!conditions.empty()) request["conditions"] = std::move(conditions);
  Reply reply = ctx.call("POST", "/v1/users", dump_and_wipe(request));
  const std::string username = printable(text(reply.body, "username", options.username));
  std::cout << "Created user " << username << " in "
            << printable(text(reply.body, "organisation", options.organisation)) << " with roles "
            << printable(joined(reply.body.value("roles", nlohmann::json()))) << " (state "
            << printable(text(reply.body, "state", "nominated")) << ").\n"
            << "It can hold a token and log in once approved:\n"
            << "  authctl user approve " << username << "\n"
            << "The password must be changed at first login. Then issue a TOTP token with:\n"
            << "  authctl token issue --type totp " << username << "\n";
  return kExitOk;
}

int run_show(Context& ctx, const ShowOptions& options) {
  Reply reply = ctx.call("GET", "/v1/users/" + url_escape(options.username));
  if (options.json) {
    std::cout << reply.body.dump() << "\n";
    return kExitOk;
  }
  std::cout << describe_user(reply.body);
  return kExitOk;
}

int run_update(Context& ctx, const UpdateOptions& options) {
  nlohmann::json request = nlohmann::json::object();
  for (const auto& item : options.items) {
    if (item.option->count() > 0) request[item.member] = item.value;
  }
  if (options.roles_option->count() > 0) request["roles"] = options.roles;
  if (request.empty()) fail(kExitUsage, "nothing to change: give at least one option");
  Reply reply =
      ctx.call("PATCH", "/v1/users/" + url_escape(options.username), request.dump());
  std::cout << "Updated user " << printable(text(reply.body, "username", options.username))
            << ".\n";
  if (reply.body.value("access_review_required", false)) {
    std::cout << "Its access review is pending (clear it with `authctl user review "
              << printable(options.username) << " --note ...`).\n";
  }
  return kExitOk;
}

int run_conditions(Context& ctx, const ConditionsOptions& options) {
  const nlohmann::json request = options.conditions.given();
  if (request.empty()) fail(kExitUsage, "nothing to record: give at least one condition option");
  Reply reply = ctx.call("POST", "/v1/users/" + url_escape(options.username) + "/conditions",
                         request.dump());
  std::cout << "Recorded conditions of access for "
            << printable(text(reply.body, "username", options.username)) << " (state "
            << printable(text(reply.body, "state", "?")) << ").\n";
  return kExitOk;
}

}  // namespace

void add_user_commands(CLI::App& app, Context& ctx) {
  CLI::App* user = app.add_subcommand("user", "Manage user accounts and their lifecycle");
  user->require_subcommand(1);

  auto nominate_options = std::make_shared<NominateOptions>();
  CLI::App* nominate = user->add_subcommand(
      "nominate",
      "Nominate a user (state nominated) with an initial password that must be changed at\n"
      "first login, and any evidence for the conditions of access already to hand.\n"
      "The account can log in and hold a token once approved (`authctl user approve`).\n"
      "Without --password-file it prompts twice; from a non-terminal stdin it reads\n"
      "the password and its repetition, one line each.");
  nominate->alias("add");
  nominate->add_option("username", nominate_options->username, "The new account's username")
      ->required();
  nominate->add_option("--display-name", nominate_options->display_name, "Name shown to people")
      ->required();
  nominate->add_option("--org", nominate_options->organisation, "Organisation id, e.g. LA-001")
      ->required();
  nominate->add_option("--role", nominate_options->roles, "A role to grant (repeat for several)")
      ->required()
      ->allow_extra_args(false);  // `--role a bob`: bob is the username, not a role
  nominate->add_option("--password-file", nominate_options->password_file,
                       "Read the initial password from the first line of this file");
  nominate->add_option("--email", nominate_options->email, "The user's email address");
  nominate->add_option("--job-title", nominate_options->job_title, "The user's job title");
  nominate->add_option("--manager-name", nominate_options->manager_name,
                       "The staff manager, told of every suspension");
  nominate->add_option("--manager-email", nominate_options->manager_email,
                       "The staff manager's email address");
  nominate_options->conditions.add_to(nominate);
  nominate->callback([&ctx, nominate_options] {
    ctx.action = [&ctx, nominate_options] { return run_nominate(ctx, *nominate_options); };
  });

  auto show_options = std::make_shared<ShowOptions>();
  CLI::App* show = user->add_subcommand(
      "show", "Show a user: details, state, conditions of access, last change and tokens");
  show->add_option("username", show_options->username, "The account to show")->required();
  show->add_flag("--json", show_options->json, "Print the server's JSON answer");
  show->callback([&ctx, show_options] {
    ctx.action = [&ctx, show_options] { return run_show(ctx, *show_options); };
  });

  auto update_options = std::make_shared<UpdateOptions>();
  CLI::App* update = user->add_subcommand(
      "update",
      "Change an account's details; only the options given change. A change of roles or\n"
      "job title raises the access-review flag (`authctl user review`).");
  update->add_option("username", update_options->username, "The account")->required();
  for (auto& item : update_options->items) {
    item.option = update->add_option(item.flag, item.value, item.help);
  }
  update_options->roles_option =
      update
          ->add_option("--role", update_options->roles,
                       "The roles it should hold (repeat for several; replaces them all)")
          ->allow_extra_args(false);
  update->callback([&ctx, update_options] {
    ctx.action = [&ctx, update_options] { return run_update(ctx, *update_options); };
  });

  auto conditions_options = std::make_shared<ConditionsOptions>();
  CLI::App* conditions = user->add_subcommand(
      "conditions",
      "Record evidence for the conditions of access; only the options given change (\"\"\n"
      "clears one). A new vetting disclosure date restarts the expiry warnings.");
  conditions->add_option("username", conditions_options->username, "The account")->required();
  conditions_options->conditions.add_to(conditions);
  conditions->callback([&ctx, conditions_options] {
    ctx.action = [&ctx, conditions_options] { return run_conditions(ctx, *conditions_options); };
  });

  add_user_state_commands(*user, ctx);
}

}  // namespace provisioning::cli
