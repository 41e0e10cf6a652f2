// Files on which libhdf5 1.10.8 itself crashes or loops (tests/data/h5/crashers: fixtures with a few
// flipped bytes, found by helper H2). saving/h5_sandbox.cpp lets the library meet them first in a
// child process, so each is a ConfigError here, and this process never runs the crashing code.
#include <catch2/catch.hpp>

#include <filesystem>

#include <xkeras/xkeras.hpp>

using namespace xkeras;
namespace fs = std::filesystem;

TEST_CASE("h5 crashers: files that crash libhdf5 are refused with an error") {
  const fs::path dir = fs::path(XKERAS_SOURCE_DIR) / "tests" / "data" / "h5" / "crashers";
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".h5") continue;
    ++files;
    INFO(e.path().filename().string());
    try {
      load_model(e.path().string());
      // A damaged file may still be readable; reaching here without a crash is what matters.
    } catch (const ConfigError& err) {
      CHECK_THAT(err.what(), Catch::Contains(e.path().filename().string()));
    }
  }
  CHECK(files == 6);
}

TEST_CASE("h5 crashers: the library's crash is reported as such") {
  // m00005 is a SIGSEGV in H5HG_read, m00760 a loop that never ends (the child is stopped at the limit,
  // 10 s; this test therefore takes about that long).
  const std::string dir = std::string(XKERAS_SOURCE_DIR) + "/tests/data/h5/crashers/";
  CHECK_THROWS_WITH(load_model(dir + "m00005_mlp_vlen.h5"), Catch::Contains("libhdf5 crashed reading this file"));
}
