// The daemon's own settings, DIR/authd.toml: where to listen and which TLS
// files to serve. Security policy lives apart, in DIR/policy.toml.
//
//   listen = "127.0.0.1:8443"     # HOST:PORT; an IPv6 host in brackets, e.g. "[::1]:8443"
//   [tls]
//   certificate = "tls/cert.pem"  # PEM chain, leaf first; relative to the data directory
//   private_key = "tls/key.pem"   # PEM key, no passphrase
//   [hsm]                         # required: the token holding authd's keys
//   module = "softhsm2"           # p11-kit module name or absolute .so path
//   token = "pkcs11:token=authd"  # PKCS#11 URI (RFC 7512)
//   pin_file = "hsm/user.pin"     # the user PIN; relative to the data directory
//   softhsm2_conf = "hsm/softhsm2.conf"  # optional, SoftHSM only
//   sessions = 4                  # optional, 1..64
//   [webauthn]                    # optional: the security keys' relying party
//   rp_id = "authd.example.org"   # the domain keys are bound to (default "localhost")
//   rp_name = "authd"             # shown by browsers (default "authd")
//   [notifications]               # optional: how the outbox is delivered
//   command = ["/usr/sbin/sendmail", "-t", "-i"]  # argv, no shell; absolute program path
//   smtp_relay = "mail.example.org:25"           # or: HOST:PORT of an SMTP relay
//   from = "authd@example.org"                   # the sender address
//   retry_initial_s = 30          # optional, 1..3600: first retry delay (doubles)
//
// At most one of command and smtp_relay; with neither, messages wait in the
// outbox (GET /v1/notifications lists them).
//
// Unknown keys, wrong types and out-of-range values are refused so a typo
// never goes unnoticed.
//
// Thread safety: pure functions over values.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.h"
#include "core/service.h"
#include "hsm/hsm.h"

namespace authd {

struct ListenAddress {
  std::string host;  // an IP address, without brackets
  uint16_t port = 0;
};

struct DaemonConfig {
  ListenAddress listen{"127.0.0.1", 8443};
  std::filesystem::path tls_certificate;  // absolute after loading
  std::filesystem::path tls_private_key;
  // pin_file and softhsm2_conf are absolute after loading (softhsm2_conf
  // empty when not configured).
  hsm::ModuleConfig hsm;
  core::NotificationDelivery notifications;  // [notifications]; defaults when absent
  core::RelyingPartyConfig relying_party;    // [webauthn]; defaults when absent
};

// The [hsm] table as written in the file (paths as given, relative or not).
struct HsmTable {
  std::string module = "softhsm2";
  std::string token = "pkcs11:token=authd";
  std::string pin_file = "hsm/user.pin";
  std::string softhsm2_conf = "hsm/softhsm2.conf";  // empty: the key is left out
  unsigned sessions = 4;
};

constexpr unsigned kMaxHsmSessions = 64;

// "HOST:PORT" or "[V6HOST]:PORT", port 0..65535. bad_request (field "listen") otherwise.
common::Result<ListenAddress> parse_listen_address(std::string_view text);

// "HOST:PORT", with brackets around an IPv6 host.
std::string format_listen_address(const ListenAddress& address);

// Reads `file`; relative TLS and HSM paths are taken relative to `data_dir`.
// bad_request with a message naming the file and the key on any problem.
common::Result<DaemonConfig> load_daemon_config(const std::filesystem::path& file,
                                                const std::filesystem::path& data_dir);

// The file `authd init` writes, with `hsm` as the [hsm] table.
std::string default_daemon_config_toml(const HsmTable& hsm = {});

// Only the [hsm] table of that file (what `authd upgrade` appends).
std::string hsm_config_toml(const HsmTable& hsm);

}  // namespace authd
