// The bytes as an HDF5 file (a legacy Keras .h5, or a .weights.h5): load_model then a small predict
// when it loads; then load_weights into a fixed small model, by position and by name (skipping
// mismatched layers), which reaches the weights readers also when there is no model_config.
#include "fuzz_common.hpp"
#include "fuzz_models.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const xkeras::Model target = [] {
    xkeras_fuzz::init_once();
    return xkeras_fuzz::weights_model_dense();
  }();
  const std::string& path = xkeras_fuzz::write_scratch(data, size);
  xkeras_fuzz::guarded([&] { xkeras_fuzz::predict_small(xkeras::load_model(path)); });
  xkeras_fuzz::guarded([&] { target.load_weights(path); });
  xkeras_fuzz::guarded([&] { target.load_weights(path, /*by_name=*/true, /*skip_mismatch=*/true); });
  return 0;
}
