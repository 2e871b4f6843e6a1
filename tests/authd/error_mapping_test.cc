// The one table from core error codes to HTTP answers.
#include "authd/error_mapping.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace {

using common::Errc;

std::string header(const authd::HttpResponse& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return {};
}

TEST(ErrorMapping, EveryCodeHasItsStatusAndWireName) {
  const std::vector<std::tuple<Errc, int, std::string>> table = {
      {Errc::bad_request, 400, "bad_request"},
      {Errc::weak_password, 400, "weak_password"},
      {Errc::invalid_credentials, 401, "invalid_credentials"},
      {Errc::invalid_session, 401, "invalid_session"},
      {Errc::forbidden, 403, "forbidden"},
      {Errc::account_suspended, 403, "account_suspended"},
      {Errc::account_closed, 403, "account_closed"},
      {Errc::password_change_required, 403, "password_change_required"},
      {Errc::not_found, 404, "not_found"},
      {Errc::conflict, 409, "conflict"},
      {Errc::too_many_attempts, 429, "too_many_attempts"},
      {Errc::internal, 500, "internal"},
      {Errc::unavailable, 503, "unavailable"},
  };
  for (const auto& [code, status, name] : table) {
    SCOPED_TRACE(name);
    EXPECT_EQ(authd::http_status(code), status);
    const authd::HttpResponse response =
        authd::error_response(common::make_error(code, "what happened"));
    EXPECT_EQ(response.status, status);
    const auto body = nlohmann::json::parse(response.body);
    EXPECT_EQ(body["error"], name);
    EXPECT_TRUE(body["message"].is_string());
    EXPECT_FALSE(body.contains("field"));
  }
}

TEST(ErrorMapping, BadRequestNamesTheField) {
  const auto response =
      authd::error_response(common::make_error(Errc::bad_request, "must be a string", "username"));
  const auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body, nlohmann::json({{"error", "bad_request"},
                                  {"message", "must be a string"},
                                  {"field", "username"}}));
}

TEST(ErrorMapping, TooManyAttemptsSaysWhenToRetry) {
  common::Error error = common::make_error(Errc::too_many_attempts, "slow down");
  error.retry_after = std::chrono::seconds(42);
  EXPECT_EQ(header(authd::error_response(error), "Retry-After"), "42");
  // A zero delay would invite an immediate retry loop: at least one second.
  error.retry_after = std::chrono::seconds(0);
  EXPECT_EQ(header(authd::error_response(error), "Retry-After"), "1");
}

TEST(ErrorMapping, InvalidSessionChallengesForABearerToken) {
  const auto response = authd::error_response(common::make_error(Errc::invalid_session, "x"));
  EXPECT_EQ(header(response, "WWW-Authenticate").rfind("Bearer", 0), 0u);
}

TEST(ErrorMapping, InternalDetailsStayInTheLog) {
  for (Errc code : {Errc::internal, Errc::unavailable}) {
    const auto response = authd::error_response(
        common::make_error(code, "sqlite3_step failed on /var/lib/authd/authd.db: disk I/O"));
    EXPECT_EQ(response.body.find("sqlite"), std::string::npos) << response.body;
    EXPECT_EQ(response.body.find("/var/lib"), std::string::npos) << response.body;
  }
}

TEST(ErrorMapping, MessagesThatAreNotUtf8StillRender) {
  const auto response =
      authd::error_response(common::make_error(Errc::bad_request, "bad \xFF byte", "x\xC3"));
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  ASSERT_FALSE(body.is_discarded());
  EXPECT_EQ(body["error"], "bad_request");
}

}  // namespace
