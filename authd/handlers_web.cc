// The web pages: GET / and GET /ui/{file}. Open routes: the pages hold no
// data; everything a page shows it fetches from the API with the session
// token the user's browser keeps.
#include "handlers.h"
#include "static_pages.h"

namespace authd {

HttpResponse handle_web_root(const RequestContext&) {
  // 303: whatever brought the browser here, it fetches the login page with GET.
  HttpResponse response;
  response.status = 303;
  response.headers.emplace_back("Location", std::string(kStartPage));
  response.body = "{\"location\":\"" + std::string(kStartPage) + "\"}";
  return response;
}

HttpResponse handle_web_file(const RequestContext& context) {
  return static_page(context.params[0]);
}

}  // namespace authd
