// authd: the authentication daemon. `authd init` prepares a data directory,
// `authd serve` runs the HTTPS API over it.
#include <CLI/CLI.hpp>

#include "authd/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"authd: password + TOTP authentication server over HTTPS"};
  app.require_subcommand(1);

  authd::InitOptions init;
  std::string init_dir, tls_cert, tls_key, pin_file, softhsm2_conf;
  CLI::App* init_command = app.add_subcommand(
      "init",
      "Create a data directory: database, policy, TLS key and certificate, a SoftHSM token "
      "with the audit, assertion and wrapping keys (or an existing token and keys), and a "
      "bootstrap administrator. Prints {\"username\", \"password\", \"otpauth_uri\"} as one JSON "
      "object on "
      "stdout.");
  init_command
      ->add_option("--data-dir", init_dir, "Directory to create (must not exist or be empty)")
      ->required();
  auto* cert_option = init_command->add_option(
      "--tls-cert", tls_cert,
      "PEM certificate chain to serve instead of a generated self-signed one");
  auto* key_option = init_command->add_option("--tls-key", tls_key,
                                              "PEM private key for --tls-cert (no passphrase)");
  cert_option->needs(key_option);
  key_option->needs(cert_option);
  init_command->add_option("--hsm-module", init.hsm_module,
                           "Use an existing PKCS#11 token instead of a new SoftHSM one: its "
                           "module, a p11-kit module name or an absolute .so path");
  init_command->add_option("--hsm-token", init.hsm_token,
                           "The existing token's PKCS#11 URI, e.g. pkcs11:token=authd");
  init_command->add_option("--hsm-pin-file", pin_file,
                           "File holding the existing token's user PIN (mode 0600 or 0400, owned "
                           "by authd's user); authd.toml refers to it by absolute path");
  init_command->add_option("--hsm-softhsm2-conf", softhsm2_conf,
                           "For an existing SoftHSM token: its softhsm2.conf");
  init_command->add_option("--audit-key", init.audit_key,
                           "PKCS#11 URI of an existing EC P-256 key pair for audit checkpoints "
                           "(with --assertion-key and --wrap-key; default: generate all three)");
  init_command->add_option("--assertion-key", init.assertion_key,
                           "PKCS#11 URI of an existing EC P-256 key pair for assertions");
  init_command->add_option("--wrap-key", init.wrap_key,
                           "PKCS#11 URI of an existing AES-256 key that wraps TOTP secrets");

  authd::ServeOptions serve;
  std::string serve_dir;
  CLI::App* serve_command =
      app.add_subcommand("serve", "Run the HTTPS API over a data directory until SIGTERM/SIGINT.");
  serve_command->add_option("--data-dir", serve_dir, "Data directory made by `authd init`")
      ->required();
  serve_command->add_option("--listen", serve.listen,
                            "HOST:PORT to listen on ([HOST]:PORT for IPv6; port 0 picks a free "
                            "one), overriding authd.toml");
  serve_command->add_option("--threads", serve.threads, "I/O threads (default: one per core)")
      ->check(CLI::Range(1u, 256u));

  authd::UpgradeOptions upgrade;
  std::string upgrade_dir;
  CLI::App* upgrade_command = app.add_subcommand(
      "upgrade",
      "Bring a data directory made before HSM support up to date while authd is stopped: a "
      "SoftHSM token in DIR/hsm with the audit, assertion and wrapping keys, wrapped TOTP seeds "
      "and a signed audit trail.");
  upgrade_command->add_option("--data-dir", upgrade_dir, "The data directory to upgrade")
      ->required();

  CLI11_PARSE(app, argc, argv);

  if (init_command->parsed()) {
    init.data_dir = init_dir;
    init.tls_certificate = tls_cert;
    init.tls_private_key = tls_key;
    init.hsm_pin_file = pin_file;
    init.hsm_softhsm2_conf = softhsm2_conf;
    return authd::run_init(init);
  }
  if (upgrade_command->parsed()) {
    upgrade.data_dir = upgrade_dir;
    return authd::run_upgrade(upgrade);
  }
  serve.data_dir = serve_dir;
  return authd::run_serve(serve);
}
