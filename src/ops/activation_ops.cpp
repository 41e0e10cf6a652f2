// Elementwise activations beyond the basic unary ops (Keras 3 activations.py names and formulas).
// Each backward is g * f'(x), with f' written from x and y = f(x); kinks take the one-sided value
// TensorFlow's gradient uses.
#include <cmath>
#include <limits>

#include "ops/unary_kernel.hpp"

namespace xkeras::ops {

using detail::sigm;
using detail::unary;

// relu6 = min(max(x, 0), 6); derivative [0 < x < 6] (TF's Relu6Grad). NaN stays NaN.
Tensor relu6(const Tensor& x) {
  return unary("relu6", x, [](float v) { return v < 0 ? 0.0f : (v > 6.0f ? 6.0f : v); },
               [](float v, float) { return (v > 0 && v < 6.0f) ? 1.0f : 0.0f; });
}

// Keras's ReLU layer: y = min(x, max_value) if x > threshold, else negative_slope * (x - threshold).
// derivative: [x <= max_value] above the threshold, negative_slope below it, 0 at it (as Keras's
// composition x * [x > threshold] - slope * relu(threshold - x) differentiates).
Tensor relu(const Tensor& x, float negative_slope, float max_value, float threshold) {
  const float a = negative_slope, m = max_value, t = threshold;
  return unary("relu_ext", x,
               [a, m, t](float v) {
                 if (v > t) return v < m ? v : m;
                 return a == 0.0f ? (v == v ? 0.0f : v) : a * (v - t);  // slope 0: 0 even at -inf
               },
               [a, m, t](float v, float) { return v > t ? (v <= m ? 1.0f : 0.0f) : (v < t ? a : 0.0f); });
}

// hard_sigmoid = clip(slope x + 0.5, 0, 1); derivative slope strictly inside the ramp.
Tensor hard_sigmoid(const Tensor& x, float slope) {
  return unary("hard_sigmoid", x,
               [slope](float v) {
                 const float y = slope * v + 0.5f;
                 return y < 0 ? 0.0f : (y > 1.0f ? 1.0f : y);
               },
               [slope](float, float y) { return (y > 0 && y < 1.0f) ? slope : 0.0f; });
}

// hard_silu = x relu6(x + 3) / 6; derivative 0 below -3, 1 above 3, (2x + 3) / 6 between.
Tensor hard_silu(const Tensor& x) {
  return unary("hard_silu", x,
               [](float v) {
                 const float r = v + 3.0f;
                 return v * (r < 0 ? 0.0f : (r > 6.0f ? 6.0f : r)) / 6.0f;
               },
               [](float v, float) { return v <= -3.0f ? 0.0f : (v >= 3.0f ? 1.0f : (2.0f * v + 3.0f) / 6.0f); });
}

// mish = x tanh(softplus(x)); derivative t + x (1 - t^2) sigmoid(x), t = tanh(softplus(x)).
Tensor mish(const Tensor& x) {
  auto sp = [](float v) { return std::max(v, 0.0f) + std::log1p(std::exp(-std::fabs(v))); };
  return unary("mish", x, [sp](float v) { return v * std::tanh(sp(v)); },
               [sp](float v, float) {
                 const float t = std::tanh(sp(v));
                 return t + v * (1.0f - t * t) * sigm(v);
               });
}

// celu = x (x > 0), alpha (e^(x/alpha) - 1) otherwise; derivative 1, or e^(x/alpha) = y/alpha + 1.
Tensor celu(const Tensor& x, float alpha) {
  if (!(alpha != 0.0f) || !std::isfinite(alpha))
    throw ValueError("celu: alpha must be finite and non-zero, got " + std::to_string(alpha));
  return unary("celu", x, [alpha](float v) { return v > 0 ? v : alpha * std::expm1(v / alpha); },
               [alpha](float v, float) { return v > 0 ? 1.0f : std::exp(v / alpha); });
}

// hard_tanh = clip(x, -1, 1); derivative 1 inside, 0 outside.
Tensor hard_tanh(const Tensor& x) { return clip(x, -1.0f, 1.0f); }

// hard_shrink = x where |x| > threshold, else 0; derivative [|x| > threshold]. NaN stays NaN
// (Keras's where(|x| > t, x, 0) would give 0: we keep NaN visible, as relu does).
Tensor hard_shrink(const Tensor& x, float threshold) {
  return unary("hard_shrink", x, [threshold](float v) { return std::fabs(v) <= threshold ? 0.0f : v; },
               [threshold](float v, float) { return std::fabs(v) > threshold ? 1.0f : 0.0f; });
}

// soft_shrink = x - t (x > t), x + t (x < -t), 0 between; derivative [|x| > t]. NaN stays NaN.
Tensor soft_shrink(const Tensor& x, float threshold) {
  const float t = threshold;
  return unary("soft_shrink", x, [t](float v) { return v > t ? v - t : (v < -t ? v + t : (v == v ? 0.0f : v)); },
               [t](float v, float) { return (v > t || v < -t) ? 1.0f : 0.0f; });
}

// squareplus = (x + sqrt(x^2 + b)) / 2; derivative (1 + x / sqrt(x^2 + b)) / 2.
Tensor squareplus(const Tensor& x, float b) {
  if (!(b >= 0.0f)) throw ValueError("squareplus: b must be non-negative, got " + std::to_string(b));
  return unary("squareplus", x, [b](float v) { return 0.5f * (v + std::sqrt(v * v + b)); },
               [b](float v, float) {
                 const float r = std::sqrt(v * v + b);
                 return r > 0 ? 0.5f * (1.0f + v / r) : 0.5f;
               });
}

// tanh_shrink = x - tanh(x); derivative tanh(x)^2 = (x - y)^2.
Tensor tanh_shrink(const Tensor& x) {
  return unary("tanh_shrink", x, [](float v) { return v - std::tanh(v); },
               [](float v, float) { const float t = std::tanh(v); return t * t; });
}

// log_sigmoid = -softplus(-x) = min(x, 0) - log1p(e^-|x|) (stable); derivative sigmoid(-x).
Tensor log_sigmoid(const Tensor& x) {
  return unary("log_sigmoid", x, [](float v) { return std::min(v, 0.0f) - std::log1p(std::exp(-std::fabs(v))); },
               [](float v, float) { return sigm(-v); });
}

// sparse_plus = 0 (x <= -1), (x + 1)^2 / 4 (|x| < 1), x (x >= 1); derivative 0, (x + 1) / 2, 1.
Tensor sparse_plus(const Tensor& x) {
  return unary("sparse_plus", x,
               [](float v) { return v <= -1.0f ? 0.0f : (v >= 1.0f ? v : 0.25f * (v + 1.0f) * (v + 1.0f)); },
               [](float v, float) { return v <= -1.0f ? 0.0f : (v >= 1.0f ? 1.0f : 0.5f * (v + 1.0f)); });
}

// sparse_sigmoid = 0 (x <= -1), (x + 1) / 2 (|x| < 1), 1 (x >= 1); derivative 1/2 inside, 0 outside.
Tensor sparse_sigmoid(const Tensor& x) {
  return unary("sparse_sigmoid", x,
               [](float v) { return v <= -1.0f ? 0.0f : (v >= 1.0f ? 1.0f : 0.5f * (v + 1.0f)); },
               [](float v, float) { return (v > -1.0f && v < 1.0f) ? 0.5f : 0.0f; });
}

// glu = a * sigmoid(b) with (a, b) the two halves of x along `axis`; composed, so the tape
// differentiates it.
Tensor glu(const Tensor& x, int axis) {
  detail::require_defined("glu", x);
  const std::size_t ax = detail::axis_for("glu", axis, x.shape());
  const std::size_t n = x.shape()[ax];
  if (n % 2 != 0)
    throw ValueError("glu: the size of axis " + std::to_string(axis) + " must be divisible by 2, got shape " +
                     shape_str(x.shape()));
  return mul(slice(x, static_cast<int>(ax), 0, n / 2), sigmoid(slice(x, static_cast<int>(ax), n / 2, n)));
}

}  // namespace xkeras::ops
