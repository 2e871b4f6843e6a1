#include "authctl/output.h"

#include <gtest/gtest.h>

namespace provisioning {
namespace {

TEST(Output, ReplacesTerminalControlSequences) {
  EXPECT_EQ(printable("Ada\x1b]0;pwned\x07 Lovelace"), "Ada?]0;pwned? Lovelace");
  EXPECT_EQ(printable("a\nb\rc\x7f"), "a?b?c?");
  EXPECT_EQ(printable("x\xc2\x9b"
                      "31m"),
            "x?31m");  // C1 CSI
}

TEST(Output, KeepsOrdinaryUnicode) { EXPECT_EQ(printable("Zoë Łukasz 日本"), "Zoë Łukasz 日本"); }

TEST(Output, AlignsTableColumnsByCharacters) {
  const std::string table = format_table({"ID", "NAME"}, {{"LA-001", "Zoë"}, {"P-2", "Bob"}});
  EXPECT_EQ(table,
            "ID      NAME\n"
            "LA-001  Zoë\n"
            "P-2     Bob\n");
}

TEST(Output, EscapesPathSegments) {
  EXPECT_EQ(url_escape("alice.smith_1-x~"), "alice.smith_1-x~");
  EXPECT_EQ(url_escape("../admin?x=1"), "..%2Fadmin%3Fx%3D1");
  EXPECT_EQ(url_escape("a b"), "a%20b");
}

}  // namespace
}  // namespace provisioning
