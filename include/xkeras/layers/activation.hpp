// Activation: applies a named activation function (Keras's layers.Activation).
#pragma once

#include <string>

#include "xkeras/layer.hpp"

namespace xkeras::layers {

class ActivationImpl : public Layer {
 public:
  /// `activation` is a Keras name ("relu", "softmax", ...); ValueError when unknown.
  explicit ActivationImpl(std::string activation, std::string name = "");

  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// name, trainable, dtype, activation.
  json get_config() const override;
  /// Keras 3: the input's mask passes through to the output.
  bool supports_masking() const override { return true; }
  json build_config() const override { return nullptr; }  // Keras builds it at construction

  static std::shared_ptr<ActivationImpl> from_config(const json& config, const std::string& path);

  const std::string& activation() const { return activation_; }

 private:
  std::string activation_;
};

/// `layers::Activation("relu")`.
class Activation : public Holder<ActivationImpl> {
 public:
  explicit Activation(const std::string& activation, const std::string& name = "");
  Activation(std::shared_ptr<ActivationImpl> impl) : Holder<ActivationImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
