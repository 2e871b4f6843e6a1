#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <nlohmann/json.hpp>
#include <system_error>

#include "authd/commands.h"
#include "authd/daemon_config.h"
#include "authd/tls_certificate.h"
#include "common/secret.h"
#include "core/service.h"
#include "file_util.h"
#include "policy/policy.h"

namespace authd {
namespace fs = std::filesystem;
namespace {

int fail(const std::string& message) {
  std::cerr << "authd init: " << message << std::endl;
  return 1;
}

// Removes what init made: the directory itself when init created it,
// otherwise only its contents (it was empty before).
void undo(const fs::path& dir, bool created_dir) {
  std::error_code ignored;
  if (created_dir) {
    fs::remove_all(dir, ignored);
    return;
  }
  for (const auto& entry : fs::directory_iterator(dir, ignored))
    fs::remove_all(entry.path(), ignored);
}

// Everything after the directory exists; any failure is reported by the caller.
common::Result<core::BootstrapAdmin> populate(const fs::path& dir, const InitOptions& options) {
  const std::string policy_text = policy::default_policy_toml();
  const policy::LoadResult policy = policy::parse_policy(policy_text);
  if (!policy.policy) {
    return common::make_error(common::Errc::internal,
                              "the built-in default policy does not load: " + policy.error);
  }
  if (auto written = write_new_file(dir / "policy.toml", policy_text, 0600); !written) {
    return written.error();
  }

  const fs::path tls_dir = dir / "tls";
  if (::mkdir(tls_dir.c_str(), 0700) != 0) {
    return common::make_error(common::Errc::unavailable,
                              "cannot create " + tls_dir.string() + ": " + std::strerror(errno));
  }
  const auto tls = options.tls_certificate.empty()
                       ? write_self_signed_certificate(tls_dir / "cert.pem", tls_dir / "key.pem")
                       : install_certificate(options.tls_certificate, options.tls_private_key,
                                             tls_dir / "cert.pem", tls_dir / "key.pem");
  if (!tls) return tls.error();

  if (auto written = write_new_file(dir / "authd.toml", default_daemon_config_toml(), 0600);
      !written) {
    return written.error();
  }

  core::Config config;
  config.database_path = dir / "authd.db";
  config.policy = *policy.policy;
  return core::Service::initialise(config);
}

}  // namespace

int run_init(const InitOptions& options) {
  if (options.tls_certificate.empty() != options.tls_private_key.empty()) {
    return fail("--tls-cert and --tls-key must be given together");
  }
  if (options.data_dir.empty()) return fail("--data-dir is required");
  const fs::path dir = options.data_dir;
  ::umask(077);

  std::error_code ec;
  const fs::file_status status = fs::status(dir, ec);
  bool created_dir = false;
  if (fs::exists(status)) {
    if (!fs::is_directory(status)) {
      return fail(dir.string() + " exists and is not a directory; refusing to touch it");
    }
    const bool empty = fs::is_empty(dir, ec);
    if (ec) return fail("cannot read " + dir.string() + ": " + ec.message());
    if (!empty) {
      return fail(dir.string() +
                  " already exists and is not empty; refusing to change it (initialise a new "
                  "directory instead)");
    }
    if (::chmod(dir.c_str(), 0700) != 0) {
      return fail("cannot restrict " + dir.string() + " to its owner: " + std::strerror(errno));
    }
  } else {
    if (::mkdir(dir.c_str(), 0700) != 0) {
      return fail("cannot create " + dir.string() + ": " + std::strerror(errno));
    }
    created_dir = true;
  }

  auto admin = populate(dir, options);
  if (!admin) {
    undo(dir, created_dir);
    return fail(admin.error().message + "; nothing was created");
  }

  const nlohmann::json out = {{"username", admin->username},
                              {"password", admin->password},
                              {"otpauth_uri", admin->otpauth_uri}};
  std::string text = out.dump() + "\n";
  common::wipe(admin->password);
  common::wipe(admin->otpauth_uri);
  const bool printed =
      std::fwrite(text.data(), 1, text.size(), stdout) == text.size() && std::fflush(stdout) == 0;
  common::wipe(text);
  if (!printed) {
    // Without the printed password and token nobody could ever log in.
    undo(dir, created_dir);
    return fail("cannot write the bootstrap credentials to stdout; nothing was created");
  }
  std::cerr << "authd init: initialised " << dir.string()
            << "; log in as the user above with its one-time password (it must be changed at "
               "first login) and the TOTP token from otpauth_uri"
            << std::endl;
  return 0;
}

}  // namespace authd
