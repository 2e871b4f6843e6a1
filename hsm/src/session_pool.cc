#include "session_pool.h"

#include "ckr_names.h"

namespace hsm::internal {

SessionPool::SessionPool(CK_FUNCTION_LIST* f, ck_slot_id_t slot, unsigned size, Login login)
    : f_(f), slot_(slot), size_(size), login_(std::move(login)) {}

SessionPool::~SessionPool() {
  for (ck_session_handle_t session : idle_) f_->C_CloseSession(session);
}

common::Result<void> SessionPool::start() {
  for (unsigned i = 0; i < size_; ++i) {
    auto session = open_logged_in();
    if (!session) return session.error();
    std::lock_guard lock(mutex_);
    idle_.push_back(*session);
    ++open_;
  }
  return {};
}

common::Result<ck_session_handle_t> SessionPool::open_logged_in() {
  ck_session_handle_t session = 0;
  ck_rv_t rv =
      f_->C_OpenSession(slot_, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &session);
  if (rv != CKR_OK) return ckr_error("C_OpenSession", rv);
  struct ck_session_info info = {};
  rv = f_->C_GetSessionInfo(session, &info);
  if (rv != CKR_OK) {
    f_->C_CloseSession(session);
    return ckr_error("C_GetSessionInfo", rv);
  }
  if (info.state != CKS_RW_USER_FUNCTIONS) {
    auto logged_in = login_(session);
    if (!logged_in) {
      f_->C_CloseSession(session);
      return logged_in.error();
    }
  }
  return session;
}

common::Result<SessionPool::Lease> SessionPool::borrow() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [&] { return !idle_.empty() || open_ < size_; });
  if (!idle_.empty()) {
    ck_session_handle_t session = idle_.back();
    idle_.pop_back();
    return Lease(this, session);
  }
  // A session was retired: replace it outside the lock (login may be slow).
  ++open_;
  lock.unlock();
  auto session = open_logged_in();
  if (!session) {
    lock.lock();
    --open_;
    available_.notify_one();
    return session.error();
  }
  return Lease(this, *session);
}

void SessionPool::give_back(ck_session_handle_t session, bool broken) {
  if (broken) f_->C_CloseSession(session);
  {
    std::lock_guard lock(mutex_);
    if (broken) {
      --open_;
    } else {
      idle_.push_back(session);
    }
  }
  available_.notify_one();
}

SessionPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->give_back(session_, broken_);
}

void SessionPool::Lease::note(ck_rv_t rv) {
  switch (rv) {
    case CKR_SESSION_HANDLE_INVALID:
    case CKR_SESSION_CLOSED:
    case CKR_USER_NOT_LOGGED_IN:
    case CKR_DEVICE_REMOVED:
    case CKR_DEVICE_ERROR:
    case CKR_TOKEN_NOT_PRESENT:
    case CKR_OPERATION_ACTIVE:
      broken_ = true;
      break;
    default:
      break;
  }
}

}  // namespace hsm::internal
