// Permute: reorders the non-batch axes (Keras's layers.Permute; `dims` are 1-based).
#pragma once

#include <string>
#include <type_traits>
#include <vector>

#include "xkeras/layer.hpp"

namespace xkeras::layers {

class PermuteImpl : public Layer {
 public:
  /// `dims` must be a permutation of 1..k (the batch axis 0 stays first); the input then has rank k + 1.
  explicit PermuteImpl(std::vector<int> dims, const std::string& name = "");

  /// ops::transpose(x, (0, dims...)).
  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// Keras order: name, trainable, dtype, dims (a list).
  json get_config() const override;

  static std::shared_ptr<PermuteImpl> from_config(const json& config, const std::string& path);

  const std::vector<int>& dims() const { return dims_; }

 private:
  std::vector<int> dims_;
};

/// `layers::Permute({2, 1})`: (batch, 10, 64) -> (batch, 64, 10).
class Permute : public Holder<PermuteImpl> {
 public:
  Permute(std::vector<int> dims, const std::string& name = "");
  template <class P, std::enable_if_t<std::is_same_v<P, std::shared_ptr<PermuteImpl>>, int> = 0>
  Permute(P impl) : Holder<PermuteImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
