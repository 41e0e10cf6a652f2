#include "xkeras/layers/rescaling.hpp"

#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

RescalingImpl::RescalingImpl(ArrayValue scale, ArrayValue offset, std::string name)
    : Layer("Rescaling", std::move(name)), scale_(std::move(scale)), offset_(std::move(offset)) {
  if (scale_.shape.size() > 8 || offset_.shape.size() > 8)
    throw ValueError("Layer \"" + this->name() + "\" (Rescaling): `scale` and `offset` may have at most 8 axes");
  scale_t_ = Tensor(scale_.to_array());
  offset_t_ = Tensor(offset_.to_array());
  mark_built();
}

void RescalingImpl::check_broadcast(const TensorShape& input) const {
  // NumPy broadcasting, right-aligned; the result must keep the input's shape.
  for (const ArrayValue* v : {&scale_, &offset_}) {
    const char* arg = v == &scale_ ? "scale" : "offset";
    const Shape& s = v->shape;
    bool ok = s.size() <= input.size();
    for (std::size_t i = 0; ok && i < s.size(); ++i) {
      const Dim d = input[input.size() - s.size() + i];
      ok = s[i] == 1 || d < 0 || static_cast<Dim>(s[i]) == d;  // None: checked when it is known
    }
    if (!ok)
      incompatible(0, std::string("`") + arg + "` of shape " + shape_str(s) +
                          " to broadcast against the input without changing its shape", input);
  }
}

Tensor RescalingImpl::call(const Tensor& x, bool) {
  const Shape s = x.shape();
  check_broadcast(TensorShape(s.begin(), s.end()));
  // Scalars take the fast unary ops; arrays broadcast through the binary ones.
  const Tensor scaled = scale_.is_scalar() ? ops::scale(x, scale_t_.data()[0]) : ops::mul(x, scale_t_);
  return offset_.is_scalar() ? ops::add_scalar(scaled, offset_t_.data()[0]) : ops::add(scaled, offset_t_);
}

std::vector<TensorShape> RescalingImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError("Layer \"" + name() + "\" (Rescaling) expects 1 input, but it received " +
                     std::to_string(input_shapes.size()) + " input tensors");
  check_broadcast(input_shapes[0]);
  return input_shapes;
}

json RescalingImpl::get_config() const {
  json c = base_config();
  c["scale"] = scale_.to_json();
  c["offset"] = offset_.to_json();
  return c;
}

std::shared_ptr<RescalingImpl> RescalingImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  ArrayValue scale = ArrayValue::from_json(r.raw("scale"), r.path("scale"));
  ArrayValue offset = r.has("offset") ? ArrayValue::from_json(r.raw("offset"), r.path("offset")) : ArrayValue(0.0);
  auto layer = std::make_shared<RescalingImpl>(std::move(scale), std::move(offset), r.name());
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(RescalingImpl, "Rescaling");

Rescaling::Rescaling(ArrayValue scale, ArrayValue offset, const std::string& name)
    : Holder<RescalingImpl>(std::make_shared<RescalingImpl>(std::move(scale), std::move(offset), name)) {}

}  // namespace xkeras::layers
