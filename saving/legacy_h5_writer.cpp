// Legacy Keras .h5 writer. Placeholder until it lands (issue 12, helper H2).
#include "saving/formats.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::saving {

void save_legacy_h5(const ModelImpl&, const std::string& path) {
  throw NotImplementedError("saving \"" + path + "\": the legacy .h5 writer is not built yet");
}

}  // namespace xkeras::saving
