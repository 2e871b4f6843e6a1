// A fixed number of logged-in read/write sessions on one token, lent to one
// caller at a time.
//
// PKCS#11 login state belongs to the application, not the session: one
// C_Login serves every session this process has open on the token. A session
// the token has dropped (closed, logged out, device removed) is discarded by
// the borrower; the next borrow opens a replacement and logs in again if the
// token says the application is no longer logged in.
//
// Thread safety: borrow() may be called from any number of threads; callers
// beyond the pool size wait. The pool must outlive every Lease.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

#include "common/result.h"
#include "pkcs11.h"

namespace hsm::internal {

class SessionPool {
 public:
  // `login` runs C_Login(CKU_USER) on a session (reading the PIN afresh).
  using Login = std::function<common::Result<void>(ck_session_handle_t)>;

  SessionPool(CK_FUNCTION_LIST* f, ck_slot_id_t slot, unsigned size, Login login);
  ~SessionPool();  // closes the sessions (the token logs out with the last)
  SessionPool(const SessionPool&) = delete;
  SessionPool& operator=(const SessionPool&) = delete;

  // Opens every session and logs in; errors as C_OpenSession / the login.
  common::Result<void> start();

  class Lease {
   public:
    Lease(SessionPool* pool, ck_session_handle_t session) : pool_(pool), session_(session) {}
    Lease(Lease&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)),
          session_(other.session_),
          broken_(other.broken_) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease();

    ck_session_handle_t get() const { return session_; }
    // Call with every failed rv: a session-level failure retires the session.
    void note(ck_rv_t rv);

   private:
    SessionPool* pool_;
    ck_session_handle_t session_;
    bool broken_ = false;
  };

  // A logged-in session; unavailable if a replacement cannot be opened.
  common::Result<Lease> borrow();

 private:
  common::Result<ck_session_handle_t> open_logged_in();
  void give_back(ck_session_handle_t session, bool broken);

  CK_FUNCTION_LIST* f_;
  ck_slot_id_t slot_;
  unsigned size_;
  Login login_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<ck_session_handle_t> idle_;
  unsigned open_ = 0;  // idle + lent
};

}  // namespace hsm::internal
