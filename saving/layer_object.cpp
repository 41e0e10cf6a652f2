// One layer as a Keras object, both ways; models are layers too, dispatched by class name.
#include <new>

#include "keras_dialect.hpp"
#include "saving/keras1_config.hpp"
#include "saving/model_json.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/models/sequential.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::saving {

// ---- writing --------------------------------------------------------------------------------

ojson layer_config(const Layer& layer) {
  if (auto* seq = dynamic_cast<const SequentialImpl*>(&layer)) return sequential_config(*seq);
  if (auto* model = dynamic_cast<const ModelImpl*>(&layer)) return functional_config(*model);
  return ordered(layer.get_config());
}

ojson layer_object(const Layer& layer) {
  // serialize_keras_object's key order (keras_reference.md §1.2).
  ojson o;
  o["module"] = layer.module();
  o["class_name"] = layer.class_name();
  o["config"] = layer_config(layer);
  o["registered_name"] = ordered(layer.registered_name());
  json build = layer.build_config();
  if (!build.is_null()) o["build_config"] = ordered(build);
  return o;
}

// ---- reading --------------------------------------------------------------------------------

namespace {
thread_local int nesting_depth = 0;
}  // namespace

NestingGuard::NestingGuard(const std::string& path) {
  if (nesting_depth >= kMaxModelNesting)
    throw ConfigError(path, "models nested deeper than " + std::to_string(kMaxModelNesting) + " levels");
  ++nesting_depth;
}

NestingGuard::~NestingGuard() { --nesting_depth; }

LayerPtr layer_from_object(const json& entry, const std::string& path) {
  if (!entry.is_object()) throw ConfigError(path, "expected a layer object, got " + shown(entry));
  std::string class_name = get_string(member(entry, "class_name", path), join_path(path, "class_name"));
  const json* config_ptr = &member(entry, "config", path);
  json upgraded;
  if (detail::current_dialect().major == 1) {  // Keras 1's class and argument names, as Keras 2 read them
    class_name = keras1_class_name(class_name);
    upgraded = upgrade_keras1_config(class_name, *config_ptr, join_path(path, "config"));
    config_ptr = &upgraded;
  }
  const json& config = *config_ptr;
  // Keras looks a registered custom class up by "registered_name" ("package>Name").
  std::string key = class_name;
  auto reg = entry.find("registered_name");
  if (!has_layer(key) && reg != entry.end() && reg->is_string() && has_layer(reg->get<std::string>()))
    key = reg->get<std::string>();
  const std::string config_path = join_path(path, "config");
  try {
    return layer_from_config(key, config, path);
  } catch (const ConfigError&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw ConfigError(config_path, "the " + class_name + " layer is too large to allocate");
  } catch (const std::exception& e) {
    // ValueError from a constructor, a JSON type error inside a from_config, ...
    throw ConfigError(config_path, e.what());
  }
}

std::shared_ptr<ModelImpl> model_from_object(const json& object, const std::string& prefix) {
  const std::string here = prefix.empty() ? "(top level)" : prefix;
  if (!object.is_object())
    throw ConfigError(here, "expected a model object {\"class_name\": ..., \"config\": ...}, got " + shown(object));
  const std::string cls_path = join_path(prefix, "class_name");
  if (!object.contains("class_name")) throw ConfigError(cls_path, "missing required key");
  if (!object.contains("config")) throw ConfigError(join_path(prefix, "config"), "missing required key");
  const std::string& class_name = get_string(object["class_name"], cls_path);
  if (class_name != "Sequential" && class_name != "Functional" && class_name != "Model" && !has_layer(class_name))
    throw ConfigError(cls_path, "unknown model class \"" + class_name + "\" (expected Sequential, Functional or Model). "
                                "A subclassed Keras model is Python code: its file holds no architecture to read. "
                                "Register a C++ model class under this name with XKERAS_REGISTER_LAYER to load it");
  const json& config = object["config"];
  const std::string config_path = join_path(prefix, "config");
  LayerPtr layer;
  try {
    if (class_name == "Sequential") return SequentialImpl::from_config(config, config_path);
    if (class_name == "Functional" || class_name == "Model") return ModelImpl::from_config(config, config_path);
    layer = layer_from_object(object, here);  // a registered model class of the user's
  } catch (const ConfigError&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw ConfigError(config_path, "the model is too large to allocate");
  } catch (const std::exception& e) {
    throw ConfigError(config_path, e.what());
  }
  auto model = std::dynamic_pointer_cast<ModelImpl>(layer);
  if (!model) throw ConfigError(cls_path, "expected a model (Sequential, Functional or Model), got layer class \"" + class_name + "\"");
  return model;
}

namespace {
// Nested models load through the layer registry like any layer.
LayerPtr sequential_factory(const json& c, const std::string& p) { return SequentialImpl::from_config(c, p); }
LayerPtr functional_factory(const json& c, const std::string& p) { return ModelImpl::from_config(c, p); }
const bool registered_models = register_layer("Sequential", sequential_factory) &&
                               register_layer("Functional", functional_factory) &&
                               register_layer("Model", functional_factory);  // tf.keras <= 2.3
}  // namespace

}  // namespace xkeras::saving
