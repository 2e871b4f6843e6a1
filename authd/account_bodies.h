// Request-body pieces shared by the account routes (private to the daemon):
// the conditions-of-access members, as a nested "conditions" object of a
// nomination or the whole body of POST /v1/users/{username}/conditions.
//
// Only the members' shapes are checked here (strings, no unknown names); the
// core validates dates, the vetting basis and everything else, naming the
// field.
//
// Thread safety: pure functions.
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <string_view>

#include "common/result.h"
#include "core/service.h"
#include "json_body.h"

namespace authd {

// Every member of core::AccessConditions, each an optional string.
extern const std::array<FieldSpec, 8> kConditionFields;

// The members present in `object` (already checked with check_members over
// kConditionFields); "" is kept as "", which clears a recorded condition.
core::ConditionsUpdate conditions_update(const nlohmann::json& object);

// The nomination's conditions: absent members are "" (not recorded).
core::AccessConditions access_conditions(const core::ConditionsUpdate& update);

}  // namespace authd
