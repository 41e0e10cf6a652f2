#include "xkeras/layers/dense.hpp"

#include "xkeras/activations.hpp"
#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

DenseImpl::DenseImpl(int units, DenseOptions options) : Layer("Dense", options.name), units_(units), options_(std::move(options)) {
  if (units_ <= 0)
    throw ValueError("Layer \"" + name() + "\" (Dense): Received an invalid value for `units`, expected a positive integer. "
                     "Received: units=" + std::to_string(units_));
  if (options_.activation.empty()) options_.activation = "linear";  // Keras: activation=None is linear
  activations::check(options_.activation);
  set_input_spec(InputSpec{.min_ndim = 2});
}

void DenseImpl::build(const TensorShape& input_shape) {
  const Dim input_dim = input_shape.empty() ? None : input_shape.back();
  if (input_dim <= 0)
    throw ValueError("Layer \"" + name() + "\" (Dense): the last dimension of the inputs to a Dense layer should be defined "
                     "and positive. Found " + (input_dim < 0 ? std::string("None") : std::to_string(input_dim)) +
                     ". Full input shape received: " + shape_str(input_shape));
  const auto in = static_cast<std::size_t>(input_dim), out = static_cast<std::size_t>(units_);
  kernel_ = add_weight("kernel", {in, out}, options_.kernel_initializer, true, options_.kernel_regularizer,
                       options_.kernel_constraint);
  if (options_.use_bias)
    bias_ = add_weight("bias", {out}, options_.bias_initializer, true, options_.bias_regularizer, options_.bias_constraint);
  // From now on every input must carry input_dim features (Keras's InputSpec(min_ndim=2, axes={-1: input_dim})).
  set_input_spec(InputSpec{.min_ndim = 2, .axes = {{-1, input_dim}}});
}

Tensor DenseImpl::call(const Tensor& x, bool) {
  const Tensor y = ops::linear(x, kernel_->value, bias_ ? bias_->value : Tensor());
  return options_.activation == "linear" ? y : activations::apply(options_.activation, y);
}

std::vector<TensorShape> DenseImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError("Layer \"" + name() + "\" (Dense) expects 1 input, but it received " +
                     std::to_string(input_shapes.size()) + " input tensors");
  TensorShape out = input_shapes[0];
  if (out.empty()) incompatible(0, "expected min_ndim=2, found ndim=0", out);
  out.back() = units_;
  return {out};
}

json DenseImpl::get_config() const {
  json c = base_config();
  c["units"] = units_;
  c["activation"] = options_.activation;
  c["use_bias"] = options_.use_bias;
  c["kernel_initializer"] = options_.kernel_initializer.to_json();
  c["bias_initializer"] = options_.bias_initializer.to_json();
  c["kernel_regularizer"] = options_.kernel_regularizer.to_json();
  c["bias_regularizer"] = options_.bias_regularizer.to_json();
  c["kernel_constraint"] = options_.kernel_constraint.to_json();
  c["bias_constraint"] = options_.bias_constraint.to_json();
  // Keras >= 3.13 adds "quantization_config": null; we leave it out because Keras 3.0-3.12
  // reject it as an unknown argument, while 3.13+ default it to None.
  return c;
}

std::shared_ptr<DenseImpl> DenseImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  // Features Keras has but xkeras does not: refuse rather than load a different model.
  if (r.has("activity_regularizer")) r.fail("activity_regularizer", "activity regularizers are not supported");
  if (r.has("lora_rank")) r.fail("lora_rank", "LoRA Dense layers are not supported");
  if (r.has("quantization_config")) r.fail("quantization_config", "quantized Dense layers are not supported");
  DenseOptions o;
  o.activation = r.activation("activation", "linear");
  o.use_bias = r.get_bool("use_bias", true);
  o.kernel_initializer = r.initializer("kernel_initializer", "glorot_uniform");
  o.bias_initializer = r.initializer("bias_initializer", "zeros");
  o.kernel_regularizer = r.regularizer("kernel_regularizer");
  o.bias_regularizer = r.regularizer("bias_regularizer");
  o.kernel_constraint = r.constraint("kernel_constraint");
  o.bias_constraint = r.constraint("bias_constraint");
  o.name = r.name();
  auto layer = std::make_shared<DenseImpl>(r.positive_int("units"), std::move(o));
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(DenseImpl, "Dense");

Dense::Dense(int units, DenseOptions options) : Holder<DenseImpl>(std::make_shared<DenseImpl>(units, std::move(options))) {}

}  // namespace xkeras::layers
