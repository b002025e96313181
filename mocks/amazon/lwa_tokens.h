// LwaTokens: Login with Amazon for the Amazon mock. Serves POST /auth/o2/token (refresh_token
// grant, form-encoded) with LWA's exact success and error bodies, and checks the
// x-amz-access-token header of SP-API calls: missing, expired and unknown tokens each get the
// 403 Unauthorized body whose `details` client libraries key their refresh decision on.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/base/http.h"
#include "core/base/time.h"

namespace invsync::mocks {

struct LwaSettings {
  std::string client_id;
  std::string client_secret;
  std::vector<std::string> refresh_tokens;
  base::Duration lifetime;
};

class LwaTokens {
 public:
  enum class Check : uint8_t { kValid, kMissing, kExpired, kInvalid };

  explicit LwaTokens(LwaSettings settings) : settings_(std::move(settings)) {}

  // The /auth/o2/token endpoint. `token_suffix` makes the issued token unique (the caller's
  // deterministic id source).
  base::HttpResponse handle_token_request(const base::HttpRequest& request, base::Instant now,
                                          const std::string& token_suffix);
  std::string issue(base::Instant now, const std::string& token_suffix);
  Check check(const std::optional<std::string_view>& header, base::Instant now) const;
  // The SP-API 403 for a failed check (no x-amzn-RateLimit-Limit: never on 403).
  static base::HttpResponse unauthorized(Check check);
  int64_t issued() const { return issued_; }

 private:
  LwaSettings settings_;
  std::map<std::string, base::Instant, std::less<>> expiry_;  // access token -> expiry
  int64_t issued_ = 0;
};

}  // namespace invsync::mocks
