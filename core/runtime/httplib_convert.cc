#include "core/runtime/httplib_convert.h"

#include <httplib.h>

#include <string>

namespace invsync::runtime {

base::HttpRequest to_request(const httplib::Request& req) {
  base::HttpRequest r;
  r.method = req.method;
  r.target = req.target.empty() ? req.path : req.target;
  for (const auto& [k, v] : req.headers) {
    // cpp-httplib adds these itself; the sender never sent them.
    if (k == "REMOTE_ADDR" || k == "REMOTE_PORT" || k == "LOCAL_ADDR" || k == "LOCAL_PORT") {
      continue;
    }
    r.headers.add(k, v);
  }
  r.body = req.body;
  return r;
}

void fill_response(const base::HttpResponse& in, httplib::Response& out) {
  out.status = in.status;
  std::string content_type = "application/octet-stream";
  for (const auto& [k, v] : in.headers.entries()) {
    if (base::iequals(k, "content-type")) {
      content_type = v;
      continue;
    }
    if (base::iequals(k, "content-length")) continue;
    out.set_header(k.c_str(), v);
  }
  out.set_content(in.body, content_type.c_str());
}

}  // namespace invsync::runtime
