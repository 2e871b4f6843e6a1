// authctl: the administrator's command line client of authd's HTTPS API.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "authctl/context.h"

namespace {

using namespace provisioning::cli;

constexpr const char* kFooter =
    "Exit status: 0 success; 1 refused by the server (its error code and message are\n"
    "shown), or audit trail broken (with verify --strict also: not fully signed);\n"
    "2 usage or local error (bad arguments, not logged in, unsafe session file,\n"
    "unreadable key or export file); 3 the server could not be reached (network, TLS, "
    "certificate).\n"
    "Prompts read from the terminal without echoing secrets; when stdin is not a terminal,\n"
    "each prompt reads one line from it instead. The session file is kept with mode 0600\n"
    "and refused if others may read it.";

std::string failure_message(const CLI::App* app, const CLI::Error& error) {
  std::string message = std::string("authctl: ") + error.what();
  // "A subcommand is required" alone hides the typo that caused it.
  const std::vector<std::string> unknown = app->remaining(/*recurse=*/true);
  if (!unknown.empty() && dynamic_cast<const CLI::ExtrasError*>(&error) == nullptr) {
    message += " (not understood:";
    for (const auto& word : unknown) message += " " + word;
    message += ")";
  }
  return message + "\nRun with --help for more information.\n";
}

}  // namespace

int main(int argc, char** argv) {
  Context ctx;
  CLI::App app(
      "authctl: administer authd (accounts and their lifecycle, organisations, tokens, "
      "reports, audit, keys) over HTTPS",
      "authctl");
  app.footer(kFooter);
  app.failure_message(failure_message);
  app.require_subcommand(1);
  app.fallthrough();  // global options may also follow the subcommand

  app.add_option("--server", ctx.options.server,
                 "authd's URL (default: the saved session's server, else https://127.0.0.1:8443)")
      ->envname("AUTHCTL_SERVER");
  app.add_option("--cacert", ctx.options.cacert,
                 "PEM file of CA certificates to trust (default: the system's store)")
      ->envname("AUTHCTL_CACERT");
  app.add_option("--session-file", ctx.options.session_file,
                 "Where the session is kept (default: $XDG_CONFIG_HOME/authctl/session or "
                 "~/.config/authctl/session)");

  add_session_commands(app, ctx);
  add_user_commands(app, ctx);
  add_org_commands(app, ctx);
  add_token_commands(app, ctx);
  add_audit_commands(app, ctx);
  add_key_commands(app, ctx);
  add_oversight_commands(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);  // prints help, or the message on stderr
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (!ctx.action) {
    std::cerr << "authctl: no command given\nRun with --help for more information.\n";
    return kExitUsage;
  }
  try {
    return ctx.action();
  } catch (const CommandError& error) {
    std::cout.flush();
    std::cerr << "authctl: " << error.message << "\n";
    return error.exit_code;
  } catch (const std::exception& error) {
    std::cerr << "authctl: unexpected failure: " << error.what() << "\n";
    return kExitTransport;
  }
}
