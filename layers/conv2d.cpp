#include "xkeras/layers/conv2d.hpp"

#include "layers/image_layer_utils.hpp"
#include "xkeras/activations.hpp"
#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

namespace {
std::string pair_str(Size2 v) { return "(" + std::to_string(v.h) + ", " + std::to_string(v.w) + ")"; }
}  // namespace

Conv2DImpl::Conv2DImpl(int filters, Size2 kernel_size, Conv2DOptions options)
    : Layer("Conv2D", options.name), filters_(filters), kernel_size_(kernel_size), options_(std::move(options)) {
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
  detail::require_positive(kernel_size_, me, "kernel_size");
  detail::require_positive(options_.strides, me, "strides");
  detail::require_positive(options_.dilation_rate, me, "dilation_rate");
  if (std::max(options_.strides.h, options_.strides.w) > 1 &&
      std::max(options_.dilation_rate.h, options_.dilation_rate.w) > 1)
    throw ValueError(me + ": `strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: strides=" +
                     pair_str(options_.strides) + " and dilation_rate=" + pair_str(options_.dilation_rate));
  options_.padding = ops::standardize_padding(options_.padding, me);
  options_.data_format = detail::standardize_data_format(options_.data_format, me);
  if (options_.activation.empty()) options_.activation = "linear";  // Keras: activation=None is linear
  activations::check(options_.activation);
  if (options_.activity_regularizer)
    throw NotImplementedError(me + ": activity_regularizer is not implemented in xkeras; regularize the weights "
                                   "(kernel_regularizer, bias_regularizer) instead");
  set_input_spec(InputSpec{.ndim = 4});
}

void Conv2DImpl::build(const TensorShape& input_shape) {
  const std::string me = detail::who(*this);
  if (input_shape.size() != 4) incompatible(0, "expected ndim=4, found ndim=" + std::to_string(input_shape.size()), input_shape);
  const Dim channels = input_shape[3];
  if (channels <= 0)
    throw ValueError(me + ": the channel dimension of the inputs should be defined and positive. Found " +
                     (channels < 0 ? std::string("None") : std::to_string(channels)) +
                     ". Full input shape received: " + shape_str(input_shape));
  if (channels % options_.groups != 0)
    throw ValueError(me + ": The number of input channels must be evenly divisible by the number of groups. Received groups=" +
                     std::to_string(options_.groups) + ", but the input has " + std::to_string(channels) +
                     " channels (full input shape is " + shape_str(input_shape) + ")");
  compute_output_shape({input_shape});  // validates that the window fits (Keras does the same)
  const Shape kshape{static_cast<std::size_t>(kernel_size_.h), static_cast<std::size_t>(kernel_size_.w),
                     static_cast<std::size_t>(channels / options_.groups), static_cast<std::size_t>(filters_)};
  kernel_ = add_weight("kernel", kshape, options_.kernel_initializer, true, options_.kernel_regularizer,
                       options_.kernel_constraint);
  if (options_.use_bias)
    bias_ = add_weight("bias", {static_cast<std::size_t>(filters_)}, options_.bias_initializer, true,
                       options_.bias_regularizer, options_.bias_constraint);
  set_input_spec(InputSpec{.ndim = 4, .axes = {{-1, channels}}});
}

Tensor Conv2DImpl::call(const Tensor& x, bool) {
  Tensor y;
  try {
    y = ops::conv2d(x, kernel_->value, bias_ ? bias_->value : Tensor(), options_.strides, options_.padding,
                    options_.dilation_rate, options_.groups);
  } catch (const ValueError& e) {  // e.g. an image smaller than the window: say which layer
    throw ValueError(detail::who(*this) + ": " + e.what());
  }
  return options_.activation == "linear" ? y : activations::apply(options_.activation, y);
}

std::vector<TensorShape> Conv2DImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  const TensorShape& in = detail::single_image_shape(*this, input_shapes);
  const auto& o = options_;
  return {{in[0], detail::spatial_out(in[1], kernel_size_.h, o.strides.h, o.dilation_rate.h, o.padding, *this, in),
           detail::spatial_out(in[2], kernel_size_.w, o.strides.w, o.dilation_rate.w, o.padding, *this, in), filters_}};
}

json Conv2DImpl::get_config() const {
  json c = base_config();
  c["filters"] = filters_;
  c["kernel_size"] = detail::size2_json(kernel_size_);
  c["strides"] = detail::size2_json(options_.strides);
  c["padding"] = options_.padding;
  c["data_format"] = options_.data_format;
  c["dilation_rate"] = detail::size2_json(options_.dilation_rate);
  c["groups"] = options_.groups;
  c["activation"] = options_.activation;
  c["use_bias"] = options_.use_bias;
  c["kernel_initializer"] = options_.kernel_initializer.to_json();
  c["bias_initializer"] = options_.bias_initializer.to_json();
  c["kernel_regularizer"] = options_.kernel_regularizer.to_json();
  c["bias_regularizer"] = options_.bias_regularizer.to_json();
  c["activity_regularizer"] = nullptr;  // Keras's base_conv always writes it
  c["kernel_constraint"] = options_.kernel_constraint.to_json();
  c["bias_constraint"] = options_.bias_constraint.to_json();
  return c;
}

std::shared_ptr<Conv2DImpl> Conv2DImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  // Features Keras has but xkeras does not: refuse rather than load a different model.
  if (r.has("activity_regularizer")) r.fail("activity_regularizer", "activity regularizers are not supported");
  if (r.has("lora_rank")) r.fail("lora_rank", "LoRA convolutions are not supported");
  if (r.has("dora_rank")) r.fail("dora_rank", "DoRA convolutions are not supported");
  if (!r.has("kernel_size")) r.fail("kernel_size", "missing required key");
  Conv2DOptions o;
  o.strides = detail::read_size2(r, "strides", 1);
  o.padding = detail::lower(r.get_string("padding", "valid"));
  if (o.padding != "valid" && o.padding != "same") r.fail("padding", "expected \"valid\" or \"same\", got \"" + o.padding + "\"");
  o.data_format = detail::read_data_format(r);
  o.dilation_rate = detail::read_size2(r, "dilation_rate", 1);
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
  const Size2 kernel_size = detail::read_size2(r, "kernel_size", 1);
  std::shared_ptr<Conv2DImpl> layer;
  try {
    layer = std::make_shared<Conv2DImpl>(filters, kernel_size, std::move(o));
  } catch (const ValueError& e) {  // cross-argument checks (groups, strides with dilation): name the config
    throw ConfigError(path, e.what());
  }
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(Conv2DImpl, "Conv2D");
// Keras exports the same class as Convolution2D.
static const bool xkeras_registered_layer_Convolution2D = register_layer_class<Conv2DImpl>("Convolution2D");

Conv2D::Conv2D(int filters, Size2 kernel_size, Conv2DOptions options)
    : Holder<Conv2DImpl>(std::make_shared<Conv2DImpl>(filters, kernel_size, std::move(options))) {}
Conv2D::Conv2D(int filters, Size2 kernel_size, const char* activation)
    : Conv2D(filters, kernel_size, Conv2DOptions{.activation = activation ? activation : "linear"}) {}

}  // namespace xkeras::layers
