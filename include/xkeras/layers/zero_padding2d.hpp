// ZeroPadding2D: rows and columns of zeros around each image (Keras's layers.ZeroPadding2D).
#pragma once

#include <string>
#include <type_traits>
#include <utility>

#include "xkeras/layer.hpp"
#include "xkeras/options.hpp"

namespace xkeras::layers {

/// Keras's `padding` argument: an int (all four sides), two ints (symmetric height, width) or
/// two pairs ((top, bottom), (left, right)): `1`, `{1, 2}`, `{{1, 0}, {2, 3}}`.
struct Padding2D {
  int top = 1, bottom = 1, left = 1, right = 1;
  Padding2D(int all) : top(all), bottom(all), left(all), right(all) {}  // NOLINT: Keras accepts an int
  Padding2D(int height, int width) : top(height), bottom(height), left(width), right(width) {}
  Padding2D(std::pair<int, int> top_bottom, std::pair<int, int> left_right)
      : top(top_bottom.first), bottom(top_bottom.second), left(left_right.first), right(left_right.second) {}
};

struct ZeroPadding2DOptions {
  XKERAS_OPTION(std::string, data_format, "channels_last")  ///< only channels_last is implemented
  XKERAS_OPTION(std::string, name)                          ///< empty: auto-name "zero_padding2d", ...
};

class ZeroPadding2DImpl : public Layer {
 public:
  /// Throws ValueError on a negative amount or an unsupported data_format.
  explicit ZeroPadding2DImpl(Padding2D padding = 1, ZeroPadding2DOptions options = {});

  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// Keras order: name, trainable, dtype, padding ([[top, bottom], [left, right]]), data_format.
  json get_config() const override;

  static std::shared_ptr<ZeroPadding2DImpl> from_config(const json& config, const std::string& path);

  const Padding2D& padding() const { return padding_; }

 private:
  Padding2D padding_;
  ZeroPadding2DOptions options_;
};

/// `layers::ZeroPadding2D()`, `layers::ZeroPadding2D(2)`, `layers::ZeroPadding2D({{1, 0}, {2, 3}})`.
class ZeroPadding2D : public Holder<ZeroPadding2DImpl> {
 public:
  ZeroPadding2D(Padding2D padding = 1, ZeroPadding2DOptions options = {});
  /// Wraps an existing layer (a template so that a literal 0 is never taken for a null pointer).
  template <class P, std::enable_if_t<std::is_same_v<P, std::shared_ptr<ZeroPadding2DImpl>>, int> = 0>
  ZeroPadding2D(P impl) : Holder<ZeroPadding2DImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
