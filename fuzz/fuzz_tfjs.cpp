// A TensorFlow.js layers model (model.json + weight shards, encoded as in tfjs_bundle.hpp) -> load_model,
// then a small predict when it loads. The files go into the per-process scratch folder.
#include <string>

#include "fuzz_common.hpp"
#include "tfjs_bundle.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::string& dir = xkeras_fuzz::write_scratch_files(xkeras_fuzz::tfjs_files(input));
  return xkeras_fuzz::guarded([&] {
    const xkeras::Model m = xkeras::load_model(dir + "/model.json");
    xkeras_fuzz::predict_small(m);
  });
}
