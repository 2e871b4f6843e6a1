#include "authd/log.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace authd {
namespace {

void write_line(const char* level, std::string_view message) noexcept {
  const auto now = std::chrono::system_clock::now();
  const std::time_t secs = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&secs, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);
  // One fprintf per line: stdio locks the stream, so lines from different
  // threads never interleave. Control characters are not expected in our own
  // messages, but a line must stay one line whatever a caller passes.
  char clean[1024];
  size_t n = 0;
  for (char c : message) {
    if (n + 1 >= sizeof clean) break;
    clean[n++] = (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  }
  clean[n] = '\0';
  std::fprintf(stderr, "%s.%03dZ %s %s\n", stamp, static_cast<int>(millis), level, clean);
}

}  // namespace

void log_info(std::string_view message) noexcept { write_line("INFO", message); }
void log_warn(std::string_view message) noexcept { write_line("WARN", message); }
void log_error(std::string_view message) noexcept { write_line("ERROR", message); }

}  // namespace authd
