// HttpClient: the seam through which connectors talk to platforms. Asynchronous: send() returns at
// once and the callback (last parameter) runs later on the core's Scheduler with either a response
// (any status, including 4xx/5xx) or a transport Status: kUnavailable (refused, reset, DNS),
// kTimeout (request.timeout passed; the platform may or may not have acted).
// Production: cpp-httplib on a bounded worker pool (core/runtime). Simulation: an in-process
// router to the mock platforms with simulated latency and faults (sim/).
#pragma once

#include <functional>

#include "core/base/http.h"
#include "core/base/result.h"

namespace invsync::base {

using HttpCallback = std::function<void(Result<HttpResponse>)>;

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual void send(HttpRequest request, HttpCallback callback) = 0;
};

}  // namespace invsync::base
