// parse_server_url: kept apart from the Beast code so that it compiles fast
// and can be tested without a network.
#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "provisioning/https_client.h"

namespace provisioning {
namespace {

common::Error bad_url(const std::string& url, const std::string& why) {
  return common::make_error(common::Errc::bad_request, "invalid server URL '" + url + "': " + why,
                            "server");
}

bool is_host_name(const std::string& host) {
  // Letters, digits, '-' and '.' cover DNS names and IPv4 literals; anything
  // else (spaces, '%', '_', ...) is a typing error rather than a host.
  return !host.empty() && std::all_of(host.begin(), host.end(), [](unsigned char c) {
    return std::isalnum(c) != 0 || c == '-' || c == '.';
  });
}

// The URL as it may appear in a message: a password someone put in it
// (https://user:pw@host) is cut out.
std::string redacted(const std::string& url) {
  const auto scheme_end = url.find("://");
  const auto start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
  const auto end = url.find_first_of("/?#", start);
  const auto at = url.rfind('@', end == std::string::npos ? std::string::npos : end);
  if (at == std::string::npos || at < start) return url;
  return url.substr(0, start) + "***" + url.substr(at);
}

}  // namespace

common::Result<HttpsTarget> parse_server_url(const std::string& raw_url,
                                             const std::string& cafile) {
  const std::string url = redacted(raw_url);
  constexpr std::string_view kScheme = "https://";
  if (raw_url.size() < kScheme.size() ||
      !std::equal(kScheme.begin(), kScheme.end(), raw_url.begin(), [](char a, char b) {
        return a == std::tolower(static_cast<unsigned char>(b));
      })) {
    return bad_url(url, "it must start with https://");
  }
  const std::string rest = raw_url.substr(kScheme.size());
  const std::string authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string::npos) {
    return bad_url(url, "user names or passwords do not belong in the URL");
  }

  HttpsTarget target;
  target.cafile = cafile;
  std::string port_part;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string::npos) return bad_url(url, "missing ']' after the IPv6 address");
    target.host = authority.substr(1, close - 1);
    in6_addr addr{};
    if (inet_pton(AF_INET6, target.host.c_str(), &addr) != 1) {
      return bad_url(url, "'" + target.host + "' is not an IPv6 address");
    }
    const std::string after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad_url(url, "unexpected text after ']'");
      port_part = after.substr(1);
      if (port_part.empty()) return bad_url(url, "empty port");
    }
  } else {
    const auto colon = authority.find(':');
    target.host = authority.substr(0, colon);
    if (colon != std::string::npos) {
      port_part = authority.substr(colon + 1);
      if (port_part.empty()) return bad_url(url, "empty port");
    }
    if (target.host.empty()) return bad_url(url, "no host");
    if (!is_host_name(target.host)) return bad_url(url, "'" + target.host + "' is not a host name");
  }

  if (port_part.empty()) {
    target.port = "443";
  } else {
    if (port_part.size() > 5 ||
        !std::all_of(port_part.begin(), port_part.end(),
                     [](unsigned char c) { return std::isdigit(c) != 0; })) {
      return bad_url(url, "port '" + port_part + "' is not a number");
    }
    const int port = std::stoi(port_part);
    if (port < 1 || port > 65535) return bad_url(url, "port must be between 1 and 65535");
    target.port = std::to_string(port);
  }
  return target;
}

}  // namespace provisioning
