// ZeroPadding1D and ZeroPadding3D (channels_last): zeros before and after each spatial axis, with
// Keras's arguments, defaults and config keys (ZeroPadding2D is in zero_padding2d.hpp). No weights.
#pragma once

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "xkeras/layer.hpp"
#include "xkeras/layers/spatial_amounts.hpp"
#include "xkeras/options.hpp"

namespace xkeras::layers {

struct ZeroPaddingOptions {
  XKERAS_OPTION(std::string, data_format, "channels_last")  ///< only channels_last is implemented
  XKERAS_OPTION(std::string, name)                          ///< empty: auto-name ("zero_padding1d", ...)
};
using ZeroPadding1DOptions = ZeroPaddingOptions;
using ZeroPadding3DOptions = ZeroPaddingOptions;

/// What the two share: (before, after) zeros per spatial axis.
class ZeroPaddingNDImpl : public Layer {
 public:
  ZeroPaddingNDImpl(std::string class_name, std::vector<std::pair<int, int>> padding, ZeroPaddingOptions options);

  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// Keras order: name, trainable, dtype, padding ([b, a] for 1-D, [[b, a], ...] for 3-D), data_format.
  json get_config() const override;

  const std::vector<std::pair<int, int>>& padding() const { return padding_; }

 protected:
  static ZeroPaddingOptions options_from_config(const json& config, const std::string& path);

 private:
  std::vector<std::pair<int, int>> padding_;
  ZeroPaddingOptions options_;
};

class ZeroPadding1DImpl : public ZeroPaddingNDImpl {
 public:
  explicit ZeroPadding1DImpl(Amounts1D padding = 1, ZeroPadding1DOptions options = {});
  static std::shared_ptr<ZeroPadding1DImpl> from_config(const json& config, const std::string& path);
};

class ZeroPadding3DImpl : public ZeroPaddingNDImpl {
 public:
  explicit ZeroPadding3DImpl(Amounts3D padding = 1, ZeroPadding3DOptions options = {});
  static std::shared_ptr<ZeroPadding3DImpl> from_config(const json& config, const std::string& path);
};

/// `layers::ZeroPadding1D()`, `layers::ZeroPadding1D({1, 2})` (before, after the steps).
class ZeroPadding1D : public Holder<ZeroPadding1DImpl> {
 public:
  ZeroPadding1D(Amounts1D padding = 1, ZeroPadding1DOptions options = {});
  template <class P, std::enable_if_t<std::is_same_v<P, std::shared_ptr<ZeroPadding1DImpl>>, int> = 0>
  ZeroPadding1D(P impl) : Holder<ZeroPadding1DImpl>(std::move(impl)) {}  // NOLINT
};

/// `layers::ZeroPadding3D()`, `layers::ZeroPadding3D({1, 2, 3})`, `layers::ZeroPadding3D({{1, 0}, {2, 2}, {0, 3}})`.
class ZeroPadding3D : public Holder<ZeroPadding3DImpl> {
 public:
  ZeroPadding3D(Amounts3D padding = 1, ZeroPadding3DOptions options = {});
  template <class P, std::enable_if_t<std::is_same_v<P, std::shared_ptr<ZeroPadding3DImpl>>, int> = 0>
  ZeroPadding3D(P impl) : Holder<ZeroPadding3DImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
