// JsonWriter: appends compact JSON text to a string as it is written, without building a document
// first. For the hot paths that answer thousands of requests a second (the mock platforms' response
// bodies, connectors' request bodies), where building an nlohmann tree only to dump it costs more
// than the work itself. Strings are escaped as RFC 8259 requires (quote, backslash, control
// characters); other bytes, UTF-8 included, pass through unchanged. Misuse (a value where a key is
// due, unbalanced ends) is a programming error and asserts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace invsync::base {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  // The next member's name; only inside an object, and a value must follow.
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(int64_t n);
  JsonWriter& value(int32_t n) { return value(static_cast<int64_t>(n)); }
  JsonWriter& value(uint64_t n);
  JsonWriter& value(double d);  // shortest round-trip form; NaN and infinities become null
  JsonWriter& value(bool b);
  JsonWriter& null();
  // A value that is already JSON text (a stored document, a pre-encoded fragment).
  JsonWriter& raw(std::string_view json);

  // key(name).value(v) in one call.
  template <typename T>
  JsonWriter& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }

  // True once every object and array begun has ended and one value was written.
  bool complete() const { return depth_.empty() && wrote_top_; }

  // Appends `s` to `out` as a JSON string literal (with quotes).
  static void append_escaped(std::string& out, std::string_view s);

 private:
  void before_value();

  std::string& out_;
  // One entry per open container: is it an object, and has it a member yet.
  struct Level {
    bool object;
    bool has_member;
    bool key_pending;
  };
  std::vector<Level> depth_;
  bool wrote_top_ = false;
};

}  // namespace invsync::base
