#include "core/base/json_reader.h"

#include <cmath>

namespace invsync::base {
namespace {
const nlohmann::json& empty_object() {
  static const nlohmann::json kEmpty = nlohmann::json::object();
  return kEmpty;
}
}  // namespace

JsonReader::JsonReader(std::shared_ptr<nlohmann::json> owned, std::shared_ptr<Status> status,
                       std::string path)
    : owned_(std::move(owned)), value_(owned_.get()), status_(std::move(status)),
      path_(std::move(path)) {}

JsonReader::JsonReader(const nlohmann::json* value, std::shared_ptr<nlohmann::json> owned,
                       std::shared_ptr<Status> status, std::string path)
    : owned_(std::move(owned)), value_(value), status_(std::move(status)), path_(std::move(path)) {}

JsonReader::JsonReader(const nlohmann::json& value, std::string path)
    : value_(&value), status_(std::make_shared<Status>()), path_(std::move(path)) {
  if (!value_->is_object()) fail("", "must be a JSON object");
}

JsonReader JsonReader::parse(std::string_view text, std::string root_path) {
  auto status = std::make_shared<Status>();
  auto doc = std::make_shared<nlohmann::json>(nlohmann::json::object());
  try {
    *doc = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    *status = Status::invalid_argument(root_path + ": not valid JSON: " + e.what());
    *doc = nlohmann::json::object();
  }
  JsonReader r(doc, status, std::move(root_path));
  if (r.ok() && !doc->is_object()) r.fail("", "must be a JSON object");
  return r;
}

std::string JsonReader::child_path(const std::string& key) const {
  return key.empty() ? path_ : path_ + "." + key;
}

void JsonReader::fail(const std::string& key, const std::string& message) {
  if (status_->ok()) *status_ = Status::invalid_argument(child_path(key) + ": " + message);
}

bool JsonReader::has(const std::string& key) {
  return value_->is_object() && value_->contains(key);
}

const nlohmann::json* JsonReader::lookup(const std::string& key, bool required) {
  read_.insert(key);
  if (!value_->is_object()) return nullptr;
  auto it = value_->find(key);
  if (it == value_->end()) {
    if (required) fail(key, "is required");
    return nullptr;
  }
  return &*it;
}

int64_t JsonReader::get_int(const std::string& key, std::optional<int64_t> fallback, int64_t min,
                            int64_t max) {
  const nlohmann::json* v = lookup(key, !fallback.has_value());
  if (v == nullptr) return fallback.value_or(min);
  if (!v->is_number_integer()) {
    fail(key, "must be a whole number");
    return fallback.value_or(min);
  }
  const int64_t n = v->get<int64_t>();
  if (n < min || n > max) {
    fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                  ", got " + std::to_string(n));
    return fallback.value_or(min);
  }
  return n;
}

double JsonReader::get_number(const std::string& key, std::optional<double> fallback, double min,
                              double max) {
  const nlohmann::json* v = lookup(key, !fallback.has_value());
  if (v == nullptr) return fallback.value_or(min);
  if (!v->is_number()) {
    fail(key, "must be a number");
    return fallback.value_or(min);
  }
  const double d = v->get<double>();
  if (!std::isfinite(d) || d < min || d > max) {
    fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return fallback.value_or(min);
  }
  return d;
}

bool JsonReader::get_bool(const std::string& key, std::optional<bool> fallback) {
  const nlohmann::json* v = lookup(key, !fallback.has_value());
  if (v == nullptr) return fallback.value_or(false);
  if (!v->is_boolean()) {
    fail(key, "must be true or false");
    return fallback.value_or(false);
  }
  return v->get<bool>();
}

std::string JsonReader::get_string(const std::string& key, std::optional<std::string> fallback) {
  const nlohmann::json* v = lookup(key, !fallback.has_value());
  if (v == nullptr) return fallback.value_or("");
  if (!v->is_string()) {
    fail(key, "must be a string");
    return fallback.value_or("");
  }
  return v->get<std::string>();
}

std::string JsonReader::get_enum(const std::string& key, std::optional<std::string> fallback,
                                 const std::vector<std::string>& allowed) {
  const std::string s = get_string(key, fallback);
  for (const auto& a : allowed) {
    if (a == s) return s;
  }
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  fail(key, "must be one of " + list + ", got '" + s + "'");
  return fallback.value_or(allowed.empty() ? "" : allowed.front());
}

JsonReader JsonReader::object(const std::string& key, bool required) {
  const nlohmann::json* v = lookup(key, required);
  if (v == nullptr) return JsonReader(&empty_object(), owned_, status_, child_path(key));
  if (!v->is_object()) {
    fail(key, "must be a JSON object");
    return JsonReader(&empty_object(), owned_, status_, child_path(key));
  }
  return JsonReader(v, owned_, status_, child_path(key));
}

std::vector<JsonReader> JsonReader::array(const std::string& key, bool required) {
  std::vector<JsonReader> out;
  const nlohmann::json* v = lookup(key, required);
  if (v == nullptr) return out;
  if (!v->is_array()) {
    fail(key, "must be an array");
    return out;
  }
  for (size_t i = 0; i < v->size(); ++i) {
    const std::string p = child_path(key) + "[" + std::to_string(i) + "]";
    if (!(*v)[i].is_object()) {
      if (status_->ok()) *status_ = Status::invalid_argument(p + ": must be a JSON object");
      continue;
    }
    out.push_back(JsonReader(&(*v)[i], owned_, status_, p));
  }
  return out;
}

std::vector<int64_t> JsonReader::int_array(const std::string& key, int64_t min, int64_t max) {
  std::vector<int64_t> out;
  const nlohmann::json* v = lookup(key, false);
  if (v == nullptr) return out;
  if (!v->is_array()) {
    fail(key, "must be an array of whole numbers");
    return out;
  }
  for (size_t i = 0; i < v->size(); ++i) {
    const auto& e = (*v)[i];
    if (!e.is_number_integer() || e.get<int64_t>() < min || e.get<int64_t>() > max) {
      fail(key + "[" + std::to_string(i) + "]",
           "must be a whole number between " + std::to_string(min) + " and " + std::to_string(max));
      return out;
    }
    out.push_back(e.get<int64_t>());
  }
  return out;
}

std::vector<std::string> JsonReader::string_array(const std::string& key) {
  std::vector<std::string> out;
  const nlohmann::json* v = lookup(key, false);
  if (v == nullptr) return out;
  if (!v->is_array()) {
    fail(key, "must be an array of strings");
    return out;
  }
  for (size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) {
      fail(key + "[" + std::to_string(i) + "]", "must be a string");
      return out;
    }
    out.push_back((*v)[i].get<std::string>());
  }
  return out;
}

std::vector<std::string> JsonReader::keys() {
  std::vector<std::string> out;
  if (!value_->is_object()) return out;
  for (auto it = value_->begin(); it != value_->end(); ++it) {
    read_.insert(it.key());
    out.push_back(it.key());
  }
  return out;
}

Status JsonReader::finish() {
  if (status_->ok() && value_->is_object()) {
    for (auto it = value_->begin(); it != value_->end(); ++it) {
      if (read_.count(it.key()) == 0) {
        fail(it.key(), "unknown key");
        break;
      }
    }
  }
  return *status_;
}

}  // namespace invsync::base
