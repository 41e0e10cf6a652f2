// Internal API of the model JSON writer and reader (Keras 3 layout out; Keras 3 and tf.keras 2.x in).
// docs/file_format.md describes the layouts; keras_reference.md §3 is the authority.
#pragma once

#include <memory>
#include <string>

#include "saving/json_util.hpp"
#include "xkeras/layer.hpp"

namespace xkeras {
class ModelImpl;
class SequentialImpl;
}  // namespace xkeras

namespace xkeras::saving {

// ---- writing (layer_object.cpp, functional_config.cpp, sequential_config.cpp) -----------------

/// {"module", "class_name", "config", "registered_name"[, "build_config"]} of any layer or model.
ojson layer_object(const Layer& layer);
/// The layer's config; models use the ordered builders below (their keys in Keras's order).
ojson layer_config(const Layer& layer);
/// Functional config {name, trainable, layers, input_layers, output_layers}.
ojson functional_config(const ModelImpl& model);
/// Sequential config {name, trainable, dtype, layers (InputLayer first), build_input_shape}.
ojson sequential_config(const SequentialImpl& model);
/// The top-level model object, with "compile_config" when compiled and `with_compile`.
ojson model_object(const ModelImpl& model, bool with_compile);

// ---- reading (layer_object.cpp, functional_from_config.cpp, sequential_config.cpp) ------------

/// A layer from its {"class_name", "config", ...} entry at `path` (models included). Every
/// failure becomes a ConfigError naming the path.
LayerPtr layer_from_object(const json& entry, const std::string& path);
/// A model from a top-level object ({"class_name": "Sequential"|"Functional"|"Model", "config"}).
/// `prefix` is the object's own JSON path ("" for a bare model JSON, "model" inside a file).
std::shared_ptr<ModelImpl> model_from_object(const json& object, const std::string& prefix);

/// Counts models being read inside each other; throws past kMaxModelNesting.
class NestingGuard {
 public:
  explicit NestingGuard(const std::string& path);
  ~NestingGuard();
  NestingGuard(const NestingGuard&) = delete;
  NestingGuard& operator=(const NestingGuard&) = delete;
};

}  // namespace xkeras::saving
