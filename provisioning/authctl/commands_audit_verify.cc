// audit verify: checks a trail offline with public keys alone, from the
// database file (read-only) or from an export. No server, no session, no HSM.
//
// Output on stdout, one fact a line, so scripts and people read the same:
//   entries: N          entries read, every hash and link checked
//   checkpoints: M      checkpoints whose signatures verified
//   unsigned tail: K    entries after the last verified checkpoint
//   OK
// or "audit trail broken at seq S: <problem>" (exit 1).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "authctl/context.h"
#include "authctl/output.h"
#include "core/audit_evidence.h"

namespace provisioning::cli {
namespace {

namespace fs = std::filesystem;

struct VerifyOptions {
  std::string data_dir;
  std::string input;
  std::vector<std::string> pubkeys;
  bool strict = false;
};

int run_verify(const VerifyOptions& options) {
  if (options.data_dir.empty() && options.input.empty()) {
    fail(kExitUsage, "audit verify needs --data-dir DIR or --input FILE");
  }
  std::error_code ec;
  const fs::path database = fs::path(options.data_dir) / "authd.db";
  if (!options.data_dir.empty() && !fs::is_regular_file(database, ec)) {
    fail(kExitUsage, "no authd database at " + database.string());
  }
  std::vector<fs::path> key_files(options.pubkeys.begin(), options.pubkeys.end());
  if (key_files.empty()) {
    if (options.data_dir.empty()) {
      fail(kExitUsage,
           "--input needs the audit public keys: give --pubkey FILE (a PEM key or "
           "keys.json from the data directory's keys/)");
    }
    key_files.push_back(fs::path(options.data_dir) / "keys" / "keys.json");
  }
  for (const fs::path& file : key_files) {
    if (!fs::is_regular_file(file, ec)) fail(kExitUsage, "no key file at " + file.string());
  }
  auto keys = core::load_trusted_keys(key_files);
  if (!keys) fail(kExitUsage, keys.error().message);
  if (keys->empty()) fail(kExitUsage, "the key files hold no audit public key");

  core::TrailReport report;
  if (!options.data_dir.empty()) {
    report = core::verify_audit_database(database, *keys);
  } else {
    std::ifstream input(options.input, std::ios::binary);
    if (!input) fail(kExitUsage, "cannot read " + options.input);
    report = core::verify_audit_export(input, *keys);
  }

  if (report.first_bad_seq) {
    std::cout << "audit trail broken at seq " << *report.first_bad_seq << ": "
              << printable(report.problem) << "\n";
    return kExitRefused;
  }
  if (!report.ok) {
    std::cout << "audit trail cannot be verified: " << printable(report.problem) << "\n";
    return kExitRefused;
  }
  std::cout << "entries: " << report.entries << "\n"
            << "checkpoints: " << report.checkpoints << "\n"
            << "unsigned tail: " << report.unsigned_tail << "\n";
  if (options.strict && report.unsigned_tail > 0) {
    std::cout << "NOT SIGNED: the last " << report.unsigned_tail
              << " entries are covered by no checkpoint (--strict)\n";
    return kExitRefused;
  }
  std::cout << "OK\n";
  return kExitOk;
}

}  // namespace

void add_audit_verify_command(CLI::App& audit, Context& ctx) {
  auto options = std::make_shared<VerifyOptions>();
  CLI::App* verify = audit.add_subcommand(
      "verify",
      "Check an audit trail offline with public keys alone (no server): every hash link and\n"
      "every checkpoint signature, in DIR/authd.db (read-only) or in an export file.\n"
      "Prints `entries: N`, `checkpoints: M`, `unsigned tail: K` and `OK` (exit 0), or\n"
      "`audit trail broken at seq S: <problem>` (exit 1). Entries after the last checkpoint\n"
      "(the unsigned tail) are not proof against truncation; --strict makes them exit 1");
  auto* dir = verify->add_option("--data-dir", options->data_dir,
                                 "authd's data directory (keys default to DIR/keys/keys.json)");
  auto* input =
      verify->add_option("--input", options->input, "An export from `authctl audit export`");
  dir->excludes(input);
  input->excludes(dir);
  verify->add_option("--pubkey", options->pubkeys,
                     "Trusted audit public key: a PEM file or a keys.json (repeatable; required "
                     "with --input)");
  verify->add_flag("--strict", options->strict,
                   "Exit 1 when entries after the last checkpoint "
                   "are not signed");
  verify->callback([&ctx, options] { ctx.action = [options] { return run_verify(*options); }; });
}

}  // namespace provisioning::cli
