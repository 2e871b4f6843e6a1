#include "webauthn/options.h"

#include <chrono>

#include "webauthn/ceremony.h"

namespace core::webauthn {
namespace {

std::chrono::milliseconds timeout_of(const Context& ctx) {
  return std::chrono::seconds(ctx.policy().webauthn.challenge_timeout_s);
}

}  // namespace

std::vector<tokens::webauthn::CredentialDescriptor> descriptors_of(
    const std::vector<store::WebAuthnCredentialRecord>& credentials) {
  std::vector<tokens::webauthn::CredentialDescriptor> out;
  for (const auto& credential : credentials) {
    out.push_back({credential.credential_id, credential.transports});
  }
  return out;
}

std::string creation_options(const Context& ctx, const store::UserRecord& user,
                             const store::CeremonyRecord& ceremony,
                             const std::vector<store::WebAuthnCredentialRecord>& registered) {
  const auto& policy = ctx.policy().webauthn;
  tokens::webauthn::CreationOptions options;
  options.rp = ctx.webauthn->rp;
  options.user_id = user_handle(ctx, user.id);
  options.user_name = user.username;
  options.user_display_name = user.display_name;
  options.challenge = ceremony.challenge;
  options.timeout = timeout_of(ctx);
  // Every key the user already has, whatever its state: registering the
  // same authenticator twice would let a lost or revoked key back in.
  options.exclude_credentials = descriptors_of(registered);
  options.user_verification = ctx.webauthn->user_verification;
  options.resident_key = policy.resident_key;
  options.authenticator_attachment =
      policy.authenticator_attachment == "any" ? "" : policy.authenticator_attachment;
  options.attestation = policy.attestation;
  return tokens::webauthn::creation_options_json(options);
}

std::string request_options(const Context& ctx, const store::CeremonyRecord& ceremony,
                            std::vector<tokens::webauthn::CredentialDescriptor> allowed) {
  tokens::webauthn::RequestOptions options;
  options.rp_id = ctx.webauthn->rp.id;
  options.challenge = ceremony.challenge;
  options.timeout = timeout_of(ctx);
  options.allow_credentials = std::move(allowed);
  options.user_verification = ctx.webauthn->user_verification;
  return tokens::webauthn::request_options_json(options);
}

tokens::webauthn::RegistrationExpectation registration_expectation(
    const Context& ctx, const store::CeremonyRecord& ceremony) {
  tokens::webauthn::RegistrationExpectation expected;
  expected.rp = ctx.webauthn->rp;
  expected.challenge = ceremony.challenge;
  expected.user_verification = ctx.webauthn->user_verification;
  expected.attestation = ctx.webauthn->attestation;
  return expected;
}

tokens::webauthn::AssertionExpectation assertion_expectation(
    const Context& ctx, const store::CeremonyRecord& ceremony) {
  tokens::webauthn::AssertionExpectation expected;
  expected.rp = ctx.webauthn->rp;
  expected.challenge = ceremony.challenge;
  expected.user_verification = ctx.webauthn->user_verification;
  if (ceremony.user_id) expected.user_handle = user_handle(ctx, *ceremony.user_id);
  return expected;
}

}  // namespace core::webauthn
