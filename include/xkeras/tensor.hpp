// Tensor: a cheap, shareable handle onto a float32 xtensor array and its gradient.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <xtensor/xarray.hpp>

namespace xkeras {

/// Concrete shape of a tensor that exists (every dimension known).
using Shape = std::vector<std::size_t>;
/// Storage of every tensor: row-major float32.
using Array = xt::xarray<float, xt::layout_type::row_major>;

/// Shape of a symbolic tensor; `None` marks an unknown dimension (the batch, usually).
using Dim = std::int64_t;
inline constexpr Dim None = -1;
using TensorShape = std::vector<Dim>;

std::string shape_str(const Shape& s);        // "(2, 3)"
std::string shape_str(const TensorShape& s);  // "(None, 3)"
Shape to_shape(const Array& a);
/// Number of elements; ValueError when the product overflows 64 bits.
std::size_t shape_size(const Shape& s);

/// The most values one sample (a tensor without its batch axis) may hold, and so the largest any
/// known dimension may be: 2^26 (256 MiB of float32). Shape inference stops here with a ValueError
/// naming the layer, so a model file cannot make arithmetic wrap or allocations explode.
inline constexpr Dim kMaxSampleValues = Dim(1) << 26;
/// `a * b` for shape arithmetic (a, b >= 0): ValueError naming `who` when the product passes
/// kMaxSampleValues. Cannot overflow, whatever the operands.
Dim checked_dim_mul(Dim a, Dim b, const std::string& who);
/// Product of the known dimensions of `s` from axis `first` on (None is skipped), checked as above.
Dim checked_sample_size(const TensorShape& s, const std::string& who, std::size_t first = 1);
/// Throws ValueError naming `who` unless every dimension is None or in [0, kMaxSampleValues] and
/// the known dimensions after the batch axis hold at most kMaxSampleValues values.
void check_sample_shape(const TensorShape& s, const std::string& who);

/// The shared state behind a Tensor handle. Gradients live beside the value so that
/// the tape can accumulate into them without any lookup.
struct TensorImpl {
  Array value;
  Array grad;              // meaningful only when has_grad
  bool has_grad = false;
  bool requires_grad = false;
};

class Tensor {
 public:
  Tensor() = default;  // undefined tensor
  explicit Tensor(Array value, bool requires_grad = false);
  Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

  static Tensor zeros(const Shape& shape);
  static Tensor full(const Shape& shape, float v);
  /// Row-major data with the given shape (size must match).
  static Tensor from(const Shape& shape, const std::vector<float>& data);
  static Tensor scalar(float v);

  bool defined() const { return impl_ != nullptr; }
  const Array& value() const { return impl_->value; }
  Array& mutable_value() { return impl_->value; }
  Shape shape() const;
  std::size_t ndim() const { return impl_->value.dimension(); }
  std::size_t size() const { return impl_->value.size(); }
  std::size_t dim(int axis) const;  // negative axes count from the end
  const float* data() const { return impl_->value.data(); }
  float* data() { return impl_->value.data(); }
  std::vector<float> to_vector() const;
  float item() const;  // the single value of a size-1 tensor

  bool requires_grad() const { return impl_ && impl_->requires_grad; }
  void set_requires_grad(bool r) const { impl_->requires_grad = r; }
  bool has_grad() const { return impl_ && impl_->has_grad; }
  /// The accumulated gradient; zeros of the value's shape if none was accumulated.
  Array grad() const;
  /// The gradient buffer, allocated (zero-filled) on first use; the tape adds into it.
  Array& grad_buffer() const;  // handle semantics: a const handle still shares the state
  /// For a backward that computes its whole contribution in one go: the gradient buffer, and
  /// whether it is fresh. A fresh buffer is sized but not zeroed: the caller must overwrite all of
  /// it (saves a zero fill and a pass); otherwise the caller adds into it.
  Array& grad_buffer_for_write(bool& fresh) const;
  void zero_grad() const;

  TensorImpl* impl() const { return impl_.get(); }
  const std::shared_ptr<TensorImpl>& shared() const { return impl_; }

 private:
  std::shared_ptr<TensorImpl> impl_;
};

using Tensors = std::vector<Tensor>;

}  // namespace xkeras
