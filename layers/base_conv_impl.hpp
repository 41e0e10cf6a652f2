// The definitions of BaseConvImpl (include/xkeras/layers/base_conv.hpp) and the rank-generic config helpers
// every convolution-family layer reads and writes its keys with; private to layers/.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "layers/conv_layer_utils.hpp"
#include "xkeras/activations.hpp"
#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/layers/base_conv.hpp"

namespace xkeras::layers::detail {

/// Keras's spelling of a window argument in messages: (3,) in 1-D, (3, 3) in 2-D.
template <int N>
std::string size_str(SpatialSize<N> v) {
  const auto a = SpatialRank<N>::axes(v);
  std::string s = "(";
  for (int i = 0; i < N; ++i) s += (i ? ", " : "") + std::to_string(a[i]);
  return s + (N == 1 ? ",)" : ")");
}
/// Keras writes every window argument as a list, [3] in 1-D.
template <int N>
json size_json(SpatialSize<N> v) {
  const auto a = SpatialRank<N>::axes(v);
  return json(std::vector<int>(a.begin(), a.end()));
}
/// An int or a list of N ints from a config (each positive and bounded by ConfigReader::int_tuple).
template <int N>
SpatialSize<N> read_size(const ConfigReader& r, const char* key, int def) {
  const auto v = r.int_tuple(key, N, std::vector<int>(N, def));
  std::array<int, N> a{};
  for (int i = 0; i < N; ++i) a[i] = v[i];
  return SpatialRank<N>::make(a);
}

/// Keras's base-conv argument checks: positive (and bounded) window sizes, no strides with dilation.
template <int N>
void check_window_sizes(SpatialSize<N> kernel_size, SpatialSize<N> strides, SpatialSize<N> dilation,
                        const std::string& me) {
  auto positive = [&](SpatialSize<N> v, const char* what) {
    for (int x : SpatialRank<N>::axes(v))
      if (x <= 0 || x > (1 << 24))
        throw ValueError(me + ": the `" + what + "` argument must be " +
                         (N == 1 ? std::string("a positive integer") : "a tuple of " + std::to_string(N) + " positive integers") +
                         ". Received: " + what + "=" + size_str<N>(v));
  };
  positive(kernel_size, "kernel_size");
  positive(strides, "strides");
  positive(dilation, "dilation_rate");
  auto largest = [](SpatialSize<N> v) {
    const auto a = SpatialRank<N>::axes(v);
    return *std::max_element(a.begin(), a.end());
  };
  if (largest(strides) > 1 && largest(dilation) > 1)
    throw ValueError(me + ": `strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: strides=" +
                     size_str<N>(strides) + " and dilation_rate=" + size_str<N>(dilation));
}

/// One weight's keys: Keras writes all the initializers, then the regularizers, then the constraints.
struct WeightKeys {
  const char* prefix;  // "kernel", "depthwise", "pointwise", "bias"
  const Initializer& initializer;
  const Regularizer& regularizer;
  const Constraint& constraint;
};
inline void write_weight_keys(json& c, std::initializer_list<WeightKeys> weights) {
  const std::string s = "_";
  for (const auto& w : weights) c[w.prefix + s + "initializer"] = w.initializer.to_json();
  for (const auto& w : weights) c[w.prefix + s + "regularizer"] = w.regularizer.to_json();
  c["activity_regularizer"] = nullptr;  // Keras's base_conv always writes it
  for (const auto& w : weights) c[w.prefix + s + "constraint"] = w.constraint.to_json();
}
inline void read_weight_keys(const ConfigReader& r, const std::string& prefix, const char* default_initializer,
                             Initializer& initializer, Regularizer& regularizer, Constraint& constraint) {
  initializer = r.initializer((prefix + "_initializer").c_str(), default_initializer);
  regularizer = r.regularizer((prefix + "_regularizer").c_str());
  constraint = r.constraint((prefix + "_constraint").c_str());
}

/// The start of every from_config: refuse what xkeras lacks, require kernel_size; `no_groups` (the
/// transposed, depthwise and separable layers) refuses a groups other than 1, which tf.keras writes as 1.
inline void begin_conv_config(const ConfigReader& r, const char* no_groups = nullptr) {
  refuse_unsupported_conv_keys(r);
  if (!r.has("kernel_size")) r.fail("kernel_size", "missing required key");
  if (no_groups && r.has("groups") && r.get_int("groups", 1) != 1) r.fail("groups", no_groups);
}

/// The keys every family reads alike: strides, padding, data_format, dilation_rate, activation, use_bias,
/// bias_*, name (TensorFlow.js omits dilation_rate: 1).
template <int N, class Options>
void read_window_options(const ConfigReader& r, Options& o, bool allow_causal) {
  o.strides = read_size<N>(r, "strides", 1);
  o.padding = lower(r.get_string("padding", "valid"));
  if (allow_causal) {
    if (o.padding != "valid" && o.padding != "same" && o.padding != "causal")
      r.fail("padding", "expected \"valid\", \"same\" or \"causal\", got \"" + o.padding + "\"");
  } else if (o.padding != "valid" && o.padding != "same") {
    r.fail("padding", "expected \"valid\" or \"same\", got \"" + o.padding + "\"");
  }
  o.data_format = read_data_format(r);
  o.dilation_rate = read_size<N>(r, "dilation_rate", 1);
  o.activation = r.activation("activation", "linear");
  o.use_bias = r.get_bool("use_bias", true);
  read_weight_keys(r, "bias", "zeros", o.bias_initializer, o.bias_regularizer, o.bias_constraint);
  o.name = r.name();
}

/// depth_multiplier from a config: positive and at most 2^20.
inline int read_depth_multiplier(const ConfigReader& r) {
  const int m = r.has("depth_multiplier") ? r.positive_int("depth_multiplier") : 1;
  if (m > (1 << 20)) r.fail("depth_multiplier", "expected at most 2^20, got " + std::to_string(m));
  return m;
}
/// The constructor's depth_multiplier check (DepthwiseConv, SeparableConv).
inline void check_depth_multiplier(int m, const std::string& me) {
  if (m <= 0 || m > (1 << 20))
    throw ValueError(me + ": Invalid value for argument `depth_multiplier`. Expected a strictly positive value (at most "
                          "2^20). Received depth_multiplier=" + std::to_string(m));
}
/// The constructor's filters check (every family but DepthwiseConv).
inline void check_filters(int filters, const std::string& me) {
  if (filters <= 0)
    throw ValueError(me + ": Invalid value for argument `filters`. Expected a strictly positive value. Received filters=" +
                     std::to_string(filters));
}

/// Builds the layer from_config read (its constructor's cross-argument ValueErrors become a ConfigError at
/// the config's path), then applies the base keys.
template <class Make>
auto make_from_config(const ConfigReader& r, const std::string& path, Make&& make) {
  auto layer = construct_at(path, std::forward<Make>(make));
  r.apply_base(*layer);
  return layer;
}

}  // namespace xkeras::layers::detail

namespace xkeras::layers {

template <int N, class Options>
BaseConvImpl<N, Options>::BaseConvImpl(const char* class_name, Size kernel_size, Options options)
    : Layer(class_name, options.name), kernel_size_(kernel_size), options_(std::move(options)) {
  set_input_spec(InputSpec{.ndim = N + 2});
}

template <int N, class Options>
void BaseConvImpl<N, Options>::check_window_args(bool allow_causal) {
  const std::string me = detail::who(*this);
  detail::check_window_sizes<N>(kernel_size_, options_.strides, options_.dilation_rate, me);
  options_.padding = detail::standardize_conv_padding(options_.padding, allow_causal, me);
  options_.data_format = detail::standardize_data_format(options_.data_format, me);
  detail::check_activation_and_activity(options_.activation, options_.activity_regularizer, me);
}

template <int N, class Options>
Dim BaseConvImpl<N, Options>::input_channels(const TensorShape& input_shape) const {
  if (input_shape.size() != N + 2)
    incompatible(0, "expected ndim=" + std::to_string(N + 2) + ", found ndim=" + std::to_string(input_shape.size()),
                 input_shape);
  return detail::require_channels(input_shape, detail::who(*this));
}

template <int N, class Options>
void BaseConvImpl<N, Options>::finish_build(std::size_t bias_units, Dim channels) {
  if (options_.use_bias)
    bias_ = add_weight("bias", {bias_units}, options_.bias_initializer, true, options_.bias_regularizer,
                       options_.bias_constraint);
  set_input_spec(InputSpec{.ndim = N + 2, .axes = {{-1, channels}}});
}

template <int N, class Options>
template <class Op>
Tensor BaseConvImpl<N, Options>::run(Op&& op) const {
  Tensor y;
  try {
    y = op();
  } catch (const ValueError& e) {  // e.g. an input smaller than the window: say which layer
    throw ValueError(detail::who(*this) + ": " + e.what());
  }
  return options_.activation == "linear" ? y : activations::apply(options_.activation, y);
}

template <int N, class Options>
TensorShape BaseConvImpl<N, Options>::window_output_shape(const TensorShape& in, Dim channels,
                                                          const std::string& padding) const {
  const auto k = SpatialRank<N>::axes(kernel_size_);
  const auto s = SpatialRank<N>::axes(options_.strides);
  const auto d = SpatialRank<N>::axes(options_.dilation_rate);
  TensorShape out{in[0]};
  for (int i = 0; i < N; ++i) out.push_back(detail::spatial_out(in[1 + i], k[i], s[i], d[i], padding, *this, in));
  out.push_back(channels);
  return out;
}

template <int N, class Options>
void BaseConvImpl<N, Options>::write_window_keys(json& c) const {
  c["kernel_size"] = detail::size_json<N>(kernel_size_);
  c["strides"] = detail::size_json<N>(options_.strides);
  c["padding"] = options_.padding;
}
template <int N, class Options>
void BaseConvImpl<N, Options>::write_layout_keys(json& c) const {
  c["data_format"] = options_.data_format;
  c["dilation_rate"] = detail::size_json<N>(options_.dilation_rate);
}
template <int N, class Options>
void BaseConvImpl<N, Options>::write_activation_keys(json& c) const {
  c["activation"] = options_.activation;
  c["use_bias"] = options_.use_bias;
}

}  // namespace xkeras::layers
