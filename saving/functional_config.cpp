// Writing a functional model's graph in Keras 3's layout (functional.py::get_config and
// serialize_node): each layer once, with the calls of it that belong to this model.
#include <set>
#include <unordered_set>

#include "saving/model_json.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/layers/input_layer.hpp"
#include "xkeras/models/sequential.hpp"

namespace xkeras::saving {

namespace {

using NodeSet = std::unordered_set<const Node*>;

bool is_input_layer(const Layer& l) { return dynamic_cast<const layers::InputLayerImpl*>(&l) != nullptr; }

// Keras 3 counts a nested Functional's own construction as node 0 in input_layers/output_layers
// (functional.py: "Functional models start with a pre-existing node"), but not in call args.
bool has_builtin_node(const Layer& l) {
  return dynamic_cast<const ModelImpl*>(&l) != nullptr && dynamic_cast<const SequentialImpl*>(&l) == nullptr;
}

// Position of `node` among the calls of its layer that belong to this model (Keras renumbers
// so that calls made in other models do not count).
int own_node_index(const Node& node, const NodeSet& own) {
  if (is_input_layer(*node.layer)) return 0;
  int k = 0;
  for (const auto& n : node.layer->inbound_nodes()) {
    if (n.get() == &node) return k;
    if (own.count(n.get())) ++k;
  }
  throw ValueError("Model serialization: a call of layer \"" + node.layer->name() + "\" is not in the model's graph");
}

ojson keras_tensor(const KerasTensor& t, const NodeSet& own) {
  ojson history = ojson::array({t.layer().name(), own_node_index(*t.node(), own), t.index()});
  ojson config;
  config["shape"] = shape_json(t.shape());
  config["dtype"] = dtype_name(t.dtype());
  config["keras_history"] = std::move(history);
  ojson o;
  o["class_name"] = "__keras_tensor__";
  o["config"] = std::move(config);
  return o;
}

// {"args": [t] | [[t0, t1]] | [t0, t1], "kwargs": {name: t | [t, ...], option: value}}
ojson node_object(const Node& node, const NodeSet& own) {
  ojson tensors = ojson::array();
  for (std::size_t i = 0; i < node.positional && i < node.inputs.size(); ++i) tensors.push_back(keras_tensor(node.inputs[i], own));
  ojson args = ojson::array();
  if (node.list_call) args.push_back(std::move(tensors));
  else args = std::move(tensors);
  ojson kwargs = ojson::object();
  std::size_t k = node.positional;
  for (const auto& [name, count] : node.kwarg_tensors) {
    ojson ts = ojson::array();
    for (std::size_t c = 0; c < count && k < node.inputs.size(); ++c) ts.push_back(keras_tensor(node.inputs[k++], own));
    // Keras writes a single tensor bare and a list (initial_state) as a list.
    kwargs[name] = count == 1 && name != "initial_state" ? ts[0] : ts;
  }
  for (const auto& [key, value] : node.kwarg_options.items()) kwargs[key] = ojson::parse(value.dump());
  ojson o;
  o["args"] = std::move(args);
  o["kwargs"] = std::move(kwargs);
  return o;
}

// [name, node, tensor] for input_layers/output_layers; one tensor is a flat triple.
ojson io_refs(const KerasTensors& ts, const NodeSet& own) {
  ojson list = ojson::array();
  for (const auto& t : ts) {
    const int node = own_node_index(*t.node(), own) + (has_builtin_node(t.layer()) ? 1 : 0);
    list.push_back(ojson::array({t.layer().name(), node, t.index()}));
  }
  return list.size() == 1 ? list[0] : list;
}

}  // namespace

ojson functional_config(const ModelImpl& model) {
  NodeSet own;
  for (const auto& n : model.nodes()) own.insert(n.get());
  // Every layer of the graph once, in Keras's order (map_graph's depths, InputLayers included), as
  // ModelImpl::layers() but without a subclass's override (Sequential hides its InputLayer).
  std::vector<const Layer*> layers;
  std::set<std::string> names;
  for (const auto& l : model.ModelImpl::layers()) {
    if (!names.insert(l->name()).second)
      throw ValueError("Model \"" + model.name() + "\" cannot be serialized: two of its layers are named \"" +
                       l->name() + "\" (layer names must be unique within a model)");
    layers.push_back(l.get());
  }
  ojson entries = ojson::array();
  for (const Layer* l : layers) {
    ojson entry = layer_object(*l);
    entry["name"] = l->name();
    ojson inbound = ojson::array();
    if (!is_input_layer(*l))
      for (const auto& n : l->inbound_nodes())
        if (own.count(n.get())) inbound.push_back(node_object(*n, own));
    entry["inbound_nodes"] = std::move(inbound);
    entries.push_back(std::move(entry));
  }
  ojson c;
  c["name"] = model.name();
  c["trainable"] = model.trainable();
  c["layers"] = std::move(entries);
  c["input_layers"] = io_refs(model.inputs(), own);
  c["output_layers"] = io_refs(model.outputs(), own);
  return c;
}

}  // namespace xkeras

namespace xkeras {

json ModelImpl::get_config() const {
  if (!has_graph()) throw ValueError("Model \"" + name() + "\" has no graph yet, so it has no config");
  return json(saving::functional_config(*this));
}

}  // namespace xkeras
