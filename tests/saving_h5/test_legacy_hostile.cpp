// Malformed legacy .h5 files (tools/make_h5_fixtures.py): each fails with a ConfigError that names the
// file and the HDF5 path or JSON path of the problem, and says what was expected.
#include "saving_h5/h5_test_util.hpp"
#include "xkeras/errors.hpp"

using namespace xkeras;
using h5test::fixture;

namespace {

std::string error_of(const std::string& file) {
  try {
    load_model(fixture(file));
  } catch (const ConfigError& e) {
    return e.what();
  }
  FAIL("loading " << file << " did not throw a ConfigError");
  return "";
}

}  // namespace

TEST_CASE("legacy h5 without model_config says it holds weights only") {
  const auto e = error_of("bad_no_model_config.h5");
  CHECK_THAT(e, Catch::Contains("bad_no_model_config.h5") && Catch::Contains("model_config") &&
                    Catch::Contains("load_weights"));
}

TEST_CASE("legacy h5 whose model_config is not JSON names the attribute") {
  CHECK_THAT(error_of("bad_config_not_json.h5"), Catch::Contains("bad_config_not_json.h5: model_config") &&
                                                    Catch::Contains("JSON"));
}

TEST_CASE("legacy h5 whose model_config is not a string names the attribute") {
  CHECK_THAT(error_of("bad_config_not_string.h5"), Catch::Contains("bad_config_not_string.h5") &&
                                                      Catch::Contains("model_config"));
}

TEST_CASE("legacy h5 with too few arrays for a layer names the group and the counts") {
  CHECK_THAT(error_of("bad_weight_count.h5"),
             Catch::Contains("bad_weight_count.h5: /model_weights/dense") && Catch::Contains("expects 2 weight(s)") &&
                 Catch::Contains("holds 1 array(s)"));
}

TEST_CASE("legacy h5 with an array of the wrong shape names the array and both shapes") {
  CHECK_THAT(error_of("bad_weight_shape.h5"),
             Catch::Contains("bad_weight_shape.h5: /model_weights/dense") && Catch::Contains("dense/kernel:0") &&
                 Catch::Contains("(3, 2)") && Catch::Contains("(4, 2)"));
}

TEST_CASE("legacy h5 whose layer_names lists a missing group names it") {
  CHECK_THAT(error_of("bad_missing_group.h5"),
             Catch::Contains("bad_missing_group.h5: /model_weights") && Catch::Contains("/model_weights/ghost"));
}

TEST_CASE("legacy h5 whose weight_names holds numbers names the attribute") {
  CHECK_THAT(error_of("bad_names_not_strings.h5"),
             Catch::Contains("bad_names_not_strings.h5") && Catch::Contains("/model_weights/dense") &&
                 Catch::Contains("weight_names"));
}

TEST_CASE("legacy h5 whose keras_version is a number names the attribute") {
  CHECK_THAT(error_of("bad_version_not_string.h5"),
             Catch::Contains("bad_version_not_string.h5") && Catch::Contains("keras_version"));
}

TEST_CASE("legacy h5 declaring 4 GiB of weights it does not store fails before allocating them") {
  // The layer wants exactly that shape; what stops it is that the file stores no values for it.
  CHECK_THAT(error_of("bad_huge_dataset.h5"), Catch::Contains("bad_huge_dataset.h5: /model_weights/dense/dense/kernel:0") &&
                                                  Catch::Contains("declares 4294967296 bytes") &&
                                                  Catch::Contains("stores 0"));
}
