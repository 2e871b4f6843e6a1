// Syntax rules for names the administration API accepts. Each failure is
// bad_request naming the field, with a message saying what is allowed (the
// offending value is not echoed).
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "core/service.h"
#include "policy/policy.h"

namespace core::accounts {

// 3..64 of [a-z0-9._-], starting with a letter or digit.
bool valid_username(std::string_view username);
common::Result<void> check_username(std::string_view username, std::string_view field = "username");

// 1..200 code points of valid UTF-8 without control characters.
common::Result<void> check_display_text(std::string_view text, std::string_view field);

// 1..max code points of valid UTF-8 without control characters other than
// newlines, not blank (notes and reasons of the written record).
common::Result<void> check_free_text(std::string_view text, std::string_view field, size_t max);

// An email address: up to 254 printable ASCII characters with one '@' and
// something either side; no spaces, CR, LF or header punctuation.
common::Result<void> check_email(std::string_view text, std::string_view field);

// Each role known to the policy, at least one, none twice.
common::Result<void> check_roles(const std::vector<std::string>& roles,
                                 const policy::AdminPolicy& policy);

// An organisation id: 2..32 of [A-Za-z0-9-].
bool valid_organisation_id(std::string_view id);

// id 2..32 of [A-Za-z0-9-]; kind one of local_authority, partner,
// national_partner; name as check_display_text; parent given exactly for a
// partner (whether it exists is checked against the store).
common::Result<void> check_organisation(const Organisation& org);

}  // namespace core::accounts
