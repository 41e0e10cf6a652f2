// Helpers shared by the convolution-family layers (layers/base_conv_impl.hpp and the families built on it);
// private. The image helpers they build on are in image_layer_utils.hpp.
#pragma once

#include <algorithm>
#include <optional>
#include <string>

#include "layers/image_layer_utils.hpp"
#include "xkeras/activations.hpp"
#include "xkeras/ops/conv.hpp"

namespace xkeras::layers::detail {

/// Common constructor checks: a known activation, no activity regularizer.
inline void check_activation_and_activity(std::string& activation, const Regularizer& activity, const std::string& me) {
  if (activation.empty()) activation = "linear";  // Keras: activation=None is linear
  activations::check(activation);
  if (activity)
    throw NotImplementedError(me + ": activity_regularizer is not implemented in xkeras; regularize the weights instead");
}

/// "valid", "same" (and for Conv1D "causal"), lower-cased; a ValueError naming the layer otherwise.
inline std::string standardize_conv_padding(const std::string& padding, bool allow_causal, const std::string& me) {
  const std::string p = lower(padding);
  if (!allow_causal) return ops::standardize_padding(padding, me);
  if (p == "causal" || p == "valid" || p == "same") return p;
  throw ValueError(me + ": the `padding` argument must be one of \"valid\", \"same\", \"causal\". Received: padding=\"" +
                   padding + "\"");
}

/// The channel count of an input shape at build time: known and positive.
inline Dim require_channels(const TensorShape& input_shape, const std::string& me) {
  const Dim channels = input_shape.back();
  if (channels <= 0)
    throw ValueError(me + ": the channel dimension of the inputs should be defined and positive. Found " +
                     (channels < 0 ? std::string("None") : std::to_string(channels)) +
                     ". Full input shape received: " + shape_str(input_shape));
  return channels;
}

/// Requires exactly one input shape of rank `rank` (compute_output_shape's contract).
inline const TensorShape& single_shape(const Layer& layer, const std::vector<TensorShape>& shapes, std::size_t rank) {
  if (shapes.size() != 1)
    throw ValueError(who(layer) + " expects 1 input, but it received " + std::to_string(shapes.size()) + " input tensors");
  if (shapes[0].size() != rank)
    layer.incompatible(0, "expected ndim=" + std::to_string(rank) + ", found ndim=" + std::to_string(shapes[0].size()),
                       shapes[0]);
  return shapes[0];
}

/// One output length of a transposed convolution, None when the input length is unknown; op < 0 is
/// output_padding=None (an int, not an optional: GCC warns about an optional built in a loop).
inline Dim transpose_out(Dim n, int k, int s, int d, const std::string& padding, int op, const Layer& layer) {
  if (n < 0) return None;
  try {
    return ops::conv_transpose_window(n, k, s, d, padding, op >= 0 ? std::optional<std::int64_t>(op) : std::nullopt).out;
  } catch (const ValueError& e) {
    throw ValueError(who(layer) + ": " + e.what());
  }
}

/// output_padding: null (Keras's None), an int or a list of `n` ints, each in [0, 2^20].
inline std::optional<std::vector<int>> read_output_padding(const ConfigReader& r, std::size_t n) {
  if (!r.has("output_padding")) return std::nullopt;
  const json& j = r.raw("output_padding");
  auto check = [&](const json& v) {
    if (!v.is_number_integer() || v.get<long long>() < 0 || v.get<long long>() > (1 << 20))
      r.fail("output_padding", "expected non-negative integers, got " + shown(j));
    return v.get<int>();
  };
  if (j.is_number()) return std::vector<int>(n, check(j));
  if (!j.is_array() || j.size() != n)
    r.fail("output_padding", "expected null, an integer or a list of " + std::to_string(n) + " integers, got " + shown(j));
  std::vector<int> out;
  for (const auto& v : j) out.push_back(check(v));
  return out;
}

/// Features Keras has but xkeras does not: refuse them rather than load a different model.
inline void refuse_unsupported_conv_keys(const ConfigReader& r) {
  if (r.has("activity_regularizer")) r.fail("activity_regularizer", "activity regularizers are not supported");
  if (r.has("lora_rank")) r.fail("lora_rank", "LoRA convolutions are not supported");
  if (r.has("dora_rank")) r.fail("dora_rank", "DoRA convolutions are not supported");
}

/// Runs a layer constructor from from_config, turning its cross-argument ValueErrors into a
/// ConfigError at the config's path.
template <class Make>
auto construct_at(const std::string& path, Make&& make) {
  try {
    return make();
  } catch (const ValueError& e) {
    throw ConfigError(path, e.what());
  }
}

}  // namespace xkeras::layers::detail
