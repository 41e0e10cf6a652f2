// Which format a path means (saving/model_files.cpp): saving follows the extension as Keras's does,
// loading the first bytes. Names that Keras refuses are refused here with a message that says what
// to call instead; a file renamed by a user still opens.
#include <catch2/catch.hpp>

#include <filesystem>

#include <xkeras/layers.hpp>
#include <xkeras/xkeras.hpp>

#include "../../saving/atomic_write.hpp"
#include "../../saving/zip_archive.hpp"

using namespace xkeras;
namespace fs = std::filesystem;

namespace {

fs::path scratch() {
  const fs::path d = fs::path(XKERAS_BINARY_DIR) / "tests" / "format_dispatch";
  fs::create_directories(d);
  return d;
}

Sequential small() {
  Sequential m({layers::Input({3}), layers::Dense(2)});
  m.set_weights({Array{{1.f, 2.f}, {3.f, 4.f}, {5.f, 6.f}}, Array{0.5f, -0.5f}});
  return m;
}

std::string zip_without_weights() { return saving::zip::write({{"config.json", "{}"}}); }

std::string first_bytes(const fs::path& p, std::size_t n) { return saving::read_file(p.string()).substr(0, n); }

}  // namespace

TEST_CASE("format dispatch: save picks the format from the extension") {
  const fs::path d = scratch();
  const Sequential m = small();
  m.save((d / "m.keras").string());
  m.save((d / "m.h5").string());
  m.save((d / "m.hdf5").string());
  m.save((d / "m.json").string());
  m.save_weights((d / "m.weights.h5").string());
  CHECK(first_bytes(d / "m.keras", 4) == "PK\3\4");
  CHECK(first_bytes(d / "m.h5", 4) == "\x89HDF");
  CHECK(first_bytes(d / "m.hdf5", 4) == "\x89HDF");
  CHECK(first_bytes(d / "m.weights.h5", 4) == "\x89HDF");
  CHECK(first_bytes(d / "m.json", 1) == "{");
  // Each whole-model file loads back to the same weights; a renamed file still opens by its content.
  fs::copy_file(d / "m.keras", d / "renamed.bin", fs::copy_options::overwrite_existing);
  for (const char* name : {"m.keras", "m.h5", "m.hdf5", "m.json", "renamed.bin"}) {
    INFO(name);
    CHECK(load_model((d / name).string()).get_weights() == m.get_weights());
  }
  Sequential fresh({layers::Input({3}), layers::Dense(2)});
  fresh.load_weights((d / "m.weights.h5").string());
  CHECK(fresh.get_weights() == m.get_weights());
  // load_weights takes a whole .keras or legacy .h5 too.
  for (const char* name : {"m.keras", "m.h5"}) {
    Sequential f({layers::Input({3}), layers::Dense(2)});
    f.load_weights((d / name).string());
    CHECK(f.get_weights() == m.get_weights());
  }
}

TEST_CASE("format dispatch: names Keras refuses are refused with what to call instead") {
  const fs::path d = scratch();
  const Sequential m = small();
  CHECK_THROWS_WITH(m.save((d / "x.weights.h5").string()), Catch::Contains("call save_weights"));
  CHECK_THROWS_WITH(m.save_weights((d / "x.h5").string()), Catch::Contains("must end in \".weights.h5\""));
  CHECK_FALSE(fs::exists(d / "x.weights.h5"));
  CHECK_FALSE(fs::exists(d / "x.h5"));
  // A weights file is not a model, and a Keras 3 weights file has no names to match.
  CHECK_THROWS_WITH(load_model((d / "m.weights.h5").string()),
                    Catch::Contains("m.weights.h5") && Catch::Contains("holds weights only") && Catch::Contains("load_weights"));
  Sequential f({layers::Input({3}), layers::Dense(2)});
  CHECK_THROWS_WITH(f.load_weights((d / "m.weights.h5").string(), /*by_name=*/true),
                    Catch::Contains("only possible for legacy"));
  CHECK_THROWS_WITH(f.load_weights((d / "m.json").string()),
                    Catch::Contains("m.json") && Catch::Contains("neither HDF5's nor ZIP's signature"));
  // A ZIP without model.weights.h5 says so.
  saving::atomic_write((d / "other.zip").string(), zip_without_weights());
  CHECK_THROWS_WITH(f.load_weights((d / "other.zip").string()), Catch::Contains("no such member"));
}
