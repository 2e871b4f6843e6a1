// Routes an HttpRequest to the core and renders the answer: the daemon's whole
// HTTP API (see docs/openapi.yaml) without any transport.
//
// The order of checks, so that callers learn nothing they are not entitled to:
// unknown path 404 -> wrong method 405 (with Allow) -> query parameters 400 ->
// body with a non-JSON content type 415 -> bearer session 401 ->
// must_change_password gate 403 -> JSON body 400 -> the core's answer.
//
// handle() never throws and never answers 5xx for a client's mistake: an
// exception escaping a handler becomes 500 internal with a generic message and
// is logged without the request body.
//
// Thread safety: handle() and is_slow() may be called from any number of
// threads at once (the Service is thread-safe; the Router holds no mutable state).
#pragma once

#include <memory>

#include "authd/http_message.h"

namespace core {
class Service;
}

namespace authd {

class Router {
 public:
  // `service` must outlive the Router.
  explicit Router(core::Service& service);
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // True when handling may take long (Argon2id in login, password change and
  // user creation), so the transport runs it off its I/O threads.
  bool is_slow(const HttpRequest& request) const noexcept;

  HttpResponse handle(const HttpRequest& request) const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace authd
