#include "authd/daemon_config.h"

#include <charconv>
#include <optional>
#include <toml.hpp>

namespace authd {
namespace {

common::Error config_error(const std::filesystem::path& file, const std::string& what) {
  return common::make_error(common::Errc::bad_request, file.string() + ": " + what);
}

// Reads the [hsm] table; every key but softhsm2_conf and sessions is required,
// because guessing which token holds the keys is worse than refusing.
common::Result<HsmTable> parse_hsm_table(const std::filesystem::path& file,
                                         const toml::value& value) {
  if (!value.is_table()) return config_error(file, "[hsm] must be a table");
  HsmTable table;
  table.softhsm2_conf.clear();
  bool has_module = false, has_token = false, has_pin_file = false;
  for (const auto& [key, item] : value.as_table()) {
    if (key == "sessions") {
      if (!item.is_integer()) return config_error(file, "hsm.sessions must be an integer");
      const auto sessions = item.as_integer();
      if (sessions < 1 || sessions > static_cast<int64_t>(kMaxHsmSessions)) {
        return config_error(file,
                            "hsm.sessions must be from 1 to " + std::to_string(kMaxHsmSessions));
      }
      table.sessions = static_cast<unsigned>(sessions);
      continue;
    }
    std::string* target = nullptr;
    if (key == "module") {
      target = &table.module;
      has_module = true;
    } else if (key == "token") {
      target = &table.token;
      has_token = true;
    } else if (key == "pin_file") {
      target = &table.pin_file;
      has_pin_file = true;
    } else if (key == "softhsm2_conf") {
      target = &table.softhsm2_conf;
    } else {
      return config_error(file, "unknown key hsm." + key);
    }
    if (!item.is_string()) return config_error(file, "hsm." + key + " must be a string");
    *target = item.as_string().str;
    if (target->empty()) return config_error(file, "hsm." + key + " must not be empty");
  }
  if (!has_module || !has_token || !has_pin_file) {
    return config_error(file, std::string("[hsm] needs ") + (!has_module  ? "module"
                                                             : !has_token ? "token"
                                                                          : "pin_file"));
  }
  if (table.token.rfind("pkcs11:", 0) != 0) {
    return config_error(file, "hsm.token must be a PKCS#11 URI (pkcs11:token=...)");
  }
  return table;
}

// An email address as a header may carry it: one '@' with text either side,
// nothing that could end or extend a header line or an SMTP command.
bool plausible_address(std::string_view address) {
  if (address.empty() || address.size() > 254) return false;
  const size_t at = address.find('@');
  if (at == 0 || at == std::string_view::npos || at + 1 == address.size()) return false;
  if (address.find('@', at + 1) != std::string_view::npos) return false;
  for (char c : address) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f || c == '<' || c == '>' || c == ',' || c == ';') return false;
  }
  return true;
}

// "HOST:PORT" (an IPv6 host in brackets); HOST may be a name.
bool plausible_relay(std::string_view relay) {
  const size_t colon = relay.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view host = relay.substr(0, colon);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return false;
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return false;
  }
  for (char c : host) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f || c == '/' || c == '@') return false;
  }
  const std::string_view port_text = relay.substr(colon + 1);
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  return !port_text.empty() && ec == std::errc() && end == port_text.data() + port_text.size() &&
         port >= 1 && port <= 65535;
}

// Reads the [notifications] table. The command is run without a shell, so
// its program must be an absolute path: a PATH lookup would depend on the
// environment authd happens to start in.
common::Result<core::NotificationDelivery> parse_notifications_table(
    const std::filesystem::path& file, const toml::value& value) {
  if (!value.is_table()) return config_error(file, "[notifications] must be a table");
  core::NotificationDelivery delivery;
  for (const auto& [key, item] : value.as_table()) {
    if (key == "command") {
      if (!item.is_array()) {
        return config_error(file, "notifications.command must be an array of strings");
      }
      for (const auto& word : item.as_array()) {
        if (!word.is_string()) {
          return config_error(file, "notifications.command must be an array of strings");
        }
        const std::string& text = word.as_string().str;
        if (text.empty() || text.find('\0') != std::string::npos) {
          return config_error(file, "notifications.command has an empty or NUL argument");
        }
        delivery.command.push_back(text);
      }
      if (delivery.command.empty()) {
        return config_error(file, "notifications.command must name a program");
      }
      if (!std::filesystem::path(delivery.command.front()).is_absolute()) {
        return config_error(file, "notifications.command's program must be an absolute path");
      }
    } else if (key == "smtp_relay") {
      if (!item.is_string() || !plausible_relay(item.as_string().str)) {
        return config_error(file,
                            "notifications.smtp_relay must be HOST:PORT (IPv6 as [HOST]:PORT)");
      }
      delivery.smtp_relay = item.as_string().str;
    } else if (key == "from") {
      if (!item.is_string() || !plausible_address(item.as_string().str)) {
        return config_error(file, "notifications.from must be an email address");
      }
      delivery.from = item.as_string().str;
    } else if (key == "retry_initial_s") {
      if (!item.is_integer() || item.as_integer() < 1 || item.as_integer() > 3600) {
        return config_error(file, "notifications.retry_initial_s must be an integer from 1 to 3600");
      }
      delivery.retry_initial = std::chrono::seconds(item.as_integer());
    } else {
      return config_error(file, "unknown key notifications." + key);
    }
  }
  if (!delivery.command.empty() && !delivery.smtp_relay.empty()) {
    return config_error(file, "[notifications] takes command or smtp_relay, not both");
  }
  return delivery;
}

// A TOML basic string: quotes, backslashes and control characters escaped.
std::string toml_string(std::string_view text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out = "\"";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte == 0x7f) {
      out += "\\u00";
      out += hex[byte >> 4];
      out += hex[byte & 15];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// [webauthn]: the relying party. The id must be the domain users reach authd
// on (or a parent of it); the core checks the policy's origins against it.
common::Result<core::RelyingPartyConfig> parse_webauthn_table(const std::filesystem::path& file,
                                                              const toml::value& value) {
  if (!value.is_table()) return config_error(file, "[webauthn] must be a table");
  core::RelyingPartyConfig rp;
  for (const auto& [key, item] : value.as_table()) {
    if (key == "rp_id" || key == "rp_name") {
      if (!item.is_string() || item.as_string().str.empty() || item.as_string().str.size() > 253 ||
          item.as_string().str.find('\0') != std::string::npos) {
        return config_error(file, "webauthn." + key + " must be a non-empty string");
      }
      (key == "rp_id" ? rp.id : rp.name) = item.as_string().str;
    } else {
      return config_error(file, "unknown key webauthn." + key);
    }
  }
  return rp;
}

std::string webauthn_example_toml() {
  return R"(
# The WebAuthn relying party security keys are bound to: the domain users
# reach authd on (a key registered for one id never works for another), and
# the name browsers show. Allowed origins are in policy.toml [webauthn].
[webauthn]
rp_id = "localhost"
rp_name = "authd"
)";
}

std::string notifications_example_toml() {
  return R"(
# How the notifications outbox (suspensions, vetting warnings) is delivered.
# Without this table messages wait in the outbox (`authctl notifications list`).
# Either a command that reads one RFC 5322 message on stdin (run without a
# shell; the program as an absolute path) or an SMTP relay, not both.
#[notifications]
#command = ["/usr/sbin/sendmail", "-t", "-i"]
#smtp_relay = "mail.example.org:25"
#from = "authd@example.org"
#retry_initial_s = 30
)";
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
  std::optional<HsmTable> hsm;
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
    } else if (key == "hsm") {
      auto table = parse_hsm_table(file, value);
      if (!table) return table.error();
      hsm = std::move(*table);
    } else if (key == "webauthn") {
      auto rp = parse_webauthn_table(file, value);
      if (!rp) return rp.error();
      config.relying_party = std::move(*rp);
    } else if (key == "notifications") {
      auto delivery = parse_notifications_table(file, value);
      if (!delivery) return delivery.error();
      config.notifications = std::move(*delivery);
    } else {
      return config_error(file, "unknown key " + key);
    }
  }
  if (!hsm) {
    return config_error(file,
                        "no [hsm] table: authd keeps its keys in a PKCS#11 token; a data "
                        "directory made before HSM support is brought up to date with "
                        "`authd upgrade --data-dir DIR` (see docs/keys.md)");
  }
  config.tls_certificate = data_dir / certificate;  // an absolute right side wins
  config.tls_private_key = data_dir / private_key;
  config.hsm.module = hsm->module;
  config.hsm.token_uri = hsm->token;
  config.hsm.pin_file = data_dir / hsm->pin_file;
  if (!hsm->softhsm2_conf.empty()) config.hsm.softhsm2_conf = data_dir / hsm->softhsm2_conf;
  config.hsm.sessions = hsm->sessions;
  return config;
}

std::string default_daemon_config_toml(const HsmTable& hsm) {
  std::string text = R"(# authd daemon settings (security policy is in policy.toml).

# Address and port to accept HTTPS connections on: HOST:PORT, an IPv6 host in
# brackets ("[::1]:8443"). `authd serve --listen` overrides it.
listen = "127.0.0.1:8443"

[tls]
# PEM certificate chain (leaf first) and its private key (no passphrase).
# Relative paths are relative to the data directory.
certificate = "tls/cert.pem"
private_key = "tls/key.pem"

)";
  return text + hsm_config_toml(hsm) + webauthn_example_toml() + notifications_example_toml();
}

std::string hsm_config_toml(const HsmTable& hsm) {
  std::string text = R"([hsm]
# The PKCS#11 token holding the audit, assertion and wrapping keys (see
# docs/keys.md): a p11-kit module name or an absolute path to the module's .so,
# and the token's PKCS#11 URI (RFC 7512).
)";
  text += "module = " + toml_string(hsm.module) + "\n";
  text += "token = " + toml_string(hsm.token) + "\n";
  text +=
      "# The user PIN, in a file only authd's user may read (0600); relative paths are\n"
      "# relative to the data directory.\n";
  text += "pin_file = " + toml_string(hsm.pin_file) + "\n";
  if (!hsm.softhsm2_conf.empty()) {
    text += "# SoftHSM only: its configuration file (exported as SOFTHSM2_CONF).\n";
    text += "softhsm2_conf = " + toml_string(hsm.softhsm2_conf) + "\n";
  }
  text += "# Logged-in sessions kept open (1..64); requests beyond this wait for one.\n";
  text += "sessions = " + std::to_string(hsm.sessions) + "\n";
  return text;
}


}  // namespace authd
