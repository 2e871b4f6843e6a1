// otpauth:// enrolment URIs in the form Google Authenticator documents
// ("Key Uri Format"), which every common authenticator app reads.
#include <string>

#include "common/secret.h"
#include "tokens/totp.h"

namespace tokens {
namespace {

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// RFC 3986: everything outside the unreserved set is escaped, so a ':' in an
// account name cannot be mistaken for the issuer separator, nor '&' or '#' for
// URI structure.
void append_percent_encoded(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : text) {
    if (unreserved(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0f]);
    }
  }
}

}  // namespace

std::string otpauth_uri(std::string_view issuer, std::string_view account,
                        std::span<const uint8_t> secret, const TotpParams& params) {
  std::string secret_text = base32_encode(secret);
  std::string uri;
  // Room for the worst case up front, so appending never reallocates and
  // leaves a stray copy of the secret in freed memory.
  uri.reserve(64 + 6 * issuer.size() + 3 * account.size() + secret_text.size());
  uri = "otpauth://totp/";
  append_percent_encoded(uri, issuer);
  uri.push_back(':');
  append_percent_encoded(uri, account);
  uri += "?secret=";
  uri += secret_text;
  common::wipe(secret_text);
  // The issuer parameter repeats the label prefix on purpose: apps that key
  // accounts by it ignore the label, older ones read only the label.
  uri += "&issuer=";
  append_percent_encoded(uri, issuer);
  uri += "&algorithm=";
  uri += totp_algorithm_name(params.algorithm);
  uri += "&digits=";
  uri += std::to_string(params.digits);
  uri += "&period=";
  uri += std::to_string(params.period.count());
  return uri;
}

}  // namespace tokens
