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
#include "hsm/hsm.h"
#include "init_keys.h"
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

// `path` as authd.toml should name it: relative when it lies inside the data
// directory (so the directory can move), absolute otherwise.
std::string as_written(const fs::path& path, const fs::path& dir) {
  const fs::path absolute = fs::absolute(path).lexically_normal();
  const fs::path inside = absolute.lexically_relative(fs::absolute(dir).lexically_normal());
  if (!inside.empty() && *inside.begin() != "..") return inside.string();
  return absolute.string();
}

struct Token {
  hsm::ModuleConfig module;
  HsmTable table;  // as written to authd.toml
};

// A new SoftHSM token under DIR/hsm, or the operator's existing token.
common::Result<Token> prepare_token(const fs::path& dir, const InitOptions& options) {
  Token token;
  if (options.hsm_module.empty()) {
    auto created = hsm::create_softhsm_token(dir / "hsm", "authd");
    if (!created) {
      return common::make_error(created.error().code,
                                "cannot create the SoftHSM token: " + created.error().message);
    }
    token.module = std::move(*created);
  } else {
    token.module.module = options.hsm_module;
    // A relative module path would change meaning with serve's working directory.
    if (options.hsm_module.find('/') != std::string::npos) {
      token.module.module = fs::absolute(options.hsm_module).lexically_normal().string();
    }
    token.module.token_uri = options.hsm_token;
    token.module.pin_file = fs::absolute(options.hsm_pin_file).lexically_normal();
    if (!options.hsm_softhsm2_conf.empty()) {
      token.module.softhsm2_conf = fs::absolute(options.hsm_softhsm2_conf).lexically_normal();
    }
  }
  token.table.module = token.module.module;
  token.table.token = token.module.token_uri;
  token.table.pin_file = as_written(token.module.pin_file, dir);
  token.table.softhsm2_conf =
      token.module.softhsm2_conf.empty() ? "" : as_written(token.module.softhsm2_conf, dir);
  token.table.sessions = token.module.sessions;
  return token;
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

  auto token = prepare_token(dir, options);
  if (!token) return token.error();
  auto opened = hsm::open_pkcs11(token->module);
  if (!opened) {
    return common::make_error(
        opened.error().code,
        "cannot open the HSM token " + token->module.token_uri + ": " + opened.error().message);
  }
  std::shared_ptr<hsm::Hsm> device = std::move(*opened);

  core::Config config;
  core::InitialKeys keys{options.audit_key, options.assertion_key, options.wrap_key};
  if (keys.audit.empty()) {
    auto generated = generate_initial_keys(*device, config.clock->now(), *config.random);
    if (!generated) return generated.error();
    keys = std::move(*generated);
  } else if (auto checked = check_initial_keys(*device, keys); !checked) {
    return checked.error();
  }

  if (auto written =
          write_new_file(dir / "authd.toml", default_daemon_config_toml(token->table), 0600);
      !written) {
    return written.error();
  }

  const fs::path keys_dir = dir / "keys";
  if (::mkdir(keys_dir.c_str(), 0755) != 0 || ::chmod(keys_dir.c_str(), 0755) != 0) {
    return common::make_error(common::Errc::unavailable,
                              "cannot create " + keys_dir.string() + ": " + std::strerror(errno));
  }

  config.database_path = dir / "authd.db";
  config.policy = *policy.policy;
  config.hsm = device;
  config.public_keys_dir = keys_dir;
  auto admin = core::Service::initialise(config, keys);
  if (!admin) return admin.error();
  if (auto published = publish_public_keys(keys_dir); !published) return published.error();
  return admin;
}

// Option combinations, checked before anything is touched.
std::string option_problem(const InitOptions& options) {
  if (options.tls_certificate.empty() != options.tls_private_key.empty()) {
    return "--tls-cert and --tls-key must be given together";
  }
  if (options.data_dir.empty()) return "--data-dir is required";
  const int token_options =
      !options.hsm_module.empty() + !options.hsm_token.empty() + !options.hsm_pin_file.empty();
  if (token_options != 0 && token_options != 3) {
    return "--hsm-module, --hsm-token and --hsm-pin-file must be given together";
  }
  if (token_options == 0 && !options.hsm_softhsm2_conf.empty()) {
    return "--hsm-softhsm2-conf needs --hsm-module, --hsm-token and --hsm-pin-file";
  }
  if (!options.hsm_token.empty() && options.hsm_token.rfind("pkcs11:", 0) != 0) {
    return "--hsm-token must be a PKCS#11 URI, e.g. pkcs11:token=authd";
  }
  const int key_options =
      !options.audit_key.empty() + !options.assertion_key.empty() + !options.wrap_key.empty();
  if (key_options != 0 && key_options != 3) {
    return "--audit-key, --assertion-key and --wrap-key must be given together";
  }
  if (key_options != 0 && token_options == 0) {
    return "--audit-key, --assertion-key and --wrap-key name keys in an existing token: give "
           "--hsm-module, --hsm-token and --hsm-pin-file too";
  }
  std::error_code ec;
  if (!options.hsm_pin_file.empty() && !fs::is_regular_file(options.hsm_pin_file, ec)) {
    return "the PIN file " + options.hsm_pin_file.string() + " does not exist";
  }
  if (!options.hsm_softhsm2_conf.empty() && !fs::is_regular_file(options.hsm_softhsm2_conf, ec)) {
    return "the SoftHSM configuration " + options.hsm_softhsm2_conf.string() + " does not exist";
  }
  return {};
}

}  // namespace

int run_init(const InitOptions& options) {
  if (const std::string problem = option_problem(options); !problem.empty()) return fail(problem);
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
