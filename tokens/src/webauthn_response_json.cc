// RegistrationResponseJSON / AuthenticationResponseJSON (WebAuthn Level 3
// section 5.1): what credential.toJSON() produces. Parsed without exceptions;
// every member used is type-checked, the rest ignored.
#include <nlohmann/json.hpp>

#include "tokens/webauthn.h"

namespace tokens::webauthn {
namespace {

using nlohmann::json;

const json* member(const json& object, const char* name) {
  const auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

std::optional<Bytes> b64_member(const json& object, const char* name) {
  const json* value = member(object, name);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return base64url_decode(value->get_ref<const std::string&>());
}

// The envelope both responses share: type, id == rawId, a response object.
// Returns the response object and rawId.
const json* envelope(const json& doc, Bytes& raw_id) {
  if (!doc.is_object()) return nullptr;
  const json* type = member(doc, "type");
  const json* id = member(doc, "id");
  const json* response = member(doc, "response");
  if (type == nullptr || !type->is_string() || *type != "public-key") return nullptr;
  if (id == nullptr || !id->is_string() || response == nullptr || !response->is_object()) {
    return nullptr;
  }
  auto raw = b64_member(doc, "rawId");
  if (!raw || raw->empty()) return nullptr;
  const auto id_bytes = base64url_decode(id->get_ref<const std::string&>());
  if (!id_bytes || *id_bytes != *raw) return nullptr;
  raw_id = std::move(*raw);
  return response;
}

}  // namespace

Verdict<RegistrationResponse> parse_registration_response(std::string_view text) {
  const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  RegistrationResponse out;
  const json* response = envelope(doc, out.raw_id);
  if (response == nullptr) return Refusal::malformed;
  auto client_data = b64_member(*response, "clientDataJSON");
  auto attestation = b64_member(*response, "attestationObject");
  if (!client_data || !attestation) return Refusal::malformed;
  out.client_data_json.assign(client_data->begin(), client_data->end());
  out.attestation_object = std::move(*attestation);
  if (const json* transports = member(*response, "transports")) {
    if (!transports->is_array()) return Refusal::malformed;
    for (const auto& t : *transports) {
      if (!t.is_string()) return Refusal::malformed;
      out.transports.push_back(t.get<std::string>());
    }
  }
  return out;
}

Verdict<AssertionResponse> parse_assertion_response(std::string_view text) {
  const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  AssertionResponse out;
  const json* response = envelope(doc, out.raw_id);
  if (response == nullptr) return Refusal::malformed;
  auto client_data = b64_member(*response, "clientDataJSON");
  auto auth_data = b64_member(*response, "authenticatorData");
  auto signature = b64_member(*response, "signature");
  if (!client_data || !auth_data || !signature) return Refusal::malformed;
  out.client_data_json.assign(client_data->begin(), client_data->end());
  out.authenticator_data = std::move(*auth_data);
  out.signature = std::move(*signature);
  if (const json* handle = member(*response, "userHandle");
      handle != nullptr && !handle->is_null()) {
    auto bytes = b64_member(*response, "userHandle");
    if (!bytes) return Refusal::malformed;
    out.user_handle = std::move(*bytes);
  }
  return out;
}

}  // namespace tokens::webauthn
