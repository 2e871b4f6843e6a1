// The table of policy keys: where each one lives in the TOML file, how it maps
// onto Policy, the values it may take and the comment the default file shows.
// The parser, validate() and default_policy_toml() all walk this one table, so
// a key cannot be parsed but left unchecked, or checked but missing from the
// default file.
//
// Thread safety: the table is built once and never changes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "policy/policy.h"

namespace policy::detail {

struct IntegerKey {
  int64_t min;
  int64_t max;
  int64_t (*get)(const Policy&);
  void (*set)(Policy&, int64_t);
};

struct StringKey {
  const std::string& (*get)(const Policy&);
  void (*set)(Policy&, std::string);
  std::string (*check)(const std::string&);  // "" when acceptable, else what is wrong
};

struct StringListKey {
  const std::vector<std::string>& (*get)(const Policy&);
  void (*set)(Policy&, std::vector<std::string>);
  std::string (*check)(const std::vector<std::string>&);  // "" or what is wrong
};

// A switch. Any value is within range; cross-key rules may still apply.
struct BoolKey {
  bool (*get)(const Policy&);
  void (*set)(Policy&, bool);
};

struct Key {
  std::string_view section;  // TOML table, e.g. "password"
  std::string_view name;     // key inside it, e.g. "min_length"
  std::variant<IntegerKey, StringKey, StringListKey, BoolKey> kind;
  std::string_view comment;  // for the default file; one line per '\n'

  std::string path() const { return std::string(section) + "." + std::string(name); }
};

struct Section {
  std::string_view name;
  std::string_view comment;
};

// Sections in the order the default file lists them.
const std::vector<Section>& sections();

// Every key, grouped by section in the order of sections().
const std::vector<Key>& keys();

// "" when the key's value in `policy` is within its own range, otherwise what
// is wrong (without the key path).
std::string check_key(const Key& key, const Policy& policy);

// A problem found by a rule spanning several keys, reported against `path`.
struct Problem {
  std::string path;
  std::string what;
};

// Rules that relate keys to each other (min <= max and the like).
std::vector<Problem> cross_key_problems(const Policy& policy);

// Settings that are valid but weaker than production guidance.
std::vector<std::string> weaker_than_recommended(const Policy& policy);

}  // namespace policy::detail
