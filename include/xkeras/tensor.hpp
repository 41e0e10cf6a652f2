// Tensor: a cheap, shareable handle onto a float32 (or int32) xtensor array, its gradient, and the
// Keras mask that travels with it.
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
/// Storage of every float tensor: row-major float32.
using Array = xt::xarray<float, xt::layout_type::row_major>;
/// Storage of an integer tensor (token ids, sparse labels): row-major int32.
using IntArray = xt::xarray<std::int32_t, xt::layout_type::row_major>;

/// Element type of a tensor. Keras's int64 is read as int32 (xkeras's indices are 32-bit).
enum class DType { float32, int32 };
const char* dtype_name(DType d);  // "float32", "int32"
/// "float32" / "int32" / "int64" / ... ; ValueError naming the accepted names otherwise.
DType dtype_from_name(const std::string& name);

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
  Array value;             // float32 tensors
  IntArray ivalue;         // int32 tensors (value is empty then)
  DType dtype = DType::float32;
  Array grad;              // meaningful only when has_grad
  bool has_grad = false;
  bool requires_grad = false;
  /// Keras's _keras_mask: 0/1 float32 values (usually (batch, time)) that masking layers set and
  /// mask-aware layers read. Not differentiated.
  std::shared_ptr<TensorImpl> keras_mask;
};

class Tensor {
 public:
  Tensor() = default;  // undefined tensor
  explicit Tensor(Array value, bool requires_grad = false);
  /// An int32 tensor (never requires grad).
  explicit Tensor(IntArray value);
  Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

  static Tensor zeros(const Shape& shape);
  static Tensor full(const Shape& shape, float v);
  /// Row-major data with the given shape (size must match).
  static Tensor from(const Shape& shape, const std::vector<float>& data);
  static Tensor scalar(float v);
  static Tensor from_ints(const Shape& shape, const std::vector<std::int32_t>& data);

  bool defined() const { return impl_ != nullptr; }
  DType dtype() const { return impl_->dtype; }
  bool is_int() const { return impl_->dtype == DType::int32; }
  /// The float32 values; ValueError for an int32 tensor (cast it with ops::cast first).
  const Array& value() const {
    if (impl_->dtype != DType::float32) not_float();
    return impl_->value;
  }
  Array& mutable_value() {
    if (impl_->dtype != DType::float32) not_float();
    return impl_->value;
  }
  /// The int32 values; ValueError for a float32 tensor.
  const IntArray& ivalue() const {
    if (impl_->dtype != DType::int32) not_int();
    return impl_->ivalue;
  }
  IntArray& mutable_ivalue() {
    if (impl_->dtype != DType::int32) not_int();
    return impl_->ivalue;
  }
  Shape shape() const;
  std::size_t ndim() const { return is_int() ? impl_->ivalue.dimension() : impl_->value.dimension(); }
  std::size_t size() const { return is_int() ? impl_->ivalue.size() : impl_->value.size(); }
  std::size_t dim(int axis) const;  // negative axes count from the end
  const float* data() const { return value().data(); }
  float* data() { return mutable_value().data(); }
  const std::int32_t* idata() const { return ivalue().data(); }
  std::int32_t* idata() { return mutable_ivalue().data(); }
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

  /// Keras's mask of this tensor (undefined when it has none); see TensorImpl::keras_mask.
  Tensor keras_mask() const;
  /// Attaches (or, with an undefined tensor, removes) the mask. Handle semantics: every copy sees it.
  void set_keras_mask(const Tensor& mask) const;

  TensorImpl* impl() const { return impl_.get(); }
  const std::shared_ptr<TensorImpl>& shared() const { return impl_; }

 private:
  [[noreturn]] void not_float() const;
  [[noreturn]] void not_int() const;

  std::shared_ptr<TensorImpl> impl_;
};

using Tensors = std::vector<Tensor>;

}  // namespace xkeras
