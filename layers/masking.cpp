#include "xkeras/layers/masking.hpp"

#include "layers/image_layer_utils.hpp"
#include "xkeras/registry.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/ops/sequence.hpp"

namespace xkeras::layers {

MaskingImpl::MaskingImpl(float mask_value, std::string name) : Layer("Masking", std::move(name)), mask_value_(mask_value) {
  set_input_spec(InputSpec{.min_ndim = 1});
  mark_built();
}

Tensor MaskingImpl::keep(const Tensor& x) const {
  Shape s = x.shape();
  if (s.empty()) throw ValueError(detail::who(*this) + ": expected an input of rank >= 1, received a scalar");
  const std::size_t features = s.back();
  s.back() = 1;
  Array k = Array::from_shape(s);
  const float* px = x.data();
  float* pk = k.data();
  for (std::size_t r = 0, rows = k.size(); r < rows; ++r) {
    bool any = false;
    for (std::size_t j = 0; j < features && !any; ++j) any = px[r * features + j] != mask_value_;
    pk[r] = any ? 1.0f : 0.0f;
  }
  return Tensor(std::move(k));
}

// where() rather than a product: a masked step that holds inf or NaN still becomes exactly 0.
Tensor MaskingImpl::call(const Tensor& x, bool) { return ops::where(keep(x), x, Tensor::scalar(0.0f)); }

std::vector<TensorShape> MaskingImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError(detail::who(*this) + " expects 1 input, but it received " + std::to_string(input_shapes.size()) +
                     " input tensors");
  return input_shapes;
}

Tensors MaskingImpl::compute_mask(const Tensors& xs, const Tensors&) {
  const Tensor k = keep(xs.at(0));
  Shape s = k.shape();
  s.pop_back();
  return {ops::reshape(k, s)};
}

json MaskingImpl::get_config() const {
  json c = base_config();
  c["mask_value"] = mask_value_;
  return c;
}

std::shared_ptr<MaskingImpl> MaskingImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  auto layer = std::make_shared<MaskingImpl>(r.get_float("mask_value", 0.0f), r.name());
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(MaskingImpl, "Masking");

Masking::Masking(float mask_value, const std::string& name)
    : Holder<MaskingImpl>(std::make_shared<MaskingImpl>(mask_value, name)) {}

}  // namespace xkeras::layers
