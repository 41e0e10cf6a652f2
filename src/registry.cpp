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
    if (it == factories().end())
      throw ConfigError(path + ".class_name", "unknown layer class \"" + class_name +
                                                  "\"; register custom layers with XKERAS_REGISTER_LAYER");
    f = it->second;
  }
  if (!config.is_object()) throw ConfigError(path + ".config", "expected an object, got " + std::string(config.type_name()));
  return f(config, path + ".config");
}

}  // namespace xkeras
