// CompatJsonParser reads what nlohmann reads, also where plain simdjson refuses the document.
#include "core/base/compat_json.h"

#include <gtest/gtest.h>

#include <string>

namespace invsync::base {
namespace {

using simdjson::dom::element;

TEST(CompatJson, ReadsOrdinaryDocumentsAndKeepsTheLastOfRepeatedKeys) {
  CompatJsonParser parser;
  element root;
  ASSERT_TRUE(parser.parse(R"({"a":1,"b":"x","a":2})", &root));
  const auto a = last_member(root, "a");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->get_int64().value(), 2);
  EXPECT_FALSE(last_member(root, "missing").has_value());
  EXPECT_FALSE(last_member(*last_member(root, "b"), "a").has_value()) << "not an object";
}

TEST(CompatJson, AcceptsWhatNlohmannAcceptsAndSimdjsonRefuses) {
  CompatJsonParser parser;
  element root;
  // An integer beyond 64 bits: nlohmann reads a float.
  ASSERT_TRUE(parser.parse(R"({"n":123456789012345678901234567890})", &root));
  EXPECT_TRUE(last_member(root, "n")->is_double());
  EXPECT_NEAR(last_member(root, "n")->get_double().value(), 1.2345678901234568e29, 1e15);
  // A leading byte order mark.
  ASSERT_TRUE(parser.parse("\xEF\xBB\xBF{\"k\":true}", &root));
  EXPECT_TRUE(last_member(root, "k")->get_bool().value());
  // Nesting far deeper than simdjson's default limit.
  const std::string deep = std::string(5000, '[') + "7" + std::string(5000, ']');
  ASSERT_TRUE(parser.parse(deep, &root));
  element inner = root;
  for (int i = 0; i < 5000; ++i) inner = inner.get_array().at(0).value();
  EXPECT_EQ(inner.get_int64().value(), 7);
  // After the fallback, an ordinary document parses as before.
  ASSERT_TRUE(parser.parse(R"([1,2])", &root));
  EXPECT_EQ(root.get_array().size(), 2u);
}

TEST(CompatJson, RejectsWhatNlohmannRejects) {
  CompatJsonParser parser;
  element root;
  for (const char* bad : {"", "{", "{\"a\":}", "[1,]", "nul", "{\"a\":1} x", "'a'"}) {
    EXPECT_FALSE(parser.parse(bad, &root)) << bad;
  }
}

}  // namespace
}  // namespace invsync::base
