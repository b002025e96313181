#include "core/base/http.h"

#include <algorithm>
#include <cctype>

namespace invsync::base {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

void HttpHeaders::set(std::string_view name, std::string value) {
  erase(name);
  entries_.emplace_back(std::string(name), std::move(value));
}

void HttpHeaders::add(std::string_view name, std::string value) {
  entries_.emplace_back(std::string(name), std::move(value));
}

std::optional<std::string_view> HttpHeaders::get(std::string_view name) const {
  for (const auto& [key, value] : entries_) {
    if (iequals(key, name)) return std::string_view(value);
  }
  return std::nullopt;
}

void HttpHeaders::erase(std::string_view name) {
  std::erase_if(entries_, [&](const auto& e) { return iequals(e.first, name); });
}

std::string_view HttpRequest::path() const {
  const std::string_view t(target);
  const size_t q = t.find('?');
  return q == std::string_view::npos ? t : t.substr(0, q);
}

std::string_view HttpRequest::query() const {
  const std::string_view t(target);
  const size_t q = t.find('?');
  return q == std::string_view::npos ? std::string_view() : t.substr(q + 1);
}

HttpResponse HttpResponse::json(int32_t status, std::string body) {
  return text(status, "application/json; charset=utf-8", std::move(body));
}

HttpResponse HttpResponse::text(int32_t status, std::string content_type, std::string body) {
  HttpResponse r;
  r.status = status;
  r.headers.set("Content-Type", std::move(content_type));
  r.body = std::move(body);
  return r;
}

}  // namespace invsync::base
