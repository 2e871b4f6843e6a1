// The login flow (password + TOTP), core::Service::login.
//
// Order: per-address throttle -> account (or unknown-name) throttle and lock
// -> Argon2id password check (a dummy hash for unknown users) -> TOTP check
// against the user's active tokens (a dummy seed when there are none) -> in
// one write transaction: the TOTP step is taken by compare-and-set (a
// concurrent replay of the same code fails), the account state is checked,
// the session is created, counters move, and the audit entry is written.
//
// Every wrong credential (unknown_user, bad_password, no_active_token,
// bad_otp, replayed_otp) does the same Argon2id and TOTP work and answers the
// same invalid_credentials error; only the audit reason differs. Throttled
// and locked attempts are refused before any verification (429, so that a
// locked account is no oracle for guessing) and a locked account stays locked
// even when both factors are right, until an administrator unlocks it (a
// later issue). A suspended or closed account is named only after both
// factors were right.
//
// HSM down: every attempt that reaches the TOTP check unwraps at least one
// seed (a dummy one, sealed at start-up, for unknown users and users without
// a token), so when the HSM fails every such attempt, whoever it names and
// whatever its password, answers unavailable (503) and is audited with
// reason hsm_unavailable, without touching failure counters: an outage must
// neither lock users out nor tell a right password from a wrong one.
//
// Concurrency: Argon2id runs outside any lock or transaction, so logins hash
// in parallel. The throttle check reads before hashing, so at most one extra
// attempt per concurrent request can slip past a threshold being crossed.
//
// Thread safety: as Context.
#pragma once

#include "common/result.h"
#include "core/service.h"
#include "service/context.h"

namespace core::login {

// Audit reason codes for login attempts.
inline constexpr const char* kOk = "ok";
inline constexpr const char* kUnknownUser = "unknown_user";
inline constexpr const char* kBadPassword = "bad_password";
inline constexpr const char* kBadOtp = "bad_otp";
inline constexpr const char* kReplayedOtp = "replayed_otp";
inline constexpr const char* kNoActiveToken = "no_active_token";
inline constexpr const char* kThrottled = "throttled";
inline constexpr const char* kLocked = "locked";
inline constexpr const char* kAccountSuspended = "account_suspended";
inline constexpr const char* kAccountClosed = "account_closed";
// The HSM could not unwrap a seed (or the dummy seed): nothing was decided.
inline constexpr const char* kHsmUnavailable = "hsm_unavailable";
// A stored seed does not decrypt (its row was altered or moved), and no
// other token took the code. Audited under this reason for the
// administrators, but answered and counted as a wrong code: it is reached
// only with the right password, so a distinct answer would confirm the
// password, and an uncounted one would let the code be guessed unthrottled.
inline constexpr const char* kSeedUndecryptable = "seed_undecryptable";
// Nominated or rejected: never approved (the caller gets account_suspended
// with a message saying so).
inline constexpr const char* kAccountNotActive = "account_not_active";
// The user's role requires a security key (webauthn.required_for_roles) and
// the login used a TOTP code.
inline constexpr const char* kTokenTypeNotAllowed = "token_type_not_allowed";
// Security-key login (key_login.h): the assertion was refused (the audit
// detail names tokens::webauthn's refusal), or the ceremony was a decoy.
inline constexpr const char* kBadKeyResponse = "bad_key_response";
inline constexpr const char* kDecoyCeremony = "decoy_ceremony";
// Not an audit reason: what a security-key login's first step counts under
// when the password was right. Every first step counts as a failure until
// its key answers (key_login_begin.cc), so the counts cannot tell the right
// password from a wrong one; a successful finish clears it.
inline constexpr const char* kAwaitingKey = "awaiting_key";
inline constexpr const char* kUnknownCeremony = "unknown_ceremony";
inline constexpr const char* kCloneSuspected = "clone_suspected";
// Enrolment of a key without a session: wrong, used or expired code.
inline constexpr const char* kBadEnrolmentCode = "bad_enrolment_code";

common::Result<LoginGrant> login(Context& ctx, const LoginRequest& request);

}  // namespace core::login
