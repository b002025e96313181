// free_port: a loopback TCP port for tests that need one that nothing listens on (or that a
// child process is told to bind): bound to port 0, read back, then released.
#pragma once

namespace invsync::testutil {

// A port on 127.0.0.1 that was free a moment ago; -1 if none could be had.
int free_port();

}  // namespace invsync::testutil
