// HDF5 files that try what a hostile file can (made by tools/make_h5_hostile_fixtures.py with h5py):
// each is refused with an error naming the file and the HDF5 path, before anything is allocated
// from its declared sizes and without reading any other file.
#include <catch2/catch.hpp>

#include <vector>

#include "../../saving/h5_file.hpp"
#include "xkeras/errors.hpp"

using namespace xkeras;
namespace h5 = xkeras::saving::h5;

namespace {
h5::File fixture(const std::string& name) {
  return h5::File::open(std::string(XKERAS_SOURCE_DIR) + "/tests/data/h5_hostile/" + name);
}
}  // namespace

TEST_CASE("h5 hostile: a dataset declaring more values than the file stores is refused") {
  const auto f = fixture("huge_unstored.h5");
  CHECK_THROWS_WITH(f.group("vars").dataset_info("0"),
                    Catch::Contains("huge_unstored.h5: /vars/0") && Catch::Contains("declares 1073741824 bytes") &&
                        Catch::Contains("stores 0"));
  CHECK_THROWS_WITH(f.group("vars").dataset_info("1"), Catch::Contains("/vars/1") && Catch::Contains("more than 2^31 values"));
  const auto c = fixture("huge_compressed.h5");
  CHECK_THROWS_WITH(c.group("vars").dataset_info("0"),
                    Catch::Contains("/vars/0") && Catch::Contains("more than deflate can expand"));
}

TEST_CASE("h5 hostile: values in other files and links that leave the file are refused") {
  CHECK_THROWS_WITH(fixture("external_storage.h5").group("vars").dataset_info("0"),
                    Catch::Contains("/vars/0") && Catch::Contains("external files"));
  const auto f = fixture("links.h5");
  CHECK_FALSE(f.group("vars").has_dataset("0"));
  CHECK_FALSE(f.group("vars").has_dataset("1"));
  std::vector<float> v(4);
  CHECK_THROWS_WITH(f.group("vars").read_floats("0", v.data(), 4), Catch::Contains("/vars/0") && Catch::Contains("link"));
  CHECK_THROWS_WITH(f.group("vars").read_floats("1", v.data(), 4), Catch::Contains("/vars/1") && Catch::Contains("link"));
  // The same values through the hard link read fine.
  f.read_floats("real", v.data(), 4);
  CHECK(v == std::vector<float>{0, 1, 2, 3});
}

TEST_CASE("h5 hostile: types that are not numbers or strings are refused") {
  const auto f = fixture("wrong_types.h5");
  CHECK_THROWS_WITH(f.group("vars").dataset_info("0"), Catch::Contains("/vars/0") && Catch::Contains("expected numbers"));
  CHECK_THROWS_WITH(f.group("vars").dataset_info("1"), Catch::Contains("/vars/1") && Catch::Contains("expected numbers"));
  CHECK_THROWS_WITH(f.attr_strings("layer_names"),
                    Catch::Contains("attribute \"layer_names\"") && Catch::Contains("expected a string attribute"));
  CHECK_THROWS_WITH(f.attr_string("model_config"), Catch::Contains("expected a string attribute"));
}
