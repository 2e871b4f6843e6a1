#include "static_pages.h"

#include "authd/error_mapping.h"
#include "web_assets.h"

namespace authd {
namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Only the types the pages use; anything else in authd/web/ stays unserved
// rather than going out as a guessed type (nosniff makes browsers trust it).
std::string_view content_type_of(std::string_view name) {
  if (ends_with(name, ".html")) return "text/html; charset=utf-8";
  if (ends_with(name, ".css")) return "text/css; charset=utf-8";
  if (ends_with(name, ".js")) return "text/javascript; charset=utf-8";
  if (ends_with(name, ".svg")) return "image/svg+xml";
  return {};
}

}  // namespace

HttpResponse static_page(std::string_view name) {
  for (const WebAsset& asset : web_assets()) {
    if (asset.name != name) continue;
    const std::string_view type = content_type_of(name);
    if (type.empty()) break;
    HttpResponse response;
    response.content_type = type;
    response.content_security_policy = kPageContentSecurityPolicy;
    response.body = std::string(asset.bytes);
    return response;
  }
  return error_response(404, "not_found", "no such page");
}

}  // namespace authd
