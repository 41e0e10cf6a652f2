// Model JSON (Model::to_json(), Keras 3 and tf.keras 2.x layouts) -> model_from_json, then a small
// predict when the model loads. Seeds: fuzz/corpus/model_json; dictionary: fuzz/model_json.dict.
#include <string>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return xkeras_fuzz::guarded([&] {
    const xkeras::Model m = xkeras::model_from_json(std::string(reinterpret_cast<const char*>(data), size));
    xkeras_fuzz::predict_small(m);
  });
}
