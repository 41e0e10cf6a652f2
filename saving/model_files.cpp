// Model::save / save_weights / load_weights and load_model: which format a path means. Writing
// follows the extension, as Keras's model.save does; reading looks at the first bytes, so a file
// renamed by a user still opens, and an unknown file gets an error that says what it looks like.
#include <cstring>

#include "saving/atomic_write.hpp"
#include "saving/formats.hpp"
#include "saving/h5_file.hpp"
#include "saving/tfjs.hpp"
#include "saving/zip_archive.hpp"
#include "xkeras/errors.hpp"

namespace xkeras {

namespace {

bool ends_with(const std::string& s, const char* suffix) {
  const std::size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

bool is_legacy_h5_name(const std::string& path) {
  return (ends_with(path, ".h5") || ends_with(path, ".hdf5")) && !ends_with(path, ".weights.h5");
}

}  // namespace

void Model::save(const std::string& path) const {
  if (ends_with(path, ".weights.h5"))
    throw ValueError("Model.save(\"" + path + "\"): a \".weights.h5\" file holds weights only; call save_weights for it, "
                     "or save the whole model as \".keras\"");
  if (ends_with(path, ".keras")) return saving::save_keras_archive(*ptr_, path);
  if (is_legacy_h5_name(path)) return saving::save_legacy_h5(*ptr_, path);
  saving::save_xkeras_json(*ptr_, path);
}

void Model::save_weights(const std::string& path) const {
  if (!ends_with(path, ".weights.h5"))
    throw ValueError("save_weights(\"" + path + "\"): the file name must end in \".weights.h5\", as in Keras 3 "
                     "(use save(\"....keras\") for the whole model)");
  saving::atomic_write(path, saving::keras3_weights_image(*ptr_));
}

void Model::load_weights(const std::string& path, bool by_name, bool skip_mismatch) const {
  const std::string bytes = saving::read_file(path);
  if (saving::zip::looks_like_zip(bytes)) {
    saving::zip::Reader archive(bytes, path);
    if (!archive.has("model.weights.h5"))
      throw ConfigError(path, "expected a Keras archive holding \"model.weights.h5\", but it has no such member");
    const auto weights = saving::h5::File::open_image(archive.read("model.weights.h5", saving::kMaxFileBytes),
                                                      path + ": model.weights.h5");
    return saving::load_keras3_weights(*ptr_, weights, true, skip_mismatch);
  }
  if (!saving::h5::File::looks_like_hdf5(bytes))
    throw ConfigError(path, "expected a weights file (HDF5 \".weights.h5\" or \".h5\", or a \".keras\" archive), "
                            "but the file starts with neither HDF5's nor ZIP's signature");
  const auto file = saving::h5::File::open_image(bytes, path);
  // Keras 3's layout has the group "layers" (or "vars" at the root); legacy files have layer_names.
  const bool legacy = file.has_group("model_weights") || file.has_attr("layer_names") || file.has_attr("layer_names0");
  if (legacy) return saving::load_legacy_weights(*ptr_, file, by_name, skip_mismatch);
  if (by_name)
    throw ValueError("load_weights(\"" + path + "\", by_name=true): matching by name is only possible for legacy "
                     "\".h5\" files; Keras 3 weight files are matched by the layers' positions");
  saving::load_keras3_weights(*ptr_, file, true, skip_mismatch);
}

Model load_model(const std::string& path, bool compile) {
  const std::string bytes = saving::read_file(path);
  if (saving::zip::looks_like_zip(bytes)) return saving::load_keras_archive(bytes, path, compile);
  if (saving::h5::File::looks_like_hdf5(bytes)) {
    const auto file = saving::h5::File::open_image(bytes, path);
    if (!file.has_attr("model_config"))
      throw ConfigError(path, "this HDF5 file has no \"model_config\" attribute, so it holds weights only (a "
                              "save_weights file): build the model, then call load_weights(\"" + path + "\")");
    return saving::load_legacy_h5(file, compile);
  }
  const json doc = saving::parse_document(bytes, path);
  if (saving::is_tfjs_document(doc)) return saving::load_tfjs(doc, path);
  return saving::load_xkeras_json(doc, path, compile);
}

}  // namespace xkeras
