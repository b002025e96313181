#include "core/base/json_writer.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include "core/base/assert.h"

namespace invsync::base {

void JsonWriter::before_value() {
  if (depth_.empty()) {
    INVSYNC_ASSERT(!wrote_top_);  // one top-level value per writer
    wrote_top_ = true;
    return;
  }
  Level& level = depth_.back();
  if (level.object) {
    INVSYNC_ASSERT(level.key_pending);  // an object member needs key() first
    level.key_pending = false;
    return;
  }
  if (level.has_member) out_.push_back(',');
  level.has_member = true;
}

JsonWriter& JsonWriter::begin_object() {
  before_value();
  out_.push_back('{');
  depth_.push_back(Level{true, false, false});
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  INVSYNC_ASSERT(!depth_.empty() && depth_.back().object && !depth_.back().key_pending);
  depth_.pop_back();
  out_.push_back('}');
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  before_value();
  out_.push_back('[');
  depth_.push_back(Level{false, false, false});
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  INVSYNC_ASSERT(!depth_.empty() && !depth_.back().object);
  depth_.pop_back();
  out_.push_back(']');
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  INVSYNC_ASSERT(!depth_.empty() && depth_.back().object && !depth_.back().key_pending);
  Level& level = depth_.back();
  if (level.has_member) out_.push_back(',');
  level.has_member = true;
  level.key_pending = true;
  append_escaped(out_, name);
  out_.push_back(':');
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view s) {
  before_value();
  append_escaped(out_, s);
  return *this;
}

JsonWriter& JsonWriter::value(int64_t n) {
  before_value();
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, n);
  out_.append(buf, r.ptr);
  return *this;
}

JsonWriter& JsonWriter::value(uint64_t n) {
  before_value();
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, n);
  out_.append(buf, r.ptr);
  return *this;
}

JsonWriter& JsonWriter::value(double d) {
  before_value();
  if (!std::isfinite(d)) {
    out_.append("null");
    return *this;
  }
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, d);
  const std::string_view text(buf, static_cast<size_t>(r.ptr - buf));
  out_.append(text);
  // Keep a float a float for the reader: 2 would read back as an integer, 2.0 does not.
  if (text.find_first_of(".eE") == std::string_view::npos) out_.append(".0");
  return *this;
}

JsonWriter& JsonWriter::value(bool b) {
  before_value();
  out_.append(b ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  out_.append("null");
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  INVSYNC_ASSERT(!json.empty());
  before_value();
  out_.append(json);
  return *this;
}

namespace {

// True when one of the 8 bytes of `x` must be escaped in a JSON string: below 0x20, '"' or '\\'.
// Bit tricks on the whole word (zero-byte and less-than tests); may flag a word that needs nothing,
// never misses one (the caller then looks byte by byte).
bool word_needs_escape(uint64_t x) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  const auto has_zero = [](uint64_t v) { return (v - kOnes) & ~v & kHighs; };
  const uint64_t below_space = (x - kOnes * 0x20) & ~x & kHighs;
  return (below_space | has_zero(x ^ (kOnes * '"')) | has_zero(x ^ (kOnes * '\\'))) != 0;
}

}  // namespace

void JsonWriter::append_escaped(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.reserve(out.size() + s.size() + 2);
  out.push_back('"');
  const char* p = s.data();
  const char* const end = p + s.size();
  const char* run = p;  // start of the current stretch that needs no escaping
  while (p != end) {
    while (end - p >= 8) {  // most text needs no escaping: step over it a word at a time
      uint64_t word;
      std::memcpy(&word, p, sizeof word);
      if (word_needs_escape(word)) break;
      p += 8;
    }
    if (p == end) break;
    const auto c = static_cast<unsigned char>(*p);
    if (c >= 0x20 && c != '"' && c != '\\') {
      ++p;
      continue;
    }
    out.append(run, static_cast<size_t>(p - run));
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      default: {
        const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(esc, sizeof esc);
      }
    }
    run = ++p;
  }
  out.append(run, static_cast<size_t>(end - run));
  out.push_back('"');
}

}  // namespace invsync::base
