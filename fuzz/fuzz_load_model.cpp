// The saved-model file (Model::save: config + base64 weights + optimizer state) -> load_model, then
// a small predict when it loads. load_model takes a path, so the bytes go through a scratch file.
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return xkeras_fuzz::guarded([&] {
    const xkeras::Model m = xkeras::load_model(xkeras_fuzz::write_scratch(data, size));
    xkeras_fuzz::predict_small(m);
  });
}
