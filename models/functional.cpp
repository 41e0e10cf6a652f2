// The functional graph: which layer calls a model runs, in which order, on which tensors.
#include <algorithm>
#include <utility>
#include <map>
#include <set>
#include <unordered_map>

#include "models/compiled_state.hpp"
#include "models/graph_order.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/layers/input_layer.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras {

namespace {

bool is_input_node(const Node& n) { return n.inputs.empty() && n.layer && n.layer->class_name() == "InputLayer"; }

}  // namespace

ModelImpl::ModelImpl(const KerasTensors& inputs, const KerasTensors& outputs, std::string name)
    : Layer("Functional", std::move(name)) {
  set_graph(inputs, outputs);
}

ModelImpl::ModelImpl(std::string class_name, std::string name) : Layer(std::move(class_name), std::move(name)) {}

ModelImpl::~ModelImpl() = default;

void ModelImpl::set_compiled(std::shared_ptr<CompiledState> c) { compiled_ = std::move(c); }

void ModelImpl::set_graph(const KerasTensors& inputs, const KerasTensors& outputs) {
  if (inputs.empty()) throw ValueError("Model \"" + name() + "\": expected at least one input");
  if (outputs.empty()) throw ValueError("Model \"" + name() + "\": expected at least one output");
  std::set<const Node*> input_nodes;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const auto& t = inputs[i];
    if (!t.defined() || !is_input_node(*t.node()))
      throw ValueError("Model \"" + name() + "\": input " + std::to_string(i) +
                       " must come from xkeras::Input(...), not from a layer's output");
    if (!input_nodes.insert(t.node().get()).second)
      throw ValueError("Model \"" + name() + "\": input " + std::to_string(i) + " is given twice");
  }
  // Depth-first post-order from the outputs: every node comes after the nodes it reads. Iterative,
  // so a model file with a very long chain of layers cannot overflow the stack.
  std::vector<std::shared_ptr<Node>> order;
  for (const auto& t : inputs) order.push_back(t.node());
  std::set<const Node*> done(input_nodes.begin(), input_nodes.end()), active;
  for (const auto& out : outputs) {
    if (!out.defined()) throw ValueError("Model \"" + name() + "\": an output is undefined");
    std::vector<std::pair<std::shared_ptr<Node>, std::size_t>> stack{{out.node(), 0}};
    while (!stack.empty()) {
      auto& [n, next] = stack.back();
      if (next == 0) {
        if (done.count(n.get())) { stack.pop_back(); continue; }
        if (is_input_node(*n))
          throw ValueError("Graph disconnected: cannot obtain value for tensor of layer \"" + n->layer->name() +
                           "\" (an Input that is not among the inputs of model \"" + name() + "\")");
        if (!active.insert(n.get()).second) throw ValueError("Model \"" + name() + "\": the graph has a cycle");
      }
      if (next < n->inputs.size()) {
        auto child = n->inputs[next++].node();
        if (!done.count(child.get())) stack.emplace_back(std::move(child), 0);
        continue;
      }
      active.erase(n.get());
      done.insert(n.get());
      order.push_back(n);
      stack.pop_back();
    }
  }
  // Keras: "All layer names should be unique" (weights are saved and found by layer name).
  std::map<std::string, const Layer*> names;
  for (const auto& n : order) {
    auto [it, fresh] = names.emplace(n->layer->name(), n->layer.get());
    if (!fresh && it->second != n->layer.get())
      throw ValueError("Model \"" + name() + "\": the name \"" + n->layer->name() +
                       "\" is used by two layers of the model. All layer names should be unique.");
  }
  inputs_ = inputs;
  outputs_ = outputs;
  nodes_ = std::move(order);
  layer_order_ = detail::keras_layer_order(inputs_, outputs_);
  std::vector<TensorShape> shapes;
  for (const auto& t : inputs_) shapes.push_back(t.shape());
  build_shapes_ = shapes;
  graph_ready_.store(true, std::memory_order_release);
  mark_built();
}

void ModelImpl::append_to_graph(const KerasTensor& output) {
  if (outputs_.size() != 1 || output.node()->inputs.size() != 1 || !(output.node()->inputs[0] == outputs_[0]))
    throw ValueError("Model \"" + name() + "\": append_to_graph needs a call on the model's single output");
  nodes_.push_back(output.node());
  outputs_ = {output};
  // A chain's depth order is its call order: the new layer comes last (unless already in the chain).
  if (std::find(layer_order_.begin(), layer_order_.end(), output.node()->layer) == layer_order_.end())
    layer_order_.push_back(output.node()->layer);
}

std::vector<LayerPtr> ModelImpl::layers() const { return layer_order_; }

LayerPtr ModelImpl::get_layer(const std::string& layer_name) const {
  for (const auto& l : layers())
    if (l->name() == layer_name) return l;
  throw ValueError("No such layer: " + layer_name + " in model \"" + name() + "\"");
}

std::vector<LayerPtr> ModelImpl::sublayers() const { return layers(); }

void ModelImpl::build_list(const std::vector<TensorShape>&) {}

Tensors ModelImpl::call_list(const Tensors& xs, bool training) {
  if (xs.size() != inputs_.size())
    throw ValueError("Model \"" + name() + "\" expects " + std::to_string(inputs_.size()) + " input(s), but it received " +
                     std::to_string(xs.size()) + " input tensors");
  // Values of the tensors computed so far, keyed by (node, output index).
  std::unordered_map<const Node*, Tensors> values;
  for (std::size_t i = 0; i < inputs_.size(); ++i) {
    Layer& in = inputs_[i].layer();
    values[inputs_[i].node().get()] = {in(xs[i], training)};
  }
  // Drop each intermediate value once its last reader ran, to bound memory.
  std::unordered_map<const Node*, int> readers;
  for (const auto& n : nodes_)
    for (const auto& t : n->inputs) ++readers[t.node().get()];
  for (const auto& t : outputs_) ++readers[t.node().get()];
  for (const auto& n : nodes_) {
    if (is_input_node(*n)) continue;
    auto value_of = [&values](const KerasTensor& t) {
      return values.at(t.node().get()).at(static_cast<std::size_t>(t.index()));
    };
    Tensors ins;
    for (std::size_t i = 0; i < n->positional; ++i) ins.push_back(value_of(n->inputs[i]));
    CallKwargs kw;
    kw.options = n->kwarg_options;
    std::size_t k = n->positional;
    for (const auto& [kw_name, count] : n->kwarg_tensors) {
      Tensors ts;
      for (std::size_t c = 0; c < count; ++c) ts.push_back(value_of(n->inputs[k++]));
      kw.tensors.emplace_back(kw_name, std::move(ts));
    }
    values[n.get()] = (*n->layer)(ins, kw, training);
    for (const auto& t : n->inputs)
      if (--readers[t.node().get()] == 0) values.erase(t.node().get());
  }
  Tensors out;
  for (const auto& t : outputs_) out.push_back(values.at(t.node().get()).at(static_cast<std::size_t>(t.index())));
  return out;
}

std::vector<TensorShape> ModelImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  if (input_shapes.size() != inputs_.size())
    throw ValueError("Model \"" + name() + "\" expects " + std::to_string(inputs_.size()) + " input(s), but it received " +
                     std::to_string(input_shapes.size()));
  for (std::size_t i = 0; i < input_shapes.size(); ++i) {
    const TensorShape& want = inputs_[i].shape();
    const TensorShape& got = input_shapes[i];
    bool ok = want.size() == got.size();
    for (std::size_t d = 1; ok && d < got.size(); ++d) ok = want[d] < 0 || got[d] < 0 || want[d] == got[d];
    if (!ok) incompatible(static_cast<int>(i), "expected shape=" + shape_str(want), got);
  }
  const Dim batch = input_shapes.empty() || input_shapes[0].empty() ? None : input_shapes[0][0];
  std::vector<TensorShape> out;
  for (const auto& t : outputs_) {
    TensorShape s = t.shape();
    if (!s.empty()) s[0] = batch;
    out.push_back(s);
  }
  return out;
}

json ModelImpl::build_config() const { return json{{"input_shape", nullptr}}; }

// ---- the Model handle ----------------------------------------------------------------------

Model::Model(const KerasTensor& input, const KerasTensor& output, const std::string& name)
    : Holder<ModelImpl>(std::make_shared<ModelImpl>(KerasTensors{input}, KerasTensors{output}, name)) {}

Model::Model(const KerasTensors& inputs, const KerasTensors& outputs, const std::string& name)
    : Holder<ModelImpl>(std::make_shared<ModelImpl>(inputs, outputs, name)) {}

Model::Model(const KerasTensors& inputs, const KerasTensor& output, const std::string& name)
    : Holder<ModelImpl>(std::make_shared<ModelImpl>(inputs, KerasTensors{output}, name)) {}

}  // namespace xkeras
