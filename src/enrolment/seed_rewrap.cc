#include "enrolment/seed_rewrap.h"

#include <optional>
#include <string>
#include <vector>

namespace core::enrolment {
namespace {

constexpr int kBatch = 64;
// A row that keeps changing under us (it cannot: nothing else writes seeds)
// must not keep this loop alive for ever.
constexpr int kMaxPasses = 4;

struct Resealed {
  store::TokenRecord before;
  SealedSeed after;
};

}  // namespace

common::Result<RewrapReport> rewrap_seeds(store::Store& store, SeedVault& vault,
                                          const keys::KeyRing& keys) {
  auto current = keys.current(keys::kWrap);
  if (!current) {
    return common::make_error(common::Errc::unavailable, "no current wrapping key is recorded");
  }
  RewrapReport report;
  for (int pass = 0; pass < kMaxPasses; ++pass) {
    bool raced = false;
    std::string cursor;
    for (;;) {
      std::vector<store::TokenRecord> batch;
      {
        auto tx = store.begin(store::Store::Mode::read);
        if (!tx) return tx.error();
        auto rows = (*tx)->tokens_not_sealed_by(current->key_id, cursor, kBatch);
        if (!rows) return rows.error();
        batch = std::move(*rows);
      }
      if (batch.empty()) break;
      cursor = batch.back().id;
      std::vector<Resealed> resealed;
      // An HSM fault mid-batch still saves the rows done before it.
      std::optional<common::Error> fault;
      for (auto& row : batch) {
        auto seed = row.secret_key ? vault.open(row) : common::Result(legacy_plain_seed(row));
        if (!seed) {
          if (seed.error().code == common::Errc::internal) {
            if (pass == 0) ++report.undecryptable;
            continue;
          }
          fault = seed.error();
          break;
        }
        auto sealed = vault.seal(row.id, *seed);
        if (!sealed) {
          fault = sealed.error();
          break;
        }
        resealed.push_back({std::move(row), std::move(*sealed)});
      }
      auto tx = store.begin(store::Store::Mode::write);
      if (!tx) return tx.error();
      int64_t done = 0;
      for (const auto& r : resealed) {
        auto swapped = (*tx)->replace_secret(r.before, r.after.blob, r.after.key_id);
        if (!swapped) return swapped.error();
        if (*swapped) {
          ++done;
        } else {
          raced = true;
        }
      }
      auto committed = (*tx)->commit();
      if (!committed) return committed.error();
      report.rewrapped += done;
      if (fault) return *fault;
    }
    if (!raced) break;
  }
  return report;
}

}  // namespace core::enrolment
