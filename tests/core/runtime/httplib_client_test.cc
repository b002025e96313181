// HttplibClient against a loopback cpp-httplib server: a request goes out with its method, target,
// headers and body; the completion runs on the scheduler's loop thread; a server that does not
// answer in time gives kTimeout (never a hang); a closed port gives kUnavailable. Every wait is a
// future with a generous timeout.
#include "core/runtime/httplib_client.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "core/runtime/asio_scheduler.h"
#include "tests/testutil/free_port.h"

namespace invsync::runtime {
namespace {

using base::Duration;
using testutil::free_port;
constexpr auto kWait = std::chrono::seconds(20);

class HttplibClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.set_tcp_nodelay(true);
    server_.set_read_timeout(5, 0);
    server_.set_write_timeout(5, 0);
    server_.Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
      res.status = 201;
      res.set_header("X-Seen-Token", req.get_header_value("X-Token"));
      res.set_header("X-Seen-A", req.get_param_value("a"));
      res.set_content("echo:" + req.body, "text/plain");
    });
    server_.Get("/slow", [this](const httplib::Request&, httplib::Response& res) {
      // Holds the request until the test releases it (bounded), never answering in time.
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::seconds(10), [this] { return released_; });
      res.set_content("too late", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    server_thread_ = std::thread([this] { server_.listen_after_bind(); });
    loop_ = std::thread([this] { scheduler_.run(); });
  }

  void TearDown() override {
    {
      std::lock_guard lock(mu_);
      released_ = true;
    }
    cv_.notify_all();
    client_.shutdown();
    scheduler_.stop();
    loop_.join();
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    server_.stop();
    server_thread_.join();
  }

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Sends and waits for the completion; records whether it ran on the loop thread.
  base::Result<base::HttpResponse> send(base::HttpRequest request) {
    auto done = std::make_shared<std::promise<base::Result<base::HttpResponse>>>();
    auto f = done->get_future();
    client_.send(std::move(request), [this, done](base::Result<base::HttpResponse> r) {
      completed_on_loop_ = scheduler_.in_loop_thread();
      done->set_value(std::move(r));
    });
    if (f.wait_for(kWait) != std::future_status::ready) {
      ADD_FAILURE() << "no completion within the wait";
      return base::Status::internal("no completion");
    }
    return f.get();
  }

  httplib::Server server_;
  int port_ = -1;
  std::thread server_thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool released_ = false;
  AsioScheduler scheduler_;
  std::thread loop_;
  HttplibClient client_{scheduler_, {.worker_threads = 2}};
  bool completed_on_loop_ = false;
};

TEST_F(HttplibClientTest, SendsTheRequestAndCompletesOnTheLoopThread) {
  base::HttpRequest req;
  req.method = "POST";
  req.base_url = base_url();
  req.target = "/echo?a=%2F1";
  req.headers.set("X-Token", "t-123");
  req.headers.set("Content-Type", "application/json");
  req.body = R"({"x":1})";
  req.timeout = Duration::seconds(5);
  auto r = send(req);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->body, R"(echo:{"x":1})");
  EXPECT_EQ(r->headers.get("X-Seen-Token").value_or(""), "t-123");
  // The target went out as given (once decoded by the server, not twice).
  EXPECT_EQ(r->headers.get("X-Seen-A").value_or(""), "/1");
  EXPECT_TRUE(completed_on_loop_);

  // The same origin again (a kept-alive connection) still works.
  auto again = send(req);
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_EQ(again->status, 201);
}

TEST_F(HttplibClientTest, ServerThatDoesNotAnswerInTimeGivesTimeoutNotAHang) {
  base::HttpRequest req;
  req.base_url = base_url();
  req.target = "/slow";
  req.timeout = Duration::milliseconds(200);
  auto r = send(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), base::StatusCode::kTimeout) << r.status().to_string();
  EXPECT_TRUE(completed_on_loop_);
}

TEST_F(HttplibClientTest, ClosedPortGivesUnavailable) {
  base::HttpRequest req;
  req.base_url = "http://127.0.0.1:" + std::to_string(free_port());
  req.target = "/";
  req.timeout = Duration::seconds(2);
  auto r = send(req);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().is_unavailable()) << r.status().to_string();
}

TEST_F(HttplibClientTest, RequestWithoutBaseUrlIsRejected) {
  base::HttpRequest req;
  req.target = "/echo";
  auto r = send(req);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().is_invalid_argument()) << r.status().to_string();
}

}  // namespace
}  // namespace invsync::runtime
