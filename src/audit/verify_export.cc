// core::verify_audit_export: JSON lines (export_line's format) into the
// TrailChecker. Every line is untrusted input: parsing never throws out of
// here, and a malformed line stops the check naming its line number.
#include <nlohmann/json.hpp>

#include "audit/base64.h"
#include "audit/rfc3339.h"
#include "audit/trail_checker.h"

namespace core {
namespace {

using Json = nlohmann::ordered_json;

// Lines longer than this are refused rather than parsed (an entry is at most
// a few KiB).
constexpr size_t kMaxLine = 1 << 20;

bool text_field(const Json& j, const char* name, std::string& out) {
  const auto it = j.find(name);
  if (it == j.end() || !it->is_string()) return false;
  out = it->get<std::string>();
  return true;
}

bool int_field(const Json& j, const char* name, int64_t& out) {
  const auto it = j.find(name);
  if (it == j.end() || !it->is_number_integer()) return false;
  out = it->get<int64_t>();
  return true;
}

// "" when `j` is a well-formed entry, else the missing or malformed field.
std::string read_entry(const Json& j, AuditEntry& e) {
  std::string at;
  if (!int_field(j, "seq", e.seq)) return "seq";
  if (!text_field(j, "at", at)) return "at";
  const auto time = audit::parse_rfc3339(at);
  if (!time) return "at";
  e.at = *time;
  if (!text_field(j, "actor", e.actor)) return "actor";
  if (!text_field(j, "subject", e.subject)) return "subject";
  if (!text_field(j, "action", e.action)) return "action";
  if (!text_field(j, "outcome", e.outcome)) return "outcome";
  if (!text_field(j, "reason", e.reason)) return "reason";
  if (!text_field(j, "source_address", e.source_address)) return "source_address";
  const auto detail = j.find("detail");
  if (detail == j.end()) return "detail";
  if (detail->is_object()) {
    e.detail = detail->dump();
  } else if (detail->is_string()) {
    e.detail = detail->get<std::string>();
  } else {
    return "detail";
  }
  if (!text_field(j, "prev_hash", e.prev_hash)) return "prev_hash";
  if (!text_field(j, "hash", e.hash)) return "hash";
  return {};
}

std::string read_checkpoint(const Json& j, Checkpoint& c) {
  int64_t at_ms = 0;
  std::string signature;
  if (!int_field(j, "seq", c.seq)) return "seq";
  if (!text_field(j, "head_hash", c.head_hash)) return "head_hash";
  if (!int_field(j, "at_ms", at_ms)) return "at_ms";
  c.at = audit::from_unix_ms(at_ms);
  if (!text_field(j, "key_id", c.key_id)) return "key_id";
  if (!text_field(j, "signature", signature)) return "signature";
  auto der = audit::base64_decode(signature);
  if (!der) return "signature";
  c.signature = std::move(*der);
  // The statement is there for people; what counts is what the fields say.
  std::string statement;
  if (j.contains("statement") &&
      (!text_field(j, "statement", statement) || statement != checkpoint_statement(c))) {
    return "statement";
  }
  return {};
}

}  // namespace

TrailReport verify_audit_export(std::istream& lines, const std::vector<TrustedKey>& keys) {
  audit::TrailChecker checker(keys, audit::TrailChecker::Start::anywhere);
  std::string line;
  int64_t number = 0;
  while (!checker.failed() && std::getline(lines, line)) {
    ++number;
    if (line.empty()) continue;
    const std::string where = "line " + std::to_string(number) + ": ";
    if (line.size() > kMaxLine) {
      checker.fail(checker.last_seq() + 1, where + "longer than 1 MiB");
      break;
    }
    const Json j = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) {
      checker.fail(checker.last_seq() + 1, where + "not a JSON object");
      break;
    }
    const auto type = j.find("type");
    if (type != j.end() && *type == "entry") {
      AuditEntry e;
      if (auto bad = read_entry(j, e); !bad.empty()) {
        checker.fail(checker.last_seq() + 1, where + "entry with a missing or malformed " + bad);
        break;
      }
      checker.entry(e);
    } else if (type != j.end() && *type == "checkpoint") {
      Checkpoint c;
      if (auto bad = read_checkpoint(j, c); !bad.empty()) {
        checker.fail(checker.last_seq() + 1,
                     where + "checkpoint with a missing or malformed " + bad);
        break;
      }
      checker.checkpoint(c);
    } else {
      checker.fail(checker.last_seq() + 1, where + "neither an entry nor a checkpoint");
    }
  }
  if (!checker.failed() && lines.bad()) checker.fail(std::nullopt, "the export could not be read");
  return checker.finish();
}

}  // namespace core
