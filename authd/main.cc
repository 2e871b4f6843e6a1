// authd: the authentication daemon. `authd init` prepares a data directory,
// `authd serve` runs the HTTPS API over it.
#include <CLI/CLI.hpp>

#include "authd/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"authd: password + TOTP authentication server over HTTPS"};
  app.require_subcommand(1);

  authd::InitOptions init;
  std::string init_dir, tls_cert, tls_key;
  CLI::App* init_command = app.add_subcommand(
      "init",
      "Create a data directory: database, policy, TLS key and certificate, and a bootstrap "
      "administrator. Prints {\"username\", \"password\", \"otpauth_uri\"} as one JSON object on "
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

  CLI11_PARSE(app, argc, argv);

  if (init_command->parsed()) {
    init.data_dir = init_dir;
    init.tls_certificate = tls_cert;
    init.tls_private_key = tls_key;
    return authd::run_init(init);
  }
  serve.data_dir = serve_dir;
  return authd::run_serve(serve);
}
