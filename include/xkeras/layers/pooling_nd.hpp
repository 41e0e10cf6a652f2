// 1-D and 3-D pooling layers (channels_last), with Keras's arguments, defaults, config keys and
// aliases: MaxPooling1D (MaxPool1D), AveragePooling1D (AvgPool1D), GlobalMaxPooling1D
// (GlobalMaxPool1D), GlobalAveragePooling1D (GlobalAvgPool1D) and the same for 3-D. The 2-D ones
// are in pooling.hpp. No weights; like Keras they are built at construction (no build_config).
#pragma once

#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "xkeras/layer.hpp"
#include "xkeras/layers/pooling.hpp"
#include "xkeras/ops/spatial.hpp"
#include "xkeras/options.hpp"

namespace xkeras::layers {

using ops::Size3;

/// Keras's None-able int-or-triple argument: unset by default, else `2`, `{2, 1, 1}` or a Size3.
struct OptionalSize3 {
  std::optional<Size3> value;
  OptionalSize3() = default;
  OptionalSize3(std::nullopt_t) {}                                     // NOLINT
  OptionalSize3(int v) : value(Size3(v)) {}                            // NOLINT
  OptionalSize3(int d, int h, int w) : value(Size3(d, h, w)) {}
  OptionalSize3(Size3 v) : value(v) {}                                 // NOLINT
  explicit operator bool() const { return value.has_value(); }
  Size3 operator*() const { return *value; }
};

/// Keras's keyword arguments after pool_size: `{.strides = 1, .padding = "same"}`.
struct Pooling1DOptions {
  XKERAS_OPTION(std::optional<int>, strides)                ///< unset (Keras's None): the pool size
  XKERAS_OPTION(std::string, padding, "valid")              ///< "valid" or "same" (case-insensitive)
  XKERAS_OPTION(std::string, data_format, "channels_last")  ///< only channels_last is implemented ("" = Keras's None)
  XKERAS_OPTION(std::string, name)                          ///< empty: auto-name ("max_pooling1d", ...)
};

struct Pooling3DOptions {
  XKERAS_OPTION(OptionalSize3, strides)                      ///< unset (Keras's None): the pool size
  XKERAS_OPTION(std::string, padding, "valid")
  XKERAS_OPTION(std::string, data_format, "channels_last")
  XKERAS_OPTION(std::string, name)
};

/// What the 1-D and 3-D window poolings share: one pool size and stride per spatial axis.
class PoolingNDImpl : public Layer {
 public:
  using Mode = Pooling2DImpl::Mode;
  /// `strides` empty means the pool size (Keras's None).
  PoolingNDImpl(std::string class_name, Mode mode, std::vector<int> pool_size, std::vector<int> strides,
                const std::string& padding, const std::string& data_format, const std::string& name);

  /// ops::max_pool / ops::avg_pool (padding cells never win a max and are not counted in a mean).
  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// Keras order: name, trainable, dtype, pool_size, padding, strides, data_format (sizes as lists).
  json get_config() const override;
  json build_config() const override { return nullptr; }

  Mode mode() const { return mode_; }
  const std::vector<int>& pool_size() const { return pool_size_; }
  const std::vector<int>& strides() const { return strides_; }
  const std::string& padding() const { return padding_; }

 protected:
  /// The arguments of a pooling config with `axes` spatial axes; errors name the JSON path.
  struct ConfigArgs {
    std::vector<int> pool_size, strides;
    std::string padding, data_format, name;
  };
  static ConfigArgs args_from_config(const json& config, const std::string& path, std::size_t axes);

 private:
  Mode mode_;
  std::vector<int> pool_size_, strides_;
  std::string padding_, data_format_;
};

class MaxPooling1DImpl : public PoolingNDImpl {
 public:
  explicit MaxPooling1DImpl(int pool_size = 2, Pooling1DOptions options = {});
  static std::shared_ptr<MaxPooling1DImpl> from_config(const json& config, const std::string& path);
};

class AveragePooling1DImpl : public PoolingNDImpl {
 public:
  explicit AveragePooling1DImpl(int pool_size = 2, Pooling1DOptions options = {});
  static std::shared_ptr<AveragePooling1DImpl> from_config(const json& config, const std::string& path);
};

class MaxPooling3DImpl : public PoolingNDImpl {
 public:
  explicit MaxPooling3DImpl(Size3 pool_size = 2, Pooling3DOptions options = {});
  static std::shared_ptr<MaxPooling3DImpl> from_config(const json& config, const std::string& path);
};

class AveragePooling3DImpl : public PoolingNDImpl {
 public:
  explicit AveragePooling3DImpl(Size3 pool_size = 2, Pooling3DOptions options = {});
  static std::shared_ptr<AveragePooling3DImpl> from_config(const json& config, const std::string& path);
};

// ---- global pooling over every spatial axis --------------------------------------------------

using GlobalPooling1DOptions = GlobalPooling2DOptions;  // data_format, keepdims, name
using GlobalPooling3DOptions = GlobalPooling2DOptions;

/// Max or mean over the spatial axes of a (batch, steps, channels) or (batch, d, h, w, channels) input.
class GlobalPoolingNDImpl : public Layer {
 public:
  GlobalPoolingNDImpl(std::string class_name, Pooling2DImpl::Mode mode, std::size_t axes, GlobalPooling2DOptions options);

  Tensor call(const Tensor& x, bool training) override;
  /// GlobalAveragePooling1D with a (batch, steps) mask: the mean over the unmasked steps only, as
  /// Keras 3 (a sample with every step masked gives 0/0 = NaN there too). Other modes ignore masks.
  Tensors call_args(const Tensors& xs, const CallArgs& args) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// Keras order: name, trainable, dtype, data_format, keepdims.
  json get_config() const override;
  json build_config() const override { return nullptr; }

  bool keepdims() const { return options_.keepdims; }

 protected:
  static GlobalPooling2DOptions options_from_config(const json& config, const std::string& path);

 private:
  Pooling2DImpl::Mode mode_;
  std::size_t axes_;
  GlobalPooling2DOptions options_;
};

#define XKERAS_GLOBAL_POOLING_IMPL(Name)                                                   \
  class Name##Impl : public GlobalPoolingNDImpl {                                          \
   public:                                                                                 \
    explicit Name##Impl(GlobalPooling2DOptions options = {});                              \
    static std::shared_ptr<Name##Impl> from_config(const json& config, const std::string& path); \
  };
XKERAS_GLOBAL_POOLING_IMPL(GlobalMaxPooling1D)
XKERAS_GLOBAL_POOLING_IMPL(GlobalAveragePooling1D)
XKERAS_GLOBAL_POOLING_IMPL(GlobalMaxPooling3D)
XKERAS_GLOBAL_POOLING_IMPL(GlobalAveragePooling3D)
#undef XKERAS_GLOBAL_POOLING_IMPL

// ---- handles ----------------------------------------------------------------------------------

/// A handle with Keras-like constructors: `layers::MaxPooling1D(3, {.strides = 1, .padding = "same"})`.
#define XKERAS_POOLING_HANDLE(Name, Arg, Options)                                                   \
  class Name : public Holder<Name##Impl> {                                                          \
   public:                                                                                          \
    Name(Arg pool_size = 2, Options options = {});                                                  \
    /* wraps an existing layer (a template so that a literal 0 is never taken for a null pointer) */ \
    template <class P, std::enable_if_t<std::is_same_v<P, std::shared_ptr<Name##Impl>>, int> = 0>  \
    Name(P impl) : Holder<Name##Impl>(std::move(impl)) {} /* NOLINT */                              \
  };
XKERAS_POOLING_HANDLE(MaxPooling1D, int, Pooling1DOptions)
XKERAS_POOLING_HANDLE(AveragePooling1D, int, Pooling1DOptions)
XKERAS_POOLING_HANDLE(MaxPooling3D, Size3, Pooling3DOptions)
XKERAS_POOLING_HANDLE(AveragePooling3D, Size3, Pooling3DOptions)
#undef XKERAS_POOLING_HANDLE

/// `layers::GlobalAveragePooling1D()`, `layers::GlobalMaxPooling3D({.keepdims = true})`.
#define XKERAS_GLOBAL_POOLING_HANDLE(Name)                                                          \
  class Name : public Holder<Name##Impl> {                                                          \
   public:                                                                                          \
    Name(GlobalPooling2DOptions options = {});                                                      \
    template <class P, std::enable_if_t<std::is_same_v<P, std::shared_ptr<Name##Impl>>, int> = 0>  \
    Name(P impl) : Holder<Name##Impl>(std::move(impl)) {} /* NOLINT */                              \
  };
XKERAS_GLOBAL_POOLING_HANDLE(GlobalMaxPooling1D)
XKERAS_GLOBAL_POOLING_HANDLE(GlobalAveragePooling1D)
XKERAS_GLOBAL_POOLING_HANDLE(GlobalMaxPooling3D)
XKERAS_GLOBAL_POOLING_HANDLE(GlobalAveragePooling3D)
#undef XKERAS_GLOBAL_POOLING_HANDLE

using MaxPool1D = MaxPooling1D;  // Keras aliases
using AvgPool1D = AveragePooling1D;
using MaxPool3D = MaxPooling3D;
using AvgPool3D = AveragePooling3D;
using GlobalMaxPool1D = GlobalMaxPooling1D;
using GlobalAvgPool1D = GlobalAveragePooling1D;
using GlobalMaxPool3D = GlobalMaxPooling3D;
using GlobalAvgPool3D = GlobalAveragePooling3D;

}  // namespace xkeras::layers
