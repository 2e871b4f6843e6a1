// audit list, audit checkpoint and audit export (over the API); audit verify
// is offline (commands_audit_verify.cc).
#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>

#include "authctl/context.h"
#include "authctl/output.h"

namespace provisioning::cli {
namespace {

struct ListOptions {
  std::optional<int64_t> after;
  std::optional<int> limit;
  bool json = false;
};

struct ExportOptions {
  int64_t from = 0;
  int64_t to = 0;
  std::string output;  // empty: stdout
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

int run_checkpoint(Context& ctx) {
  Reply reply = ctx.call("POST", "/v1/audit/checkpoints", "{}");
  if (!reply.body.is_object() || !reply.body.contains("seq")) {
    fail(kExitTransport, "the server's checkpoint answer has no seq");
  }
  std::cout << format_fields({{"seq", scalar(reply.body, "seq")},
                              {"head_hash", scalar(reply.body, "head_hash")},
                              {"at", scalar(reply.body, "at")},
                              {"key_id", scalar(reply.body, "key_id")},
                              {"signature", scalar(reply.body, "signature")}});
  return kExitOk;
}

// Where the export goes: stdout, or a new file (never an existing one, so
// evidence already collected cannot be overwritten by mistake).
class ExportSink {
 public:
  explicit ExportSink(const std::string& path) : path_(path) {
    if (path_.empty()) return;
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd_ < 0) fail(kExitUsage, "cannot create " + path_ + ": " + std::strerror(errno));
  }
  ~ExportSink() {
    if (fd_ >= 0) {
      ::close(fd_);
      if (!finished_) ::unlink(path_.c_str());  // a partial export is no evidence
    }
  }
  ExportSink(const ExportSink&) = delete;
  ExportSink& operator=(const ExportSink&) = delete;

  void write(const std::string& text) {
    if (fd_ < 0) {
      std::cout << text;
      if (!std::cout) fail(kExitUsage, "cannot write the export to stdout");
      return;
    }
    size_t written = 0;
    while (written < text.size()) {
      const ssize_t n = ::write(fd_, text.data() + written, text.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) fail(kExitUsage, "cannot write " + path_ + ": " + std::strerror(errno));
      written += static_cast<size_t>(n);
    }
  }

  void finish() {
    if (fd_ < 0) {
      std::cout.flush();
    } else if (::fsync(fd_) != 0) {
      fail(kExitUsage, "cannot write " + path_ + ": " + std::strerror(errno));
    }
    finished_ = true;
  }

 private:
  std::string path_;
  int fd_ = -1;
  bool finished_ = false;
};

int run_export(Context& ctx, const ExportOptions& options) {
  if (options.to < options.from) fail(kExitUsage, "--to must not be below --from");
  (void)ctx.require_session();
  ExportSink sink(options.output);
  int64_t from = options.from;
  int64_t lines = 0;
  for (;;) {
    HttpsResponse page = ctx.call_text("GET", "/v1/audit/export?from=" + std::to_string(from) +
                                                  "&to=" + std::to_string(options.to));
    for (char c : page.body) lines += c == '\n';
    sink.write(page.body);
    const auto next = page.headers.find("x-next-from");
    if (next == page.headers.end()) break;
    int64_t next_from = 0;
    try {
      next_from = std::stoll(next->second);
    } catch (const std::exception&) {
      fail(kExitTransport, "the server sent a malformed X-Next-From header");
    }
    // The server must move forward, or paging would never end.
    if (next_from <= from) fail(kExitTransport, "the server's X-Next-From does not advance");
    from = next_from;
  }
  sink.finish();
  if (!options.output.empty()) {
    std::cerr << "wrote " << lines << " lines to " << printable(options.output) << "\n";
  }
  return kExitOk;
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

  CLI::App* checkpoint = audit->add_subcommand(
      "checkpoint", "Have the server sign the audit chain's head now (with the HSM audit key)");
  checkpoint->callback([&ctx] { ctx.action = [&ctx] { return run_checkpoint(ctx); }; });

  auto export_options = std::make_shared<ExportOptions>();
  CLI::App* exported = audit->add_subcommand(
      "export",
      "Export entries FROM..TO with their signed checkpoints as JSON lines, for `authctl audit\n"
      "verify --input`. The server extends TO to the next checkpoint so every entry can be\n"
      "covered by a signature; large ranges are fetched page by page");
  exported->add_option("--from", export_options->from, "First sequence number")
      ->required()
      ->check(CLI::PositiveNumber);
  exported->add_option("--to", export_options->to, "Last sequence number")
      ->required()
      ->check(CLI::PositiveNumber);
  exported->add_option("--output", export_options->output,
                       "Write to this new file (mode 0600; an existing file is refused) instead "
                       "of stdout");
  exported->callback([&ctx, export_options] {
    ctx.action = [&ctx, export_options] { return run_export(ctx, *export_options); };
  });

  add_audit_verify_command(*audit, ctx);
}

}  // namespace provisioning::cli
