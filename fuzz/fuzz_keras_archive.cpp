// The bytes as a Keras 3 .keras archive (a ZIP holding metadata.json, config.json and
// model.weights.h5): load_model then a small predict when it loads; then load_weights of the archive
// into a fixed small model.
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
  return 0;
}
