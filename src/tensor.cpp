#include "xkeras/tensor.hpp"

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
  std::size_t n = 1;
  for (auto d : s) n *= d;
  return n;
}

Tensor::Tensor(Array value, bool requires_grad) : impl_(std::make_shared<TensorImpl>()) {
  impl_->value = std::move(value);
  impl_->requires_grad = requires_grad;
}

Tensor Tensor::zeros(const Shape& shape) { return Tensor(Array(xt::zeros<float>(shape))); }

Tensor Tensor::full(const Shape& shape, float v) {
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

Shape Tensor::shape() const { return to_shape(impl_->value); }

std::size_t Tensor::dim(int axis) const {
  const int n = static_cast<int>(ndim());
  const int a = axis < 0 ? axis + n : axis;
  if (a < 0 || a >= n)
    throw ValueError("axis " + std::to_string(axis) + " is out of range for a tensor of rank " + std::to_string(n));
  return impl_->value.shape()[static_cast<std::size_t>(a)];
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
