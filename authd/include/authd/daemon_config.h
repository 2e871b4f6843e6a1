// The daemon's own settings, DIR/authd.toml: where to listen and which TLS
// files to serve. Security policy lives apart, in DIR/policy.toml.
//
//   listen = "127.0.0.1:8443"     # HOST:PORT; an IPv6 host in brackets, e.g. "[::1]:8443"
//   [tls]
//   certificate = "tls/cert.pem"  # PEM chain, leaf first; relative to the data directory
//   private_key = "tls/key.pem"   # PEM key, no passphrase
//
// Unknown keys and wrong types are refused so a typo never goes unnoticed.
//
// Thread safety: pure functions over values.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.h"

namespace authd {

struct ListenAddress {
  std::string host;  // an IP address, without brackets
  uint16_t port = 0;
};

struct DaemonConfig {
  ListenAddress listen{"127.0.0.1", 8443};
  std::filesystem::path tls_certificate;  // absolute after loading
  std::filesystem::path tls_private_key;
};

// "HOST:PORT" or "[V6HOST]:PORT", port 0..65535. bad_request (field "listen") otherwise.
common::Result<ListenAddress> parse_listen_address(std::string_view text);

// "HOST:PORT", with brackets around an IPv6 host.
std::string format_listen_address(const ListenAddress& address);

// Reads `file`; relative TLS paths are taken relative to `data_dir`.
// bad_request with a message naming the file and the key on any problem.
common::Result<DaemonConfig> load_daemon_config(const std::filesystem::path& file,
                                                const std::filesystem::path& data_dir);

// The file `authd init` writes.
std::string default_daemon_config_toml();

}  // namespace authd
