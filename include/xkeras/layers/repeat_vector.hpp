// RepeatVector: (batch, features) -> (batch, n, features), every row repeated n times
// (Keras's layers.RepeatVector).
#pragma once

#include <string>
#include <type_traits>

#include "xkeras/layer.hpp"

namespace xkeras::layers {

class RepeatVectorImpl : public Layer {
 public:
  /// `n` must be a positive integer.
  explicit RepeatVectorImpl(int n, const std::string& name = "");

  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// Keras order: name, trainable, dtype, n.
  json get_config() const override;

  static std::shared_ptr<RepeatVectorImpl> from_config(const json& config, const std::string& path);

  int n() const { return n_; }

 private:
  int n_;
};

/// `layers::RepeatVector(3)`: (batch, 32) -> (batch, 3, 32).
class RepeatVector : public Holder<RepeatVectorImpl> {
 public:
  explicit RepeatVector(int n, const std::string& name = "");
  template <class P, std::enable_if_t<std::is_same_v<P, std::shared_ptr<RepeatVectorImpl>>, int> = 0>
  RepeatVector(P impl) : Holder<RepeatVectorImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
