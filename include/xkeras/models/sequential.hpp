// Sequential: a linear stack of layers, itself a functional Model once its input shape is known.
#pragma once

#include <string>
#include <unordered_set>
#include <vector>

#include "xkeras/models/model.hpp"

namespace xkeras {

class SequentialImpl : public ModelImpl {
 public:
  explicit SequentialImpl(std::vector<LayerPtr> layers = {}, std::string name = "");

  void add(const LayerPtr& layer);
  void pop();
  /// The stacked layers, without the InputLayer (as Keras's Sequential.layers).
  std::vector<LayerPtr> layers() const override;
  /// The InputLayer (given first, or made when the input shape became known); null before that.
  LayerPtr input_layer() const { return input_layer_; }
  /// Builds the graph for a known input shape (batch dimension included).
  /// `dtype`: of the InputLayer made when the model has none (a first call on int32 ids keeps them int32).
  void build_graph(const TensorShape& input_shape, DType dtype = DType::float32);
  void build_list(const std::vector<TensorShape>& input_shapes) override;
  void build_for(const std::vector<TensorShape>& shapes, const std::vector<DType>& dtypes) override;
  Tensors call_list(const Tensors& xs, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  json get_config() const override;
  std::string module() const override { return "keras"; }
  json registered_name() const override { return nullptr; }
  json build_config() const override;

  static std::shared_ptr<SequentialImpl> from_config(const json& config, const std::string& path);

 private:
  std::vector<LayerPtr> layers_;  // excluding the InputLayer
  LayerPtr input_layer_;          // InputLayer, when given or built
  std::unordered_set<std::string> names_;  // of layers_, for the unique-name check in O(1)
};

class Sequential : public Model {
 public:
  Sequential(std::vector<LayerPtr> layers = {}, const std::string& name = "");
  void add(const LayerPtr& layer) const;
  void pop() const;
  SequentialImpl* operator->() const { return static_cast<SequentialImpl*>(ptr_.get()); }
};

}  // namespace xkeras
