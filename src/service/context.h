// What every core operation needs: configuration, the store, the password
// rules, the session cache and the login throttles. One Context per Service,
// built by Service::open and shared by the operation files (login/,
// accounts/, enrolment/, ...).
//
// Thread safety: the members are themselves thread-safe (Store, SessionManager,
// FailureThrottle) or immutable after construction (policy, rules, params).
#pragma once

#include <memory>
#include <mutex>
#include <string_view>

#include "audit/checkpointer.h"
#include "common/secret.h"
#include "core/service.h"
#include "enrolment/totp_secret.h"
#include "hsm/hsm.h"
#include "keys/key_ring.h"
#include "login/failure_throttle.h"
#include "login/refusal_sampler.h"
#include "password/password.h"
#include "service/health_state.h"
#include "sessions/session_manager.h"
#include "store/store.h"
#include "tokens/totp.h"
#include "webauthn/setup.h"

namespace core {
namespace lifecycle {
class Background;  // lifecycle/: the sweep scheduler and outbox deliverer
}

// The associated data of the in-memory dummy seed: no token id looks like it.
inline constexpr std::string_view kDummySeedAad = "authd-dummy-seed";

struct Context {
  Config config;
  std::unique_ptr<store::Store> store;
  std::shared_ptr<const password::PasswordRules> rules;
  password::Argon2Params argon2;
  tokens::TotpParams totp;
  std::unique_ptr<sessions::SessionManager> sessions;
  // Consecutive failures per source address, across accounts.
  std::unique_ptr<login::FailureThrottle> address_throttle;
  // Consecutive failures per unknown username, so that an unknown name is
  // throttled exactly like a real account and 429s reveal nothing.
  std::unique_ptr<login::FailureThrottle> unknown_user_throttle;
  // Rate-limits audit entries for throttled/locked refusals (see the header).
  std::unique_ptr<login::RefusalSampler> refusal_sampler;
  // Unwrapped and verified against when a user has no active token, so the
  // work (HSM call included) and the answer when the HSM is down are the same.
  enrolment::SealedSeed dummy_sealed_seed;

  // The token with the keys (Config.hsm), the registry of keys in memory,
  // the seed wrapper over both, and the audit checkpoint signer (absent
  // until the Service starts; initialise signs without a thread).
  std::shared_ptr<hsm::Hsm> hsm;
  HealthState health;
  keys::KeyRing keys;
  std::unique_ptr<enrolment::SeedVault> vault;
  std::unique_ptr<audit::Checkpointer> checkpointer;
  // One key rotation at a time (and the export of DIR/keys with it).
  std::mutex rotation_mutex;
  // Relying party, attestation rules and the decoy key (set by start()).
  std::unique_ptr<webauthn::Setup> webauthn;
  // Started by lifecycle::start_background, joined by stop_background.
  std::shared_ptr<lifecycle::Background> background;

  const policy::Policy& policy() const { return config.policy; }
  int64_t now() const { return common::unix_seconds(config.clock->now()); }
  common::Random& random() const { return *config.random; }
};

}  // namespace core
