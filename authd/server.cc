// The Beast/Asio transport. All Beast code of the daemon lives in this one
// file: each translation unit that instantiates Beast's HTTP and SSL templates
// costs tens of seconds to compile.
#include "authd/server.h"

#include <openssl/crypto.h>

#include <atomic>
// GCC 12 with -fsanitize=address reports a false "may be used uninitialized"
// inside Beast's parser (a boost::optional it fills before reading); the
// warning is silenced for Boost's headers only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#pragma GCC diagnostic pop
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "authd/error_mapping.h"
#include "authd/log.h"
#include "authd/tls_context.h"
#include "common/secret.h"

namespace authd {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

namespace {

class Connection;

std::string_view sv(beast::string_view s) { return {s.data(), s.size()}; }

// A header value from a handler goes on the wire only if it cannot split the
// header block; handlers build them from validated data, so this never fires
// unless a bug slips through.
bool safe_header_value(std::string_view value) {
  for (char c : value) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

constexpr std::chrono::seconds kTlsCloseTimeout{5};
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};
constexpr std::chrono::milliseconds kLingerTime{2000};
constexpr size_t kLingerBytes = 8 * 1024 * 1024;

}  // namespace

struct Server::Impl {
  Impl(const ServerOptions& opts, const Router& r, SslCtxPtr context)
      : options(opts),
        router(r),
        tls(context.release()),
        ioc(static_cast<int>(opts.io_threads)),
        acceptor(net::make_strand(ioc)),
        accept_retry(acceptor.get_executor()),
        workers(opts.worker_threads) {}

  void do_accept();
  void on_accept(beast::error_code ec, tcp::socket socket);
  void run_io_thread();

  const ServerOptions options;
  const Router& router;
  std::string host;
  uint16_t port = 0;
  std::atomic<bool> stopping{false};
  bool shut_down = false;  // touched only by the controlling thread

  // Guards the registry and the count of running I/O threads. Declared before
  // the io_context: destroying it destroys pending handlers, which release
  // connections, which deregister here.
  std::mutex mutex;
  std::condition_variable io_threads_done;
  std::unordered_map<const Connection*, std::weak_ptr<Connection>> connections;
  std::unordered_map<std::string, size_t> connections_per_peer;
  unsigned running_io_threads = 0;

  ssl::context tls;
  net::io_context ioc;
  tcp::acceptor acceptor;
  net::steady_timer accept_retry;
  net::thread_pool workers;
  std::vector<std::thread> io_threads;
};

namespace {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket&& socket, Server::Impl& server, std::string peer)
      : stream_(std::move(socket), server.tls), server_(server), peer_(std::move(peer)) {}

  ~Connection() {
    std::lock_guard lock(server_.mutex);
    if (server_.connections.erase(this) == 1) {
      auto held = server_.connections_per_peer.find(peer_);
      if (held != server_.connections_per_peer.end() && --held->second == 0) {
        server_.connections_per_peer.erase(held);
      }
    }
  }

  // Registers with the server and starts the TLS handshake on the strand.
  void start() {
    {
      std::lock_guard lock(server_.mutex);
      server_.connections.emplace(this, weak_from_this());
      ++server_.connections_per_peer[peer_];
    }
    net::post(stream_.get_executor(), [self = shared_from_this()] { self->do_handshake(); });
  }

  // The connection's strand; its identity never changes, so any thread may ask.
  net::any_io_executor executor() { return stream_.get_executor(); }

  // Runs on the strand when the server stops: a connection waiting for a
  // request (or already closing) is closed now; one handling or answering a
  // request finishes it and then closes (read_request() sees `stopping`).
  void stop() {
    if (state_ == State::handshake || state_ == State::reading || state_ == State::closing) {
      beast::get_lowest_layer(stream_).cancel();
    }
  }

 private:
  enum class State { handshake, reading, handling, writing, closing };

  void do_handshake() {
    state_ = State::handshake;
    if (server_.stopping) return close_socket();
    beast::get_lowest_layer(stream_).expires_after(server_.options.handshake_timeout);
    stream_.async_handshake(
        ssl::stream_base::server,
        beast::bind_front_handler(&Connection::on_handshake, shared_from_this()));
  }

  void on_handshake(beast::error_code ec) {
    // Failed handshakes (scanners, old clients, timeouts) are routine and not
    // logged: a log line per probe would let anyone fill the disk.
    if (ec) return close_socket();
    read_request();
  }

  void read_request() {
    if (server_.stopping) return close_tls();
    state_ = State::reading;
    parser_.emplace();
    parser_->body_limit(server_.options.body_limit);
    parser_->header_limit(static_cast<std::uint32_t>(server_.options.header_limit));
    beast::get_lowest_layer(stream_).expires_after(server_.options.idle_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Connection::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream) return close_tls();
    if (ec == http::error::body_limit) {
      return send(error_response(413, "payload_too_large", "the request body exceeds 64 KiB"),
                  /*force_close=*/true);
    }
    if (ec == http::error::header_limit) {
      return send(error_response(431, "request_header_fields_too_large",
                                 "the request headers are too large"),
                  true);
    }
    if (ec && ec.category() == http::make_error_code(http::error::bad_method).category() &&
        ec != http::error::partial_message) {
      return send(bad_request("malformed HTTP request"), true);
    }
    if (ec) return close_socket();  // I/O error, timeout, truncation or cancellation
    handle_request();
  }

  HttpRequest request_view() const {
    const auto& message = parser_->get();
    return HttpRequest{sv(message.method_string()),
                       sv(message.target()),
                       sv(message[http::field::content_type]),
                       sv(message[http::field::authorization]),
                       message.body(),
                       peer_};
  }

  void handle_request() {
    const auto& message = parser_->get();
    // Two Authorization or Content-Type headers leave it open which one counts.
    if (message.count(http::field::authorization) > 1 ||
        message.count(http::field::content_type) > 1) {
      return send(bad_request("duplicate Authorization or Content-Type header", "headers"), true);
    }
    // Only plain or chunked bodies: any other transfer coding is one this
    // server does not decode, and a list where chunked is not alone is how
    // request smuggling starts (RFC 9112 6.3).
    const auto transfer_encoding = message[http::field::transfer_encoding];
    if (message.count(http::field::transfer_encoding) > 1 ||
        (!transfer_encoding.empty() && !beast::iequals(transfer_encoding, "chunked"))) {
      return send(bad_request("unsupported Transfer-Encoding", "headers"), true);
    }
    const auto content_encoding = message[http::field::content_encoding];
    if (!content_encoding.empty() && !beast::iequals(content_encoding, "identity")) {
      return send(error_response(415, "unsupported_media_type",
                                 "request bodies must not be content-encoded"),
                  false);
    }
    const HttpRequest request = request_view();
    if (!server_.router.is_slow(request)) return send(server_.router.handle(request), false);

    // Argon2id takes tens of milliseconds: run it on the worker pool, keep the
    // I/O thread free, and come back to this connection's strand to answer.
    // The work guard keeps the I/O threads alive through shutdown until the
    // answer is written.
    state_ = State::handling;
    beast::get_lowest_layer(stream_).expires_never();
    net::post(
        server_.workers, [self = shared_from_this(), guard = net::make_work_guard(server_.ioc)] {
          HttpResponse response = self->server_.router.handle(self->request_view());
          net::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
            self->send(std::move(response), false);
          });
        });
  }

  void send(HttpResponse answer, bool force_close) {
    const bool request_complete = parser_ && parser_->is_done();
    const bool keep_alive =
        !force_close && request_complete && parser_->get().keep_alive() && !server_.stopping;
    const unsigned version = request_complete ? parser_->get().version() : 11;
    // A refused request whose body is still arriving: read and drop the rest
    // for a moment after answering, or the client, still sending, meets a
    // reset and never sees the answer (the "lingering close" of RFC 9112 9.6).
    linger_ = !request_complete;
    if (parser_) common::wipe(parser_->get().body());

    // The answer is serialised by hand into one buffer: its header fields are
    // constants and validated handler values, and skipping Beast's field
    // container and serializer saves a dozen allocations on every request.
    wire_.clear();
    wire_.reserve(512 + answer.body.size());
    wire_ += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    wire_ += std::to_string(answer.status);
    wire_ += ' ';
    wire_ += sv(http::obsolete_reason(http::int_to_status(static_cast<unsigned>(answer.status))));
    wire_ += "\r\n";
    const auto add_field = [this](std::string_view name, std::string_view value) {
      wire_ += name;
      wire_ += ": ";
      wire_ += value;
      wire_ += "\r\n";
    };
    for (const HeaderField& field : security_headers()) add_field(field.name, field.value);
    add_field("Content-Security-Policy", answer.content_security_policy.empty()
                                             ? kApiContentSecurityPolicy
                                             : answer.content_security_policy);
    add_field("Content-Type", answer.content_type);
    for (const auto& [name, value] : answer.headers) {
      if (safe_header_value(name) && safe_header_value(value)) {
        add_field(name, value);
      } else {
        log_error("refused to send a header with control characters");
      }
    }
    if (!keep_alive) {
      add_field("Connection", "close");
    } else if (version == 10) {
      add_field("Connection", "keep-alive");
    }
    if (answer.status != 204 && answer.status != 304) {
      add_field("Content-Length", std::to_string(answer.body.size()));
      wire_ += "\r\n";
      wire_ += answer.body;
    } else {
      wire_ += "\r\n";
    }
    common::wipe(answer.body);

    state_ = State::writing;
    beast::get_lowest_layer(stream_).expires_after(server_.options.write_timeout);
    net::async_write(
        stream_, net::buffer(wire_),
        beast::bind_front_handler(&Connection::on_write, shared_from_this(), keep_alive));
  }

  void on_write(bool keep_alive, beast::error_code ec, std::size_t) {
    // The answer may hold a new session token or a TOTP enrolment URI.
    OPENSSL_cleanse(wire_.data(), wire_.size());
    wire_.clear();
    if (ec) return close_socket();
    if (!keep_alive) return linger_ ? linger(kLingerTime) : close_tls();
    read_request();
  }

  void linger(std::chrono::milliseconds left) {
    state_ = State::closing;
    buffer_.consume(buffer_.size());
    if (left.count() <= 0 || lingered_bytes_ > kLingerBytes) return close_socket();
    const auto started = std::chrono::steady_clock::now();
    beast::get_lowest_layer(stream_).expires_after(left);
    stream_.async_read_some(buffer_.prepare(16 * 1024), [self = shared_from_this(), left, started](
                                                            beast::error_code ec, std::size_t n) {
      if (ec) return self->close_socket();
      self->lingered_bytes_ += n;
      self->linger(left - std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now() - started));
    });
  }

  void close_tls() {
    state_ = State::closing;
    beast::get_lowest_layer(stream_).expires_after(kTlsCloseTimeout);
    stream_.async_shutdown(
        beast::bind_front_handler(&Connection::on_tls_closed, shared_from_this()));
  }

  void on_tls_closed(beast::error_code) { close_socket(); }

  void close_socket() {
    state_ = State::closing;
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(stream_).close();
  }

  beast::ssl_stream<beast::tcp_stream> stream_;
  Server::Impl& server_;
  const std::string peer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string wire_;  // the answer being written, as bytes on the wire
  State state_ = State::handshake;
  bool linger_ = false;
  size_t lingered_bytes_ = 0;
};

std::string peer_address(const tcp::socket& socket) {
  beast::error_code ec;
  const tcp::endpoint peer = socket.remote_endpoint(ec);
  if (ec) return "unknown";
  net::ip::address address = peer.address();
  // A dual-stack listener sees IPv4 clients as ::ffff:a.b.c.d; throttling and
  // audit should see the same address whichever way the daemon listens.
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6());
  }
  return address.to_string();
}

}  // namespace

void Server::Impl::do_accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    on_accept(ec, std::move(socket));
  });
}

void Server::Impl::on_accept(beast::error_code ec, tcp::socket socket) {
  if (stopping || ec == net::error::operation_aborted) return;
  if (ec) {
    // Typically out of file descriptors: pause instead of spinning.
    log_warn("accept failed: " + ec.message());
    accept_retry.expires_after(kAcceptRetryDelay);
    accept_retry.async_wait([this](beast::error_code wait_error) {
      if (!wait_error && !stopping) do_accept();
    });
    return;
  }
  std::string peer = peer_address(socket);
  bool full;
  {
    // Accepts are handled one at a time, so the counts cannot move up
    // between this check and the connection's start().
    std::lock_guard lock(mutex);
    auto held = connections_per_peer.find(peer);
    full = connections.size() >= options.max_connections ||
           (held != connections_per_peer.end() && held->second >= options.max_connections_per_peer);
  }
  if (full) {
    beast::error_code ignored;
    socket.close(ignored);
  } else {
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    std::make_shared<Connection>(std::move(socket), *this, std::move(peer))->start();
  }
  do_accept();
}

void Server::Impl::run_io_thread() {
  for (;;) {
    try {
      ioc.run();
      break;
    } catch (const std::exception& e) {
      log_error(std::string("I/O thread caught an exception: ") + e.what());
    }
  }
  std::lock_guard lock(mutex);
  --running_io_threads;
  io_threads_done.notify_all();
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { shutdown(std::chrono::milliseconds(0)); }

const std::string& Server::host() const { return impl_->host; }

uint16_t Server::port() const { return impl_->port; }

common::Result<std::unique_ptr<Server>> Server::start(const ServerOptions& requested,
                                                      const Router& router) {
  ServerOptions options = requested;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  if (options.io_threads == 0) options.io_threads = cores;
  if (options.worker_threads == 0) options.worker_threads = cores;

  beast::error_code ec;
  const net::ip::address address = net::ip::make_address(options.host, ec);
  if (ec) {
    return common::make_error(common::Errc::bad_request,
                              "the listen host must be an IP address, not \"" + options.host + "\"",
                              "listen");
  }
  auto context = make_server_tls_context(options.tls_certificate, options.tls_private_key);
  if (!context) return context.error();

  auto impl = std::make_unique<Impl>(options, router, std::move(*context));
  const tcp::endpoint endpoint(address, options.port);
  const std::string where = (address.is_v6() ? "[" + options.host + "]" : options.host) + ":" +
                            std::to_string(options.port);
  auto& acceptor = impl->acceptor;
  if (acceptor.open(endpoint.protocol(), ec) ||
      acceptor.set_option(net::socket_base::reuse_address(true), ec) ||
      acceptor.bind(endpoint, ec) ||
      acceptor.listen(net::socket_base::max_listen_connections, ec)) {
    return common::make_error(common::Errc::unavailable,
                              "cannot listen on " + where + ": " + ec.message());
  }
  const tcp::endpoint bound = acceptor.local_endpoint(ec);
  if (ec) {
    return common::make_error(common::Errc::unavailable,
                              "cannot read the bound address: " + ec.message());
  }
  impl->host = bound.address().to_string();
  impl->port = bound.port();

  net::post(acceptor.get_executor(), [raw = impl.get()] { raw->do_accept(); });
  impl->running_io_threads = options.io_threads;
  for (unsigned i = 0; i < options.io_threads; ++i) {
    impl->io_threads.emplace_back([raw = impl.get()] { raw->run_io_thread(); });
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

void Server::shutdown(std::chrono::milliseconds grace) {
  Impl& impl = *impl_;
  if (impl.shut_down) return;
  impl.shut_down = true;
  impl.stopping = true;

  net::post(impl.acceptor.get_executor(), [&impl] {
    beast::error_code ignored;
    impl.acceptor.close(ignored);
    impl.accept_retry.cancel();
  });
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard lock(impl.mutex);
    for (const auto& [raw, weak] : impl.connections) {
      if (auto connection = weak.lock()) live.push_back(std::move(connection));
    }
  }
  for (const auto& connection : live) {
    net::post(connection->executor(), [connection] { connection->stop(); });
  }
  live.clear();

  // With the acceptor closed and idle connections gone, the I/O threads run
  // out of work, and return, once the last request in flight is answered.
  {
    std::unique_lock lock(impl.mutex);
    impl.io_threads_done.wait_for(lock, grace, [&impl] { return impl.running_io_threads == 0; });
  }
  impl.ioc.stop();
  for (std::thread& thread : impl.io_threads) thread.join();
  impl.io_threads.clear();
  impl.workers.stop();
  impl.workers.join();
}

}  // namespace authd
