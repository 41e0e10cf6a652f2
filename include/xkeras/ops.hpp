// Differentiable ops. Each records its vector-Jacobian product on the tape (see tape.hpp)
// when an input requires a gradient. Layers and Lambdas compose these; nothing else
// writes a backward.
#pragma once

#include <initializer_list>
#include <vector>

#include "xkeras/tensor.hpp"

namespace xkeras::ops {

using Axes = std::vector<int>;  // negative axes count from the end; empty = every axis

// ---- elementwise binary, NumPy broadcasting; gradients are summed back to each input's shape
Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor maximum(const Tensor& a, const Tensor& b);  // gradient goes to a where a >= b
Tensor minimum(const Tensor& a, const Tensor& b);  // gradient goes to a where a <= b

// ---- elementwise unary
Tensor scale(const Tensor& x, float factor);  // x * factor
Tensor add_scalar(const Tensor& x, float c);  // x + c
Tensor neg(const Tensor& x);
Tensor exp(const Tensor& x);
Tensor log(const Tensor& x);
Tensor log1p(const Tensor& x);
Tensor sqrt(const Tensor& x);
Tensor rsqrt(const Tensor& x);
Tensor square(const Tensor& x);
Tensor pow(const Tensor& x, float p);
Tensor abs(const Tensor& x);
Tensor relu(const Tensor& x);
Tensor sigmoid(const Tensor& x);
Tensor tanh(const Tensor& x);
Tensor elu(const Tensor& x, float alpha = 1.0f);
Tensor selu(const Tensor& x);
Tensor softplus(const Tensor& x);
Tensor softsign(const Tensor& x);
Tensor gelu(const Tensor& x, bool approximate = false);  // Keras default: exact (erf)
Tensor swish(const Tensor& x);                            // x * sigmoid(x)
Tensor leaky_relu(const Tensor& x, float negative_slope = 0.2f);
Tensor clip(const Tensor& x, float lo, float hi);  // gradient 1 inside [lo, hi], 0 outside

// ---- more activations, with Keras 3's formulas (src/ops/activation_ops.cpp, src/ops/sparsemax.cpp)
Tensor relu6(const Tensor& x);  // min(max(x, 0), 6)
/// Keras's ReLU layer: min(x, max_value) where x > threshold, else negative_slope * (x - threshold).
/// max_value = +infinity means no cap.
Tensor relu(const Tensor& x, float negative_slope, float max_value, float threshold);
/// clip(slope * x + 0.5, 0, 1): Keras 3 uses slope 1/6 (= relu6(x + 3) / 6), Keras 2, tf.keras and TFJS 0.2.
Tensor hard_sigmoid(const Tensor& x, float slope = 1.0f / 6.0f);
Tensor hard_silu(const Tensor& x);                         // x * relu6(x + 3) / 6
Tensor mish(const Tensor& x);                              // x * tanh(softplus(x))
Tensor celu(const Tensor& x, float alpha = 1.0f);          // x > 0 ? x : alpha (e^(x/alpha) - 1)
Tensor hard_tanh(const Tensor& x);                         // clip(x, -1, 1)
Tensor hard_shrink(const Tensor& x, float threshold = 0.5f);  // |x| > threshold ? x : 0
Tensor soft_shrink(const Tensor& x, float threshold = 0.5f);  // sign(x) max(|x| - threshold, 0)
Tensor squareplus(const Tensor& x, float b = 4.0f);        // (x + sqrt(x^2 + b)) / 2
Tensor tanh_shrink(const Tensor& x);                       // x - tanh(x)
Tensor log_sigmoid(const Tensor& x);                       // -softplus(-x)
Tensor sparse_plus(const Tensor& x);                       // 0, (x + 1)^2 / 4, x  split at -1 and 1
Tensor sparse_sigmoid(const Tensor& x);                    // 0, (x + 1) / 2, 1    split at -1 and 1
Tensor glu(const Tensor& x, int axis = -1);                // a * sigmoid(b), (a, b) the halves along axis
Tensor sparsemax(const Tensor& x, int axis = -1);          // projection of each row onto the simplex

// ---- reductions over one or several axes (empty = all)
Tensor sum(const Tensor& x, const Axes& axes = {}, bool keepdims = false);
Tensor mean(const Tensor& x, const Axes& axes = {}, bool keepdims = false);
Tensor min(const Tensor& x, const Axes& axes = {}, bool keepdims = false);  // ties: gradient to the first extremum
Tensor max(const Tensor& x, const Axes& axes = {}, bool keepdims = false);
Tensor variance(const Tensor& x, const Axes& axes = {}, bool keepdims = false);  // biased (divides by N)

// ---- dtype
/// int32 -> float32 exactly; float32 -> int32 truncates toward zero (tf.cast), ValueError for values outside
/// int32's range or not finite. Same dtype: returns x. No gradient flows through a cast to int32.
Tensor cast(const Tensor& x, DType dtype);

// ---- shape
Tensor reshape(const Tensor& x, const Shape& shape);
Tensor reshape(const Tensor& x, const std::vector<long>& shape);  // one -1 may be inferred
/// `reshape(x, {-1, 784})`: a braced list of integers picks this overload (a standard conversion beats the
/// vectors' constructors, which made the two above ambiguous); one -1 may be inferred.
Tensor reshape(const Tensor& x, std::initializer_list<long> shape);
Tensor transpose(const Tensor& x, const std::vector<std::size_t>& perm = {});  // empty = reverse axes
Tensor concatenate(const Tensors& xs, int axis = -1);
Tensor expand_dims(const Tensor& x, int axis);
Tensor squeeze(const Tensor& x, int axis);
Tensor slice(const Tensor& x, int axis, std::size_t begin, std::size_t end);  // [begin, end) along axis
Tensor broadcast_to(const Tensor& x, const Shape& shape);

// ---- linear algebra (BLAS)
Tensor matmul(const Tensor& a, const Tensor& b);  // (..., m, k) x (k, n), or 2-D x 2-D
/// x (..., in) · kernel (in, out) + bias (out) [optional: pass an undefined Tensor], fused.
Tensor linear(const Tensor& x, const Tensor& kernel, const Tensor& bias);

// ---- neural-network ops
Tensor softmax(const Tensor& x, int axis = -1);
Tensor log_softmax(const Tensor& x, int axis = -1);
/// Keras/TF l2_normalize: x * rsqrt(max(sum(x^2, axes), epsilon)) — epsilon clamps the squared sum.
Tensor l2_normalize(const Tensor& x, const Axes& axes = {-1}, float epsilon = 1e-12f);
/// Keras >= 3.6 ops.normalize(order=2): x * rsqrt(max(sum(x^2), epsilon^2)) — epsilon clamps the norm.
Tensor unit_normalize(const Tensor& x, const Axes& axes = {-1}, float epsilon = 1e-12f);

// ---- helpers shared by ops (not differentiable themselves)
/// Normalizes possibly-negative axes for a tensor of rank `ndim`, sorted, duplicates rejected.
std::vector<std::size_t> normalize_axes(const Axes& axes, std::size_t ndim);
/// NumPy broadcast of two shapes; throws ValueError when incompatible.
Shape broadcast_shapes(const Shape& a, const Shape& b);
/// Sums `g` down to `shape` (the reverse of broadcasting).
Array reduce_to_shape(const Array& g, const Shape& shape);

}  // namespace xkeras::ops

namespace xkeras {

// ---- operators (in namespace xkeras so that argument-dependent lookup finds them for Tensor)
inline Tensor operator+(const Tensor& a, const Tensor& b) { return ops::add(a, b); }
inline Tensor operator-(const Tensor& a, const Tensor& b) { return ops::sub(a, b); }
inline Tensor operator*(const Tensor& a, const Tensor& b) { return ops::mul(a, b); }
inline Tensor operator/(const Tensor& a, const Tensor& b) { return ops::div(a, b); }
inline Tensor operator-(const Tensor& a) { return ops::neg(a); }
inline Tensor operator*(const Tensor& a, float s) { return ops::scale(a, s); }
inline Tensor operator*(float s, const Tensor& a) { return ops::scale(a, s); }
inline Tensor operator/(const Tensor& a, float s) { return ops::scale(a, 1.0f / s); }
inline Tensor operator+(const Tensor& a, float c) { return ops::add_scalar(a, c); }
inline Tensor operator+(float c, const Tensor& a) { return ops::add_scalar(a, c); }
inline Tensor operator-(const Tensor& a, float c) { return ops::add_scalar(a, -c); }
inline Tensor operator-(float c, const Tensor& a) { return ops::add_scalar(ops::neg(a), c); }

}  // namespace xkeras
