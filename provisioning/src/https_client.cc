// The Beast/Asio part of the client, kept in this one translation unit
// because Beast headers compile slowly.
//
// Blocking calls are made by starting the asynchronous operation and running
// the private io_context until it completes: only the asynchronous operations
// of beast::tcp_stream honour its timeout, and a client that can hang forever
// on a silent server is no use in a script.
#include "provisioning/https_client.h"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <exception>
#include <optional>
#include <utility>

namespace provisioning {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

// Audit pages are the largest answers; anything far beyond this is not authd.
constexpr std::size_t kMaxResponseBody = 16 * 1024 * 1024;

common::Error unavailable(std::string message) {
  return common::make_error(common::Errc::unavailable, std::move(message));
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  net::ip::make_address(host, ec);
  return !ec;
}

// The errors that mean "the server had already closed this idle connection"
// when they happen before any byte of the response arrived.
bool is_stale_connection(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == net::error::eof ||
         ec == net::error::connection_reset || ec == net::error::broken_pipe ||
         ec == net::error::connection_aborted || ec == ssl::error::stream_truncated;
}

}  // namespace

struct HttpsClient::Impl {
  explicit Impl(HttpsTarget t) : target(std::move(t)) { prepare_tls(); }
  ~Impl() { close(/*graceful=*/true); }

  void prepare_tls();
  common::Result<void> connect();
  void close(bool graceful);
  std::string describe(const beast::error_code& ec) const;
  std::string where() const { return target.host + ":" + target.port; }

  // Runs one asynchronous operation to completion on the private io_context.
  template <class Start>
  beast::error_code run(Start&& start) {
    beast::error_code result = net::error::would_block;
    bool done = false;
    start([&result, &done](beast::error_code ec, auto&&...) {
      result = ec;
      done = true;
    });
    ioc.restart();
    while (!done && ioc.run_one() != 0) {
    }
    return result;
  }

  HttpsTarget target;
  net::io_context ioc;
  ssl::context tls{ssl::context::tls_client};
  std::string setup_error;  // why the TLS context is unusable, if it is
  std::optional<ssl::stream<beast::tcp_stream>> stream;
  beast::flat_buffer buffer;
  bool reused = false;  // the open connection has already carried a response
};

void HttpsClient::Impl::prepare_tls() {
  tls.set_options(ssl::context::default_workarounds | ssl::context::no_compression |
                  ssl::context::no_sslv2 | ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                  ssl::context::no_tlsv1_1);
  SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);
  tls.set_verify_mode(ssl::verify_peer);
  beast::error_code ec;
  if (target.cafile.empty()) {
    tls.set_default_verify_paths(ec);
    if (ec) setup_error = "cannot load the system's trusted certificates: " + ec.message();
  } else {
    tls.load_verify_file(target.cafile, ec);
    if (ec) setup_error = "cannot load CA file '" + target.cafile + "': " + ec.message();
  }
}

std::string HttpsClient::Impl::describe(const beast::error_code& ec) const {
  if (ec == beast::error::timeout) {
    const auto ms = target.timeout.count();
    return "timed out after " +
           (ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms");
  }
  return ec.message();
}

common::Result<void> HttpsClient::Impl::connect() {
  close(/*graceful=*/false);
  tcp::resolver resolver(ioc);
  beast::error_code ec;
  const auto endpoints = resolver.resolve(target.host, target.port, ec);
  if (ec) return unavailable("cannot resolve '" + target.host + "': " + ec.message());

  stream.emplace(ioc, tls);
  buffer.clear();
  reused = false;
  SSL* ssl_handle = stream->native_handle();
  // Host checks are done by OpenSSL during the handshake, so a mismatch fails
  // the handshake like any other verification error. SNI carries names only.
  if (is_ip_literal(target.host)) {
    if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_handle), target.host.c_str()) != 1) {
      close(false);
      return unavailable("cannot set the expected IP address " + target.host);
    }
  } else {
    X509_VERIFY_PARAM_set_hostflags(SSL_get0_param(ssl_handle),
                                    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (SSL_set1_host(ssl_handle, target.host.c_str()) != 1 ||
        SSL_set_tlsext_host_name(ssl_handle, target.host.c_str()) != 1) {
      close(false);
      return unavailable("cannot set the expected host name " + target.host);
    }
  }

  auto& socket = beast::get_lowest_layer(*stream);
  socket.expires_after(target.timeout);
  ec = run([&](auto handler) { socket.async_connect(endpoints, handler); });
  if (ec) {
    close(false);
    return unavailable("cannot connect to " + where() + ": " + describe(ec));
  }

  socket.expires_after(target.timeout);
  ec = run([&](auto handler) { stream->async_handshake(ssl::stream_base::client, handler); });
  if (ec) {
    const long verify = SSL_get_verify_result(stream->native_handle());
    std::string why = verify != X509_V_OK ? std::string("certificate verify failed: ") +
                                                X509_verify_cert_error_string(verify)
                                          : describe(ec);
    close(false);
    return unavailable("TLS handshake with " + where() + " failed: " + why);
  }
  socket.expires_never();
  return {};
}

void HttpsClient::Impl::close(bool graceful) {
  if (!stream) return;
  auto& socket = beast::get_lowest_layer(*stream);
  if (graceful && socket.socket().is_open()) {
    // Say goodbye with close_notify, but never wait long for the answer.
    socket.expires_after(
        std::min<std::chrono::milliseconds>(target.timeout, std::chrono::seconds(1)));
    (void)run([&](auto handler) { stream->async_shutdown(handler); });
  }
  beast::error_code ignored;
  socket.socket().shutdown(tcp::socket::shutdown_both, ignored);
  socket.close();
  // Let any cancelled operation finish while its stream still exists.
  ioc.restart();
  ioc.poll();
  stream.reset();
  reused = false;
}

HttpsClient::HttpsClient(HttpsTarget target) : impl_(std::make_unique<Impl>(std::move(target))) {}

HttpsClient::~HttpsClient() = default;

common::Result<HttpsResponse> HttpsClient::request(
    const std::string& method, const std::string& target, const std::string& body,
    const std::string& bearer, const std::map<std::string, std::string>& extra_headers) {
  Impl& d = *impl_;
  if (!d.setup_error.empty()) return unavailable(d.setup_error);
  const http::verb verb = http::string_to_verb(method);
  if (verb == http::verb::unknown) {
    return common::make_error(common::Errc::bad_request, "unknown HTTP method " + method);
  }
  if (target.empty() || target.front() != '/') {
    return common::make_error(common::Errc::bad_request, "request target must start with '/'");
  }

  try {
    http::request<http::string_body> req{verb, target, 11};
    const bool v6 = d.target.host.find(':') != std::string::npos;
    req.set(http::field::host,
            (v6 ? "[" + d.target.host + "]" : d.target.host) + ":" + d.target.port);
    req.set(http::field::user_agent, "authctl/0.1");
    req.set(http::field::accept, "application/json");
    if (!bearer.empty()) req.set(http::field::authorization, "Bearer " + bearer);
    if (!body.empty()) req.set(http::field::content_type, "application/json");
    for (const auto& [name, value] : extra_headers) req.set(name, value);
    req.body() = body;
    req.prepare_payload();

    // A reused connection may have been closed by the server while idle; the
    // request then never reached it, so one fresh attempt is safe.
    for (int attempt = 0;; ++attempt) {
      if (!d.stream) {
        auto connected = d.connect();
        if (!connected) return connected.error();
      }
      const bool was_reused = d.reused;
      auto& socket = beast::get_lowest_layer(*d.stream);

      socket.expires_after(d.target.timeout);
      beast::error_code ec =
          d.run([&](auto handler) { http::async_write(*d.stream, req, handler); });
      std::optional<http::response_parser<http::string_body>> parser;
      if (!ec) {
        parser.emplace();
        parser->body_limit(kMaxResponseBody);
        socket.expires_after(d.target.timeout);
        ec = d.run([&](auto handler) { http::async_read(*d.stream, d.buffer, *parser, handler); });
      }
      if (ec) {
        const bool nothing_received = !parser || !parser->got_some();
        d.close(false);
        if (attempt == 0 && was_reused && nothing_received && is_stale_connection(ec)) continue;
        if (ec == http::error::body_limit) {
          return unavailable("the response from " + d.where() + " is too large");
        }
        return unavailable("request to " + d.where() + " failed: " + d.describe(ec));
      }
      socket.expires_never();

      auto res = parser->release();
      HttpsResponse out;
      out.status = static_cast<int>(res.result_int());
      for (const auto& field : res) {
        const auto raw_name = field.name_string();
        std::string name = lower(std::string_view(raw_name.data(), raw_name.size()));
        auto [it, inserted] =
            out.headers.emplace(name, std::string(field.value().data(), field.value().size()));
        if (!inserted) it->second += ", " + std::string(field.value().data(), field.value().size());
      }
      out.body = std::move(res.body());
      if (res.keep_alive()) {
        d.reused = true;
      } else {
        d.close(/*graceful=*/true);
      }
      return out;
    }
  } catch (const std::exception& e) {
    d.close(false);
    return unavailable("request to " + d.where() + " failed: " + e.what());
  }
}

}  // namespace provisioning
