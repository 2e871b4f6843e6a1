// TrailChecker: the one set of rules behind verify_audit_database and
// verify_audit_export (audit_evidence.h says what they prove).
//
// Fed entries and checkpoints in seq order, a checkpoint after the entry it
// names (or, past the last entry, at the end). It stops at the first fault
// and remembers the seq to blame:
//   - a gap in seq: the first missing seq; a link or hash that does not
//     match: that entry;
//   - a checkpoint by an unknown key, outside its key's validity, with a bad
//     signature, or naming an entry whose hash differs: the checkpoint's seq;
//   - a checkpoint past the last entry (entries cut off): last entry + 1.
//
// Thread safety: one thread per checker.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "core/audit_evidence.h"

namespace core::audit {

class TrailChecker {
 public:
  enum class Start {
    at_first_seq,  // a whole trail: the first entry is seq 1 with no predecessor
    anywhere,      // an export: the first entry's seq and prev_hash are taken as given
  };
  TrailChecker(const std::vector<TrustedKey>& keys, Start start) : keys_(keys), start_(start) {}

  void entry(const AuditEntry& entry);
  void checkpoint(const Checkpoint& checkpoint);
  // Input that could not be read: stops the check with this fault.
  void fail(std::optional<int64_t> seq, std::string problem);
  bool failed() const { return failed_; }
  // The seq of the last entry seen (0 before any).
  int64_t last_seq() const { return last_seq_; }

  TrailReport finish();

 private:
  // "" when the signature is good, else what is wrong.
  std::string signature_problem(const Checkpoint& checkpoint) const;
  void match(const Checkpoint& checkpoint);

  const std::vector<TrustedKey>& keys_;
  const Start start_;
  bool started_ = false;
  bool failed_ = false;
  int64_t last_seq_ = 0;
  std::string last_hash_;
  int64_t last_signed_seq_ = 0;
  std::deque<Checkpoint> waiting_;  // verified signatures, entry not yet seen
  TrailReport report_;
};

}  // namespace core::audit
