#include <pthread.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <csignal>
#include <cstdio>
#include <iostream>

#include "authd/commands.h"
#include "authd/daemon_config.h"
#include "authd/log.h"
#include "authd/router.h"
#include "authd/server.h"
#include "core/service.h"
#include "hsm/hsm.h"
#include "policy/policy.h"

namespace authd {
namespace fs = std::filesystem;
namespace {

constexpr std::chrono::seconds kShutdownGrace{10};

int fail(const std::string& message) {
  std::cerr << "authd serve: " << message << std::endl;
  return 1;
}

// Opens the token, naming whatever is missing in operator's terms (the
// authd.toml key to fix) before PKCS#11 gets a chance to be vaguer.
common::Result<std::shared_ptr<hsm::Hsm>> open_token(const hsm::ModuleConfig& module) {
  const auto missing = [](const std::string& what) {
    return common::make_error(common::Errc::not_found, what);
  };
  std::error_code ec;
  if (module.module.find('/') != std::string::npos && !fs::exists(module.module, ec)) {
    return missing("the PKCS#11 module " + module.module +
                   " does not exist (hsm.module in authd.toml)");
  }
  if (!fs::exists(module.pin_file, ec)) {
    return missing("the HSM PIN file " + module.pin_file.string() +
                   " does not exist (hsm.pin_file in authd.toml)");
  }
  if (!module.softhsm2_conf.empty() && !fs::exists(module.softhsm2_conf, ec)) {
    return missing("the SoftHSM configuration " + module.softhsm2_conf.string() +
                   " does not exist (hsm.softhsm2_conf in authd.toml)");
  }
  auto opened = hsm::open_pkcs11(module);
  if (!opened) {
    return common::make_error(opened.error().code, "cannot open the HSM token " + module.token_uri +
                                                       " through " + module.module + ": " +
                                                       opened.error().message);
  }
  return std::shared_ptr<hsm::Hsm>(std::move(*opened));
}

}  // namespace

int run_serve(const ServeOptions& options) {
  ::umask(077);
  // Memory holds password hashes in flight, TOTP secrets and session tokens:
  // a core dump must not write them to disk.
  const struct rlimit no_core = {0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);

  // Signals are taken synchronously by this thread (sigwait). The mask is set
  // before any thread exists (the HSM session pool, the core's checkpointer,
  // the server's), so every thread inherits it: a SIGTERM delivered to one of
  // them would otherwise kill the process without its final checkpoint.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  const fs::path dir = options.data_dir;
  if (dir.empty()) return fail("--data-dir is required");
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return fail(dir.string() + " is not a data directory; create one with `authd init --data-dir " +
                dir.string() + "`");
  }

  auto config = load_daemon_config(dir / "authd.toml", dir);
  if (!config) return fail(config.error().message);
  if (!options.listen.empty()) {
    auto listen = parse_listen_address(options.listen);
    if (!listen) return fail("--listen: " + listen.error().message);
    config->listen = *listen;
  }

  const fs::path policy_file = dir / "policy.toml";
  const policy::LoadResult policy = policy::load_policy_file(policy_file);
  if (!policy.policy) return fail(policy_file.string() + ": " + policy.error);
  for (const std::string& warning : policy.warnings) {
    log_warn(policy_file.string() + ": " + warning);
  }

  core::Config core_config;
  core_config.database_path = dir / "authd.db";
  core_config.policy = *policy.policy;
  core_config.public_keys_dir = dir / "keys";
  core_config.notifications = config->notifications;
  core_config.relying_party = config->relying_party;
  if (!fs::exists(core_config.database_path, ec)) {
    return fail("no database at " + core_config.database_path.string() +
                "; create the data directory with `authd init`");
  }
  auto device = open_token(config->hsm);
  if (!device) return fail(device.error().message);
  core_config.hsm = std::move(*device);
  auto service = core::Service::open(core_config);
  if (!service) {
    return fail("cannot open " + core_config.database_path.string() + ": " +
                service.error().message);
  }
  Router router(**service);

  ServerOptions server_options;
  server_options.host = config->listen.host;
  server_options.port = config->listen.port;
  server_options.tls_certificate = config->tls_certificate;
  server_options.tls_private_key = config->tls_private_key;
  server_options.io_threads = options.threads;
  auto server = Server::start(server_options, router);
  if (!server) return fail(server.error().message);

  const std::string where = format_listen_address({(*server)->host(), (*server)->port()});
  std::printf("listening on %s\n", where.c_str());
  std::fflush(stdout);
  log_info("authd serving https://" + where);

  int signal_number = 0;
  while (sigwait(&stop_signals, &signal_number) != 0) {
  }
  log_info(std::string("received ") + (signal_number == SIGINT ? "SIGINT" : "SIGTERM") +
           "; finishing requests in flight");
  (*server)->shutdown(kShutdownGrace);
  server->reset();
  // After the last request: the final checkpoint covers every entry written.
  if (auto stopped = (*service)->shutdown(); !stopped) {
    log_error("final audit checkpoint failed: " + stopped.error().message);
    return 1;
  }
  log_info("authd stopped");
  return 0;
}

}  // namespace authd
