// Time comes in through Clock so tests can move it (idle timeouts, TOTP steps,
// vetting expiry) without sleeping.
//
// Thread safety: implementations are safe to call from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>

namespace common {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

// The real wall clock.
std::shared_ptr<Clock> system_clock();

// A clock that stands still until a test moves it.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start) : now_(start.time_since_epoch().count()) {}
  TimePoint now() const override { return TimePoint(TimePoint::duration(now_.load())); }
  void advance(std::chrono::system_clock::duration by) { now_ += by.count(); }
  void set(TimePoint to) { now_ = to.time_since_epoch().count(); }

 private:
  std::atomic<TimePoint::rep> now_;
};

// Seconds since the Unix epoch, the form stored and sent over the wire.
inline int64_t unix_seconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
inline TimePoint from_unix_seconds(int64_t s) { return TimePoint(std::chrono::seconds(s)); }

// RFC 3339 UTC text, e.g. "2026-11-25T12:00:00Z".
std::string to_rfc3339(TimePoint t);

}  // namespace common
