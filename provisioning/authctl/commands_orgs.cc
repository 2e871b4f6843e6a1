// org add, org list, and a partner's own user account administration rights:
// org grant-admin | suspend-admin | revoke-admin.
#include <CLI/CLI.hpp>
#include <iostream>

#include "authctl/context.h"
#include "authctl/output.h"

namespace provisioning::cli {
namespace {

struct AddOptions {
  std::string id;
  std::string name;
  std::string kind;
  std::string parent;
};

struct ListOptions {
  bool json = false;
};

struct RightsOptions {
  std::string id;
  std::string reason;
};

int run_add(Context& ctx, const AddOptions& options) {
  nlohmann::json request = {{"id", options.id}, {"name", options.name}, {"kind", options.kind}};
  if (!options.parent.empty()) request["parent"] = options.parent;
  Reply reply = ctx.call("POST", "/v1/organisations", request.dump());
  std::cout << "Created organisation " << printable(text(reply.body, "id", options.id)) << " ("
            << printable(text(reply.body, "name", options.name)) << ", "
            << printable(text(reply.body, "kind", options.kind)) << ").\n";
  return kExitOk;
}

int run_list(Context& ctx, const ListOptions& options) {
  Reply reply = ctx.call("GET", "/v1/organisations");
  if (options.json) {
    std::cout << reply.body.dump() << "\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  if (reply.body.contains("organisations") && reply.body["organisations"].is_array()) {
    for (const auto& org : reply.body["organisations"]) {
      rows.push_back({text(org, "id"), text(org, "name"), text(org, "kind"),
                      text(org, "parent", "-"), text(org, "admin_rights", "-")});
    }
  }
  std::cout << format_table({"ID", "NAME", "KIND", "PARENT", "ADMIN RIGHTS"}, rows);
  return kExitOk;
}

int run_rights(Context& ctx, const std::string& state, const RightsOptions& options) {
  const nlohmann::json request = {{"state", state}, {"reason", options.reason}};
  Reply reply = ctx.call("POST", "/v1/organisations/" + url_escape(options.id) + "/admin-rights",
                         request.dump());
  const std::string rights = text(reply.body, "admin_rights", state);
  std::cout << "Organisation " << printable(text(reply.body, "id", options.id))
            << ": its own user account administration is now " << printable(rights) << ".\n";
  if (rights != "granted") {
    std::cout << "Its local authority's administrators manage its users meanwhile.\n";
  }
  return kExitOk;
}

}  // namespace

void add_org_commands(CLI::App& app, Context& ctx) {
  CLI::App* org = app.add_subcommand("org", "Manage organisations");
  org->require_subcommand(1);

  auto add_options = std::make_shared<AddOptions>();
  CLI::App* add = org->add_subcommand("add", "Create an organisation");
  add->add_option("id", add_options->id, "Organisation id, e.g. LA-002")->required();
  add->add_option("--name", add_options->name, "Its name")->required();
  add->add_option("--kind", add_options->kind, "local_authority, partner or national_partner")
      ->required();
  add->add_option("--parent", add_options->parent, "For a partner: the id of its local authority");
  add->callback([&ctx, add_options] {
    ctx.action = [&ctx, add_options] { return run_add(ctx, *add_options); };
  });

  auto list_options = std::make_shared<ListOptions>();
  CLI::App* list = org->add_subcommand("list", "List organisations");
  list->add_flag("--json", list_options->json, "Print the server's JSON answer");
  list->callback([&ctx, list_options] {
    ctx.action = [&ctx, list_options] { return run_list(ctx, *list_options); };
  });

  struct Rights {
    const char* name;
    const char* state;
    const char* help;
  };
  for (const Rights& rights :
       {Rights{"grant-admin", "granted",
               "Let a partner organisation's own user account administrators act"},
        Rights{"suspend-admin", "suspended",
               "Suspend a partner's own user account administration (its LA takes over)"},
        Rights{"revoke-admin", "removed",
               "Remove a partner's own user account administration (its LA takes over)"}}) {
    auto options = std::make_shared<RightsOptions>();
    CLI::App* command = org->add_subcommand(rights.name, rights.help);
    command->add_option("id", options->id, "The partner organisation's id")->required();
    command->add_option("--reason", options->reason, "Why (the written record)")->required();
    const std::string state = rights.state;
    command->callback([&ctx, options, state] {
      ctx.action = [&ctx, options, state] { return run_rights(ctx, state, *options); };
    });
  }
}

}  // namespace provisioning::cli
