// HTTP request and response values shared by connectors, mocks, the simulator's network and the
// runtime's real client/server. They are plain data: no sockets, no parsing of bodies. Header
// names compare case-insensitively (HTTP/2 lowercases them; platforms differ in spelling) and
// keep their insertion order, so a serialised message is deterministic.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/time.h"

namespace invsync::base {

bool iequals(std::string_view a, std::string_view b);

class HttpHeaders {
 public:
  // Replaces every header called `name` with one value.
  void set(std::string_view name, std::string value);
  // Appends another value (e.g. a second Set-Cookie).
  void add(std::string_view name, std::string value);
  // The first value of `name`, if any.
  std::optional<std::string_view> get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  void erase(std::string_view name);
  const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }

  friend bool operator==(const HttpHeaders&, const HttpHeaders&) = default;

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

struct HttpRequest {
  std::string method = "GET";  // upper case: GET, POST, PUT, PATCH, DELETE
  std::string target = "/";    // origin-form: path plus optional ?query, percent-encoded
  HttpHeaders headers;
  std::string body;
  // Every request carries an explicit deadline for the whole exchange (connect + send + read).
  Duration timeout = Duration::seconds(10);
  // Where the request goes when the transport needs it (scheme://host:port); empty in-process.
  std::string base_url;

  // The target's path without the query string.
  std::string_view path() const;
  // The raw query string after '?', without the '?'; empty when there is none.
  std::string_view query() const;
};

struct HttpResponse {
  int32_t status = 200;
  HttpHeaders headers;
  std::string body;

  bool is_success() const { return status >= 200 && status < 300; }

  static HttpResponse json(int32_t status, std::string body);
  static HttpResponse text(int32_t status, std::string content_type, std::string body);
};

}  // namespace invsync::base
