// Flatten: (batch, d1, ..., dk) -> (batch, d1*...*dk), row-major; (batch,) -> (batch, 1).
#pragma once

#include <string>

#include "xkeras/layer.hpp"

namespace xkeras::layers {

class FlattenImpl : public Layer {
 public:
  /// `data_format` is "channels_last" (the default) or "channels_first". channels_first inputs
  /// are moved to channels-last order before flattening, as Keras does, so the element order
  /// matches a channels_last model.
  explicit FlattenImpl(std::string data_format = "channels_last", std::string name = "");

  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// name, trainable, dtype, data_format.
  json get_config() const override;

  static std::shared_ptr<FlattenImpl> from_config(const json& config, const std::string& path);

  const std::string& data_format() const { return data_format_; }

 private:
  std::string data_format_;
};

/// `layers::Flatten()`.
class Flatten : public Holder<FlattenImpl> {
 public:
  explicit Flatten(const std::string& data_format = "channels_last", const std::string& name = "");
  Flatten(std::shared_ptr<FlattenImpl> impl) : Holder<FlattenImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
