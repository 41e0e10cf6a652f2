// Mask helpers shared by the attention layers (private to layers/): masks are 0/1 float tensors,
// combined by AND into one (B, T, S) keep-array that ops::masked_softmax broadcasts.
#pragma once

#include <string>

#include "xkeras/errors.hpp"
#include "xkeras/json.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/tensor.hpp"

namespace xkeras::layers::detail {

/// acc (B, T, S) &= m, where m has exactly `want` shape after dropping the size-1 axes of `view`
/// (view: how m lines up against (B, T, S), e.g. {B, T, 1} for a query mask of shape (B, T)), or,
/// when `view` is empty, m broadcasts right-aligned onto (B, T, S) (an attention_mask).
inline void and_mask(Array& acc, const Tensor& m, const Shape& view, const std::string& who, const char* what) {
  const Shape as(acc.shape().begin(), acc.shape().end());
  const Shape ms = m.shape();
  Shape mv = view;
  if (view.empty()) {
    if (ms.size() > 3) throw ValueError(who + ": expected " + what + " of shape " + shape_str(as) + ", got " + shape_str(ms));
    mv = Shape(3 - ms.size(), 1);
    mv.insert(mv.end(), ms.begin(), ms.end());
  } else {
    Shape squeezed;
    for (std::size_t d = 0; d < 3; ++d)
      if (d == 0 || view[d] != 1) squeezed.push_back(view[d]);
    if (ms != squeezed)
      throw ValueError(who + ": expected " + what + " of shape " + shape_str(squeezed) + ", got " + shape_str(ms));
  }
  for (std::size_t d = 0; d < 3; ++d)
    if (mv[d] != 1 && mv[d] != as[d])
      throw ValueError(who + ": " + what + " of shape " + shape_str(ms) + " does not broadcast to the attention shape " +
                       shape_str(as) + " (batch, query steps, value steps)");
  const float* pm = m.data();
  float* pa = acc.data();
  const std::size_t s0 = mv[0] == 1 ? 0 : mv[1] * mv[2], s1 = mv[1] == 1 ? 0 : mv[2], s2 = mv[2] == 1 ? 0 : 1;
  for (std::size_t b = 0; b < as[0]; ++b)
    for (std::size_t t = 0; t < as[1]; ++t)
      for (std::size_t s = 0; s < as[2]; ++s)
        if (!(pm[b * s0 + t * s1 + s * s2] > 0.5f)) pa[(b * as[1] + t) * as[2] + s] = 0.0f;
}

/// A mask as float 0/1 values: int masks (Keras's bool/int attention masks) are cast; undefined stays so.
inline Tensor float_mask(const Tensor& m) { return m.defined() && m.is_int() ? ops::cast(m, DType::float32) : m; }

/// The call options every attention layer takes: use_causal_mask and return_attention_scores (booleans;
/// null = false). Anything else is an error naming the layer.
inline void read_call_options(const json& options, const std::string& who, bool& causal, bool& scores) {
  for (const auto& [key, value] : options.items()) {
    bool* slot = key == "use_causal_mask" ? &causal : key == "return_attention_scores" ? &scores : nullptr;
    if (!slot) throw ValueError(who + " does not take the keyword argument \"" + key + "\"");
    if (value.is_null()) continue;
    if (!value.is_boolean())
      throw ValueError(who + ": expected `" + key + "` to be true or false, received " + value.dump());
    *slot = value.get<bool>();
  }
}

/// acc (B, T, S) &= (t >= s): Keras's causal mask (a query step sees itself and earlier value steps).
inline void and_causal(Array& acc) {
  const Shape as(acc.shape().begin(), acc.shape().end());
  float* pa = acc.data();
  for (std::size_t b = 0; b < as[0]; ++b)
    for (std::size_t t = 0; t < as[1]; ++t)
      for (std::size_t s = t + 1; s < as[2]; ++s) pa[(b * as[1] + t) * as[2] + s] = 0.0f;
}

}  // namespace xkeras::layers::detail
