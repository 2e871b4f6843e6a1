// core::load_trusted_keys: the public keys an investigator trusts, from PEM
// files and/or keys.json. A key's id is always recomputed from the key
// itself (RFC 7638 thumbprint), so a file cannot make a checkpoint by one key
// pass as signed by another.
#include <fstream>
#include <nlohmann/json.hpp>
#include <system_error>

#include "audit/rfc3339.h"
#include "core/audit_evidence.h"
#include "hsm/hsm.h"

namespace core {
namespace {

using common::Errc;
using common::make_error;

constexpr uintmax_t kMaxKeyFile = 1 << 20;

common::Error bad_file(const std::filesystem::path& path, const std::string& why) {
  return make_error(Errc::bad_request, path.string() + ": " + why);
}

common::Result<std::string> read_small_file(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return bad_file(path, "cannot read: " + ec.message());
  if (size > kMaxKeyFile) return bad_file(path, "larger than 1 MiB");
  std::ifstream in(path, std::ios::binary);
  std::string text(static_cast<size_t>(size), '\0');
  if (!in || !in.read(text.data(), static_cast<std::streamsize>(size))) {
    return bad_file(path, "cannot read");
  }
  return text;
}

common::Result<void> from_keys_json(const std::filesystem::path& path, const std::string& text,
                                    std::vector<TrustedKey>& out) {
  const auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("keys") || !doc["keys"].is_array()) {
    return bad_file(path, "not a keys.json document ({\"keys\":[...]})");
  }
  for (const auto& item : doc["keys"]) {
    if (!item.is_object() || !item.contains("purpose") || !item["purpose"].is_string()) {
      return bad_file(path, "a key without a purpose");
    }
    if (item["purpose"] != "audit") continue;
    auto text_of = [&item](const char* name) -> std::optional<std::string> {
      const auto it = item.find(name);
      if (it == item.end() || !it->is_string()) return std::nullopt;
      return it->get<std::string>();
    };
    const auto key_id = text_of("key_id");
    const auto pem = text_of("public_key_pem");
    const auto created = text_of("created_at");
    if (!key_id || !pem || !created) {
      return bad_file(path, "an audit key lacks key_id, public_key_pem or created_at");
    }
    auto der = hsm::spki_der_from_pem(*pem);
    if (!der) return bad_file(path, "key " + *key_id + ": " + der.error().message);
    auto thumbprint = hsm::jwk_thumbprint(*der);
    if (!thumbprint) return bad_file(path, "key " + *key_id + ": " + thumbprint.error().message);
    if (*thumbprint != *key_id) {
      return bad_file(path, "key_id " + *key_id + " is not the thumbprint of its public key (" +
                                *thumbprint + ")");
    }
    TrustedKey key;
    key.key_id = *thumbprint;
    key.spki_der = std::move(*der);
    key.valid_from = audit::parse_rfc3339(*created);
    if (!key.valid_from) return bad_file(path, "key " + *key_id + ": created_at is not RFC 3339");
    const auto retired = item.find("retired_at");
    if (retired != item.end() && !retired->is_null()) {
      if (!retired->is_string()) return bad_file(path, "key " + *key_id + ": bad retired_at");
      key.valid_until = audit::parse_rfc3339(retired->get<std::string>());
      if (!key.valid_until) {
        return bad_file(path, "key " + *key_id + ": retired_at is not RFC 3339");
      }
    }
    out.push_back(std::move(key));
  }
  return {};
}

}  // namespace

Result<std::vector<TrustedKey>> load_trusted_keys(const std::vector<std::filesystem::path>& files) {
  std::vector<TrustedKey> keys;
  for (const auto& path : files) {
    auto text = read_small_file(path);
    if (!text) return text.error();
    const auto first = text->find_first_not_of(" \t\r\n");
    if (first != std::string::npos && (*text)[first] == '{') {
      auto loaded = from_keys_json(path, *text, keys);
      if (!loaded) return loaded.error();
      continue;
    }
    auto der = hsm::spki_der_from_pem(*text);
    if (!der) return bad_file(path, der.error().message);
    auto thumbprint = hsm::jwk_thumbprint(*der);
    if (!thumbprint) return bad_file(path, thumbprint.error().message);
    keys.push_back(TrustedKey{std::move(*thumbprint), std::move(*der), std::nullopt, std::nullopt});
  }
  return keys;
}

}  // namespace core
