#include <algorithm>

#include "layers/image_layer_utils.hpp"
#include "xkeras/layers/activation_layers.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

PReLUImpl::PReLUImpl(PReLUOptions options) : Layer("PReLU", options.name), options_(std::move(options)) {
  for (int a : options_.shared_axes)
    if (a < 1 || a > 64)
      throw ValueError(detail::who(*this) + ": shared_axes must be input axes >= 1 (the batch axis is 0), got " +
                       std::to_string(a));
}

void PReLUImpl::build(const TensorShape& input_shape) {
  if (input_shape.size() < 2)
    incompatible(0, "expected min_ndim=2, found ndim=" + std::to_string(input_shape.size()), input_shape);
  // alpha has the input shape without the batch axis, with size 1 on every shared axis.
  TensorShape param(input_shape.begin() + 1, input_shape.end());
  for (int a : options_.shared_axes) {
    if (static_cast<std::size_t>(a) >= input_shape.size())
      throw ValueError(detail::who(*this) + ": shared axis " + std::to_string(a) + " is out of range for an input of shape " +
                       shape_str(input_shape));
    param[a - 1] = 1;
  }
  InputSpec spec{.ndim = static_cast<int>(input_shape.size())};
  for (std::size_t i = 0; i < param.size(); ++i) {
    if (param[i] <= 0)
      throw ValueError(detail::who(*this) + ": axis " + std::to_string(i + 1) + " of the input shape " +
                       shape_str(input_shape) + " must be known (or listed in shared_axes) to create alpha");
    if (std::find(options_.shared_axes.begin(), options_.shared_axes.end(), int(i + 1)) == options_.shared_axes.end())
      spec.axes[static_cast<int>(i + 1)] = param[i];
  }
  checked_sample_size(param, detail::who(*this), 0);
  alpha_ = add_weight("alpha", Shape(param.begin(), param.end()), options_.alpha_initializer, true,
                      options_.alpha_regularizer, options_.alpha_constraint);
  set_input_spec(spec);
}

// relu(x) - alpha * relu(-x): x where x > 0, alpha * x elsewhere (alpha broadcast over shared axes).
Tensor PReLUImpl::call(const Tensor& x, bool) {
  return ops::sub(ops::relu(x), ops::mul(alpha_->value, ops::relu(ops::neg(x))));
}

std::vector<TensorShape> PReLUImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError(detail::who(*this) + " expects 1 input, but it received " + std::to_string(input_shapes.size()) +
                     " input tensors");
  return input_shapes;
}

json PReLUImpl::get_config() const {
  json c = base_config();
  c["alpha_initializer"] = options_.alpha_initializer.to_json();
  c["alpha_regularizer"] = options_.alpha_regularizer.to_json();
  c["alpha_constraint"] = options_.alpha_constraint.to_json();
  c["shared_axes"] = options_.shared_axes.empty() ? json(nullptr) : int_list_json(options_.shared_axes);
  return c;
}

std::shared_ptr<PReLUImpl> PReLUImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  PReLUOptions o;
  o.alpha_initializer = r.initializer("alpha_initializer", "Zeros");
  o.alpha_regularizer = r.regularizer("alpha_regularizer");
  o.alpha_constraint = r.constraint("alpha_constraint");
  o.shared_axes = r.int_or_list("shared_axes", {});  // Keras turns a single int into a one-element list
  for (int a : o.shared_axes)
    if (a < 1) r.fail("shared_axes", "expected input axes >= 1 (the batch axis is 0), got " + shown(config["shared_axes"]));
  o.name = r.name();
  auto layer = std::make_shared<PReLUImpl>(std::move(o));
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(PReLUImpl, "PReLU");

PReLU::PReLU(PReLUOptions options) : Holder<PReLUImpl>(std::make_shared<PReLUImpl>(std::move(options))) {}

}  // namespace xkeras::layers
