// Pooling layers (channels_last): MaxPooling2D, AveragePooling2D, GlobalMaxPooling2D and
// GlobalAveragePooling2D, with Keras's arguments, defaults, config keys and aliases
// (MaxPool2D, AvgPool2D, GlobalMaxPool2D, GlobalAvgPool2D). None of them has weights, and like
// Keras they are built at construction (no build_config).
#pragma once

#include <optional>
#include <string>
#include <type_traits>

#include "xkeras/layer.hpp"
#include "xkeras/ops/image.hpp"
#include "xkeras/options.hpp"

namespace xkeras::layers {

using ops::Size2;

/// Keras's None-able int-or-pair argument: unset by default, else `2`, `{2, 1}` or a Size2.
/// (std::optional<Size2> cannot take `{2, 1}`: a braced pair would address optional's own constructors.)
struct OptionalSize2 {
  std::optional<Size2> value;
  OptionalSize2() = default;
  OptionalSize2(std::nullopt_t) {}                          // NOLINT
  OptionalSize2(int v) : value(Size2(v)) {}                 // NOLINT
  OptionalSize2(int h, int w) : value(Size2(h, w)) {}
  OptionalSize2(Size2 v) : value(v) {}                      // NOLINT
  explicit operator bool() const { return value.has_value(); }
  Size2 operator*() const { return *value; }
};

/// Keras's keyword arguments after pool_size: `{.strides = 1, .padding = "same"}`.
struct Pooling2DOptions {
  XKERAS_OPTION(OptionalSize2, strides)                     ///< unset (Keras's None): the pool size
  XKERAS_OPTION(std::string, padding, "valid")              ///< "valid" or "same" (case-insensitive)
  XKERAS_OPTION(std::string, data_format, "channels_last")  ///< only channels_last is implemented ("" = Keras's None)
  XKERAS_OPTION(std::string, name)                          ///< empty: auto-name ("max_pooling2d", ...)
};

/// What MaxPooling2D and AveragePooling2D share; `mode` picks the op.
class Pooling2DImpl : public Layer {
 public:
  enum class Mode { Max, Average };
  Pooling2DImpl(std::string class_name, Mode mode, Size2 pool_size, Pooling2DOptions options);

  /// max_pool2d / avg_pool2d (padding cells never win a max and are not counted in a mean).
  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// Keras order: name, trainable, dtype, pool_size, padding, strides, data_format.
  json get_config() const override;
  json build_config() const override { return nullptr; }

  Mode mode() const { return mode_; }
  Size2 pool_size() const { return pool_size_; }
  Size2 strides() const { return strides_; }
  const std::string& padding() const { return padding_; }

 protected:
  /// The options of a pooling layer's config ("strides" null -> pool_size); errors name the JSON path.
  static Pooling2DOptions options_from_config(const json& config, const std::string& path, Size2& pool_size);

 private:
  Mode mode_;
  Size2 pool_size_, strides_;
  std::string padding_, data_format_;
};

class MaxPooling2DImpl : public Pooling2DImpl {
 public:
  explicit MaxPooling2DImpl(Size2 pool_size = 2, Pooling2DOptions options = {});
  static std::shared_ptr<MaxPooling2DImpl> from_config(const json& config, const std::string& path);
};

class AveragePooling2DImpl : public Pooling2DImpl {
 public:
  explicit AveragePooling2DImpl(Size2 pool_size = 2, Pooling2DOptions options = {});
  static std::shared_ptr<AveragePooling2DImpl> from_config(const json& config, const std::string& path);
};

/// `layers::MaxPooling2D()`, `layers::MaxPooling2D(3)`, `layers::MaxPooling2D({2, 2}, {.strides = 1, .padding = "same"})`.
class MaxPooling2D : public Holder<MaxPooling2DImpl> {
 public:
  MaxPooling2D(Size2 pool_size = 2, Pooling2DOptions options = {});
  /// Wraps an existing layer (a template so that a literal 0 is never taken for a null pointer).
  template <class P, std::enable_if_t<std::is_same_v<P, std::shared_ptr<MaxPooling2DImpl>>, int> = 0>
  MaxPooling2D(P impl) : Holder<MaxPooling2DImpl>(std::move(impl)) {}  // NOLINT
};

class AveragePooling2D : public Holder<AveragePooling2DImpl> {
 public:
  AveragePooling2D(Size2 pool_size = 2, Pooling2DOptions options = {});
  /// Wraps an existing layer (a template so that a literal 0 is never taken for a null pointer).
  template <class P, std::enable_if_t<std::is_same_v<P, std::shared_ptr<AveragePooling2DImpl>>, int> = 0>
  AveragePooling2D(P impl) : Holder<AveragePooling2DImpl>(std::move(impl)) {}  // NOLINT
};

using MaxPool2D = MaxPooling2D;      // Keras aliases
using AvgPool2D = AveragePooling2D;

// ---- global pooling over height and width ------------------------------------------------

struct GlobalPooling2DOptions {
  XKERAS_OPTION(std::string, data_format, "channels_last")  ///< only channels_last is implemented
  XKERAS_OPTION(bool, keepdims, false)                      ///< (N, C), or (N, 1, 1, C) when true
  XKERAS_OPTION(std::string, name)
};

class GlobalPooling2DImpl : public Layer {
 public:
  GlobalPooling2DImpl(std::string class_name, Pooling2DImpl::Mode mode, GlobalPooling2DOptions options);

  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// Keras order: name, trainable, dtype, data_format, keepdims.
  json get_config() const override;
  json build_config() const override { return nullptr; }

  bool keepdims() const { return options_.keepdims; }

 protected:
  static GlobalPooling2DOptions options_from_config(const json& config, const std::string& path);

 private:
  Pooling2DImpl::Mode mode_;
  GlobalPooling2DOptions options_;
};

class GlobalMaxPooling2DImpl : public GlobalPooling2DImpl {
 public:
  explicit GlobalMaxPooling2DImpl(GlobalPooling2DOptions options = {});
  static std::shared_ptr<GlobalMaxPooling2DImpl> from_config(const json& config, const std::string& path);
};

class GlobalAveragePooling2DImpl : public GlobalPooling2DImpl {
 public:
  explicit GlobalAveragePooling2DImpl(GlobalPooling2DOptions options = {});
  static std::shared_ptr<GlobalAveragePooling2DImpl> from_config(const json& config, const std::string& path);
};

/// `layers::GlobalAveragePooling2D()`, `layers::GlobalMaxPooling2D({.keepdims = true})`.
class GlobalMaxPooling2D : public Holder<GlobalMaxPooling2DImpl> {
 public:
  GlobalMaxPooling2D(GlobalPooling2DOptions options = {});
  /// Wraps an existing layer (a template so that a literal 0 is never taken for a null pointer).
  template <class P, std::enable_if_t<std::is_same_v<P, std::shared_ptr<GlobalMaxPooling2DImpl>>, int> = 0>
  GlobalMaxPooling2D(P impl) : Holder<GlobalMaxPooling2DImpl>(std::move(impl)) {}  // NOLINT
};

class GlobalAveragePooling2D : public Holder<GlobalAveragePooling2DImpl> {
 public:
  GlobalAveragePooling2D(GlobalPooling2DOptions options = {});
  /// Wraps an existing layer (a template so that a literal 0 is never taken for a null pointer).
  template <class P, std::enable_if_t<std::is_same_v<P, std::shared_ptr<GlobalAveragePooling2DImpl>>, int> = 0>
  GlobalAveragePooling2D(P impl) : Holder<GlobalAveragePooling2DImpl>(std::move(impl)) {}  // NOLINT
};

using GlobalMaxPool2D = GlobalMaxPooling2D;  // Keras aliases
using GlobalAvgPool2D = GlobalAveragePooling2D;

}  // namespace xkeras::layers
