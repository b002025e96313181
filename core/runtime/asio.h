// The one way core/runtime includes Boost.Asio: <utility> first (Boost 1.74's awaitable.hpp uses
// std::exchange without including it, which breaks under g++ 12 with -std=c++20), then only the
// narrow headers the runtime needs. Include from .cc files only, never from a header.
#pragma once

// clang-format off
#include <utility>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
// clang-format on
