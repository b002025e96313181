// JsonReader: strict reading of configuration JSON (scenario files, mock configs, fault settings,
// the service config). Every read names its key; values are range-checked; finish() rejects keys
// that were never read. Errors carry the full path ("$.channels[2].rate_per_s: must be > 0").
// Includes nlohmann/json: include this header only from .cc files.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/base/status.h"

namespace invsync::base {

class JsonReader {
 public:
  // Parses `text`; on a syntax error, status() says where.
  static JsonReader parse(std::string_view text, std::string root_path = "$");
  JsonReader(const nlohmann::json& value, std::string path);

  const Status& status() const { return *status_; }
  bool ok() const { return status_->ok(); }
  const std::string& path() const { return path_; }
  const nlohmann::json& raw() const { return *value_; }

  bool has(const std::string& key);
  int64_t get_int(const std::string& key, std::optional<int64_t> fallback, int64_t min, int64_t max);
  double get_number(const std::string& key, std::optional<double> fallback, double min, double max);
  bool get_bool(const std::string& key, std::optional<bool> fallback);
  std::string get_string(const std::string& key, std::optional<std::string> fallback);
  // One of `allowed`.
  std::string get_enum(const std::string& key, std::optional<std::string> fallback,
                       const std::vector<std::string>& allowed);
  // A child object / array; an absent optional key gives an empty object/array reader.
  JsonReader object(const std::string& key, bool required = false);
  std::vector<JsonReader> array(const std::string& key, bool required = false);
  std::vector<int64_t> int_array(const std::string& key, int64_t min, int64_t max);
  std::vector<std::string> string_array(const std::string& key);
  // Every key of this object (for maps keyed by name), marking them all as read.
  std::vector<std::string> keys();

  // Records an error at this path (first error wins).
  void fail(const std::string& key, const std::string& message);
  // Rejects any key of this object that was not read. Call after reading.
  Status finish();

 private:
  JsonReader(std::shared_ptr<nlohmann::json> owned, std::shared_ptr<Status> status, std::string path);
  JsonReader(const nlohmann::json* value, std::shared_ptr<nlohmann::json> owned,
             std::shared_ptr<Status> status, std::string path);
  const nlohmann::json* lookup(const std::string& key, bool required);
  std::string child_path(const std::string& key) const;

  std::shared_ptr<nlohmann::json> owned_;  // keeps the parsed document alive for child readers
  const nlohmann::json* value_ = nullptr;
  std::shared_ptr<Status> status_;  // shared by all readers of one document: the first error
  std::string path_;
  std::set<std::string> read_;
};

}  // namespace invsync::base
