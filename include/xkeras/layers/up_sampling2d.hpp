// UpSampling2D: repeats rows and columns by integer factors (Keras's layers.UpSampling2D).
#pragma once

#include <string>
#include <type_traits>

#include "xkeras/layer.hpp"
#include "xkeras/ops/image.hpp"
#include "xkeras/options.hpp"

namespace xkeras::layers {

using ops::Size2;

struct UpSampling2DOptions {
  XKERAS_OPTION(std::string, data_format, "channels_last")  ///< only channels_last is implemented
  XKERAS_OPTION(std::string, interpolation, "nearest")      ///< "nearest" or "bilinear" (half-pixel centres, as Keras 3);
                                              // bicubic, lanczos3/5, area: NotImplementedError
  XKERAS_OPTION(std::string, name)                          ///< empty: auto-name "up_sampling2d", ...
};

class UpSampling2DImpl : public Layer {
 public:
  explicit UpSampling2DImpl(Size2 size = 2, UpSampling2DOptions options = {});

  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// Keras order: name, trainable, dtype, size, data_format, interpolation.
  json get_config() const override;

  static std::shared_ptr<UpSampling2DImpl> from_config(const json& config, const std::string& path);

  Size2 size() const { return size_; }
  const std::string& interpolation() const { return options_.interpolation; }

 private:
  Size2 size_;
  UpSampling2DOptions options_;
};

/// `layers::UpSampling2D()`, `layers::UpSampling2D({1, 2})`.
class UpSampling2D : public Holder<UpSampling2DImpl> {
 public:
  UpSampling2D(Size2 size = 2, UpSampling2DOptions options = {});
  /// Wraps an existing layer (a template so that a literal 0 is never taken for a null pointer).
  template <class P, std::enable_if_t<std::is_same_v<P, std::shared_ptr<UpSampling2DImpl>>, int> = 0>
  UpSampling2D(P impl) : Holder<UpSampling2DImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
