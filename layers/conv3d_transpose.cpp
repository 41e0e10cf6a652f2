#include "xkeras/layers/conv3d_transpose.hpp"

#include "layers/conv_layer_utils.hpp"
#include "xkeras/activations.hpp"
#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/ops/conv.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

Conv3DTransposeImpl::Conv3DTransposeImpl(int filters, Size3 kernel_size, Conv3DTransposeOptions options)
    : Layer("Conv3DTranspose", options.name), filters_(filters), kernel_size_(kernel_size), options_(std::move(options)) {
  const std::string me = detail::who(*this);
  if (filters_ <= 0)
    throw ValueError(me + ": Invalid value for argument `filters`. Expected a strictly positive value. Received filters=" +
                     std::to_string(filters_));
  detail::check_conv3_args(kernel_size_, options_.strides, options_.dilation_rate, me);
  if (const auto& op = options_.output_padding) {
    const auto& s = options_.strides;
    if (std::min({op->d, op->h, op->w}) < 0 || op->d >= s.d || op->h >= s.h || op->w >= s.w)
      throw ValueError(me + ": Strides must be greater than output padding (and output padding non-negative). Received "
                            "strides=" + detail::triple_str(s) + ", output_padding=" + detail::triple_str(*op));
  }
  options_.padding = detail::standardize_conv_padding(options_.padding, false, me);
  options_.data_format = detail::standardize_data_format(options_.data_format, me);
  detail::check_activation_and_activity(options_.activation, options_.activity_regularizer, me);
  set_input_spec(InputSpec{.ndim = 5});
}

void Conv3DTransposeImpl::build(const TensorShape& input_shape) {
  if (input_shape.size() != 5) incompatible(0, "expected ndim=5, found ndim=" + std::to_string(input_shape.size()), input_shape);
  const Dim channels = detail::require_channels(input_shape, detail::who(*this));
  compute_output_shape({input_shape});  // validates the output size
  kernel_ = add_weight("kernel",
                       {std::size_t(kernel_size_.d), std::size_t(kernel_size_.h), std::size_t(kernel_size_.w), std::size_t(filters_),
                        std::size_t(channels)},
                       options_.kernel_initializer, true, options_.kernel_regularizer, options_.kernel_constraint);
  if (options_.use_bias)
    bias_ = add_weight("bias", {std::size_t(filters_)}, options_.bias_initializer, true, options_.bias_regularizer,
                       options_.bias_constraint);
  set_input_spec(InputSpec{.ndim = 5, .axes = {{-1, channels}}});
}

Tensor Conv3DTransposeImpl::call(const Tensor& x, bool) {
  // An input larger than the one the layer was built for must not upsample past the per-sample limit.
  const Shape xs = x.shape();
  compute_output_shape({TensorShape(xs.begin(), xs.end())});
  Tensor y;
  try {
    y = ops::conv3d_transpose(x, kernel_->value, bias_ ? bias_->value : Tensor(), options_.strides, options_.padding,
                              options_.output_padding, options_.dilation_rate);
  } catch (const ValueError& e) {
    throw ValueError(detail::who(*this) + ": " + e.what());
  }
  return options_.activation == "linear" ? y : activations::apply(options_.activation, y);
}

std::vector<TensorShape> Conv3DTransposeImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  const TensorShape& in = detail::single_shape(*this, input_shapes, 5);
  const auto& o = options_;
  auto axis = [&](Dim n, int k, int s, int d, int Size3::*a) {
    const auto op = o.output_padding ? std::optional<int>((*o.output_padding).*a) : std::nullopt;
    return detail::transpose_out(n, k, s, d, o.padding, op, *this);
  };
  const Dim d = axis(in[1], kernel_size_.d, o.strides.d, o.dilation_rate.d, &Size3::d);
  const Dim h = axis(in[2], kernel_size_.h, o.strides.h, o.dilation_rate.h, &Size3::h);
  const Dim w = axis(in[3], kernel_size_.w, o.strides.w, o.dilation_rate.w, &Size3::w);
  const TensorShape out{in[0], d, h, w, filters_};
  checked_sample_size(out, detail::who(*this));  // an upsampled image must stay within the per-sample limit
  return {out};
}

json Conv3DTransposeImpl::get_config() const {
  json c = base_config();
  c["filters"] = filters_;
  c["kernel_size"] = detail::size3_json(kernel_size_);
  c["strides"] = detail::size3_json(options_.strides);
  c["padding"] = options_.padding;
  c["output_padding"] = options_.output_padding ? detail::size3_json(*options_.output_padding) : json(nullptr);
  c["data_format"] = options_.data_format;
  c["dilation_rate"] = detail::size3_json(options_.dilation_rate);
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

std::shared_ptr<Conv3DTransposeImpl> Conv3DTransposeImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  detail::refuse_unsupported_conv_keys(r);
  if (!r.has("kernel_size")) r.fail("kernel_size", "missing required key");
  // tf.keras writes groups (always 1 for a transposed convolution); anything else is not Keras's layer.
  if (r.has("groups") && r.get_int("groups", 1) != 1) r.fail("groups", "a transposed convolution has no groups");
  Conv3DTransposeOptions o;
  o.strides = detail::read_size3(r, "strides", 1);
  o.padding = detail::lower(r.get_string("padding", "valid"));
  if (o.padding != "valid" && o.padding != "same") r.fail("padding", "expected \"valid\" or \"same\", got \"" + o.padding + "\"");
  if (const auto op = detail::read_output_padding(r, 3)) o.output_padding = Size3((*op)[0], (*op)[1], (*op)[2]);
  o.data_format = detail::read_data_format(r);
  o.dilation_rate = detail::read_size3(r, "dilation_rate", 1);  // TFJS omits it: 1
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
  auto layer = detail::construct_at(
      path, [&] { return std::make_shared<Conv3DTransposeImpl>(filters, kernel_size, std::move(o)); });
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(Conv3DTransposeImpl, "Conv3DTranspose");
// Keras exports the same class as Convolution3DTranspose; Keras 2.x also had Deconvolution3D and Deconv3D.
static const bool xkeras_registered_layer_Convolution3DTranspose =
    register_layer_class<Conv3DTransposeImpl>("Convolution3DTranspose");
static const bool xkeras_registered_layer_Deconvolution3D = register_layer_class<Conv3DTransposeImpl>("Deconvolution3D");
static const bool xkeras_registered_layer_Deconv3D = register_layer_class<Conv3DTransposeImpl>("Deconv3D");

Conv3DTranspose::Conv3DTranspose(int filters, Size3 kernel_size, Conv3DTransposeOptions options)
    : Holder<Conv3DTransposeImpl>(std::make_shared<Conv3DTransposeImpl>(filters, kernel_size, std::move(options))) {}
Conv3DTranspose::Conv3DTranspose(int filters, Size3 kernel_size, const char* activation)
    : Conv3DTranspose(filters, kernel_size, Conv3DTransposeOptions{.activation = activation ? activation : "linear"}) {}

}  // namespace xkeras::layers
