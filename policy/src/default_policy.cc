// The default policy file, written from Policy{} and the key table so that it
// always lists every key and always parses back to the defaults.
#include <sstream>

#include "keys.h"
#include "policy/policy.h"

namespace policy {
namespace {

// Default values are plain ASCII; escaping '"' and '\' is all TOML needs for them.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

void write_comment(std::ostringstream& out, std::string_view comment) {
  while (!comment.empty()) {
    const auto end = comment.find('\n');
    out << "# " << comment.substr(0, end) << "\n";
    comment = end == std::string_view::npos ? std::string_view{} : comment.substr(end + 1);
  }
}

void write_value(std::ostringstream& out, const detail::Key& key, const Policy& defaults) {
  if (const auto* integer = std::get_if<detail::IntegerKey>(&key.kind)) {
    out << "# Allowed: " << integer->min << " to " << integer->max << ".\n";
    out << key.name << " = " << integer->get(defaults) << "\n";
  } else if (const auto* text = std::get_if<detail::StringKey>(&key.kind)) {
    out << key.name << " = " << quoted(text->get(defaults)) << "\n";
  } else if (const auto* flag = std::get_if<detail::BoolKey>(&key.kind)) {
    out << key.name << " = " << (flag->get(defaults) ? "true" : "false") << "\n";
  } else {
    out << key.name << " = [\n";
    for (const auto& item : std::get<detail::StringListKey>(key.kind).get(defaults)) {
      out << "  " << quoted(item) << ",\n";
    }
    out << "]\n";
  }
}

}  // namespace

std::string default_policy_toml() {
  const Policy defaults;
  std::ostringstream out;
  out << "# authd security policy. Every key is described in docs/policy.md.\n"
         "# A missing key takes the default shown here; an unknown key or a value out of\n"
         "# range stops authd from starting, so a typo never weakens security silently.\n"
         "# Durations are whole seconds (keys ending in _s) or milliseconds (_ms).\n";
  for (const auto& section : detail::sections()) {
    out << "\n";
    write_comment(out, section.comment);
    out << "[" << section.name << "]\n";
    for (const auto& key : detail::keys()) {
      if (key.section != section.name) continue;
      out << "\n";
      write_comment(out, key.comment);
      write_value(out, key, defaults);
    }
  }
  return out.str();
}

}  // namespace policy
