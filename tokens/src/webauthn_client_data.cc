// clientDataJSON checks. Parsed with nlohmann-json's non-throwing parser; a
// missing or mistyped member is malformed, never an exception.
#include "webauthn_client_data.h"

#include <nlohmann/json.hpp>

#include "webauthn_digest.h"

namespace tokens::webauthn::detail {

std::optional<Refusal> check_client_data(std::string_view client_data_json,
                                         std::string_view expected_type,
                                         std::span<const uint8_t> challenge,
                                         const std::vector<std::string>& origins) {
  const auto doc = nlohmann::json::parse(client_data_json, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return Refusal::malformed;
  const auto type = doc.find("type");
  const auto sent_challenge = doc.find("challenge");
  const auto origin = doc.find("origin");
  if (type == doc.end() || !type->is_string() || sent_challenge == doc.end() ||
      !sent_challenge->is_string() || origin == doc.end() || !origin->is_string()) {
    return Refusal::malformed;
  }
  const auto cross_origin = doc.find("crossOrigin");
  if (cross_origin != doc.end() && !cross_origin->is_boolean()) return Refusal::malformed;

  if (type->get_ref<const std::string&>() != expected_type) return Refusal::wrong_type;

  // The challenge is decoded rather than compared as text, so only the one
  // canonical encoding of the issued bytes is accepted.
  const auto decoded = base64url_decode(sent_challenge->get_ref<const std::string&>());
  if (!decoded || challenge.empty() || !constant_time_equal(*decoded, challenge)) {
    return Refusal::wrong_challenge;
  }

  const auto& sent_origin = origin->get_ref<const std::string&>();
  bool allowed = false;
  for (const auto& o : origins) allowed = allowed || o == sent_origin;
  if (!allowed) return Refusal::wrong_origin;
  // authd is never embedded in another site's frame: a cross-origin ceremony
  // is someone else's page asking for our credential.
  if (cross_origin != doc.end() && cross_origin->get<bool>()) return Refusal::wrong_origin;
  return std::nullopt;
}

}  // namespace tokens::webauthn::detail
