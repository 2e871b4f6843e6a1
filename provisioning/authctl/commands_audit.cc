// audit list (over the API), audit verify (offline, on the database file).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <optional>

#include "authctl/context.h"
#include "authctl/output.h"
#include "core/service.h"

namespace provisioning::cli {
namespace {

struct ListOptions {
  std::optional<int64_t> after;
  std::optional<int> limit;
  bool json = false;
};

struct VerifyOptions {
  std::string data_dir;
};

std::string scalar(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return "-";
  if (it->is_string()) return it->get<std::string>().empty() ? "-" : it->get<std::string>();
  return it->dump();
}

int run_list(Context& ctx, const ListOptions& options) {
  std::string target = "/v1/audit";
  std::string query;
  if (options.after) query += "after=" + std::to_string(*options.after);
  if (options.limit)
    query += (query.empty() ? "" : "&") + ("limit=" + std::to_string(*options.limit));
  if (!query.empty()) target += "?" + query;

  Reply reply = ctx.call("GET", target);
  if (!reply.body.contains("entries") || !reply.body["entries"].is_array()) {
    fail(kExitTransport, "the server's audit answer has no entries");
  }
  const nlohmann::json& entries = reply.body["entries"];
  if (options.json) {
    for (const auto& entry : entries) std::cout << entry.dump() << "\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& entry : entries) {
    rows.push_back({scalar(entry, "seq"), scalar(entry, "at"), scalar(entry, "actor"),
                    scalar(entry, "subject"), scalar(entry, "action"), scalar(entry, "outcome"),
                    scalar(entry, "reason"), scalar(entry, "source_address")});
  }
  std::cout << format_table(
      {"SEQ", "AT", "ACTOR", "SUBJECT", "ACTION", "OUTCOME", "REASON", "SOURCE"}, rows);
  if (!entries.empty() && reply.body.contains("next_after")) {
    std::cerr << "next page: authctl audit list --after " << scalar(reply.body, "next_after")
              << "\n";
  }
  return kExitOk;
}

int run_verify(const VerifyOptions& options) {
  const std::filesystem::path database = std::filesystem::path(options.data_dir) / "authd.db";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(database, ec)) {
    fail(kExitUsage, "no authd database at " + database.string());
  }
  const core::AuditVerifyReport report = core::verify_audit_trail(database);
  if (report.ok) {
    std::cout << "verified " << report.verified << " entries\n";
    return kExitOk;
  }
  if (report.first_bad_seq) {
    fail(kExitRefused, "audit trail broken at seq " + std::to_string(*report.first_bad_seq) + ": " +
                           report.problem);
  }
  fail(kExitRefused, "audit trail cannot be verified: " + report.problem);
}

}  // namespace

void add_audit_commands(CLI::App& app, Context& ctx) {
  CLI::App* audit = app.add_subcommand("audit", "Read and check the audit trail");
  audit->require_subcommand(1);

  auto list_options = std::make_shared<ListOptions>();
  CLI::App* list = audit->add_subcommand("list", "List audit entries from the server");
  list->add_option("--after", list_options->after, "Only entries with a sequence number above N")
      ->check(CLI::NonNegativeNumber);
  list->add_option("--limit", list_options->limit, "At most N entries")->check(CLI::PositiveNumber);
  list->add_flag("--json", list_options->json, "One JSON object per entry and line");
  list->callback([&ctx, list_options] {
    ctx.action = [&ctx, list_options] { return run_list(ctx, *list_options); };
  });

  auto verify_options = std::make_shared<VerifyOptions>();
  CLI::App* verify = audit->add_subcommand(
      "verify",
      "Check the audit trail's hash chain offline, in DIR/authd.db (read-only; no server).\n"
      "Prints `verified N entries` and exits 0, or names the first broken entry and exits 1");
  verify->add_option("--data-dir", verify_options->data_dir, "authd's data directory")->required();
  verify->callback([&ctx, verify_options] {
    ctx.action = [verify_options] { return run_verify(*verify_options); };
  });
}

}  // namespace provisioning::cli
