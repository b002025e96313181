// httplib_convert: the one translation between cpp-httplib's server-side Request/Response and
// invsync's base::HttpRequest/base::HttpResponse, shared by the executables that serve real HTTP
// (`invsync serve` and invsync-mock). httplib stays out of this header (forward declarations);
// only the .cc files that already include <httplib.h> call these.
#pragma once

#include "core/base/http.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace invsync::runtime {

// The request as the peer sent it: method, target (the raw target, else the path), headers and
// body. The headers cpp-httplib adds itself (REMOTE_ADDR, REMOTE_PORT, LOCAL_ADDR, LOCAL_PORT) are
// dropped.
base::HttpRequest to_request(const httplib::Request& req);

// Writes `in` into `out`: status, headers and body. Content-Type (any case) becomes the content's
// type (application/octet-stream when absent); Content-Length is left to cpp-httplib.
void fill_response(const base::HttpResponse& in, httplib::Response& out);

}  // namespace invsync::runtime
