// The bytes as a Keras 3 .weights.h5 (or any weights file load_weights accepts), loaded into fixed
// models that reach the layout's harder parts: a nested model, BatchNormalization's non-trainable
// variables, Adam's optimizer/vars, an LSTM's cell/vars and an Embedding (fuzz_models.hpp).
#include "fuzz_common.hpp"
#include "fuzz_models.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<xkeras::Model> targets = [] {
    xkeras_fuzz::init_once();
    return std::vector<xkeras::Model>{xkeras_fuzz::weights_model_nested(), xkeras_fuzz::weights_model_recurrent()};
  }();
  const std::string& path = xkeras_fuzz::write_scratch(data, size);
  for (const auto& m : targets) {
    xkeras_fuzz::guarded([&] { m.load_weights(path); });
    xkeras_fuzz::guarded([&] { m.load_weights(path, false, /*skip_mismatch=*/true); });
  }
  return 0;
}
