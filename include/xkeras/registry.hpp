// Class-name registry: how a model file's "class_name" becomes a layer. Built-in layers
// register themselves; a custom layer adds one line: XKERAS_REGISTER_LAYER(MyLayer).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "xkeras/layer.hpp"

namespace xkeras {

/// Builds a layer from its Keras config; `path` is the JSON path for error messages.
using LayerFactory = std::function<LayerPtr(const json& config, const std::string& path)>;

/// Registers (or replaces) the factory for a class name. Returns true so it can initialize a static.
bool register_layer(const std::string& class_name, LayerFactory factory);
bool has_layer(const std::string& class_name);
std::vector<std::string> registered_layers();
/// Throws ConfigError naming `path` when the class is unknown: "not implemented yet" for a Keras class
/// xkeras lacks, "register it" for any other name.
LayerPtr layer_from_config(const std::string& class_name, const json& config, const std::string& path);

/// True for a class name that Keras 1, 2 or 3 or TensorFlow.js writes for its own layers (and aliases).
bool is_keras_layer_class(const std::string& class_name);
/// Keras's layer classes that xkeras does not implement yet (the catalog minus what is registered).
std::vector<std::string> keras_layers_not_implemented();

template <class T>
bool register_layer_class(const std::string& class_name) {
  return register_layer(class_name, [](const json& c, const std::string& p) -> LayerPtr { return T::from_config(c, p); });
}

}  // namespace xkeras

/// Registers a Layer subclass that has `static std::shared_ptr<T> from_config(const json&, const std::string& path)`.
#define XKERAS_REGISTER_LAYER(CLASS) \
  static const bool xkeras_registered_layer_##CLASS = ::xkeras::register_layer_class<CLASS>(#CLASS)

/// The same, for a C++ class whose Keras class name differs (DenseImpl registered as "Dense").
#define XKERAS_REGISTER_LAYER_NAMED(CLASS, NAME) \
  static const bool xkeras_registered_layer_##CLASS = ::xkeras::register_layer_class<CLASS>(NAME)
