// Where the real-world files of ../shared live. They are never copied into the repository: the tests
// read them in place. XKERAS_WILD_DIR overrides; otherwise the shared folder beside the checkout, then
// /work/shared. A missing folder fails the test (nothing is skipped because it is missing).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace wildtest {

inline std::filesystem::path shared_dir() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("XKERAS_SHARED_DIR"); env && *env) return env;
  for (const fs::path& p : {fs::path(XKERAS_SOURCE_DIR) / ".." / "shared", fs::path("/work/shared")})
    if (fs::is_directory(p / "wild_keras_models")) return p;
  throw std::runtime_error("the shared folder with wild_keras_models/ was not found beside " XKERAS_SOURCE_DIR
                           " nor at /work/shared; set XKERAS_SHARED_DIR");
}

}  // namespace wildtest
