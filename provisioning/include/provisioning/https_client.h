// A small blocking HTTPS client for authd's API (Boost.Beast + OpenSSL),
// used by authctl, the integration tests and the benchmarks.
//
// It verifies the server certificate against a given CA file (or the system
// store when none is given) and the host name, and keeps one connection alive
// across requests, reconnecting once if the server closed it.
//
// Thread safety: one client per thread.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "common/result.h"

namespace provisioning {

struct HttpsResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

struct HttpsTarget {
  std::string host;     // e.g. "127.0.0.1" or "localhost"
  std::string port;     // e.g. "8443"
  std::string cafile;   // PEM file of trusted CAs; empty: the system store
  // Limit for each step (connect, TLS handshake, sending a request, reading
  // its response); exceeding it gives unavailable.
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
};

// Parses "https://HOST:PORT" (a path part is ignored). bad_request otherwise.
common::Result<HttpsTarget> parse_server_url(const std::string& url, const std::string& cafile);

class HttpsClient {
 public:
  explicit HttpsClient(HttpsTarget target);
  ~HttpsClient();
  HttpsClient(const HttpsClient&) = delete;
  HttpsClient& operator=(const HttpsClient&) = delete;

  // Sends one request. `bearer` adds "Authorization: Bearer ..." when not
  // empty; a non-empty `body` is sent as application/json unless a
  // Content-Type is given in `extra_headers`. Transport or TLS failures give
  // unavailable with a message; any HTTP status is a successful result.
  common::Result<HttpsResponse> request(const std::string& method, const std::string& target,
                                        const std::string& body = {},
                                        const std::string& bearer = {},
                                        const std::map<std::string, std::string>& extra_headers = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace provisioning
