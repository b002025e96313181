// JsonWriter: what it writes parses back (nlohmann) to the same values, for any string.
#include "core/base/json_writer.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>

namespace invsync::base {
namespace {

TEST(JsonWriter, WritesNestedDocumentCompactly) {
  std::string out;
  JsonWriter w(out);
  w.begin_object()
      .field("id", int64_t{42})
      .field("name", "a \"quoted\" \\ name\n")
      .key("tags")
      .begin_array()
      .value("x")
      .value(true)
      .null()
      .value(-7)
      .end_array()
      .key("nested")
      .begin_object()
      .end_object()
      .key("empty")
      .begin_array()
      .end_array()
      .field("price", 2.5)
      .key("doc")
      .raw(R"({"k":1})")
      .end_object();
  EXPECT_TRUE(w.complete());
  EXPECT_EQ(out,
            R"({"id":42,"name":"a \"quoted\" \\ name\n","tags":["x",true,null,-7],)"
            R"("nested":{},"empty":[],"price":2.5,"doc":{"k":1}})");
}

TEST(JsonWriter, FloatsStayFloatsAndNonFiniteIsNull) {
  std::string out;
  JsonWriter w(out);
  w.begin_array()
      .value(2.0)
      .value(1e21)
      .value(std::numeric_limits<double>::quiet_NaN())
      .value(std::numeric_limits<double>::infinity())
      .end_array();
  const auto doc = nlohmann::json::parse(out);
  EXPECT_TRUE(doc[0].is_number_float());
  EXPECT_EQ(doc[0].get<double>(), 2.0);
  EXPECT_EQ(doc[1].get<double>(), 1e21);
  EXPECT_TRUE(doc[2].is_null());
  EXPECT_TRUE(doc[3].is_null());
}

TEST(JsonWriter, ControlCharactersAreEscaped) {
  std::string out;
  JsonWriter(out).value(std::string_view("\x01\x1f\t", 3));
  EXPECT_EQ(out, R"("\u0001\u001f\t")");
}

// Long strings are scanned a word at a time: a character to escape at any offset, and bytes at
// and around the bounds of the test (0x1f, 0x20, 0x7f, 0x80, 0xff), must each come out right.
TEST(JsonWriter, EscapesAtEveryOffsetOfLongStrings) {
  for (const char special : {'"', '\\', '\n', '\x01', '\x1f'}) {
    for (size_t at = 0; at < 24; ++at) {
      std::string text(24, 'a');
      text[at] = special;
      std::string out;
      JsonWriter(out).value(text);
      EXPECT_EQ(nlohmann::json::parse(out).get<std::string>(), text) << at;
    }
  }
  const std::string edges = "\x20\x7f abc \xC2\x80 \xC3\xBF \xEF\xBF\xBF padding";
  std::string out;
  JsonWriter(out).value(edges);
  EXPECT_EQ(out, "\"" + edges + "\"") << "nothing there needs escaping";
}

TEST(JsonWriter, IntegerExtremesRoundTrip) {
  std::string out;
  JsonWriter(out)
      .begin_array()
      .value(std::numeric_limits<int64_t>::min())
      .value(std::numeric_limits<uint64_t>::max())
      .end_array();
  const auto doc = nlohmann::json::parse(out);
  EXPECT_EQ(doc[0].get<int64_t>(), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(doc[1].get<uint64_t>(), std::numeric_limits<uint64_t>::max());
}

RC_GTEST_PROP(JsonWriterProperty, AnyAsciiOrUtf8StringRoundTrips, (const std::string& s)) {
  // nlohmann rejects invalid UTF-8; the writer passes bytes through, so keep to what JSON allows.
  std::string text;
  for (char c : s) text.push_back(static_cast<char>(static_cast<unsigned char>(c) & 0x7F));
  text += "\xC3\xA9";  // é: multi-byte UTF-8 passes through untouched
  std::string out;
  JsonWriter w(out);
  w.begin_object().field(text, text).end_object();
  const auto doc = nlohmann::json::parse(out);
  RC_ASSERT(doc.size() == 1u);
  RC_ASSERT(doc.at(text).get<std::string>() == text);
}

}  // namespace
}  // namespace invsync::base
