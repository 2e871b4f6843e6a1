#include "keys/public_key_export.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <system_error>

#include "audit/rfc3339.h"
#include "keys/key_ring.h"

namespace core::keys {
namespace {

namespace fs = std::filesystem;

common::Error cannot_write(const fs::path& path, const std::string& why) {
  return common::make_error(common::Errc::unavailable,
                            "cannot write " + path.string() + ": " + why);
}

common::Result<void> write_file(const fs::path& path, const std::string& text) {
  const fs::path temporary = path.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return cannot_write(temporary, "cannot open");
    out << text;
    out.flush();
    if (!out) return cannot_write(temporary, "write failed");
  }
  std::error_code ec;
  fs::permissions(temporary,
                  fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                      fs::perms::others_read,
                  ec);
  if (ec) return cannot_write(temporary, ec.message());
  fs::rename(temporary, path, ec);
  if (ec) return cannot_write(path, ec.message());
  return {};
}

}  // namespace

std::string keys_json(const std::vector<store::KeyRecord>& keys) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& k : keys) {
    nlohmann::ordered_json item;
    item["key_id"] = k.key_id;
    item["purpose"] = k.purpose;
    item["uri"] = k.uri;
    if (k.purpose != kWrap) item["public_key_pem"] = k.public_key_pem;
    item["created_at"] = audit::to_rfc3339_ms(audit::from_unix_ms(k.created_at_ms));
    item["retired_at"] =
        k.retired_at_ms
            ? nlohmann::ordered_json(audit::to_rfc3339_ms(audit::from_unix_ms(*k.retired_at_ms)))
            : nlohmann::ordered_json(nullptr);
    list.push_back(std::move(item));
  }
  nlohmann::ordered_json doc;
  doc["keys"] = std::move(list);
  return doc.dump(2) + "\n";
}

common::Result<void> export_public_keys(const fs::path& dir,
                                        const std::vector<store::KeyRecord>& keys) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return cannot_write(dir, ec.message());
  fs::permissions(dir,
                  fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                      fs::perms::others_read | fs::perms::others_exec,
                  ec);
  if (ec) return cannot_write(dir, ec.message());
  for (const auto& k : keys) {
    if (k.purpose == kWrap) continue;
    auto written = write_file(dir / (k.purpose + "-" + k.key_id + ".pem"), k.public_key_pem);
    if (!written) return written;
  }
  return write_file(dir / "keys.json", keys_json(keys));
}

}  // namespace core::keys
