#include "account_bodies.h"

#include <optional>
#include <string>

namespace authd {
namespace {

// The member each field name fills, in kConditionFields order.
constexpr std::array<std::optional<std::string> core::ConditionsUpdate::*, 8> kMembers = {
    &core::ConditionsUpdate::need,
    &core::ConditionsUpdate::accredited_training_on,
    &core::ConditionsUpdate::local_training_on,
    &core::ConditionsUpdate::vetting_disclosure_on,
    &core::ConditionsUpdate::vetting_basis,
    &core::ConditionsUpdate::vetting_confirmed_by,
    &core::ConditionsUpdate::vetting_confirmed_on,
    &core::ConditionsUpdate::barring_scheme_ref};

}  // namespace

const std::array<FieldSpec, 8> kConditionFields = {{
    {"need", FieldType::string, false},
    {"accredited_training_on", FieldType::string, false},
    {"local_training_on", FieldType::string, false},
    {"vetting_disclosure_on", FieldType::string, false},
    {"vetting_basis", FieldType::string, false},
    {"vetting_confirmed_by", FieldType::string, false},
    {"vetting_confirmed_on", FieldType::string, false},
    {"barring_scheme_ref", FieldType::string, false},
}};

core::ConditionsUpdate conditions_update(const nlohmann::json& object) {
  core::ConditionsUpdate update;
  for (size_t i = 0; i < kConditionFields.size(); ++i) {
    update.*kMembers[i] = optional_string_field(object, kConditionFields[i].name);
  }
  return update;
}

core::AccessConditions access_conditions(const core::ConditionsUpdate& update) {
  core::AccessConditions conditions;
  conditions.need = update.need.value_or("");
  conditions.accredited_training_on = update.accredited_training_on.value_or("");
  conditions.local_training_on = update.local_training_on.value_or("");
  conditions.vetting_disclosure_on = update.vetting_disclosure_on.value_or("");
  conditions.vetting_basis = update.vetting_basis.value_or("");
  conditions.vetting_confirmed_by = update.vetting_confirmed_by.value_or("");
  conditions.vetting_confirmed_on = update.vetting_confirmed_on.value_or("");
  conditions.barring_scheme_ref = update.barring_scheme_ref.value_or("");
  return conditions;
}

}  // namespace authd
