// Errors as values across module boundaries.
//
// A Result<T> holds either a T or an Error. Error codes are few and stable; the
// daemon maps each to one HTTP status in one place (authd/error_mapping.cc).
// Messages are for people and never contain a secret.
//
// Thread safety: plain value types; no shared state.
#pragma once

#include <cassert>
#include <chrono>
#include <cstdlib>
#include <string>
#include <utility>
#include <variant>

namespace common {

enum class Errc {
  bad_request,               // the caller's input is malformed; `field` names it when known
  weak_password,             // the new password breaks the password policy
  invalid_credentials,       // any failed credential, one generic answer
  invalid_session,           // unknown, expired, idle or logged-out session
  too_many_attempts,         // throttled; `retry_after` says for how long
  account_suspended,
  account_closed,
  password_change_required,  // the session may only change its password
  forbidden,                 // authenticated, but not allowed to do this
  not_found,
  conflict,                  // the request contradicts the current state
  unavailable,               // a dependency (store, HSM) failed; the action did not happen
  internal,                  // a bug; never the caller's fault
};

// The stable wire name of a code, e.g. "invalid_credentials".
const char* errc_name(Errc code) noexcept;

struct Error {
  Errc code = Errc::internal;
  std::string message;
  std::string field;                     // for bad_request: the offending field, if any
  std::chrono::seconds retry_after{0};   // for too_many_attempts
};

inline Error make_error(Errc code, std::string message, std::string field = {}) {
  return Error{code, std::move(message), std::move(field), std::chrono::seconds{0}};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}      // NOLINT: implicit by design

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  // Preconditions: ok() for value(), !ok() for error(); violated ones abort.
  T& value() & { check(ok()); return std::get<0>(v_); }
  const T& value() const& { check(ok()); return std::get<0>(v_); }
  T&& value() && { check(ok()); return std::get<0>(std::move(v_)); }
  const Error& error() const { check(!ok()); return std::get<1>(v_); }

  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  static void check(bool condition) { if (!condition) std::abort(); }
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design

  bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const Error& error() const { if (ok_) std::abort(); return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace common
