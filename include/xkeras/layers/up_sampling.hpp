// UpSampling1D and UpSampling3D (channels_last): repeat each step / cell `size` times along each
// spatial axis, with Keras's arguments, defaults and config keys (UpSampling2D: up_sampling2d.hpp).
#pragma once

#include <string>
#include <type_traits>
#include <vector>

#include "xkeras/layer.hpp"
#include "xkeras/ops/spatial.hpp"
#include "xkeras/options.hpp"

namespace xkeras::layers {

using ops::Size3;

struct UpSampling3DOptions {
  XKERAS_OPTION(std::string, data_format, "channels_last")  ///< only channels_last is implemented
  XKERAS_OPTION(std::string, name)                          ///< empty: auto-name "up_sampling3d", ...
};

/// What the two share: one positive integer factor per spatial axis (ops::upsample_nearest).
class UpSamplingNDImpl : public Layer {
 public:
  UpSamplingNDImpl(std::string class_name, std::vector<int> size, const std::string& name);

  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;

  const std::vector<int>& size() const { return size_; }

 private:
  std::vector<int> size_;
};

class UpSampling1DImpl : public UpSamplingNDImpl {
 public:
  explicit UpSampling1DImpl(int size = 2, const std::string& name = "");
  /// Keras order: name, trainable, dtype, size (an int).
  json get_config() const override;
  static std::shared_ptr<UpSampling1DImpl> from_config(const json& config, const std::string& path);
};

class UpSampling3DImpl : public UpSamplingNDImpl {
 public:
  explicit UpSampling3DImpl(Size3 size = 2, UpSampling3DOptions options = {});
  /// Keras order: name, trainable, dtype, size ([d, h, w]), data_format.
  json get_config() const override;
  static std::shared_ptr<UpSampling3DImpl> from_config(const json& config, const std::string& path);

 private:
  std::string data_format_;
};

/// `layers::UpSampling1D()`, `layers::UpSampling1D(3)`.
class UpSampling1D : public Holder<UpSampling1DImpl> {
 public:
  UpSampling1D(int size = 2, const std::string& name = "");
  template <class P, std::enable_if_t<std::is_same_v<P, std::shared_ptr<UpSampling1DImpl>>, int> = 0>
  UpSampling1D(P impl) : Holder<UpSampling1DImpl>(std::move(impl)) {}  // NOLINT
};

/// `layers::UpSampling3D()`, `layers::UpSampling3D({1, 2, 2})`.
class UpSampling3D : public Holder<UpSampling3DImpl> {
 public:
  UpSampling3D(Size3 size = 2, UpSampling3DOptions options = {});
  template <class P, std::enable_if_t<std::is_same_v<P, std::shared_ptr<UpSampling3DImpl>>, int> = 0>
  UpSampling3D(P impl) : Holder<UpSampling3DImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
