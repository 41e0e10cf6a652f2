// Helpers shared by the image layers (Conv2D, pooling, ZeroPadding2D, UpSampling2D); private.
#pragma once

#include <cctype>
#include <string>

#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/layer.hpp"
#include "xkeras/ops/image.hpp"

namespace xkeras::layers::detail {

inline std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

/// "Layer \"conv2d_1\" (Conv2D)": how every error names the layer.
inline std::string who(const Layer& l) { return "Layer \"" + l.name() + "\" (" + l.class_name() + ")"; }

/// Keras's standardize_data_format, restricted to what xkeras implements: "" (Keras's None) and
/// "channels_last" pass; "channels_first" and anything else are ValueErrors that say so.
inline std::string standardize_data_format(const std::string& data_format, const std::string& who) {
  const std::string f = data_format.empty() ? "channels_last" : lower(data_format);
  if (f == "channels_last") return f;
  if (f == "channels_first")
    throw ValueError(who + ": data_format=\"channels_first\" is not supported; xkeras implements only "
                           "\"channels_last\" (NHWC) image layers. Transpose the inputs to (batch, height, width, channels).");
  throw ValueError(who + ": the `data_format` argument must be one of \"channels_first\", \"channels_last\". Received: " +
                   data_format);
}

/// Keras's standardize_tuple: every value must be positive.
inline void require_positive(ops::Size2 v, const std::string& who, const char* what) {
  if (v.h <= 0 || v.w <= 0 || v.h > (1 << 24) || v.w > (1 << 24))
    throw ValueError(who + ": the `" + what + "` argument must be a tuple of 2 positive integers. Received: " + what +
                     "=(" + std::to_string(v.h) + ", " + std::to_string(v.w) + ")");
}

inline json size2_json(ops::Size2 v) { return json::array({v.h, v.w}); }

/// An int or a list of 2 positive ints from a config (kernel_size, strides, pool_size, size).
inline ops::Size2 read_size2(const ConfigReader& r, const char* key, ops::Size2 def) {
  const auto v = r.int_tuple(key, 2, {def.h, def.w});
  return ops::Size2(v[0], v[1]);
}

/// data_format from a config: null means channels_last; channels_first is refused with the JSON path.
inline std::string read_data_format(const ConfigReader& r) {
  const std::string f = lower(r.get_string("data_format", "channels_last"));
  if (f != "channels_last")
    r.fail("data_format", "xkeras implements only \"channels_last\" image layers, got \"" + f + "\"");
  return f;
}

/// One spatial output length, None when the input length is unknown. Throws (naming the layer)
/// when the window does not fit the input.
inline Dim spatial_out(Dim n, int k, int s, int d, const std::string& padding, const Layer& layer, const TensorShape& in) {
  if (n < 0) return None;
  ops::Window1D w;
  try {
    w = ops::conv_window(n, k, s, d, padding);
  } catch (const ValueError& e) {
    throw ValueError(who(layer) + ": " + e.what());
  }
  if (w.out <= 0 && n > 0)
    throw ValueError(who(layer) + ": computed output size would be zero or negative for input shape " + shape_str(in) +
                     " (window " + std::to_string(k) + ", stride " + std::to_string(s) + ", dilation " +
                     std::to_string(d) + ", padding \"" + padding + "\")");
  return w.out;
}

/// Requires exactly one rank-4 input shape (compute_output_shape's contract).
inline const TensorShape& single_image_shape(const Layer& layer, const std::vector<TensorShape>& shapes) {
  if (shapes.size() != 1)
    throw ValueError(who(layer) + " expects 1 input, but it received " + std::to_string(shapes.size()) +
                     " input tensors");
  if (shapes[0].size() != 4)
    layer.incompatible(0, "expected ndim=4, found ndim=" + std::to_string(shapes[0].size()), shapes[0]);
  return shapes[0];
}

}  // namespace xkeras::layers::detail
