#include "xkeras/layers/conv1d_transpose.hpp"

#include "layers/conv_layer_utils.hpp"
#include "xkeras/activations.hpp"
#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/ops/conv.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

Conv1DTransposeImpl::Conv1DTransposeImpl(int filters, int kernel_size, Conv1DTransposeOptions options)
    : Layer("Conv1DTranspose", options.name), filters_(filters), kernel_size_(kernel_size), options_(std::move(options)) {
  const std::string me = detail::who(*this);
  if (filters_ <= 0)
    throw ValueError(me + ": Invalid value for argument `filters`. Expected a strictly positive value. Received filters=" +
                     std::to_string(filters_));
  detail::check_conv_args({1, kernel_size_}, {1, options_.strides}, {1, options_.dilation_rate}, me, true);
  if (const auto& op = options_.output_padding)
    if (*op < 0 || *op >= options_.strides)
      throw ValueError(me + ": Strides must be greater than output padding (and output padding non-negative). Received "
                            "strides=" + std::to_string(options_.strides) + ", output_padding=" + std::to_string(*op));
  options_.padding = detail::standardize_conv_padding(options_.padding, false, me);
  options_.data_format = detail::standardize_data_format(options_.data_format, me);
  detail::check_activation_and_activity(options_.activation, options_.activity_regularizer, me);
  set_input_spec(InputSpec{.ndim = 3});
}

void Conv1DTransposeImpl::build(const TensorShape& input_shape) {
  if (input_shape.size() != 3) incompatible(0, "expected ndim=3, found ndim=" + std::to_string(input_shape.size()), input_shape);
  const Dim channels = detail::require_channels(input_shape, detail::who(*this));
  compute_output_shape({input_shape});  // validates the output size
  kernel_ = add_weight("kernel", {std::size_t(kernel_size_), std::size_t(filters_), std::size_t(channels)},
                       options_.kernel_initializer, true, options_.kernel_regularizer, options_.kernel_constraint);
  if (options_.use_bias)
    bias_ = add_weight("bias", {std::size_t(filters_)}, options_.bias_initializer, true, options_.bias_regularizer,
                       options_.bias_constraint);
  set_input_spec(InputSpec{.ndim = 3, .axes = {{-1, channels}}});
}

Tensor Conv1DTransposeImpl::call(const Tensor& x, bool) {
  // An input larger than the one the layer was built for must not upsample past the per-sample limit.
  const Shape xs = x.shape();
  compute_output_shape({TensorShape(xs.begin(), xs.end())});
  Tensor y;
  try {
    y = ops::conv1d_transpose(x, kernel_->value, bias_ ? bias_->value : Tensor(), options_.strides, options_.padding,
                              options_.output_padding, options_.dilation_rate);
  } catch (const ValueError& e) {
    throw ValueError(detail::who(*this) + ": " + e.what());
  }
  return options_.activation == "linear" ? y : activations::apply(options_.activation, y);
}

std::vector<TensorShape> Conv1DTransposeImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  const TensorShape& in = detail::single_shape(*this, input_shapes, 3);
  const auto& o = options_;
  const TensorShape out{in[0], detail::transpose_out(in[1], kernel_size_, o.strides, o.dilation_rate, o.padding,
                                                     o.output_padding, *this),
                        filters_};
  checked_sample_size(out, detail::who(*this));
  return {out};
}

json Conv1DTransposeImpl::get_config() const {
  json c = base_config();
  c["filters"] = filters_;
  c["kernel_size"] = detail::int1_json(kernel_size_);
  c["strides"] = detail::int1_json(options_.strides);
  c["padding"] = options_.padding;
  c["output_padding"] = options_.output_padding ? detail::int1_json(*options_.output_padding) : json(nullptr);
  c["data_format"] = options_.data_format;
  c["dilation_rate"] = detail::int1_json(options_.dilation_rate);
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

std::shared_ptr<Conv1DTransposeImpl> Conv1DTransposeImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  detail::refuse_unsupported_conv_keys(r);
  if (!r.has("kernel_size")) r.fail("kernel_size", "missing required key");
  if (r.has("groups") && r.get_int("groups", 1) != 1) r.fail("groups", "a transposed convolution has no groups");
  Conv1DTransposeOptions o;
  o.strides = detail::read_int1(r, "strides", 1);
  o.padding = detail::lower(r.get_string("padding", "valid"));
  if (o.padding != "valid" && o.padding != "same") r.fail("padding", "expected \"valid\" or \"same\", got \"" + o.padding + "\"");
  if (const auto op = detail::read_output_padding(r, 1)) o.output_padding = (*op)[0];
  o.data_format = detail::read_data_format(r);
  o.dilation_rate = detail::read_int1(r, "dilation_rate", 1);
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
  const int kernel_size = detail::read_int1(r, "kernel_size", 1);
  auto layer = detail::construct_at(
      path, [&] { return std::make_shared<Conv1DTransposeImpl>(filters, kernel_size, std::move(o)); });
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(Conv1DTransposeImpl, "Conv1DTranspose");
// Keras exports the same class as Convolution1DTranspose.
static const bool xkeras_registered_layer_Convolution1DTranspose =
    register_layer_class<Conv1DTransposeImpl>("Convolution1DTranspose");

Conv1DTranspose::Conv1DTranspose(int filters, int kernel_size, Conv1DTransposeOptions options)
    : Holder<Conv1DTransposeImpl>(std::make_shared<Conv1DTransposeImpl>(filters, kernel_size, std::move(options))) {}
Conv1DTranspose::Conv1DTranspose(int filters, int kernel_size, const char* activation)
    : Conv1DTranspose(filters, kernel_size, Conv1DTransposeOptions{.activation = activation ? activation : "linear"}) {}

}  // namespace xkeras::layers
