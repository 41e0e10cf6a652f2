// The file formats, one reader/writer pair each; model_files.cpp picks one by extension (writing) or
// by the file's first bytes (reading), as Keras does. Every reader treats its input as hostile: bounded
// sizes, errors naming the file and the path inside it (JSON path or HDF5 path).
#pragma once

#include <string>

#include "saving/json_util.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras::saving {

namespace h5 {
class File;
class Group;
}  // namespace h5

// ---- xkeras's own JSON file (weights_file.cpp) ---------------------------------------------------
void save_xkeras_json(const ModelImpl& model, const std::string& path);
Model load_xkeras_json(const json& doc, const std::string& path, bool compile);

// ---- TensorFlow.js layers model (tfjs_reader.cpp, tfjs_writer.cpp) --------------------------------
// load_tfjs / Model::save_tfjs: see tfjs.hpp.

// ---- Keras 3 .keras archive (keras_archive.cpp) --------------------------------------------------
/// metadata.json, config.json (with compile_config when compiled) and model.weights.h5, stored.
void save_keras_archive(const ModelImpl& model, const std::string& path);
/// `bytes` is the whole archive read from `path`.
Model load_keras_archive(const std::string& bytes, const std::string& path, bool compile);

// ---- Keras 3 weights layout: layers/<snake_class>/vars/<i>, optimizer/vars (keras3_weights.cpp) -----
/// The HDF5 image of model.weights.h5 / a .weights.h5 file (with the optimizer's variables when
/// the model is compiled).
std::string keras3_weights_image(const ModelImpl& model);
/// Loads every weight of `model` from a file in that layout (rooted at `root`), and the optimizer's
/// variables when `with_optimizer` and the model is compiled.
void load_keras3_weights(const ModelImpl& model, const h5::Group& root, bool with_optimizer, bool skip_mismatch);

// ---- legacy HDF5 (legacy_h5_reader.cpp, legacy_h5_writer.cpp) -------------------------------------
/// A full model from a file with a "model_config" attribute.
Model load_legacy_h5(const h5::File& file, bool compile);
/// Weights of a full-model file (group "model_weights") or of a save_weights file (root).
void load_legacy_weights(const ModelImpl& model, const h5::File& file, bool by_name, bool skip_mismatch);
/// model_config, training_config, model_weights/<layer>/..., as tf.keras writes them.
void save_legacy_h5(const ModelImpl& model, const std::string& path);

}  // namespace xkeras::saving
