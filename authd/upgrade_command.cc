// `authd upgrade`: a data directory from before HSM support gets its token,
// its keys and wrapped seeds. See commands.h for the contract.
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <system_error>
#include <toml.hpp>

#include "authd/commands.h"
#include "authd/daemon_config.h"
#include "core/service.h"
#include "file_util.h"
#include "hsm/hsm.h"
#include "init_keys.h"
#include "policy/policy.h"

namespace authd {
namespace fs = std::filesystem;
namespace {

int fail(const std::string& message) {
  std::cerr << "authd upgrade: " << message << std::endl;
  return 1;
}

// True when authd.toml has an [hsm] table (already upgraded).
common::Result<bool> has_hsm_table(const fs::path& file) {
  try {
    const toml::value root = toml::parse(file.string());
    return root.is_table() && root.contains("hsm");
  } catch (const std::exception& e) {
    return common::make_error(common::Errc::bad_request,
                              file.string() + " is not valid TOML: " + e.what());
  }
}

// Replaces authd.toml in one rename, so a crash leaves the old or the new file.
common::Result<void> append_hsm_table(const fs::path& file, const HsmTable& table) {
  auto text = read_whole_file(file);
  if (!text) return text.error();
  const fs::path next = file.string() + ".upgrade";
  std::error_code ignored;
  fs::remove(next, ignored);
  std::string updated = *text;
  if (!updated.empty() && updated.back() != '\n') updated += '\n';
  updated += "\n" + hsm_config_toml(table);
  if (auto written = write_new_file(next, updated, 0600); !written) return written;
  if (::rename(next.c_str(), file.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    fs::remove(next, ignored);
    return common::make_error(common::Errc::unavailable,
                              "cannot replace " + file.string() + ": " + reason);
  }
  return {};
}

}  // namespace

int run_upgrade(const UpgradeOptions& options) {
  ::umask(077);
  const fs::path dir = options.data_dir;
  if (dir.empty()) return fail("--data-dir is required");
  std::error_code ec;
  const fs::path config_file = dir / "authd.toml";
  const fs::path database = dir / "authd.db";
  if (!fs::is_regular_file(config_file, ec) || !fs::is_regular_file(database, ec)) {
    return fail(dir.string() + " is not an authd data directory (no authd.toml or authd.db)");
  }
  auto upgraded = has_hsm_table(config_file);
  if (!upgraded) return fail(upgraded.error().message);
  if (*upgraded) {
    return fail(config_file.string() + " already has an [hsm] table; nothing to upgrade");
  }
  const fs::path token_dir = dir / "hsm";
  if (fs::exists(token_dir, ec)) {
    return fail(token_dir.string() + " already exists; refusing to touch it");
  }
  const policy::LoadResult policy = policy::load_policy_file(dir / "policy.toml");
  if (!policy.policy) return fail((dir / "policy.toml").string() + ": " + policy.error);

  auto created = hsm::create_softhsm_token(token_dir, "authd");
  if (!created) return fail("cannot create the SoftHSM token: " + created.error().message);
  HsmTable table;  // the defaults name exactly the token just made in DIR/hsm
  table.sessions = created->sessions;
  core::Config config;
  config.database_path = database;
  config.policy = *policy.policy;
  config.public_keys_dir = dir / "keys";
  const bool keys_dir_existed = fs::exists(config.public_keys_dir, ec);
  auto undo = [&] {
    config.hsm.reset();
    fs::remove_all(token_dir, ec);
    if (!keys_dir_existed) fs::remove_all(config.public_keys_dir, ec);
  };
  {
    auto opened = hsm::open_pkcs11(*created);
    if (!opened) {
      undo();
      return fail("cannot open the new token: " + opened.error().message);
    }
    config.hsm = std::move(*opened);
  }
  auto keys = generate_initial_keys(*config.hsm, config.clock->now(), *config.random);
  if (!keys) {
    undo();
    return fail("cannot generate the keys: " + keys.error().message);
  }
  if (!keys_dir_existed && ::mkdir(config.public_keys_dir.c_str(), 0755) != 0) {
    const std::string reason = std::strerror(errno);
    undo();
    return fail("cannot create " + config.public_keys_dir.string() + ": " + reason);
  }
  if (auto adopted = core::Service::adopt_keys(config, *keys); !adopted) {
    undo();
    return fail("cannot record the keys in " + database.string() + ": " + adopted.error().message +
                "; nothing was changed");
  }
  // From here on the database names the token: it stays, whatever follows.
  if (auto published = publish_public_keys(config.public_keys_dir); !published) {
    return fail(published.error().message);
  }
  if (auto appended = append_hsm_table(config_file, table); !appended) {
    return fail("the keys are recorded, but " + appended.error().message +
                "; add this to authd.toml by hand:\n" + hsm_config_toml(table));
  }
  // Opening wraps every plain seed; shutting down signs the whole trail.
  auto service = core::Service::open(config);
  if (!service) {
    return fail("the token and keys are in place, but opening the database failed (" +
                service.error().message + "); `authd serve` wraps the seeds when it starts");
  }
  if (auto closed = (*service)->shutdown(); !closed) {
    return fail("the seeds are wrapped, but the final checkpoint failed: " +
                closed.error().message);
  }
  std::cerr << "authd upgrade: " << dir.string() << " now keeps its keys in the SoftHSM token in "
            << token_dir.string() << "; every TOTP seed is wrapped and the audit trail is signed"
            << std::endl;
  return 0;
}

}  // namespace authd
