#include "json_body.h"

#include <unordered_set>

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

common::Result<json> parse_json_object(std::string_view body,
                                       std::initializer_list<FieldSpec> fields) {
  if (body.empty()) return bad("request body is empty; a JSON object is required", "body");

  std::string duplicate;
  std::unordered_set<std::string> seen;
  // The callback sees each key of the top-level object (depth 1) as parsed,
  // which is the only place a repeated member can be noticed.
  const json::parser_callback_t on_event = [&](int depth, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::key && depth == 1 && duplicate.empty()) {
      const std::string& name = parsed.get_ref<const std::string&>();
      if (!seen.insert(name).second) duplicate = name;
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

  for (const auto& [name, value] : object.items()) {
    const FieldSpec* spec = nullptr;
    for (const FieldSpec& candidate : fields) {
      if (candidate.name == name) spec = &candidate;
    }
    if (spec == nullptr) return bad("unknown field", name);
    switch (spec->type) {
      case FieldType::string:
        if (!value.is_string()) return bad("must be a string", name);
        break;
      case FieldType::nullable_string:
        if (!value.is_string() && !value.is_null()) return bad("must be a string or null", name);
        break;
      case FieldType::string_array:
        if (!value.is_array()) return bad("must be an array of strings", name);
        for (const json& item : value) {
          if (!item.is_string()) return bad("must be an array of strings", name);
        }
        break;
    }
    if (contains_nul(value)) return bad("must not contain NUL characters", name);
  }
  for (const FieldSpec& spec : fields) {
    if (spec.required && !object.contains(spec.name)) return bad("is required", spec.name);
  }
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

void wipe_string_field(json& object, std::string_view name) noexcept {
  const auto it = object.find(name);
  if (it != object.end() && it->is_string()) common::wipe(it->get_ref<std::string&>());
}

}  // namespace authd
