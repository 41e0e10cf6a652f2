#include "xkeras/layers/separable_conv.hpp"

#include "layers/base_conv_impl.hpp"
#include "xkeras/ops/conv.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

namespace {
constexpr const char* kSeparableClassName[] = {"", "SeparableConv1D", "SeparableConv2D"};
}  // namespace

template <int N>
SeparableConvNDImpl<N>::SeparableConvNDImpl(int filters, SpatialSize<N> kernel_size, SeparableConvNDOptions<N> options)
    : BaseConvImpl<N, SeparableConvNDOptions<N>>(kSeparableClassName[N], kernel_size, std::move(options)),
      filters_(filters) {
  const std::string me = detail::who(*this);
  detail::check_depth_multiplier(this->options_.depth_multiplier, me);
  detail::check_filters(filters_, me);
  this->check_window_args(false);
}

template <int N>
void SeparableConvNDImpl<N>::build(const TensorShape& input_shape) {
  const Dim channels = this->input_channels(input_shape);
  compute_output_shape({input_shape});  // validates the window
  const auto& o = this->options_;
  const auto C = std::size_t(channels), M = std::size_t(o.depth_multiplier);
  const auto CM = std::size_t(checked_dim_mul(channels, o.depth_multiplier, detail::who(*this)));
  Shape dshape, pshape;
  for (int k : SpatialRank<N>::axes(this->kernel_size_)) {
    dshape.push_back(std::size_t(k));
    pshape.push_back(1);
  }
  dshape.insert(dshape.end(), {C, M});
  pshape.insert(pshape.end(), {CM, std::size_t(filters_)});
  depthwise_ = this->add_weight("depthwise_kernel", dshape, o.depthwise_initializer, true, o.depthwise_regularizer,
                                o.depthwise_constraint);
  pointwise_ = this->add_weight("pointwise_kernel", pshape, o.pointwise_initializer, true, o.pointwise_regularizer,
                                o.pointwise_constraint);
  this->finish_build(std::size_t(filters_), channels);
}

template <int N>
Tensor SeparableConvNDImpl<N>::call(const Tensor& x, bool) {
  const auto& o = this->options_;
  const Tensor b = this->bias_ ? this->bias_->value : Tensor();
  return this->run([&] {
    if constexpr (N == 1)
      return ops::conv1d(ops::depthwise_conv1d(x, depthwise_->value, Tensor(), o.strides, o.padding, o.dilation_rate),
                         pointwise_->value, b);
    if constexpr (N == 2)
      return ops::conv2d(ops::depthwise_conv2d(x, depthwise_->value, Tensor(), o.strides, o.padding, o.dilation_rate),
                         pointwise_->value, b);
  });
}

template <int N>
std::vector<TensorShape> SeparableConvNDImpl<N>::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  const TensorShape& in = detail::single_shape(*this, input_shapes, N + 2);
  return {this->window_output_shape(in, filters_, this->options_.padding)};
}

template <int N>
json SeparableConvNDImpl<N>::get_config() const {
  const auto& o = this->options_;
  json c = this->base_config();
  c["depth_multiplier"] = o.depth_multiplier;
  c["filters"] = filters_;
  this->write_window_keys(c);
  this->write_layout_keys(c);
  this->write_activation_keys(c);
  detail::write_weight_keys(c, {{"depthwise", o.depthwise_initializer, o.depthwise_regularizer, o.depthwise_constraint},
                                {"pointwise", o.pointwise_initializer, o.pointwise_regularizer, o.pointwise_constraint},
                                {"bias", o.bias_initializer, o.bias_regularizer, o.bias_constraint}});
  return c;
}

template <int N>
std::shared_ptr<SeparableConvNDImpl<N>> SeparableConvNDImpl<N>::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  detail::begin_conv_config(r, "a separable convolution has no groups");
  SeparableConvNDOptions<N> o;
  detail::read_window_options<N>(r, o, false);
  o.depth_multiplier = detail::read_depth_multiplier(r);
  detail::read_weight_keys(r, "depthwise", "glorot_uniform", o.depthwise_initializer, o.depthwise_regularizer,
                           o.depthwise_constraint);
  detail::read_weight_keys(r, "pointwise", "glorot_uniform", o.pointwise_initializer, o.pointwise_regularizer,
                           o.pointwise_constraint);
  const int filters = r.positive_int("filters");
  const auto kernel_size = detail::read_size<N>(r, "kernel_size", 1);
  return detail::make_from_config(
      r, path, [&] { return std::make_shared<SeparableConvNDImpl>(filters, kernel_size, std::move(o)); });
}

template class SeparableConvNDImpl<1>;
template class SeparableConvNDImpl<2>;

XKERAS_REGISTER_LAYER_NAMED(SeparableConv1DImpl, "SeparableConv1D");
XKERAS_REGISTER_LAYER_NAMED(SeparableConv2DImpl, "SeparableConv2D");
// Keras exports the same classes as SeparableConvolution1D/2D.
static const bool xkeras_registered_layer_SeparableConvolution1D =
    register_layer_class<SeparableConv1DImpl>("SeparableConvolution1D");
static const bool xkeras_registered_layer_SeparableConvolution2D =
    register_layer_class<SeparableConv2DImpl>("SeparableConvolution2D");

}  // namespace xkeras::layers
