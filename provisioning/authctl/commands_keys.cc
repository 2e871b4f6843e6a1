// keys list, keys rotate: the key registry kept by the server, over the API.
#include <CLI/CLI.hpp>
#include <iostream>

#include "authctl/context.h"
#include "authctl/output.h"

namespace provisioning::cli {
namespace {

std::string or_dash(const nlohmann::json& object, const char* key) {
  const std::string value = text(object, key);
  return value.empty() ? "-" : value;
}

int run_list(Context& ctx) {
  Reply reply = ctx.call("GET", "/v1/keys");
  if (!reply.body.contains("keys") || !reply.body["keys"].is_array()) {
    fail(kExitTransport, "the server's key answer has no keys");
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& key : reply.body["keys"]) {
    rows.push_back(
        {or_dash(key, "purpose"), or_dash(key, "key_id"),
         key.contains("retired_at") && !key["retired_at"].is_null() ? "retired" : "current",
         or_dash(key, "created_at"), or_dash(key, "retired_at"), or_dash(key, "uri")});
  }
  std::cout << format_table({"PURPOSE", "KEY ID", "STATE", "CREATED", "RETIRED", "URI"}, rows);
  return kExitOk;
}

int run_rotate(Context& ctx, const std::string& purpose) {
  Reply reply = ctx.call("POST", "/v1/keys/" + url_escape(purpose) + "/rotate", "{}");
  std::cout << "New " << printable(purpose) << " key " << printable(or_dash(reply.body, "key_id"))
            << " is current (" << printable(or_dash(reply.body, "uri")) << ").\n";
  if (purpose == "audit") {
    std::cout << "Copy the new public key from the data directory's keys/ to wherever the "
                 "trail is verified.\n";
  }
  return kExitOk;
}

}  // namespace

void add_key_commands(CLI::App& app, Context& ctx) {
  CLI::App* keys = app.add_subcommand("keys", "List and rotate the keys authd keeps in its HSM");
  keys->require_subcommand(1);

  CLI::App* list = keys->add_subcommand(
      "list", "List every key, current and retired, with its purpose, id and validity");
  list->callback([&ctx] { ctx.action = [&ctx] { return run_list(ctx); }; });

  auto purpose = std::make_shared<std::string>();
  CLI::App* rotate = keys->add_subcommand(
      "rotate",
      "Create a new key for PURPOSE in the token and make it current; the old one is retired\n"
      "and kept (old checkpoints and assertions keep verifying). audit: the old key signs a\n"
      "last checkpoint first. wrap: every TOTP secret is re-wrapped while logins go on");
  rotate->add_option("purpose", *purpose, "audit, assertion or wrap")
      ->required()
      ->check(CLI::IsMember({"audit", "assertion", "wrap"}));
  rotate->callback(
      [&ctx, purpose] { ctx.action = [&ctx, purpose] { return run_rotate(ctx, *purpose); }; });
}

}  // namespace provisioning::cli
