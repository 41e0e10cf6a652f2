// InputLayer: the entry point of a graph. `xkeras::Input(shape)` returns its symbolic output;
// `layers::Input(shape)` is the layer itself, for the head of a Sequential list.
#pragma once

#include <optional>

#include "xkeras/layer.hpp"

namespace xkeras::layers {

class InputLayerImpl : public Layer {
 public:
  /// `batch_shape` includes the batch dimension (None when unknown).
  explicit InputLayerImpl(TensorShape batch_shape, std::string name = "");

  const TensorShape& batch_shape() const { return batch_shape_; }
  /// The symbolic tensor this layer produces (one node, made on first use and owned by the
  /// tensors and models that refer to it, so layer and node never own each other).
  KerasTensor output();

  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& s) override { return s; }
  json get_config() const override;
  json build_config() const override { return nullptr; }

  static std::shared_ptr<InputLayerImpl> from_config(const json& config, const std::string& path);

 private:
  TensorShape batch_shape_;
  std::weak_ptr<Node> node_;
};

class Input : public Holder<InputLayerImpl> {
 public:
  /// `shape` excludes the batch dimension, as Keras's Input(shape=...).
  Input(const TensorShape& shape, const std::string& name = "", std::optional<Dim> batch_size = {});
};

}  // namespace xkeras::layers

namespace xkeras {
/// A symbolic model input: `auto x = Input({784});` (shape without the batch dimension).
KerasTensor Input(const TensorShape& shape, const std::string& name = "", std::optional<Dim> batch_size = {});
}  // namespace xkeras
