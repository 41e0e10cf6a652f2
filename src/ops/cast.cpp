// cast between float32 and int32 (token ids and sparse labels travel as int32).
#include <cmath>
#include <string>

#include "ops/common.hpp"

namespace xkeras::ops {

// d cast(x)/dx = 1 for float -> float (the identity, returned as is); a cast to int32 ends the gradient,
// as in TensorFlow. int32 -> float32 starts from a tensor that never requires grad.
Tensor cast(const Tensor& x, DType dtype) {
  detail::require_defined("cast", x);
  if (x.dtype() == dtype) return x;
  if (dtype == DType::float32) {
    const IntArray& v = x.ivalue();
    Array out = Array::from_shape(x.shape());
    const std::int32_t* s = v.data();
    float* d = out.data();
    for (std::size_t i = 0, n = v.size(); i < n; ++i) d[i] = static_cast<float>(s[i]);
    return Tensor(std::move(out));
  }
  const Array& v = x.value();
  IntArray out = IntArray::from_shape(x.shape());
  const float* s = v.data();
  std::int32_t* d = out.data();
  for (std::size_t i = 0, n = v.size(); i < n; ++i) {
    // 2^31 is exactly representable; anything at or beyond it (or NaN) has no int32 value.
    if (!(s[i] > -2147483904.0f && s[i] < 2147483648.0f))
      throw ValueError("cast to int32: value " + std::to_string(s[i]) + " at flat index " + std::to_string(i) +
                       " is outside int32's range");
    d[i] = static_cast<std::int32_t>(s[i]);  // truncation toward zero, as tf.cast
  }
  return Tensor(std::move(out));
}

}  // namespace xkeras::ops
