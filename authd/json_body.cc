#include "json_body.h"

#include <unordered_set>
#include <vector>

#include "authd/request_parsing.h"
#include "common/secret.h"

namespace authd {
namespace {

using nlohmann::json;

constexpr size_t kMaxFieldNameInMessage = 100;

common::Error bad(std::string message, std::string_view field) {
  return common::make_error(common::Errc::bad_request, std::move(message),
                            std::string(field.substr(0, kMaxFieldNameInMessage)));
}

// Replays a body that failed to parse to learn which top-level member's value
// held the error, so a client is told which field to fix. Only runs on the
// error path.
class ErrorLocator final : public nlohmann::json_sax<json> {
 public:
  const std::string& field() const { return field_; }

  bool null() override { return value_done(); }
  bool boolean(bool) override { return value_done(); }
  bool number_integer(number_integer_t) override { return value_done(); }
  bool number_unsigned(number_unsigned_t) override { return value_done(); }
  bool number_float(number_float_t, const string_t&) override { return value_done(); }
  bool string(string_t&) override { return value_done(); }
  bool binary(binary_t&) override { return value_done(); }
  bool start_object(std::size_t) override { return open(); }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(); }
  bool end_array() override { return close(); }
  bool key(string_t& name) override {
    if (depth_ == 1) current_ = name;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    field_ = current_;
    return false;
  }

 private:
  bool value_done() {
    if (depth_ == 1) current_.clear();
    return true;
  }
  bool open() {
    ++depth_;
    return true;
  }
  bool close() {
    --depth_;
    return value_done();
  }

  int depth_ = 0;
  std::string current_;  // the top-level member whose value is being read
  std::string field_;
};

bool contains_nul(const json& value) {
  if (value.is_string()) return value.get_ref<const std::string&>().find('\0') != std::string::npos;
  if (value.is_array()) {
    for (const json& item : value) {
      if (contains_nul(item)) return true;
    }
  }
  return false;
}

}  // namespace

common::Result<void> check_members(const json& object, std::span<const FieldSpec> fields,
                                   std::string_view prefix) {
  const auto named = [&](std::string_view name) {
    return prefix.empty() ? std::string(name) : std::string(prefix) + "." + std::string(name);
  };
  if (!object.is_object()) return bad("must be a JSON object", prefix.empty() ? "body" : prefix);
  for (const auto& [name, value] : object.items()) {
    const FieldSpec* spec = nullptr;
    for (const FieldSpec& candidate : fields) {
      if (candidate.name == name) spec = &candidate;
    }
    if (spec == nullptr) return bad("unknown field", named(name));
    switch (spec->type) {
      case FieldType::string:
        if (!value.is_string()) return bad("must be a string", named(name));
        break;
      case FieldType::nullable_string:
        if (!value.is_string() && !value.is_null()) {
          return bad("must be a string or null", named(name));
        }
        break;
      case FieldType::string_array:
        if (!value.is_array()) return bad("must be an array of strings", named(name));
        for (const json& item : value) {
          if (!item.is_string()) return bad("must be an array of strings", named(name));
        }
        break;
      case FieldType::boolean:
        if (!value.is_boolean()) return bad("must be true or false", named(name));
        break;
      case FieldType::object:
        // Its members are the caller's to check (check_members with a prefix).
        if (!value.is_object()) return bad("must be a JSON object", named(name));
        break;
    }
    if (contains_nul(value)) return bad("must not contain NUL characters", named(name));
  }
  for (const FieldSpec& spec : fields) {
    if (spec.required && !object.contains(spec.name)) return bad("is required", named(spec.name));
  }
  return {};
}

common::Result<json> parse_json_object(std::string_view body,
                                       std::initializer_list<FieldSpec> fields) {
  return parse_json_object(body, std::span<const FieldSpec>(fields.begin(), fields.size()));
}

common::Result<json> parse_json_object(std::string_view body, std::span<const FieldSpec> fields) {
  if (body.empty()) return bad("request body is empty; a JSON object is required", "body");

  std::string duplicate;
  std::string top_level_key;
  // One set of member names per object being parsed (the body and any object
  // nested in it): the callback sees each key as parsed, which is the only
  // place a repeated member can be noticed.
  std::vector<std::unordered_set<std::string>> seen;
  const json::parser_callback_t on_event = [&](int depth, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) {
      seen.emplace_back();
    } else if (event == json::parse_event_t::object_end) {
      if (!seen.empty()) seen.pop_back();
    } else if (event == json::parse_event_t::key && !seen.empty()) {
      const std::string& name = parsed.get_ref<const std::string&>();
      if (depth == 1) top_level_key = name;
      if (!seen.back().insert(name).second && duplicate.empty()) {
        duplicate = depth == 1 ? name : top_level_key + "." + name;
      }
    }
    return true;
  };
  json object = json::parse(body, on_event, /*allow_exceptions=*/false);
  if (object.is_discarded()) {
    ErrorLocator locator;
    json::sax_parse(body, &locator);
    const std::string field = locator.field().empty() ? "body" : locator.field();
    if (!is_valid_utf8(body)) return bad("request body is not valid UTF-8", field);
    return bad("request body is not valid JSON", field);
  }
  if (!object.is_object()) return bad("request body must be a JSON object", "body");
  if (!duplicate.empty()) return bad("field given more than once", duplicate);

  if (auto checked = check_members(object, fields, {}); !checked) return checked.error();
  return object;
}

std::string string_field(const json& object, std::string_view name, std::string_view fallback) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_string()) return std::string(fallback);
  return it->get<std::string>();
}

std::vector<std::string> string_array_field(const json& object, std::string_view name) {
  std::vector<std::string> out;
  const auto it = object.find(name);
  if (it == object.end() || !it->is_array()) return out;
  for (const json& item : *it) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

bool bool_field(const json& object, std::string_view name, bool fallback) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_boolean()) return fallback;
  return it->get<bool>();
}

std::optional<std::string> optional_string_field(const json& object, std::string_view name) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

void wipe_string_field(json& object, std::string_view name) noexcept {
  const auto it = object.find(name);
  if (it != object.end() && it->is_string()) common::wipe(it->get_ref<std::string&>());
}

}  // namespace authd
