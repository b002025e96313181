// TempDir: a fresh directory under the system temp dir for one test, removed with everything in it
// when the TempDir goes. Used by the tests that start executables and hand them files (configs,
// stderr captures).
#pragma once

#include <string>

namespace invsync::testutil {

class TempDir {
 public:
  // Creates `<temp>/<prefix>-XXXXXX`; ok() says whether that worked.
  explicit TempDir(const std::string& prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  bool ok() const { return !path_.empty(); }
  // The path of `name` inside the directory (nothing is created).
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace invsync::testutil
