// keras.utils.to_categorical and keras.utils.normalize (keras/src/utils/numerical_utils.py).
#include <cmath>
#include <cstring>

#include "xkeras/errors.hpp"
#include "xkeras/utils.hpp"

namespace xkeras::utils {

namespace {

// The labels as integers, as Keras's np.array(x, dtype="int64") (float values truncate toward zero).
std::vector<std::int64_t> labels_of(const Tensor& y) {
  std::vector<std::int64_t> out(y.size());
  if (y.is_int()) {
    const std::int32_t* p = y.idata();
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = p[i];
    return out;
  }
  const float* p = y.data();
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (!std::isfinite(p[i]) || std::fabs(p[i]) > 2e9f)
      throw ValueError("to_categorical: label " + std::to_string(i) + " is " + std::to_string(p[i]) +
                       "; expected a class index");
    out[i] = static_cast<std::int64_t>(p[i]);
  }
  return out;
}

}  // namespace

Tensor to_categorical(const Tensor& y, int num_classes) {
  if (!y.defined()) throw ValueError("to_categorical: y is undefined");
  Shape shape = y.shape();
  if (shape.size() > 1 && shape.back() == 1) shape.pop_back();  // (N, 1) -> (N, C), as Keras
  const std::vector<std::int64_t> labels = labels_of(y);
  std::int64_t c = num_classes;
  if (num_classes <= 0) {  // Keras: `if not num_classes` takes max + 1
    if (labels.empty()) throw ValueError("to_categorical: y is empty; pass num_classes");
    c = 0;
    for (std::int64_t v : labels) c = std::max(c, v + 1);
  }
  // A bound keeps a stray huge label from asking for gigabytes.
  if (c > (1 << 24)) throw ValueError("to_categorical: " + std::to_string(c) + " classes; expected at most 2^24");
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (labels[i] < 0 || labels[i] >= c)
      throw ValueError("to_categorical: label " + std::to_string(labels[i]) + " at position " + std::to_string(i) +
                       " is outside [0, " + std::to_string(c) + ")");
  shape.push_back(static_cast<std::size_t>(c));
  shape_size(shape);  // ValueError on overflow before allocating
  Array out = Array::from_shape(shape);
  std::memset(out.data(), 0, out.size() * sizeof(float));
  float* p = out.data();
  for (std::size_t i = 0; i < labels.size(); ++i) p[i * c + labels[i]] = 1.0f;
  return Tensor(std::move(out));
}

Tensor normalize(const Tensor& x, int axis, int order) {
  if (!x.defined() || x.is_int()) throw ValueError("normalize: expected a float32 tensor");
  const int rank = static_cast<int>(x.ndim());
  if (rank == 0) throw ValueError("normalize: expected a tensor of rank >= 1, got a scalar");
  const int a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank)
    throw ValueError("normalize: axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  if (order < 1) throw ValueError("normalize: order must be a positive integer, got " + std::to_string(order));
  const Shape s = x.shape();
  std::size_t outer = 1, inner = 1;
  for (int k = 0; k < a; ++k) outer *= s[k];
  for (int k = a + 1; k < rank; ++k) inner *= s[k];
  const std::size_t n = s[a];
  Array out = x.value();
  float* p = out.data();
  for (std::size_t o = 0; o < outer; ++o)
    for (std::size_t i = 0; i < inner; ++i) {
      float* v = p + o * n * inner + i;
      double acc = 0;
      for (std::size_t k = 0; k < n; ++k) {
        const double m = std::fabs(double(v[k * inner]));
        acc += order == 1 ? m : order == 2 ? m * m : std::pow(m, order);
      }
      double norm = order == 1 ? acc : order == 2 ? std::sqrt(acc) : std::pow(acc, 1.0 / order);
      if (norm == 0) norm = 1;  // Keras: norm[norm == 0] = 1
      for (std::size_t k = 0; k < n; ++k) v[k * inner] = static_cast<float>(v[k * inner] / norm);
    }
  return Tensor(std::move(out));
}

}  // namespace xkeras::utils
