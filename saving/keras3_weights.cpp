// Keras 3's weights layout. Placeholder until it lands (issue 12, helper H1).
#include "saving/formats.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::saving {

std::string keras3_weights_image(const ModelImpl&) { throw NotImplementedError("the .weights.h5 writer is not built yet"); }
void load_keras3_weights(const ModelImpl&, const h5::Group&, bool, bool) {
  throw NotImplementedError("the .weights.h5 reader is not built yet");
}

}  // namespace xkeras::saving
