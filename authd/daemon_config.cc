#include "authd/daemon_config.h"

#include <charconv>
#include <toml.hpp>

namespace authd {
namespace {

common::Error config_error(const std::filesystem::path& file, const std::string& what) {
  return common::make_error(common::Errc::bad_request, file.string() + ": " + what);
}

}  // namespace

common::Result<ListenAddress> parse_listen_address(std::string_view text) {
  const auto bad = [&] {
    return common::make_error(common::Errc::bad_request,
                              "listen address must be HOST:PORT (IPv6 as [HOST]:PORT), got \"" +
                                  std::string(text.substr(0, 100)) + "\"",
                              "listen");
  };
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return bad();
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return bad();
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return bad();  // an IPv6 host needs brackets
  }
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port > 65535) {
    return bad();
  }
  return ListenAddress{std::string(host), static_cast<uint16_t>(port)};
}

std::string format_listen_address(const ListenAddress& address) {
  const bool v6 = address.host.find(':') != std::string::npos;
  return (v6 ? "[" + address.host + "]" : address.host) + ":" + std::to_string(address.port);
}

common::Result<DaemonConfig> load_daemon_config(const std::filesystem::path& file,
                                                const std::filesystem::path& data_dir) {
  toml::value root;
  try {
    root = toml::parse(file.string());
  } catch (const std::exception& e) {
    // toml11's messages quote the offending line; this file holds no secrets.
    return config_error(file, e.what());
  }
  if (!root.is_table()) return config_error(file, "not a TOML table");

  DaemonConfig config;
  std::string certificate = "tls/cert.pem";
  std::string private_key = "tls/key.pem";
  for (const auto& [key, value] : root.as_table()) {
    if (key == "listen") {
      if (!value.is_string()) return config_error(file, "listen must be a string");
      auto listen = parse_listen_address(value.as_string().str);
      if (!listen) return config_error(file, listen.error().message);
      config.listen = *listen;
    } else if (key == "tls") {
      if (!value.is_table()) return config_error(file, "[tls] must be a table");
      for (const auto& [tls_key, tls_value] : value.as_table()) {
        if (!tls_value.is_string())
          return config_error(file, "tls." + tls_key + " must be a string");
        if (tls_key == "certificate") {
          certificate = tls_value.as_string().str;
        } else if (tls_key == "private_key") {
          private_key = tls_value.as_string().str;
        } else {
          return config_error(file, "unknown key tls." + tls_key);
        }
      }
    } else {
      return config_error(file, "unknown key " + key);
    }
  }
  config.tls_certificate = data_dir / certificate;  // an absolute right side wins
  config.tls_private_key = data_dir / private_key;
  return config;
}

std::string default_daemon_config_toml() {
  return R"(# authd daemon settings (security policy is in policy.toml).

# Address and port to accept HTTPS connections on: HOST:PORT, an IPv6 host in
# brackets ("[::1]:8443"). `authd serve --listen` overrides it.
listen = "127.0.0.1:8443"

[tls]
# PEM certificate chain (leaf first) and its private key (no passphrase).
# Relative paths are relative to the data directory.
certificate = "tls/cert.pem"
private_key = "tls/key.pem"
)";
}

}  // namespace authd
