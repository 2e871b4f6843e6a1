// TOML text -> Policy. This file is the boundary where toml11's exceptions
// stop: every failure leaves as LoadResult.error naming the key and line.
#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <toml.hpp>

#include "keys.h"
#include "nesting_depth.h"
#include "utf8_check.h"
#include "policy/policy.h"

namespace policy {
namespace {

// std::map keeps keys sorted, so several errors are always reported in the same order.
using Value = toml::basic_value<toml::discard_comments, std::map, std::vector>;

// Policy files are a few KiB; the cap keeps a wrong path (a disk image, a
// log) from being read into memory whole.
constexpr size_t kMaxPolicyBytes = 1 << 20;
constexpr size_t kMaxNesting = 16;

const char* type_name(const Value& v) {
  switch (v.type()) {
    case toml::value_t::boolean:
      return "a boolean";
    case toml::value_t::integer:
      return "an integer";
    case toml::value_t::floating:
      return "a float";
    case toml::value_t::string:
      return "a string";
    case toml::value_t::array:
      return "an array";
    case toml::value_t::table:
      return "a table";
    case toml::value_t::empty:
      return "nothing";
    default:
      return "a date or time";
  }
}

class Reader {
 public:
  void error(const std::string& path, const Value& where, const std::string& what) {
    errors_.push_back(path + " (line " + std::to_string(where.location().line()) + "): " + what);
  }

  // Stores the value of `key` in `policy`, or records why it cannot.
  void read(const detail::Key& key, const Value& v, Policy& policy) {
    const std::string path = key.path();
    lines_[path] = v.location().line();
    if (const auto* integer = std::get_if<detail::IntegerKey>(&key.kind)) {
      if (!v.is_integer()) {
        return error(path, v, std::string("expected an integer, got ") + type_name(v));
      }
      if (v.as_integer() < integer->min || v.as_integer() > integer->max) {
        return error(path, v,
                     "must be between " + std::to_string(integer->min) + " and " +
                         std::to_string(integer->max) + ", got " + std::to_string(v.as_integer()));
      }
      integer->set(policy, v.as_integer());
    } else if (const auto* text = std::get_if<detail::StringKey>(&key.kind)) {
      if (!v.is_string()) {
        return error(path, v, std::string("expected a string, got ") + type_name(v));
      }
      text->set(policy, v.as_string().str);
    } else if (const auto* flag = std::get_if<detail::BoolKey>(&key.kind)) {
      if (!v.is_boolean()) {
        return error(path, v, std::string("expected a boolean, got ") + type_name(v));
      }
      flag->set(policy, v.as_boolean());
    } else {
      const auto& list = std::get<detail::StringListKey>(key.kind);
      if (!v.is_array()) {
        return error(path, v, std::string("expected an array of strings, got ") + type_name(v));
      }
      std::vector<std::string> items;
      const auto& array = v.as_array();
      for (size_t i = 0; i < array.size(); ++i) {
        if (!array[i].is_string()) {
          return error(path + "[" + std::to_string(i) + "]", array[i],
                       std::string("expected a string, got ") + type_name(array[i]));
        }
        items.push_back(array[i].as_string().str);
      }
      list.set(policy, std::move(items));
    }
    if (auto problem = detail::check_key(key, policy); !problem.empty()) error(path, v, problem);
  }

  void read_section(std::string_view section, const Value& table, Policy& policy) {
    for (const auto& entry : table.as_table()) {
      const std::string& name = entry.first;
      const Value& v = entry.second;
      const auto& keys = detail::keys();
      const auto key = std::find_if(keys.begin(), keys.end(), [&](const detail::Key& k) {
        return k.section == section && k.name == name;
      });
      if (key == keys.end()) {
        error(std::string(section) + "." + name, v, "unknown key");
      } else {
        read(*key, v, policy);
      }
    }
  }

  // Only meaningful once every key read cleanly: a refused key keeps its
  // default, which could clash with its neighbours and confuse the report.
  void cross_check(const Policy& policy) {
    if (!errors_.empty()) return;
    for (const auto& problem : detail::cross_key_problems(policy)) {
      const auto line = lines_.find(problem.path);
      errors_.push_back(problem.path +
                        (line == lines_.end() ? std::string(" (default)")
                                              : " (line " + std::to_string(line->second) + ")") +
                        ": " + problem.what);
    }
  }

  std::string joined_errors() const {
    std::string out;
    for (const auto& e : errors_) out += (out.empty() ? "" : "; ") + e;
    return out;
  }

 private:
  std::vector<std::string> errors_;
  std::map<std::string, uint32_t> lines_;  // key path -> line it was set on
};

LoadResult failure(std::string error) {
  LoadResult result;
  result.error = std::move(error);
  return result;
}

// toml11's messages span several lines (with the source line underlined);
// the first says what went wrong.
std::string first_line(const char* what) {
  std::string text(what);
  text = text.substr(0, text.find('\n'));
  const std::string_view prefix = "[error] ";
  if (text.starts_with(prefix)) text.erase(0, prefix.size());
  return text;
}

LoadResult parse_document(std::string_view toml_text) {
  std::istringstream in{std::string(toml_text)};
  const auto root = toml::parse<toml::discard_comments, std::map, std::vector>(in, "policy");

  Policy policy;
  Reader reader;
  for (const auto& entry : root.as_table()) {
    const std::string& name = entry.first;
    const Value& v = entry.second;
    const auto& sections = detail::sections();
    const bool known = std::any_of(sections.begin(), sections.end(),
                                   [&](const detail::Section& s) { return s.name == name; });
    if (!known) {
      reader.error(name, v, "unknown table");
    } else if (!v.is_table()) {
      reader.error(name, v, std::string("expected a table, got ") + type_name(v));
    } else {
      reader.read_section(name, v, policy);
    }
  }
  reader.cross_check(policy);
  if (auto errors = reader.joined_errors(); !errors.empty()) return failure(std::move(errors));

  LoadResult result;
  result.warnings = detail::weaker_than_recommended(policy);
  result.policy = std::move(policy);
  return result;
}

}  // namespace

LoadResult parse_policy(std::string_view toml_text) {
  if (toml_text.size() > kMaxPolicyBytes) return failure("policy file is larger than 1 MiB");
  if (const size_t line = detail::line_with_invalid_utf8(toml_text); line != 0) {
    return failure("line " + std::to_string(line) + ": not valid UTF-8 (TOML files are UTF-8)");
  }
  if (const size_t line = detail::line_exceeding_nesting(toml_text, kMaxNesting); line != 0) {
    return failure("line " + std::to_string(line) + ": arrays or tables nested more than " +
                   std::to_string(kMaxNesting) + " deep");
  }
  try {
    return parse_document(toml_text);
  } catch (const toml::exception& e) {
    return failure("line " + std::to_string(e.location().line()) + ": " + first_line(e.what()));
  } catch (const std::exception& e) {
    return failure(std::string("policy file could not be parsed: ") + e.what());
  }
}

LoadResult load_policy_file(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return failure(path.string() + ": cannot read policy file: " + ec.message());
  if (size > kMaxPolicyBytes) return failure(path.string() + ": policy file is larger than 1 MiB");
  std::ifstream in(path, std::ios::binary);
  std::string text(size, '\0');
  if (!in || !in.read(text.data(), static_cast<std::streamsize>(size))) {
    return failure(path.string() + ": cannot read policy file");
  }
  auto result = parse_policy(text);
  if (!result.error.empty()) result.error = path.string() + ": " + result.error;
  return result;
}

}  // namespace policy
