// sweep, report dormant | tokens | pending | reviews, notifications list: the
// automatic rules on demand and what administrators keep an eye on.
#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>

#include "authctl/context.h"
#include "authctl/output.h"

namespace provisioning::cli {
namespace {

struct ReportOptions {
  std::string name;
  bool json = false;
};

struct NotificationOptions {
  std::optional<int64_t> after;
  std::optional<int> limit;
  bool json = false;
};

std::string cell(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return "-";
  if (it->is_string()) return it->get<std::string>().empty() ? "-" : it->get<std::string>();
  return it->dump();
}

int run_sweep(Context& ctx, bool json) {
  Reply reply = ctx.call("POST", "/v1/sweep", "{}");
  if (json) {
    std::cout << reply.body.dump() << "\n";
    return kExitOk;
  }
  const std::pair<const char*, const char*> parts[] = {
      {"suspended_vetting_expired", "suspended (vetting disclosure expired)"},
      {"suspended_dormant", "suspended (no login for too long)"},
      {"warned_vetting", "warned of vetting expiry (user:days)"},
      {"pending_too_long", "awaiting approval too long"},
      {"expired_temporary_tokens", "temporary tokens expired and revoked"}};
  std::vector<std::vector<std::string>> rows;
  for (const auto& [key, label] : parts) {
    const nlohmann::json list = reply.body.value(key, nlohmann::json::array());
    std::string names;
    for (const auto& item : list) {
      if (!item.is_string()) continue;
      names += (names.empty() ? "" : ", ") + item.get<std::string>();
    }
    rows.push_back({label, std::to_string(list.is_array() ? list.size() : 0),
                    names.empty() ? "-" : names});
  }
  std::cout << "Sweep done.\n" << format_table({"RULE", "COUNT", "WHO"}, rows);
  return kExitOk;
}

int run_report(Context& ctx, const ReportOptions& options) {
  Reply reply = ctx.call("GET", "/v1/reports/" + url_escape(options.name));
  if (options.json) {
    std::cout << reply.body.dump() << "\n";
    return kExitOk;
  }
  const nlohmann::json accounts = reply.body.value("accounts", nlohmann::json::array());
  const nlohmann::json tokens = reply.body.value("tokens", nlohmann::json::array());
  if (options.name == "tokens" || (!tokens.empty() && accounts.empty())) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& row : tokens) {
      rows.push_back({cell(row, "token_id"), cell(row, "username"), cell(row, "organisation"),
                      cell(row, "type"), cell(row, "state"), cell(row, "custody"),
                      cell(row, "since")});
    }
    std::cout << format_table({"TOKEN", "USER", "ORGANISATION", "TYPE", "STATE", "CUSTODY", "SINCE"},
                              rows);
  }
  if (options.name != "tokens" || !accounts.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& row : accounts) {
      rows.push_back({cell(row, "username"), cell(row, "organisation"), cell(row, "state"),
                      cell(row, "last_login_at"), cell(row, "since"), cell(row, "detail")});
    }
    std::cout << format_table({"USER", "ORGANISATION", "STATE", "LAST LOGIN", "SINCE", "DETAIL"},
                              rows);
  }
  if (accounts.empty() && tokens.empty()) std::cerr << "nothing to report\n";
  return kExitOk;
}

int run_notifications(Context& ctx, const NotificationOptions& options) {
  std::string query;
  if (options.after) query += "after=" + std::to_string(*options.after);
  if (options.limit) {
    query += (query.empty() ? "" : "&") + ("limit=" + std::to_string(*options.limit));
  }
  Reply reply = ctx.call("GET", "/v1/notifications" + (query.empty() ? "" : "?" + query));
  if (!reply.body.contains("notifications") || !reply.body["notifications"].is_array()) {
    fail(kExitTransport, "the server's answer has no notifications");
  }
  const nlohmann::json& list = reply.body["notifications"];
  if (options.json) {
    for (const auto& item : list) std::cout << item.dump() << "\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& item : list) {
    rows.push_back({cell(item, "id"), cell(item, "created_at"), cell(item, "kind"),
                    cell(item, "about"), cell(item, "recipient"), cell(item, "state"),
                    cell(item, "attempts"), cell(item, "last_error")});
  }
  std::cout << format_table(
      {"ID", "CREATED", "KIND", "ABOUT", "RECIPIENT", "STATE", "ATTEMPTS", "LAST ERROR"}, rows);
  if (!list.empty() && reply.body.contains("next_after")) {
    std::cerr << "next page: authctl notifications list --after " << cell(reply.body, "next_after")
              << "\n";
  }
  return kExitOk;
}

}  // namespace

void add_oversight_commands(CLI::App& app, Context& ctx) {
  auto sweep_json = std::make_shared<bool>(false);
  CLI::App* sweep = app.add_subcommand(
      "sweep",
      "Run the automatic rules now (as the scheduler does): vetting warnings and expiry,\n"
      "dormant accounts, nominations awaiting approval, expired temporary tokens");
  sweep->add_flag("--json", *sweep_json, "Print the server's JSON answer");
  sweep->callback([&ctx, sweep_json] {
    ctx.action = [&ctx, sweep_json] { return run_sweep(ctx, *sweep_json); };
  });

  CLI::App* report = app.add_subcommand("report", "Administrators' reports");
  report->require_subcommand(1);
  struct Named {
    const char* name;
    const char* help;
  };
  for (const Named& named :
       {Named{"dormant", "Active accounts without a login for too long, and those suspended as "
                         "dormant"},
        Named{"tokens", "Lost tokens and hardware awaiting return"},
        Named{"pending", "Nominations awaiting approval for too long"},
        Named{"reviews", "Accounts whose access review is pending"}}) {
    auto options = std::make_shared<ReportOptions>();
    options->name = named.name;
    CLI::App* command = report->add_subcommand(named.name, named.help);
    command->add_flag("--json", options->json, "Print the server's JSON answer");
    command->callback([&ctx, options] {
      ctx.action = [&ctx, options] { return run_report(ctx, *options); };
    });
  }

  CLI::App* notifications = app.add_subcommand("notifications", "The notifications outbox");
  notifications->require_subcommand(1);
  auto list_options = std::make_shared<NotificationOptions>();
  CLI::App* list = notifications->add_subcommand(
      "list", "Messages to staff managers and users, delivered or waiting, oldest first");
  list->add_option("--after", list_options->after, "Only messages with an id above this")
      ->check(CLI::NonNegativeNumber);
  list->add_option("--limit", list_options->limit, "At most this many (1..1000)")
      ->check(CLI::Range(1, 1000));
  list->add_flag("--json", list_options->json, "Print one JSON object per line");
  list->callback([&ctx, list_options] {
    ctx.action = [&ctx, list_options] { return run_notifications(ctx, *list_options); };
  });
}

}  // namespace provisioning::cli
