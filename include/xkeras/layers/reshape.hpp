// Reshape: (batch, ...) -> (batch, *target_shape), row-major (C order), like Keras.
#pragma once

#include <string>
#include <vector>

#include "xkeras/layer.hpp"

namespace xkeras::layers {

class ReshapeImpl : public Layer {
 public:
  /// `target_shape` excludes the batch dimension; one entry may be -1 (inferred).
  /// ValueError for more than one -1 or for an entry that is neither positive nor -1.
  explicit ReshapeImpl(std::vector<Dim> target_shape, std::string name = "");

  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// name, trainable, dtype, target_shape.
  json get_config() const override;
  json build_config() const override { return nullptr; }  // Keras builds it at construction

  static std::shared_ptr<ReshapeImpl> from_config(const json& config, const std::string& path);

  const std::vector<Dim>& target_shape() const { return target_shape_; }

 private:
  /// The non-batch output dims for known non-batch input dims (-1 resolved); Keras's messages.
  std::vector<Dim> resolve(const TensorShape& input_shape) const;

  std::vector<Dim> target_shape_;
};

/// `layers::Reshape({4, -1})`.
class Reshape : public Holder<ReshapeImpl> {
 public:
  explicit Reshape(const std::vector<Dim>& target_shape, const std::string& name = "");
  Reshape(std::shared_ptr<ReshapeImpl> impl) : Holder<ReshapeImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
