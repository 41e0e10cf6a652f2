// Legacy Keras .h5. Placeholder until the reader lands (issue 12, helper H2).
#include "saving/formats.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::saving {

Model load_legacy_h5(const h5::File&, bool) { throw NotImplementedError("the legacy .h5 reader is not built yet"); }
void load_legacy_weights(const ModelImpl&, const h5::File&, bool, bool) {
  throw NotImplementedError("the legacy .h5 weights reader is not built yet");
}

}  // namespace xkeras::saving
