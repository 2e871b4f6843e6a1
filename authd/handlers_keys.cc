// The keys in the token as authd records them, their rotation, and the JWKS
// that relying parties fetch to check assertions.
#include <array>

#include "authd/error_mapping.h"
#include "handlers.h"
#include "hsm/hsm.h"
#include "views_json.h"

namespace authd {
namespace {

constexpr std::array<std::string_view, 3> kPurposes = {"audit", "assertion", "wrap"};

}  // namespace

HttpResponse handle_list_keys(const RequestContext& context) {
  auto keys = context.service.list_keys(*context.principal);
  if (!keys) return error_response(keys.error());
  nlohmann::json list = nlohmann::json::array();
  for (const core::KeyView& key : *keys) list.push_back(key_json(key));
  return json_response(200, nlohmann::json{{"keys", std::move(list)}});
}

HttpResponse handle_rotate_key(const RequestContext& context) {
  const std::string& purpose = context.params[0];
  bool known = false;
  for (std::string_view candidate : kPurposes) known = known || candidate == purpose;
  if (!known)
    return error_response(404, "not_found", "no such key purpose (audit, assertion, wrap)");
  if (auto empty = expect_empty_object(context.request); !empty) {
    return error_response(empty.error());
  }
  auto key = context.service.rotate_key(*context.principal, purpose);
  if (!key) return error_response(key.error());
  return json_response(201, key_json(*key));
}

HttpResponse handle_jwks(const RequestContext& context) {
  auto keys = context.service.list_keys();
  if (!keys) return error_response(keys.error());
  nlohmann::json list = nlohmann::json::array();
  for (const core::KeyView& key : *keys) {
    if (key.purpose != "assertion") continue;
    auto der = hsm::spki_der_from_pem(key.public_key_pem);
    auto jwk = der ? hsm::public_jwk(*der) : common::Result<std::string>(der.error());
    nlohmann::json parsed =
        jwk ? nlohmann::json::parse(*jwk, nullptr, false) : nlohmann::json(nullptr);
    if (!parsed.is_object()) {
      return error_response(common::make_error(
          common::Errc::internal, "assertion key " + key.key_id + " has no usable public key"));
    }
    list.push_back(std::move(parsed));
  }
  return json_response(200, nlohmann::json{{"keys", std::move(list)}});
}

}  // namespace authd
