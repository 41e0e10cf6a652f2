// Keras 3's .keras archive. Placeholder until the reader and writer land (issue 12, helper H1).
#include "saving/formats.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::saving {

void save_keras_archive(const ModelImpl&, const std::string& path) {
  throw NotImplementedError("saving \"" + path + "\": the .keras writer is not built yet");
}
Model load_keras_archive(const std::string&, const std::string& path, bool) {
  throw NotImplementedError("reading \"" + path + "\": the .keras reader is not built yet");
}

}  // namespace xkeras::saving
