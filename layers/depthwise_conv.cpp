#include "xkeras/layers/depthwise_conv.hpp"

#include "layers/base_conv_impl.hpp"
#include "xkeras/ops/conv.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

namespace {
constexpr const char* kDepthwiseClassName[] = {"", "DepthwiseConv1D", "DepthwiseConv2D"};
}  // namespace

template <int N>
DepthwiseConvNDImpl<N>::DepthwiseConvNDImpl(SpatialSize<N> kernel_size, DepthwiseConvNDOptions<N> options)
    : BaseConvImpl<N, DepthwiseConvNDOptions<N>>(kDepthwiseClassName[N], kernel_size, std::move(options)) {
  detail::check_depth_multiplier(this->options_.depth_multiplier, detail::who(*this));
  this->check_window_args(false);
}

template <int N>
void DepthwiseConvNDImpl<N>::build(const TensorShape& input_shape) {
  const Dim channels = this->input_channels(input_shape);
  compute_output_shape({input_shape});  // validates the window and the channel count
  const auto& o = this->options_;
  const auto C = std::size_t(channels), M = std::size_t(o.depth_multiplier);
  Shape kshape;
  for (int k : SpatialRank<N>::axes(this->kernel_size_)) kshape.push_back(std::size_t(k));
  kshape.push_back(C);
  kshape.push_back(M);
  kernel_ = this->add_weight("kernel", kshape, o.depthwise_initializer, true, o.depthwise_regularizer, o.depthwise_constraint);
  this->finish_build(C * M, channels);
}

template <int N>
Tensor DepthwiseConvNDImpl<N>::call(const Tensor& x, bool) {
  const auto& o = this->options_;
  const Tensor b = this->bias_ ? this->bias_->value : Tensor();
  return this->run([&] {
    if constexpr (N == 1) return ops::depthwise_conv1d(x, kernel_->value, b, o.strides, o.padding, o.dilation_rate);
    if constexpr (N == 2) return ops::depthwise_conv2d(x, kernel_->value, b, o.strides, o.padding, o.dilation_rate);
  });
}

template <int N>
std::vector<TensorShape> DepthwiseConvNDImpl<N>::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  const TensorShape& in = detail::single_shape(*this, input_shapes, N + 2);
  const Dim c = in.back();
  const Dim channels = c < 0 ? None : checked_dim_mul(c, this->options_.depth_multiplier, detail::who(*this));
  return {this->window_output_shape(in, channels, this->options_.padding)};
}

template <int N>
json DepthwiseConvNDImpl<N>::get_config() const {
  const auto& o = this->options_;
  json c = this->base_config();
  c["depth_multiplier"] = o.depth_multiplier;
  this->write_window_keys(c);
  this->write_layout_keys(c);
  this->write_activation_keys(c);
  detail::write_weight_keys(c, {{"depthwise", o.depthwise_initializer, o.depthwise_regularizer, o.depthwise_constraint},
                                {"bias", o.bias_initializer, o.bias_regularizer, o.bias_constraint}});
  return c;
}

template <int N>
std::shared_ptr<DepthwiseConvNDImpl<N>> DepthwiseConvNDImpl<N>::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  // tf.keras writes the ConvND keys it inherits; groups other than 1 would be another layer.
  detail::begin_conv_config(r, "a depthwise convolution has no groups");
  DepthwiseConvNDOptions<N> o;
  detail::read_window_options<N>(r, o, false);
  o.depth_multiplier = detail::read_depth_multiplier(r);
  detail::read_weight_keys(r, "depthwise", "glorot_uniform", o.depthwise_initializer, o.depthwise_regularizer,
                           o.depthwise_constraint);
  const auto kernel_size = detail::read_size<N>(r, "kernel_size", 1);
  return detail::make_from_config(r, path, [&] { return std::make_shared<DepthwiseConvNDImpl>(kernel_size, std::move(o)); });
}

template <int N>
DepthwiseConvND<N>::DepthwiseConvND(SpatialSize<N> kernel_size, DepthwiseConvNDOptions<N> options)
    : Holder<DepthwiseConvNDImpl<N>>(std::make_shared<DepthwiseConvNDImpl<N>>(kernel_size, std::move(options))) {}
template <int N>
DepthwiseConvND<N>::DepthwiseConvND(SpatialSize<N> kernel_size, const char* activation)
    : DepthwiseConvND(kernel_size, DepthwiseConvNDOptions<N>{.activation = activation ? activation : "linear"}) {}

template class DepthwiseConvNDImpl<1>;
template class DepthwiseConvNDImpl<2>;
template class DepthwiseConvND<1>;
template class DepthwiseConvND<2>;

XKERAS_REGISTER_LAYER_NAMED(DepthwiseConv1DImpl, "DepthwiseConv1D");
XKERAS_REGISTER_LAYER_NAMED(DepthwiseConv2DImpl, "DepthwiseConv2D");

}  // namespace xkeras::layers
