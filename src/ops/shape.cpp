// Shape ops. STUB FILE: only reshape is implemented; the rest throw until written.
#include "ops/common.hpp"

namespace xkeras::ops {

// reshape keeps the row-major order: the gradient is the output gradient reshaped back.
Tensor reshape(const Tensor& x, const Shape& shape) {
  if (shape_size(shape) != x.size())
    throw ValueError("reshape: cannot reshape a tensor of shape " + shape_str(x.shape()) + " (" + std::to_string(x.size()) +
                     " values) into shape " + shape_str(shape));
  Array v = Array::from_shape(shape);
  std::copy(x.data(), x.data() + x.size(), v.data());
  Tensor y(std::move(v));
  if (Tape::wants({&x})) {
    Tape::current().record("reshape", {x}, y, [x, y]() mutable {
      const float* g = y.impl()->grad.data();
      float* gx = x.grad_buffer().data();
      for (std::size_t i = 0, n = x.size(); i < n; ++i) gx[i] += g[i];
    });
  }
  return y;
}

Tensor reshape(const Tensor& x, const std::vector<long>& shape) {
  Shape s;
  long infer = -1;
  std::size_t known = 1;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      if (infer >= 0) throw ValueError("reshape: only one dimension can be -1");
      infer = static_cast<long>(i);
      s.push_back(1);
    } else if (shape[i] < 0) {
      throw ValueError("reshape: invalid dimension " + std::to_string(shape[i]));
    } else {
      s.push_back(static_cast<std::size_t>(shape[i]));
      known *= static_cast<std::size_t>(shape[i]);
    }
  }
  if (infer >= 0) {
    if (known == 0 || x.size() % known != 0)
      throw ValueError("reshape: cannot infer the -1 dimension reshaping " + shape_str(x.shape()));
    s[static_cast<std::size_t>(infer)] = x.size() / known;
  }
  return reshape(x, s);
}

Tensor transpose(const Tensor&, const std::vector<std::size_t>&) { throw NotImplementedError("ops::transpose"); }
Tensor concatenate(const Tensors&, int) { throw NotImplementedError("ops::concatenate"); }
Tensor expand_dims(const Tensor&, int) { throw NotImplementedError("ops::expand_dims"); }
Tensor squeeze(const Tensor&, int) { throw NotImplementedError("ops::squeeze"); }
Tensor slice(const Tensor&, int, std::size_t, std::size_t) { throw NotImplementedError("ops::slice"); }
Tensor broadcast_to(const Tensor&, const Shape&) { throw NotImplementedError("ops::broadcast_to"); }

}  // namespace xkeras::ops
