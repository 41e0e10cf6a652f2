// Elementwise unary ops. Each backward is g * f'(x), with f' written from x and y = f(x).
#include <cmath>

#include "kernels/eltwise.hpp"
#include "ops/unary_kernel.hpp"

namespace xkeras::ops {
namespace {

using detail::sigm;
using detail::unary;
using detail::unary_fill;

constexpr float kSeluAlpha = 1.6732632423543772f;
constexpr float kSeluScale = 1.0507009873554805f;

}  // namespace

// d(cx)/dx = c
Tensor scale(const Tensor& x, float c) {
  return unary("scale", x, [c](float v) { return v * c; }, [c](float, float) { return c; });
}

// d(x+c)/dx = 1
Tensor add_scalar(const Tensor& x, float c) {
  return unary("add_scalar", x, [c](float v) { return v + c; }, [](float, float) { return 1.0f; });
}

// d(-x)/dx = -1
Tensor neg(const Tensor& x) {
  return unary("neg", x, [](float v) { return -v; }, [](float, float) { return -1.0f; });
}

// d e^x/dx = e^x = y
Tensor exp(const Tensor& x) {
  return unary("exp", x, [](float v) { return std::exp(v); }, [](float, float y) { return y; });
}

// d log x/dx = 1/x
Tensor log(const Tensor& x) {
  return unary("log", x, [](float v) { return std::log(v); }, [](float v, float) { return 1.0f / v; });
}

// d log(1+x)/dx = 1/(1+x)
Tensor log1p(const Tensor& x) {
  return unary("log1p", x, [](float v) { return std::log1p(v); }, [](float v, float) { return 1.0f / (1.0f + v); });
}

// d sqrt(x)/dx = 1/(2 sqrt(x)) = 1/(2y)
Tensor sqrt(const Tensor& x) {
  return unary("sqrt", x, [](float v) { return std::sqrt(v); }, [](float, float y) { return 0.5f / y; });
}

// d x^-1/2 /dx = -1/2 x^-3/2 = -y^3/2
Tensor rsqrt(const Tensor& x) {
  return unary("rsqrt", x, [](float v) { return 1.0f / std::sqrt(v); }, [](float, float y) { return -0.5f * y * y * y; });
}

// d x^2/dx = 2x
Tensor square(const Tensor& x) {
  return unary("square", x, [](float v) { return v * v; }, [](float v, float) { return 2.0f * v; });
}

// d x^p/dx = p x^(p-1)
Tensor pow(const Tensor& x, float p) {
  return unary("pow", x, [p](float v) { return std::pow(v, p); },
               [p](float v, float) { return p * std::pow(v, p - 1.0f); });
}

// d|x|/dx = sign(x), 0 at 0
Tensor abs(const Tensor& x) {
  return unary("abs", x, [](float v) { return std::fabs(v); },
               [](float v, float) { return v > 0 ? 1.0f : (v < 0 ? -1.0f : 0.0f); });
}

// d relu/dx = [x > 0] (0 at NaN, as TF's ReluGrad). The forward keeps NaN, as TF's relu does:
// mapping it to 0 hid a NaN input behind healthy-looking outputs.
Tensor relu(const Tensor& x) {
  return unary("relu", x, [](float v) { return v < 0 ? 0.0f : v; }, [](float v, float) { return v > 0 ? 1.0f : 0.0f; });
}

// d sigmoid/dx = y (1 - y)
Tensor sigmoid(const Tensor& x) {
  // The forward is oneDNN's vectorized logistic: a scalar expf per element was a third of W3's predict.
  return unary_fill("sigmoid", x, kernels::sigmoid, [](float, float y) { return y * (1.0f - y); });
}

// d tanh/dx = 1 - y^2
Tensor tanh(const Tensor& x) {
  return unary("tanh", x, [](float v) { return std::tanh(v); }, [](float, float y) { return 1.0f - y * y; });
}

// elu = x (x > 0), alpha (e^x - 1) otherwise; derivative 1, or y + alpha
Tensor elu(const Tensor& x, float alpha) {
  return unary("elu", x, [alpha](float v) { return v > 0 ? v : alpha * std::expm1(v); },
               [alpha](float v, float y) { return v > 0 ? 1.0f : y + alpha; });
}

// selu = scale * elu(x, alpha); derivative scale, or y + scale*alpha
Tensor selu(const Tensor& x) {
  return unary("selu", x,
               [](float v) { return v > 0 ? kSeluScale * v : kSeluScale * kSeluAlpha * std::expm1(v); },
               [](float v, float y) { return v > 0 ? kSeluScale : y + kSeluScale * kSeluAlpha; });
}

// softplus = log(1 + e^x), computed stably; derivative sigmoid(x)
Tensor softplus(const Tensor& x) {
  return unary("softplus", x, [](float v) { return std::max(v, 0.0f) + std::log1p(std::exp(-std::fabs(v))); },
               [](float v, float) { return sigm(v); });
}

// softsign = x / (1 + |x|); derivative 1 / (1 + |x|)^2
Tensor softsign(const Tensor& x) {
  return unary("softsign", x, [](float v) { return v / (1.0f + std::fabs(v)); },
               [](float v, float) { const float d = 1.0f + std::fabs(v); return 1.0f / (d * d); });
}

// exact gelu = x Phi(x); derivative Phi(x) + x phi(x).
// approximate = 0.5 x (1 + tanh(c (x + 0.044715 x^3))), c = sqrt(2/pi).
Tensor gelu(const Tensor& x, bool approximate) {
  if (!approximate) {
    return unary("gelu", x, [](float v) { return 0.5f * v * (1.0f + std::erf(v * 0.70710678f)); },
                 [](float v, float) {
                   const float cdf = 0.5f * (1.0f + std::erf(v * 0.70710678f));
                   const float pdf = 0.39894228f * std::exp(-0.5f * v * v);
                   return cdf + v * pdf;
                 });
  }
  return unary("gelu_approx", x,
               [](float v) { return 0.5f * v * (1.0f + std::tanh(0.7978845608f * (v + 0.044715f * v * v * v))); },
               [](float v, float) {
                 const float u = 0.7978845608f * (v + 0.044715f * v * v * v);
                 const float t = std::tanh(u);
                 const float du = 0.7978845608f * (1.0f + 3.0f * 0.044715f * v * v);
                 return 0.5f * (1.0f + t) + 0.5f * v * (1.0f - t * t) * du;
               });
}

// swish = x s(x); derivative s(x) + x s(x)(1 - s(x))
Tensor swish(const Tensor& x) {
  return unary("swish", x, [](float v) { return v * sigm(v); },
               [](float v, float) { const float s = sigm(v); return s + v * s * (1.0f - s); });
}

// leaky_relu = x (x > 0), slope x otherwise
Tensor leaky_relu(const Tensor& x, float slope) {
  return unary("leaky_relu", x, [slope](float v) { return v > 0 ? v : slope * v; },
               [slope](float v, float) { return v > 0 ? 1.0f : slope; });
}

// clip: derivative 1 inside [lo, hi], 0 outside (as TF's clip_by_value)
Tensor clip(const Tensor& x, float lo, float hi) {
  if (lo > hi) throw ValueError("clip: lo (" + std::to_string(lo) + ") must not exceed hi (" + std::to_string(hi) + ")");
  return unary("clip", x, [lo, hi](float v) { return v < lo ? lo : (v > hi ? hi : v); },
               [lo, hi](float v, float) { return (v >= lo && v <= hi) ? 1.0f : 0.0f; });
}

}  // namespace xkeras::ops
