#include "xkeras/layers/depthwise_conv1d.hpp"

#include "layers/conv_layer_utils.hpp"
#include "xkeras/activations.hpp"
#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/ops/conv.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

DepthwiseConv1DImpl::DepthwiseConv1DImpl(int kernel_size, DepthwiseConv1DOptions options)
    : Layer("DepthwiseConv1D", options.name), kernel_size_(kernel_size), options_(std::move(options)) {
  const std::string me = detail::who(*this);
  if (options_.depth_multiplier <= 0 || options_.depth_multiplier > (1 << 20))
    throw ValueError(me + ": Invalid value for argument `depth_multiplier`. Expected a strictly positive value (at most "
                          "2^20). Received depth_multiplier=" + std::to_string(options_.depth_multiplier));
  detail::check_conv_args({1, kernel_size_}, {1, options_.strides}, {1, options_.dilation_rate}, me, true);
  options_.padding = detail::standardize_conv_padding(options_.padding, false, me);
  options_.data_format = detail::standardize_data_format(options_.data_format, me);
  detail::check_activation_and_activity(options_.activation, options_.activity_regularizer, me);
  set_input_spec(InputSpec{.ndim = 3});
}

void DepthwiseConv1DImpl::build(const TensorShape& input_shape) {
  if (input_shape.size() != 3) incompatible(0, "expected ndim=3, found ndim=" + std::to_string(input_shape.size()), input_shape);
  const Dim channels = detail::require_channels(input_shape, detail::who(*this));
  compute_output_shape({input_shape});  // validates the window and the channel count
  const auto C = std::size_t(channels), M = std::size_t(options_.depth_multiplier);
  kernel_ = add_weight("kernel", {std::size_t(kernel_size_), C, M},
                       options_.depthwise_initializer, true, options_.depthwise_regularizer, options_.depthwise_constraint);
  if (options_.use_bias)
    bias_ = add_weight("bias", {C * M}, options_.bias_initializer, true, options_.bias_regularizer, options_.bias_constraint);
  set_input_spec(InputSpec{.ndim = 3, .axes = {{-1, channels}}});
}

Tensor DepthwiseConv1DImpl::call(const Tensor& x, bool) {
  Tensor y;
  try {
    y = ops::depthwise_conv1d(x, kernel_->value, bias_ ? bias_->value : Tensor(), options_.strides, options_.padding,
                              options_.dilation_rate);
  } catch (const ValueError& e) {
    throw ValueError(detail::who(*this) + ": " + e.what());
  }
  return options_.activation == "linear" ? y : activations::apply(options_.activation, y);
}

std::vector<TensorShape> DepthwiseConv1DImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  const TensorShape& in = detail::single_shape(*this, input_shapes, 3);
  const auto& o = options_;
  const Dim channels = in[2] < 0 ? None : checked_dim_mul(in[2], o.depth_multiplier, detail::who(*this));
  return {{in[0], detail::spatial_out(in[1], kernel_size_, o.strides, o.dilation_rate, o.padding, *this, in), channels}};
}

json DepthwiseConv1DImpl::get_config() const {
  json c = base_config();
  c["depth_multiplier"] = options_.depth_multiplier;
  c["kernel_size"] = detail::int1_json(kernel_size_);
  c["strides"] = detail::int1_json(options_.strides);
  c["padding"] = options_.padding;
  c["data_format"] = options_.data_format;
  c["dilation_rate"] = detail::int1_json(options_.dilation_rate);
  c["activation"] = options_.activation;
  c["use_bias"] = options_.use_bias;
  c["depthwise_initializer"] = options_.depthwise_initializer.to_json();
  c["bias_initializer"] = options_.bias_initializer.to_json();
  c["depthwise_regularizer"] = options_.depthwise_regularizer.to_json();
  c["bias_regularizer"] = options_.bias_regularizer.to_json();
  c["activity_regularizer"] = nullptr;
  c["depthwise_constraint"] = options_.depthwise_constraint.to_json();
  c["bias_constraint"] = options_.bias_constraint.to_json();
  return c;
}

std::shared_ptr<DepthwiseConv1DImpl> DepthwiseConv1DImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  detail::refuse_unsupported_conv_keys(r);
  if (!r.has("kernel_size")) r.fail("kernel_size", "missing required key");
  // tf.keras writes the Conv1D keys it inherits; groups other than 1 would be another layer.
  if (r.has("groups") && r.get_int("groups", 1) != 1) r.fail("groups", "a depthwise convolution has no groups");
  DepthwiseConv1DOptions o;
  o.strides = detail::read_int1(r, "strides", 1);
  o.padding = detail::lower(r.get_string("padding", "valid"));
  if (o.padding != "valid" && o.padding != "same") r.fail("padding", "expected \"valid\" or \"same\", got \"" + o.padding + "\"");
  o.depth_multiplier = r.has("depth_multiplier") ? r.positive_int("depth_multiplier") : 1;
  if (o.depth_multiplier > (1 << 20)) r.fail("depth_multiplier", "expected at most 2^20, got " + std::to_string(o.depth_multiplier));
  o.data_format = detail::read_data_format(r);
  o.dilation_rate = detail::read_int1(r, "dilation_rate", 1);
  o.activation = r.activation("activation", "linear");
  o.use_bias = r.get_bool("use_bias", true);
  o.depthwise_initializer = r.initializer("depthwise_initializer", "glorot_uniform");
  o.bias_initializer = r.initializer("bias_initializer", "zeros");
  o.depthwise_regularizer = r.regularizer("depthwise_regularizer");
  o.bias_regularizer = r.regularizer("bias_regularizer");
  o.depthwise_constraint = r.constraint("depthwise_constraint");
  o.bias_constraint = r.constraint("bias_constraint");
  o.name = r.name();
  const int kernel_size = detail::read_int1(r, "kernel_size", 1);
  auto layer = detail::construct_at(path, [&] { return std::make_shared<DepthwiseConv1DImpl>(kernel_size, std::move(o)); });
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(DepthwiseConv1DImpl, "DepthwiseConv1D");

DepthwiseConv1D::DepthwiseConv1D(int kernel_size, DepthwiseConv1DOptions options)
    : Holder<DepthwiseConv1DImpl>(std::make_shared<DepthwiseConv1DImpl>(kernel_size, std::move(options))) {}
DepthwiseConv1D::DepthwiseConv1D(int kernel_size, const char* activation)
    : DepthwiseConv1D(kernel_size, DepthwiseConv1DOptions{.activation = activation ? activation : "linear"}) {}

}  // namespace xkeras::layers
