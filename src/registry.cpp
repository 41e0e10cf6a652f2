#include "xkeras/registry.hpp"

#include <map>
#include <mutex>

#include "xkeras/errors.hpp"

namespace xkeras {
namespace {
std::mutex registry_mutex;
std::map<std::string, LayerFactory>& factories() {
  static std::map<std::string, LayerFactory> f;
  return f;
}
}  // namespace

bool register_layer(const std::string& class_name, LayerFactory factory) {
  std::lock_guard<std::mutex> lock(registry_mutex);
  factories()[class_name] = std::move(factory);
  return true;
}

bool has_layer(const std::string& class_name) {
  std::lock_guard<std::mutex> lock(registry_mutex);
  return factories().count(class_name) > 0;
}

std::vector<std::string> registered_layers() {
  std::lock_guard<std::mutex> lock(registry_mutex);
  std::vector<std::string> out;
  for (const auto& [k, v] : factories()) out.push_back(k);
  return out;
}

LayerPtr layer_from_config(const std::string& class_name, const json& config, const std::string& path) {
  LayerFactory f;
  {
    std::lock_guard<std::mutex> lock(registry_mutex);
    auto it = factories().find(class_name);
    if (it == factories().end()) {
      if (is_keras_layer_class(class_name))
        throw ConfigError(path + ".class_name", "layer class \"" + class_name +
                                                    "\" is a Keras layer that xkeras does not implement yet "
                                                    "(keras_layers_not_implemented() lists them)");
      throw ConfigError(path + ".class_name", "unknown layer class \"" + class_name +
                                                  "\": not a Keras layer. If it is your own class, register it with "
                                                  "XKERAS_REGISTER_LAYER(" + class_name + ") before loading");
    }
    f = it->second;
  }
  // Keras <= 2.1 wrote a nested Sequential's config as the bare list of its layers.
  const bool list_ok = config.is_array() && class_name == "Sequential";
  if (!config.is_object() && !list_ok)
    throw ConfigError(path + ".config", "expected an object, got " + std::string(config.type_name()));
  return f(config, path + ".config");
}

}  // namespace xkeras
