// PublicKeyCredentialCreationOptionsJSON / RequestOptionsJSON (WebAuthn Level 3
// sections 5.1.8 and 5.1.9), the shapes PublicKeyCredential.parse*FromJSON()
// take. Optional members are left out rather than sent empty where the
// browser's default is the same.
#include <nlohmann/json.hpp>

#include "tokens/webauthn.h"

namespace tokens::webauthn {
namespace {

nlohmann::json descriptors(const std::vector<CredentialDescriptor>& list) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : list) {
    nlohmann::json entry = {{"type", "public-key"}, {"id", base64url_encode(d.id)}};
    if (!d.transports.empty()) entry["transports"] = d.transports;
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace

std::string creation_options_json(const CreationOptions& o) {
  nlohmann::json params = nlohmann::json::array();
  for (int32_t alg : {kCoseEs256, kCoseEdDsa, kCoseRs256}) {
    params.push_back({{"type", "public-key"}, {"alg", alg}});
  }
  nlohmann::json selection = {
      {"residentKey", o.resident_key},
      {"requireResidentKey", o.resident_key == "required"},
      {"userVerification", user_verification_name(o.user_verification)},
  };
  if (!o.authenticator_attachment.empty()) {
    selection["authenticatorAttachment"] = o.authenticator_attachment;
  }
  const nlohmann::json doc = {
      {"rp", {{"id", o.rp.id}, {"name", o.rp.name}}},
      {"user",
       {{"id", base64url_encode(o.user_id)},
        {"name", o.user_name},
        {"displayName", o.user_display_name}}},
      {"challenge", base64url_encode(o.challenge)},
      {"pubKeyCredParams", std::move(params)},
      {"timeout", o.timeout.count()},
      {"excludeCredentials", descriptors(o.exclude_credentials)},
      {"authenticatorSelection", std::move(selection)},
      {"attestation", o.attestation},
  };
  // Invalid UTF-8 in a name is replaced rather than thrown on.
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string request_options_json(const RequestOptions& o) {
  const nlohmann::json doc = {
      {"challenge", base64url_encode(o.challenge)},
      {"timeout", o.timeout.count()},
      {"rpId", o.rp_id},
      {"allowCredentials", descriptors(o.allow_credentials)},
      {"userVerification", user_verification_name(o.user_verification)},
  };
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace tokens::webauthn
