// Evidence for the conditions of access (2.7, 4.29-4.33), recorded at
// nomination or any time after (a renewed vetting disclosure, refresher
// training). A new disclosure date restarts the expiry warnings, so the
// sweep warns again before the new date runs out.
#include <nlohmann/json.hpp>
#include <tuple>

#include "accounts/admin_action.h"
#include "accounts/conditions.h"
#include "accounts/lifecycle.h"
#include "accounts/validation.h"

namespace core::accounts {
namespace {

using common::Errc;
using common::make_error;

constexpr const char* kAction = "user.conditions";

// Applies the members that are set; returns the names of those that changed.
std::vector<std::string> apply(const ConditionsUpdate& u, store::ConditionsRecord& c) {
  std::vector<std::string> changed;
  const std::tuple<const char*, const std::optional<std::string>*, std::string*> fields[] = {
      {"need", &u.need, &c.need},
      {"accredited_training_on", &u.accredited_training_on, &c.accredited_training_on},
      {"local_training_on", &u.local_training_on, &c.local_training_on},
      {"vetting_disclosure_on", &u.vetting_disclosure_on, &c.vetting_disclosure_on},
      {"vetting_basis", &u.vetting_basis, &c.vetting_basis},
      {"vetting_confirmed_by", &u.vetting_confirmed_by, &c.vetting_confirmed_by},
      {"vetting_confirmed_on", &u.vetting_confirmed_on, &c.vetting_confirmed_on},
      {"barring_scheme_ref", &u.barring_scheme_ref, &c.barring_scheme_ref}};
  for (const auto& [name, update, value] : fields) {
    if (!update->has_value() || **update == *value) continue;
    *value = **update;
    changed.push_back(name);
  }
  return changed;
}

common::Result<void> check_texts(const ConditionsUpdate& u) {
  const std::pair<const char*, const std::optional<std::string>*> texts[] = {
      {"need", &u.need},
      {"vetting_confirmed_by", &u.vetting_confirmed_by},
      {"barring_scheme_ref", &u.barring_scheme_ref}};
  for (const auto& [name, value] : texts) {
    if (!value->has_value() || (*value)->empty()) continue;
    if (auto ok = check_free_text(**value, name, 2000); !ok) return ok;
  }
  return {};
}

common::Result<UserView> record(Context& ctx, const Principal& admin, std::string_view username,
                                const ConditionsUpdate& update, Refusals& refusals) {
  const int64_t now = ctx.now();
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  auto target = find_target(**tx, admin, username, refusals);
  if (!target) return target.error();
  const auto& user = target->user;
  if (user.state == "closed" || user.state == "rejected") {
    return refusals.refuse("illegal_transition", Errc::conflict,
                           "the account is " + user.state + "; its record is kept as it was");
  }
  store::ConditionsRecord conditions = user.conditions;
  const auto changed = apply(update, conditions);
  const auto form = check_conditions_form(conditions, day_of(now));
  if (!form.empty()) {
    return refusals.refuse("bad_request", Errc::bad_request, form, form.substr(0, form.find(':')));
  }
  auto set = (*tx)->set_conditions(user.id, conditions);
  if (!set) return set.error();
  const bool new_disclosure = conditions.vetting_disclosure_on != user.conditions.vetting_disclosure_on;
  if (new_disclosure && user.vetting_warned_days != 0) {
    auto reset = (*tx)->set_vetting_warned(user.id, 0);
    if (!reset) return reset.error();
  }
  const auto unmet = unmet_conditions(conditions, ctx.policy().lifecycle, day_of(now));
  auto logged = audit_success(**tx, admin, kAction, user.username, "ok",
                              nlohmann::json{{"changed", changed}, {"unmet", unmet.size()}}, now);
  if (!logged) return logged.error();
  auto view = current_view(**tx, user.id);
  if (!view) return view.error();
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();
  return view;
}

}  // namespace

common::Result<UserView> record_conditions(Context& ctx, const Principal& who,
                                           std::string_view username,
                                           const ConditionsUpdate& update) {
  auto admin = require_permission(ctx, who, &policy::PermissionsPolicy::user_update, kAction);
  if (!admin) return admin.error();
  if (auto ok = check_texts(update); !ok) return ok.error();
  Refusals refusals;
  return refusals.audited(ctx, *admin, kAction, subject_of(username),
                          record(ctx, *admin, username, update, refusals));
}

}  // namespace core::accounts
