#include "xkeras/models/sequential.hpp"

#include "xkeras/errors.hpp"
#include "xkeras/layers/input_layer.hpp"

namespace xkeras {

namespace {
std::shared_ptr<layers::InputLayerImpl> as_input(const LayerPtr& l) {
  return std::dynamic_pointer_cast<layers::InputLayerImpl>(l);
}
}  // namespace

SequentialImpl::SequentialImpl(std::vector<LayerPtr> layers, std::string name)
    : ModelImpl("Sequential", std::move(name)) {
  for (const auto& l : layers) add(l);
}

void SequentialImpl::add(const LayerPtr& layer) {
  if (!layer) throw ValueError("Sequential \"" + name() + "\": cannot add a null layer");
  if (auto in = as_input(layer)) {
    if (input_layer_ || !layers_.empty())
      throw ValueError("Sequential \"" + name() + "\": an InputLayer can only be the first layer");
    input_layer_ = in;
    build_graph(in->batch_shape());
    return;
  }
  if (names_.count(layer->name()))
      throw ValueError("All layers added to a Sequential model should have unique names. Name \"" + layer->name() +
                       "\" is already the name of a layer in this model.");
  if (has_graph()) {
    // Extend the graph by one call; the layer's shape checks fire now, as in Keras.
    KerasTensor out = (*layer)(outputs()[0]);
    append_to_graph(out);
  }
  layers_.push_back(layer);
  names_.insert(layer->name());
}

void SequentialImpl::pop() {
  if (layers_.empty()) throw ValueError("Sequential \"" + name() + "\": there are no layers to pop");
  names_.erase(layers_.back()->name());
  layers_.pop_back();
  if (input_layer_) build_graph(std::static_pointer_cast<layers::InputLayerImpl>(input_layer_)->batch_shape());
}

std::vector<LayerPtr> SequentialImpl::layers() const { return layers_; }

void SequentialImpl::build_graph(const TensorShape& input_shape, DType dtype) {
  auto in = input_layer_ ? std::static_pointer_cast<layers::InputLayerImpl>(input_layer_)
                         : std::make_shared<layers::InputLayerImpl>(input_shape, "", dtype);
  if (!input_layer_) input_layer_ = in;
  KerasTensor x = in->output();
  const KerasTensor input = x;
  for (const auto& l : layers_) x = (*l)(x);
  set_graph({input}, {x});
}

void SequentialImpl::build_list(const std::vector<TensorShape>& input_shapes) {
  if (has_graph()) return;
  if (input_shapes.size() != 1)
    throw ValueError("Sequential \"" + name() + "\" expects 1 input, but it received " + std::to_string(input_shapes.size()));
  build_graph(input_shapes[0]);
}

void SequentialImpl::build_for(const std::vector<TensorShape>& shapes, const std::vector<DType>& dtypes) {
  if (has_graph() || shapes.size() != 1 || dtypes.size() != 1) return build_list(shapes);
  build_graph(shapes[0], dtypes[0]);
}

Tensors SequentialImpl::call_list(const Tensors& xs, bool training) {
  if (!has_graph()) {
    if (xs.size() != 1) throw ValueError("Sequential \"" + name() + "\" expects 1 input");
    // Threads that call an unbuilt model at once: one builds, the others wait and use its graph.
    std::lock_guard<std::recursive_mutex> lock(build_mutex());
    if (!has_graph()) {
      const Shape s = xs[0].shape();
      TensorShape t(s.begin(), s.end());
      if (!t.empty()) t[0] = None;
      build_graph(t, xs[0].dtype());
    }
  }
  return ModelImpl::call_list(xs, training);
}

std::vector<TensorShape> SequentialImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  if (!has_graph()) {
    std::lock_guard<std::recursive_mutex> lock(build_mutex());
    build_list(input_shapes);  // returns at once when another thread built the graph meanwhile
  }
  return ModelImpl::compute_output_shape(input_shapes);
}

json SequentialImpl::build_config() const {
  if (!has_graph()) return nullptr;
  json s = json::array();
  for (Dim d : inputs()[0].shape()) s.push_back(d < 0 ? json(nullptr) : json(d));
  return json{{"input_shape", s}};
}

Sequential::Sequential(std::vector<LayerPtr> layers, const std::string& name)
    : Model(std::shared_ptr<ModelImpl>(std::make_shared<SequentialImpl>(std::move(layers), name))) {}

void Sequential::add(const LayerPtr& layer) const { static_cast<SequentialImpl*>(ptr_.get())->add(layer); }

void Sequential::pop() const { static_cast<SequentialImpl*>(ptr_.get())->pop(); }

}  // namespace xkeras
