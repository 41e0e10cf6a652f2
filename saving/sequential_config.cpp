// Sequential config both ways: Keras 3 (InputLayer as the first entry, build_input_shape) and
// tf.keras 2.x (InputLayer entry or batch_input_shape on the first layer; very old files give
// the layer list itself as the config).
#include <new>

#include "saving/model_json.hpp"
#include "saving/problems.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/layers/input_layer.hpp"
#include "xkeras/models/sequential.hpp"

namespace xkeras::saving {

ojson sequential_config(const SequentialImpl& model) {
  // Layer::get_config gives the base keys {name, trainable, dtype}; put them in Keras's order.
  const json base = model.Layer::get_config();
  ojson c;
  c["name"] = model.name();
  c["trainable"] = model.trainable();
  c["dtype"] = ordered(base.at("dtype"));
  ojson layers = ojson::array();
  // The InputLayer comes first once the graph exists (Keras 3 Sequential.get_config).
  if (model.has_graph()) layers.push_back(layer_object(model.inputs()[0].layer()));
  for (const auto& l : model.layers()) layers.push_back(layer_object(*l));
  c["layers"] = std::move(layers);
  if (model.has_graph()) c["build_input_shape"] = shape_json(model.inputs()[0].shape());
  return c;
}

namespace {

bool is_input_layer(const LayerPtr& l) { return std::dynamic_pointer_cast<layers::InputLayerImpl>(l) != nullptr; }

// tf.keras 2.x: the first layer of a Sequential built with input_shape= carries batch_input_shape.
std::shared_ptr<layers::InputLayerImpl> legacy_input(const json& entry, const std::string& path) {
  if (!entry.is_object() || !entry.contains("config") || !entry["config"].is_object()) return nullptr;
  const json& config = entry["config"];
  const std::string cpath = join_path(path, "config");
  ConfigReader r(config, cpath);
  TensorShape shape;
  if (r.has("batch_input_shape")) shape = r.shape("batch_input_shape");
  else if (r.has("batch_shape")) shape = r.shape("batch_shape");
  else if (r.has("input_shape")) {
    shape = r.shape("input_shape");
    shape.insert(shape.begin(), None);
  } else return nullptr;
  if (shape.empty()) r.fail("batch_input_shape", "expected at least the batch dimension");
  try {
    return std::make_shared<layers::InputLayerImpl>(shape);
  } catch (const std::exception& e) {
    throw ConfigError(join_path(cpath, "batch_input_shape"), e.what());
  }
}

// tf.keras and TensorFlow.js: a Sequential whose first layer is a model with one known input takes
// that input's shape (TensorFlow.js's teachable-machine files nest a Functional in a Sequential so).
std::shared_ptr<layers::InputLayerImpl> nested_model_input(const LayerPtr& layer) {
  auto m = std::dynamic_pointer_cast<ModelImpl>(layer);
  if (!m || !m->has_graph() || m->inputs().size() != 1) return nullptr;
  return std::make_shared<layers::InputLayerImpl>(m->inputs()[0].shape());
}

std::shared_ptr<SequentialImpl> read_sequential(const json& config, const std::string& path) {
  // Keras 2.2 wrote the list of layers as the whole config.
  const bool bare_list = config.is_array();
  const json& list = bare_list ? config : member(config, "layers", path);
  const std::string list_path = bare_list ? path : join_path(path, "layers");
  if (!list.is_array()) throw ConfigError(list_path, "expected a list of layers, got " + shown(list));
  if (list.size() > kMaxLayers) throw ConfigError(list_path, "more than " + std::to_string(kMaxLayers) + " layers");
  std::string name;
  bool trainable = true;
  if (!bare_list) {
    ConfigReader r(config, path);
    name = r.name();
    trainable = r.get_bool("trainable", true);
  }
  auto model = std::make_shared<SequentialImpl>(std::vector<LayerPtr>{}, name);
  Problems problems;  // every layer entry is read, so that all their problems are reported at once
  for (std::size_t i = 0; i < list.size() && !problems.full(); ++i) {
    const std::string lp = index_path(list_path, i);
    LayerPtr layer;
    try {
      layer = layer_from_object(list[i], lp);
    } catch (const ConfigError& e) {
      problems.add(e);
      continue;
    }
    if (problems.any()) continue;  // the model will not be built; only the layers' own problems matter now
    if (i == 0 && !is_input_layer(layer)) {
      if (auto in = legacy_input(list[i], lp)) model->add(in);
      else if (auto in2 = nested_model_input(layer)) model->add(in2);
    }
    try {
      model->add(layer);
    } catch (const ConfigError&) {
      throw;
    } catch (const std::bad_alloc&) {
      throw ConfigError(lp, "the layer is too large to allocate");
    } catch (const std::exception& e) {
      throw ConfigError(lp, e.what());
    }
  }
  problems.throw_if_any();
  // A model built with build(shape) instead of an Input (Keras 3 always writes the InputLayer too).
  if (!bare_list && !model->has_graph() && config.contains("build_input_shape") && !config["build_input_shape"].is_null()) {
    ConfigReader r(config, path);
    const TensorShape shape = r.shape("build_input_shape");
    if (shape.empty()) r.fail("build_input_shape", "expected at least the batch dimension");
    try {
      model->build_graph(shape);
    } catch (const std::exception& e) {
      throw ConfigError(join_path(path, "build_input_shape"), e.what());
    }
  }
  model->set_trainable(trainable);
  return model;
}

}  // namespace

}  // namespace xkeras::saving

namespace xkeras {

json SequentialImpl::get_config() const { return json(saving::sequential_config(*this)); }

std::shared_ptr<SequentialImpl> SequentialImpl::from_config(const json& config, const std::string& path) {
  saving::NestingGuard guard(path);
  return saving::read_sequential(config, path);
}

}  // namespace xkeras
