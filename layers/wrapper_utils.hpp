// Helpers shared by the wrapper layers (TimeDistributed, Bidirectional); private to layers/.
// A wrapper's config holds its inner layer as a full Keras object, and it builds the inner layer
// on a shape of its choosing.
#pragma once

#include <string>

#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/layer.hpp"
#include "xkeras/layers/input_layer.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers::detail {

/// The inner layer as serialize_keras_object writes it: module, class_name, config,
/// registered_name, and build_config once built.
inline json nested_layer_object(const Layer& layer) {
  json o;
  o["module"] = layer.module();
  o["class_name"] = layer.class_name();
  o["config"] = layer.get_config();
  o["registered_name"] = layer.registered_name();
  json build = layer.build_config();
  if (!build.is_null()) o["build_config"] = build;
  return o;
}

/// The layer of a nested Keras object {"class_name", "config"[, "registered_name"]} at `path`
/// (a user's class is also found by its registered_name, as Keras looks it up).
inline LayerPtr nested_layer_from_object(const json& o, const std::string& path) {
  if (!o.is_object() || !o.contains("class_name") || !o["class_name"].is_string() || !o.contains("config") ||
      !o["config"].is_object())
    throw ConfigError(path, "expected a layer object {\"class_name\": ..., \"config\": {...}}, got " + shown(o));
  std::string key = o["class_name"].get<std::string>();
  auto reg = o.find("registered_name");
  if (!has_layer(key) && reg != o.end() && reg->is_string() && has_layer(reg->get<std::string>())) key = reg->get<std::string>();
  try {
    return layer_from_config(key, o["config"], path);
  } catch (const ConfigError&) {
    throw;
  } catch (const std::exception& e) {
    throw ConfigError(path + ".config", e.what());
  }
}

/// Builds `inner` for inputs of `shape` (batch included) through a symbolic call on a private
/// input, the way Sequential builds its layers; a no-op when it is built already.
inline void build_inner(Layer& inner, const TensorShape& shape, const std::string& who) {
  if (inner.built()) return;
  // An explicit name: an auto-named input would take a number from the user's inputs.
  auto in = std::make_shared<InputLayerImpl>(shape, who + "_inner_input");
  inner.apply({in->output()}, false);
}

}  // namespace xkeras::layers::detail
