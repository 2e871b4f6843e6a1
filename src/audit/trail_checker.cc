#include "audit/trail_checker.h"

#include "audit/audit_hash.h"
#include "audit/rfc3339.h"
#include "hsm/hsm.h"

namespace core::audit {
namespace {

std::string seq_text(int64_t seq) { return std::to_string(seq); }

std::span<const uint8_t> bytes_of(const std::string& text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

}  // namespace

void TrailChecker::fail(std::optional<int64_t> seq, std::string problem) {
  if (failed_) return;
  failed_ = true;
  report_.ok = false;
  report_.first_bad_seq = seq;
  report_.problem = std::move(problem);
}

void TrailChecker::entry(const AuditEntry& e) {
  if (failed_) return;
  if (!started_) {
    if (start_ == Start::at_first_seq) {
      last_seq_ = 0;
      last_hash_.clear();
    } else {
      if (e.seq < 1) return fail(e.seq, "entry " + seq_text(e.seq) + " has an invalid seq");
      last_seq_ = e.seq - 1;
      last_hash_ = e.prev_hash;
    }
    last_signed_seq_ = last_seq_;
    started_ = true;
  }
  const int64_t expected = last_seq_ + 1;
  if (e.seq > expected) {
    return fail(expected, "entry " + seq_text(expected) + " is missing (the next entry is " +
                              seq_text(e.seq) + ")");
  }
  if (e.seq < expected) {
    return fail(e.seq, "entry " + seq_text(e.seq) + " is out of order or repeated (after entry " +
                           seq_text(last_seq_) + ")");
  }
  if (e.prev_hash != last_hash_) {
    return fail(e.seq, "entry " + seq_text(e.seq) +
                           " does not link to the previous entry (prev_hash mismatch)");
  }
  if (entry_hash(e) != e.hash) {
    return fail(e.seq, "entry " + seq_text(e.seq) +
                           " has been altered (its hash does not match its contents)");
  }
  last_seq_ = e.seq;
  last_hash_ = e.hash;
  ++report_.entries;
  while (!failed_ && !waiting_.empty() && waiting_.front().seq == e.seq) {
    const Checkpoint c = std::move(waiting_.front());
    waiting_.pop_front();
    match(c);
  }
}

std::string TrailChecker::signature_problem(const Checkpoint& c) const {
  const std::string statement = checkpoint_statement(c);
  bool known = false;
  std::string validity;
  for (const auto& key : keys_) {
    if (key.key_id != c.key_id) continue;
    known = true;
    if ((key.valid_from && c.at < *key.valid_from) ||
        (key.valid_until && c.at > *key.valid_until)) {
      validity = "was made at " + to_rfc3339_ms(c.at) + ", outside the validity of key " +
                 c.key_id + " (" + (key.valid_from ? to_rfc3339_ms(*key.valid_from) : "-") +
                 " to " + (key.valid_until ? to_rfc3339_ms(*key.valid_until) : "-") + ")";
      continue;
    }
    auto good = hsm::verify_es256_der(key.spki_der, bytes_of(statement), c.signature);
    if (good && *good) return {};
  }
  if (!known) return "is signed by an unknown key " + c.key_id;
  if (!validity.empty()) return validity;
  return "has a signature that does not verify with key " + c.key_id;
}

void TrailChecker::checkpoint(const Checkpoint& c) {
  if (failed_) return;
  const std::string where = "checkpoint at seq " + seq_text(c.seq);
  if (!waiting_.empty() ? c.seq <= waiting_.back().seq : (started_ && c.seq < last_seq_)) {
    return fail(c.seq, where + " is out of order");
  }
  if (!started_ && start_ == Start::anywhere) {
    return fail(c.seq, where + " comes before the entry it signs");
  }
  if (auto problem = signature_problem(c); !problem.empty()) {
    return fail(c.seq, where + " " + problem);
  }
  if (started_ && c.seq == last_seq_) return match(c);
  waiting_.push_back(c);
}

void TrailChecker::match(const Checkpoint& c) {
  if (c.head_hash != last_hash_) {
    return fail(c.seq, "checkpoint at seq " + seq_text(c.seq) + " does not match entry " +
                           seq_text(c.seq) + ": the trail was rewritten at or before it");
  }
  ++report_.checkpoints;
  last_signed_seq_ = c.seq;
}

TrailReport TrailChecker::finish() {
  if (!failed_ && !waiting_.empty()) {
    fail(last_seq_ + 1, "the trail ends at entry " + seq_text(last_seq_) +
                            " but a checkpoint signs entry " + seq_text(waiting_.back().seq) +
                            ": entries were cut off the end (truncated)");
  }
  if (!failed_) {
    report_.ok = true;
    report_.unsigned_tail = last_seq_ - last_signed_seq_;
  }
  return report_;
}

}  // namespace core::audit
