#include "audit/checkpointer.h"

#include "audit/rfc3339.h"
#include "core/audit_evidence.h"
#include "keys/key_registry.h"

namespace core::audit {
namespace {

using common::Errc;
using common::make_error;

std::span<const uint8_t> bytes_of(const std::string& text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

}  // namespace

Checkpointer::Checkpointer(store::Store& store, std::shared_ptr<hsm::Hsm> hsm,
                           const keys::KeyRing& keys, std::shared_ptr<common::Clock> clock,
                           policy::AuditPolicy policy, HealthState& health)
    : store_(store),
      hsm_(std::move(hsm)),
      keys_(keys),
      clock_(std::move(clock)),
      policy_(policy),
      health_(health) {
  last_attempt_ = clock_->now().time_since_epoch().count();
}

Checkpointer::~Checkpointer() { halt_thread(); }

common::Result<void> Checkpointer::start() {
  {
    auto tx = store_.begin(store::Store::Mode::read);
    if (!tx) return tx.error();
    auto head = (*tx)->audit_head();
    if (!head) return head.error();
    auto last = (*tx)->last_checkpoint();
    if (!last) return last.error();
    // Left unsigned by a crash (no final checkpoint): signed at the first look.
    pending_ += head->seq - (*last ? (*last)->seq : 0);
  }
  thread_ = std::thread([this] { run(); });
  return {};
}

void Checkpointer::appended(int64_t count, bool committed) {
  if (!committed) {
    health_.audit_write_ok = false;
    return;
  }
  health_.audit_write_ok = true;
  const int64_t now_pending = pending_ += count;
  if (now_pending >= static_cast<int64_t>(policy_.checkpoint_every_entries) &&
      now_pending - count < static_cast<int64_t>(policy_.checkpoint_every_entries)) {
    wake_.notify_one();
  }
}

common::Result<std::optional<Checkpoint>> Checkpointer::sign_head() {
  std::lock_guard lock(sign_mutex_);
  return sign_head_locked();
}

common::Result<std::optional<Checkpoint>> Checkpointer::sign_head_locked() {
  // Taken before the head is read: entries committed after this point are
  // counted again, so none can be missed, at worst looked at twice.
  const int64_t taken = pending_.exchange(0);
  last_attempt_ = clock_->now().time_since_epoch().count();
  auto fail = [&](common::Error error) -> common::Result<std::optional<Checkpoint>> {
    pending_ += taken;
    health_.checkpoint_ok = false;
    last_failed_ = true;
    return error;
  };

  store::AuditHead head;
  std::optional<Checkpoint> last;
  {
    auto tx = store_.begin(store::Store::Mode::read);
    if (!tx) return fail(tx.error());
    auto read_head = (*tx)->audit_head();
    if (!read_head) return fail(read_head.error());
    auto read_last = (*tx)->last_checkpoint();
    if (!read_last) return fail(read_last.error());
    head = std::move(*read_head);
    last = std::move(*read_last);
  }
  if (head.seq == 0 || (last && last->seq >= head.seq)) {
    health_.checkpoint_ok = true;
    last_failed_ = false;
    return last;
  }
  auto key = keys_.current(keys::kAudit);
  if (!key) return fail(make_error(Errc::unavailable, "no current audit key is recorded"));

  Checkpoint checkpoint;
  checkpoint.seq = head.seq;
  checkpoint.head_hash = head.hash;
  checkpoint.at = from_unix_ms(unix_ms(clock_->now()));  // the signed precision
  checkpoint.key_id = key->key_id;
  const std::string statement = checkpoint_statement(checkpoint);
  auto raw = hsm_->sign_es256(key->uri, bytes_of(statement));
  if (!raw) {
    health_.hsm_ok = false;
    return fail(keys::hsm_failure(raw.error(), "signing an audit checkpoint"));
  }
  health_.hsm_ok = true;
  auto der = hsm::ecdsa_raw_to_der(*raw);
  if (!der) return fail(der.error());
  checkpoint.signature = std::move(*der);

  auto tx = store_.begin(store::Store::Mode::write);
  if (!tx) return fail(tx.error());
  auto inserted = (*tx)->insert_checkpoint(checkpoint);
  if (!inserted) return fail(inserted.error());
  auto committed = (*tx)->commit();
  if (!committed) return fail(committed.error());
  health_.checkpoint_ok = true;
  last_failed_ = false;
  return std::optional<Checkpoint>(std::move(checkpoint));
}

common::Result<bool> Checkpointer::tick() {
  const int64_t pending = pending_.load();
  if (pending <= 0) return false;
  const auto since = clock_->now() - common::TimePoint(common::TimePoint::duration(last_attempt_));
  const bool by_count =
      pending >= static_cast<int64_t>(policy_.checkpoint_every_entries) && !last_failed_.load();
  const bool by_time = since >= policy_.checkpoint_interval;
  if (!by_count && !by_time) return false;
  auto signed_head = sign_head();
  if (!signed_head) return signed_head.error();
  return true;
}

common::Result<void> Checkpointer::switch_key(const std::function<common::Result<void>()>& change) {
  std::lock_guard lock(sign_mutex_);
  auto last = sign_head_locked();
  if (!last) return last.error();
  return change();
}

void Checkpointer::run() {
  std::unique_lock lock(wake_mutex_);
  while (!stopping_) {
    // After a failure the count alone does not wake us: retry on the interval.
    wake_.wait_for(lock, policy_.checkpoint_interval, [this] {
      return stopping_ ||
             (!last_failed_.load() &&
              pending_.load() >= static_cast<int64_t>(policy_.checkpoint_every_entries));
    });
    if (stopping_) break;
    lock.unlock();
    (void)tick();  // failures are in HealthState; the next look retries
    lock.lock();
  }
}

void Checkpointer::halt_thread() {
  {
    std::lock_guard lock(wake_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

common::Result<void> Checkpointer::stop() {
  std::call_once(stopped_, [this] {
    halt_thread();
    auto last = sign_head();
    stop_result_ = last ? common::Result<void>() : common::Result<void>(last.error());
  });
  return stop_result_;
}

}  // namespace core::audit
