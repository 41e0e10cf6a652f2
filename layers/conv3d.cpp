#include "xkeras/layers/conv3d.hpp"

#include "layers/conv_layer_utils.hpp"
#include "xkeras/activations.hpp"
#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

Conv3DImpl::Conv3DImpl(int filters, Size3 kernel_size, Conv3DOptions options)
    : Layer("Conv3D", options.name), filters_(filters), kernel_size_(kernel_size), options_(std::move(options)) {
  const std::string me = detail::who(*this);
  if (filters_ <= 0)
    throw ValueError(me + ": Invalid value for argument `filters`. Expected a strictly positive value. Received filters=" +
                     std::to_string(filters_));
  if (options_.groups <= 0)
    throw ValueError(me + ": The number of groups must be a positive integer. Received: groups=" +
                     std::to_string(options_.groups));
  if (filters_ % options_.groups != 0)
    throw ValueError(me + ": The number of filters must be evenly divisible by the number of groups. Received: groups=" +
                     std::to_string(options_.groups) + ", filters=" + std::to_string(filters_));
  detail::check_conv3_args(kernel_size_, options_.strides, options_.dilation_rate, me);
  options_.padding = detail::standardize_conv_padding(options_.padding, false, me);
  options_.data_format = detail::standardize_data_format(options_.data_format, me);
  detail::check_activation_and_activity(options_.activation, options_.activity_regularizer, me);
  set_input_spec(InputSpec{.ndim = 5});
}

void Conv3DImpl::build(const TensorShape& input_shape) {
  const std::string me = detail::who(*this);
  if (input_shape.size() != 5) incompatible(0, "expected ndim=5, found ndim=" + std::to_string(input_shape.size()), input_shape);
  const Dim channels = detail::require_channels(input_shape, me);
  if (channels % options_.groups != 0)
    throw ValueError(me + ": The number of input channels must be evenly divisible by the number of groups. Received groups=" +
                     std::to_string(options_.groups) + ", but the input has " + std::to_string(channels) +
                     " channels (full input shape is " + shape_str(input_shape) + ")");
  compute_output_shape({input_shape});  // validates that the window fits
  const auto& k = kernel_size_;
  kernel_ = add_weight("kernel", {std::size_t(k.d), std::size_t(k.h), std::size_t(k.w), std::size_t(channels / options_.groups),
                                  std::size_t(filters_)},
                       options_.kernel_initializer, true, options_.kernel_regularizer, options_.kernel_constraint);
  if (options_.use_bias)
    bias_ = add_weight("bias", {std::size_t(filters_)}, options_.bias_initializer, true, options_.bias_regularizer,
                       options_.bias_constraint);
  set_input_spec(InputSpec{.ndim = 5, .axes = {{-1, channels}}});
}

Tensor Conv3DImpl::call(const Tensor& x, bool) {
  Tensor y;
  try {
    y = ops::conv3d(x, kernel_->value, bias_ ? bias_->value : Tensor(), options_.strides, options_.padding,
                    options_.dilation_rate, options_.groups);
  } catch (const ValueError& e) {
    throw ValueError(detail::who(*this) + ": " + e.what());
  }
  return options_.activation == "linear" ? y : activations::apply(options_.activation, y);
}

std::vector<TensorShape> Conv3DImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  const TensorShape& in = detail::single_shape(*this, input_shapes, 5);
  const auto& o = options_;
  const auto& k = kernel_size_;
  return {{in[0], detail::spatial_out(in[1], k.d, o.strides.d, o.dilation_rate.d, o.padding, *this, in),
           detail::spatial_out(in[2], k.h, o.strides.h, o.dilation_rate.h, o.padding, *this, in),
           detail::spatial_out(in[3], k.w, o.strides.w, o.dilation_rate.w, o.padding, *this, in), filters_}};
}

json Conv3DImpl::get_config() const {
  json c = base_config();
  c["filters"] = filters_;
  c["kernel_size"] = detail::size3_json(kernel_size_);
  c["strides"] = detail::size3_json(options_.strides);
  c["padding"] = options_.padding;
  c["data_format"] = options_.data_format;
  c["dilation_rate"] = detail::size3_json(options_.dilation_rate);
  c["groups"] = options_.groups;
  c["activation"] = options_.activation;
  c["use_bias"] = options_.use_bias;
  c["kernel_initializer"] = options_.kernel_initializer.to_json();
  c["bias_initializer"] = options_.bias_initializer.to_json();
  c["kernel_regularizer"] = options_.kernel_regularizer.to_json();
  c["bias_regularizer"] = options_.bias_regularizer.to_json();
  c["activity_regularizer"] = nullptr;
  c["kernel_constraint"] = options_.kernel_constraint.to_json();
  c["bias_constraint"] = options_.bias_constraint.to_json();
  return c;
}

std::shared_ptr<Conv3DImpl> Conv3DImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  detail::refuse_unsupported_conv_keys(r);
  if (!r.has("kernel_size")) r.fail("kernel_size", "missing required key");
  Conv3DOptions o;
  o.strides = detail::read_size3(r, "strides", 1);
  o.padding = detail::lower(r.get_string("padding", "valid"));
  if (o.padding != "valid" && o.padding != "same") r.fail("padding", "expected \"valid\" or \"same\", got \"" + o.padding + "\"");
  o.data_format = detail::read_data_format(r);
  o.dilation_rate = detail::read_size3(r, "dilation_rate", 1);
  o.groups = r.has("groups") ? r.positive_int("groups") : 1;
  o.activation = r.activation("activation", "linear");
  o.use_bias = r.get_bool("use_bias", true);
  o.kernel_initializer = r.initializer("kernel_initializer", "glorot_uniform");
  o.bias_initializer = r.initializer("bias_initializer", "zeros");
  o.kernel_regularizer = r.regularizer("kernel_regularizer");
  o.bias_regularizer = r.regularizer("bias_regularizer");
  o.kernel_constraint = r.constraint("kernel_constraint");
  o.bias_constraint = r.constraint("bias_constraint");
  o.name = r.name();
  const int filters = r.positive_int("filters");
  const Size3 kernel_size = detail::read_size3(r, "kernel_size", 1);
  auto layer = detail::construct_at(path, [&] { return std::make_shared<Conv3DImpl>(filters, kernel_size, std::move(o)); });
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(Conv3DImpl, "Conv3D");
// Keras exports the same class as Convolution3D.
static const bool xkeras_registered_layer_Convolution3D = register_layer_class<Conv3DImpl>("Convolution3D");

Conv3D::Conv3D(int filters, Size3 kernel_size, Conv3DOptions options)
    : Holder<Conv3DImpl>(std::make_shared<Conv3DImpl>(filters, kernel_size, std::move(options))) {}
Conv3D::Conv3D(int filters, Size3 kernel_size, const char* activation)
    : Conv3D(filters, kernel_size, Conv3DOptions{.activation = activation ? activation : "linear"}) {}

}  // namespace xkeras::layers
