// Strict parsing of JSON request bodies (private to the daemon).
//
// A body must be exactly one JSON object whose members are all known, of the
// expected types, with every required one present, no member named twice, and
// no NUL in any string. Everything else is bad_request naming the field, or
// "body" when the problem is the body as a whole (empty, not JSON, not an
// object). Invalid UTF-8 is refused; the message never quotes the input.
//
// Thread safety: pure functions.
#pragma once

#include <initializer_list>
#include <optional>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace authd {

enum class FieldType {
  string,           // a JSON string
  string_array,     // an array of JSON strings (possibly empty)
  nullable_string,  // a JSON string or null
  boolean,          // true or false
  object,           // a JSON object; its members are checked with check_members()
};

struct FieldSpec {
  std::string_view name;
  FieldType type;
  bool required;
};

common::Result<nlohmann::json> parse_json_object(std::string_view body,
                                                 std::initializer_list<FieldSpec> fields);
common::Result<nlohmann::json> parse_json_object(std::string_view body,
                                                 std::span<const FieldSpec> fields);

// The same member checks for an object nested in a body (a FieldType::object
// member): errors name the field as "<prefix>.<member>", e.g.
// "conditions.need". `object` must be a JSON object.
common::Result<void> check_members(const nlohmann::json& object, std::span<const FieldSpec> fields,
                                   std::string_view prefix);

// Accessors for a validated object: the member's string, or `fallback` when
// the member is absent or null.
std::string string_field(const nlohmann::json& object, std::string_view name,
                         std::string_view fallback = {});
std::vector<std::string> string_array_field(const nlohmann::json& object, std::string_view name);
// The member's boolean, or `fallback` when absent.
bool bool_field(const nlohmann::json& object, std::string_view name, bool fallback = false);
// The member's string when present (possibly empty), nullopt when absent.
std::optional<std::string> optional_string_field(const nlohmann::json& object,
                                                 std::string_view name);

// Overwrites the text of a string member that held a secret (a password or a
// code) before the parsed object is freed.
void wipe_string_field(nlohmann::json& object, std::string_view name) noexcept;

}  // namespace authd
