#include "xkeras/tensor.hpp"

#include <cstdint>
#include <sstream>

#include "xkeras/errors.hpp"

namespace xkeras {

std::string shape_str(const Shape& s) {
  std::ostringstream o;
  o << "(";
  for (std::size_t i = 0; i < s.size(); ++i) o << (i ? ", " : "") << s[i];
  if (s.size() == 1) o << ",";
  o << ")";
  return o.str();
}

std::string shape_str(const TensorShape& s) {
  std::ostringstream o;
  o << "(";
  for (std::size_t i = 0; i < s.size(); ++i) {
    o << (i ? ", " : "");
    if (s[i] < 0) o << "None"; else o << s[i];
  }
  if (s.size() == 1) o << ",";
  o << ")";
  return o.str();
}

Shape to_shape(const Array& a) { return Shape(a.shape().begin(), a.shape().end()); }

std::size_t shape_size(const Shape& s) {
  for (auto d : s)
    if (d == 0) return 0;
  std::size_t n = 1;
  for (auto d : s) {
    if (n > SIZE_MAX / d) throw ValueError("the shape " + shape_str(s) + " has more than 2^64 elements");
    n *= d;
  }
  return n;
}

namespace {
const std::string kLimitText = "2^26 (the most values xkeras allows per sample)";
}

Dim checked_dim_mul(Dim a, Dim b, const std::string& who) {
  if (a < 0 || b < 0) throw ValueError(who + ": negative dimension in a shape product (" + std::to_string(a) + " x " + std::to_string(b) + ")");
  if (a != 0 && b > kMaxSampleValues / a)
    throw ValueError(who + ": a dimension of " + std::to_string(a) + " x " + std::to_string(b) + " is more than " + kLimitText);
  return a * b;
}

Dim checked_sample_size(const TensorShape& s, const std::string& who, std::size_t first) {
  Dim n = 1;
  for (std::size_t i = first; i < s.size(); ++i) {
    if (s[i] < 0) continue;
    if (s[i] > kMaxSampleValues || (s[i] != 0 && n > kMaxSampleValues / s[i]))
      throw ValueError(who + ": the shape " + shape_str(s) + " holds more than " + kLimitText);
    n *= s[i];
  }
  return n;
}

void check_sample_shape(const TensorShape& s, const std::string& who) {
  for (Dim d : s)
    if (d < None) throw ValueError(who + ": the shape " + shape_str(s) + " has a negative dimension");
  if (!s.empty() && s[0] > kMaxSampleValues)
    throw ValueError(who + ": the batch dimension of " + shape_str(s) + " is more than " + kLimitText);
  checked_sample_size(s, who);
}

const char* dtype_name(DType d) { return d == DType::int32 ? "int32" : "float32"; }

DType dtype_from_name(const std::string& name) {
  if (name == "float32" || name == "float" || name == "float64" || name == "float16" || name == "bfloat16")
    return DType::float32;  // xkeras computes in float32, as a Keras model with a float policy
  if (name == "int32" || name == "int64" || name == "int16" || name == "int8" || name == "uint8" || name == "uint16" ||
      name == "uint32" || name == "int")
    return DType::int32;
  throw ValueError("unknown dtype \"" + name + "\": expected a float type (float32, float64, float16) or an integer type "
                   "(int32, int64, ...)");
}

Tensor::Tensor(IntArray value) : impl_(std::make_shared<TensorImpl>()) {
  impl_->ivalue = std::move(value);
  impl_->dtype = DType::int32;
}

Tensor Tensor::from_ints(const Shape& shape, const std::vector<std::int32_t>& data) {
  if (shape_size(shape) != data.size())
    throw ValueError("Tensor::from_ints: shape " + shape_str(shape) + " needs " + std::to_string(shape_size(shape)) +
                     " values, got " + std::to_string(data.size()));
  IntArray a = IntArray::from_shape(shape);
  std::copy(data.begin(), data.end(), a.data());
  return Tensor(std::move(a));
}

void Tensor::not_float() const {
  throw ValueError("expected a float32 tensor, but this tensor of shape " + shape_str(shape()) +
                   " holds int32 values (convert it with ops::cast(x, DType::float32))");
}

void Tensor::not_int() const {
  throw ValueError("expected an int32 tensor, but this tensor of shape " + shape_str(shape()) + " holds float32 values");
}

Tensor Tensor::keras_mask() const { return impl_ ? Tensor(impl_->keras_mask) : Tensor(); }

void Tensor::set_keras_mask(const Tensor& mask) const {
  if (!impl_) throw ValueError("set_keras_mask: undefined tensor");
  impl_->keras_mask = mask.shared();
}

Tensor::Tensor(Array value, bool requires_grad) : impl_(std::make_shared<TensorImpl>()) {
  impl_->value = std::move(value);
  impl_->requires_grad = requires_grad;
}

Tensor Tensor::zeros(const Shape& shape) {
  shape_size(shape);  // refuses a product that wraps before xtensor computes it unchecked
  return Tensor(Array(xt::zeros<float>(shape)));
}

Tensor Tensor::full(const Shape& shape, float v) {
  shape_size(shape);
  Array a = Array::from_shape(shape);
  a.fill(v);
  return Tensor(std::move(a));
}

Tensor Tensor::from(const Shape& shape, const std::vector<float>& data) {
  if (shape_size(shape) != data.size())
    throw ValueError("Tensor::from: shape " + shape_str(shape) + " needs " +
                     std::to_string(shape_size(shape)) + " values, got " + std::to_string(data.size()));
  Array a = Array::from_shape(shape);
  std::copy(data.begin(), data.end(), a.data());
  return Tensor(std::move(a));
}

Tensor Tensor::scalar(float v) {
  Array a = Array::from_shape({});
  a.data()[0] = v;
  return Tensor(std::move(a));
}

Shape Tensor::shape() const {
  if (is_int()) return Shape(impl_->ivalue.shape().begin(), impl_->ivalue.shape().end());
  return to_shape(impl_->value);
}

std::size_t Tensor::dim(int axis) const {
  const int n = static_cast<int>(ndim());
  const int a = axis < 0 ? axis + n : axis;
  if (a < 0 || a >= n)
    throw ValueError("axis " + std::to_string(axis) + " is out of range for a tensor of rank " + std::to_string(n));
  return shape()[static_cast<std::size_t>(a)];
}

std::vector<float> Tensor::to_vector() const { return std::vector<float>(data(), data() + size()); }

float Tensor::item() const {
  if (size() != 1) throw ValueError("item(): expected a tensor with one element, got shape " + shape_str(shape()));
  return data()[0];
}

Array Tensor::grad() const {
  if (impl_->has_grad) return impl_->grad;
  return Array(xt::zeros<float>(impl_->value.shape()));
}

Array& Tensor::grad_buffer() const {
  bool fresh = false;
  Array& g = grad_buffer_for_write(fresh);
  if (fresh) std::fill(g.begin(), g.end(), 0.0f);
  return g;
}

Array& Tensor::grad_buffer_for_write(bool& fresh) const {
  fresh = !impl_->has_grad;
  if (fresh) {
    // Reuse the old buffer when the shape still fits: optimizers zero grads every step.
    if (impl_->grad.shape() != impl_->value.shape()) impl_->grad = Array::from_shape(impl_->value.shape());
    impl_->has_grad = true;
  }
  return impl_->grad;
}

void Tensor::zero_grad() const {
  if (impl_) impl_->has_grad = false;
}

}  // namespace xkeras
