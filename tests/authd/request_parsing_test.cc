// The small parsers of untrusted request parts.
#include "authd/request_parsing.h"

#include <gtest/gtest.h>

namespace {

TEST(ParseBearer, AcceptsRfc6750Tokens) {
  EXPECT_EQ(authd::parse_bearer("Bearer abc123"), "abc123");
  EXPECT_EQ(authd::parse_bearer("bearer abc"), "abc");
  EXPECT_EQ(authd::parse_bearer("BEARER   a-b.c_d~e+f/g=="), "a-b.c_d~e+f/g==");
}

TEST(ParseBearer, RefusesEverythingElse) {
  for (const char* value :
       {"", "Bearer", "Bearer ", "Bearer  ", "Bearerabc", "Basic abc", "Bearer a b", "Bearer ab=c",
        "Bearer =abc", "Bearer a\tb", "Bearer \"abc\"", "Bearer abc,def", " Bearer abc"}) {
    EXPECT_FALSE(authd::parse_bearer(value).has_value()) << value;
  }
  EXPECT_FALSE(authd::parse_bearer("Bearer " + std::string(1025, 'a')).has_value());
  EXPECT_TRUE(authd::parse_bearer("Bearer " + std::string(1024, 'a')).has_value());
}

TEST(JsonContentType, AcceptsJsonWithUtf8AtMost) {
  for (const char* value :
       {"application/json", "APPLICATION/JSON", "application/json;charset=utf-8",
        "application/json ; charset = UTF-8", "application/json; charset=\"utf-8\""}) {
    EXPECT_TRUE(authd::is_json_content_type(value)) << value;
  }
  for (const char* value : {"", "text/json", "application/json-patch+json", "application/jsonp",
                            "application/json; charset=iso-8859-1", "application/json; foo=bar",
                            "application/json; charset=utf-8; x=y", "multipart/form-data"}) {
    EXPECT_FALSE(authd::is_json_content_type(value)) << value;
  }
}

TEST(Utf8, AcceptsWellFormedAndRefusesIllFormed) {
  EXPECT_TRUE(authd::is_valid_utf8(""));
  EXPECT_TRUE(authd::is_valid_utf8("plain ascii"));
  EXPECT_TRUE(authd::is_valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\x91"));
  EXPECT_TRUE(authd::is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  for (const char* bad :
       {"\x80", "\xC3", "\xC3\x28", "\xC0\xAF", "\xC1\xBF", "\xE0\x80\xAF", "\xED\xA0\x80",
        "\xF0\x80\x80\xAF", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF", "\xE2\x82"}) {
    EXPECT_FALSE(authd::is_valid_utf8(bad)) << testing::PrintToString(bad);
  }
}

TEST(PercentDecode, DecodesAndRefusesBrokenEscapes) {
  EXPECT_EQ(authd::percent_decode("a%2Fb%20c", false), "a/b c");
  EXPECT_EQ(authd::percent_decode("a+b", false), "a+b");
  EXPECT_EQ(authd::percent_decode("a+b", true), "a b");
  EXPECT_EQ(authd::percent_decode("caf%C3%A9", false), "caf\xC3\xA9");
  for (const char* bad : {"%", "%4", "%zz", "a%4g", "%00", "%C3%28", "%FF"}) {
    EXPECT_FALSE(authd::percent_decode(bad, false).has_value()) << bad;
  }
}

TEST(ParseQuery, SplitsAndDecodes) {
  auto params = authd::parse_query("after=10&limit=5&&flag");
  ASSERT_TRUE(params.ok());
  ASSERT_EQ(params->size(), 3u);
  EXPECT_EQ((*params)[0].name, "after");
  EXPECT_EQ((*params)[0].value, "10");
  EXPECT_EQ((*params)[1].name, "limit");
  EXPECT_EQ((*params)[2].name, "flag");
  EXPECT_EQ((*params)[2].value, "");
}

TEST(ParseQuery, NamesTheBrokenParameter) {
  auto repeated = authd::parse_query("limit=1&limit=2");
  ASSERT_FALSE(repeated.ok());
  EXPECT_EQ(repeated.error().field, "limit");
  auto bad_value = authd::parse_query("after=%zz");
  ASSERT_FALSE(bad_value.ok());
  EXPECT_EQ(bad_value.error().field, "after");
  EXPECT_EQ(bad_value.error().message.find("%zz"), std::string::npos);
  auto bad_name = authd::parse_query("%zz=1");
  ASSERT_FALSE(bad_name.ok());
  EXPECT_EQ(bad_name.error().field, "query");
}

}  // namespace
