// InputLayer: the entry point of a graph. `xkeras::Input(shape)` returns its symbolic output;
// `layers::Input(shape)` is the layer itself, for the head of a Sequential list.
#pragma once

#include <optional>

#include "xkeras/layer.hpp"

namespace xkeras::layers {

class InputLayerImpl : public Layer {
 public:
  /// `batch_shape` includes the batch dimension (None when unknown).
  explicit InputLayerImpl(TensorShape batch_shape, std::string name = "", DType dtype = DType::float32);

  const TensorShape& batch_shape() const { return batch_shape_; }
  /// The dtype of the input: values given in another dtype are cast to it, as Keras converts a
  /// model's inputs to each Input's dtype.
  DType dtype() const { return dtype_; }
  bool accepts_int_inputs() const override { return true; }
  std::vector<DType> compute_output_dtype(const std::vector<DType>&, std::size_t) override { return {dtype_}; }
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
  DType dtype_ = DType::float32;
  std::weak_ptr<Node> node_;
};

class Input : public Holder<InputLayerImpl> {
 public:
  /// `shape` excludes the batch dimension, as Keras's Input(shape=...).
  Input(const TensorShape& shape, const std::string& name = "", std::optional<Dim> batch_size = {});
  /// An integer input (token ids): `layers::Input({200}, DType::int32)`.
  Input(const TensorShape& shape, DType dtype, const std::string& name = "", std::optional<Dim> batch_size = {});
};

}  // namespace xkeras::layers

namespace xkeras {
/// A symbolic model input: `auto x = Input({784});` (shape without the batch dimension).
KerasTensor Input(const TensorShape& shape, const std::string& name = "", std::optional<Dim> batch_size = {});
/// An input of another dtype, as Keras's Input(shape, dtype="int32"): `auto ids = Input({200}, DType::int32);`.
KerasTensor Input(const TensorShape& shape, DType dtype, const std::string& name = "", std::optional<Dim> batch_size = {});
}  // namespace xkeras
