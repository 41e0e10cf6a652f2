// Cropping1D, Cropping2D, Cropping3D (channels_last): remove (before, after) cells from each spatial
// axis, with Keras's arguments, defaults and config keys. No weights.
#pragma once

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "xkeras/layer.hpp"
#include "xkeras/layers/spatial_amounts.hpp"
#include "xkeras/options.hpp"

namespace xkeras::layers {

using Amounts2D = Padding2D;  // an int, (sym_h, sym_w) or ((top, bottom), (left, right))

struct Cropping2DOptions {
  XKERAS_OPTION(std::string, data_format, "channels_last")  ///< only channels_last is implemented
  XKERAS_OPTION(std::string, name)                          ///< empty: auto-name ("cropping2d", ...)
};
using Cropping3DOptions = Cropping2DOptions;
/// Cropping1D has no data_format (a struct, not a bare name, so that `Cropping1D({1, 0})` is a crop).
struct Cropping1DOptions {
  XKERAS_OPTION(std::string, name)
};

/// What the three share: (before, after) per spatial axis; the output must keep at least one cell.
class CroppingImpl : public Layer {
 public:
  /// `data_format` empty: the layer has no such argument (Cropping1D).
  CroppingImpl(std::string class_name, std::vector<std::pair<int, int>> cropping, const std::string& data_format,
               const std::string& name);

  /// ops::spatial_crop; Keras's ValueError when the crop is not smaller than the input.
  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// Keras order: name, trainable, dtype, cropping ([b, a] for 1-D, [[b, a], ...] otherwise)[, data_format].
  json get_config() const override;

  const std::vector<std::pair<int, int>>& cropping() const { return cropping_; }

 private:
  TensorShape cropped(const TensorShape& in, const char* shape_name) const;

  std::vector<std::pair<int, int>> cropping_;
  std::string data_format_;
};

class Cropping1DImpl : public CroppingImpl {
 public:
  explicit Cropping1DImpl(Amounts1D cropping = 1, Cropping1DOptions options = {});
  static std::shared_ptr<Cropping1DImpl> from_config(const json& config, const std::string& path);
};

class Cropping2DImpl : public CroppingImpl {
 public:
  explicit Cropping2DImpl(Amounts2D cropping = 0, Cropping2DOptions options = {});
  static std::shared_ptr<Cropping2DImpl> from_config(const json& config, const std::string& path);
};

class Cropping3DImpl : public CroppingImpl {
 public:
  explicit Cropping3DImpl(Amounts3D cropping = 1, Cropping3DOptions options = {});
  static std::shared_ptr<Cropping3DImpl> from_config(const json& config, const std::string& path);
};

/// `layers::Cropping1D()`, `layers::Cropping1D({1, 2})` (from the start, from the end of the steps).
class Cropping1D : public Holder<Cropping1DImpl> {
 public:
  Cropping1D(Amounts1D cropping = 1, Cropping1DOptions options = {});
  template <class P, std::enable_if_t<std::is_same_v<P, std::shared_ptr<Cropping1DImpl>>, int> = 0>
  Cropping1D(P impl) : Holder<Cropping1DImpl>(std::move(impl)) {}  // NOLINT
};

/// `layers::Cropping2D(2)`, `layers::Cropping2D({1, 2})`, `layers::Cropping2D({{2, 2}, {4, 4}})`.
class Cropping2D : public Holder<Cropping2DImpl> {
 public:
  Cropping2D(Amounts2D cropping = 0, Cropping2DOptions options = {});
  template <class P, std::enable_if_t<std::is_same_v<P, std::shared_ptr<Cropping2DImpl>>, int> = 0>
  Cropping2D(P impl) : Holder<Cropping2DImpl>(std::move(impl)) {}  // NOLINT
};

/// `layers::Cropping3D({2, 4, 2})`, `layers::Cropping3D({{1, 0}, {2, 2}, {0, 3}})`.
class Cropping3D : public Holder<Cropping3DImpl> {
 public:
  Cropping3D(Amounts3D cropping = 1, Cropping3DOptions options = {});
  template <class P, std::enable_if_t<std::is_same_v<P, std::shared_ptr<Cropping3DImpl>>, int> = 0>
  Cropping3D(P impl) : Holder<Cropping3DImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
