#include "xkeras/layers/conv.hpp"

#include "layers/base_conv_impl.hpp"
#include "xkeras/ops/conv.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

namespace {
constexpr const char* kConvClassName[] = {"", "Conv1D", "Conv2D", "Conv3D"};
}  // namespace

template <int N>
ConvNDImpl<N>::ConvNDImpl(int filters, SpatialSize<N> kernel_size, ConvNDOptions<N> options)
    : BaseConvImpl<N, ConvNDOptions<N>>(kConvClassName[N], kernel_size, std::move(options)), filters_(filters) {
  const std::string me = detail::who(*this);
  const int groups = this->options_.groups;
  detail::check_filters(filters_, me);
  if (groups <= 0)
    throw ValueError(me + ": The number of groups must be a positive integer. Received: groups=" + std::to_string(groups));
  if (filters_ % groups != 0)
    throw ValueError(me + ": The number of filters must be evenly divisible by the number of groups. Received: groups=" +
                     std::to_string(groups) + ", filters=" + std::to_string(filters_));
  this->check_window_args(N == 1);  // Conv1D alone has "causal"
}

template <int N>
void ConvNDImpl<N>::build(const TensorShape& input_shape) {
  const Dim channels = this->input_channels(input_shape);
  const int groups = this->options_.groups;
  if (channels % groups != 0)
    throw ValueError(detail::who(*this) +
                     ": The number of input channels must be evenly divisible by the number of groups. Received groups=" +
                     std::to_string(groups) + ", but the input has " + std::to_string(channels) +
                     " channels (full input shape is " + shape_str(input_shape) + ")");
  compute_output_shape({input_shape});  // validates that the window fits (Keras does the same)
  Shape kshape;
  for (int k : SpatialRank<N>::axes(this->kernel_size_)) kshape.push_back(std::size_t(k));
  kshape.push_back(std::size_t(channels / groups));
  kshape.push_back(std::size_t(filters_));
  const auto& o = this->options_;
  kernel_ = this->add_weight("kernel", kshape, o.kernel_initializer, true, o.kernel_regularizer, o.kernel_constraint);
  this->finish_build(std::size_t(filters_), channels);
}

template <int N>
Tensor ConvNDImpl<N>::call(const Tensor& x, bool) {
  const auto& o = this->options_;
  const Tensor b = this->bias_ ? this->bias_->value : Tensor();
  return this->run([&] {
    if constexpr (N == 1) return ops::conv1d(x, kernel_->value, b, o.strides, o.padding, o.dilation_rate, o.groups);
    if constexpr (N == 2) return ops::conv2d(x, kernel_->value, b, o.strides, o.padding, o.dilation_rate, o.groups);
    if constexpr (N == 3) return ops::conv3d(x, kernel_->value, b, o.strides, o.padding, o.dilation_rate, o.groups);
  });
}

template <int N>
std::vector<TensorShape> ConvNDImpl<N>::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  const TensorShape& in = detail::single_shape(*this, input_shapes, N + 2);
  // causal has "same"'s length: ceil(steps / strides)
  const std::string& p = this->options_.padding;
  return {this->window_output_shape(in, filters_, p == "causal" ? std::string("same") : p)};
}

template <int N>
json ConvNDImpl<N>::get_config() const {
  const auto& o = this->options_;
  json c = this->base_config();
  c["filters"] = filters_;
  this->write_window_keys(c);
  this->write_layout_keys(c);
  c["groups"] = o.groups;
  this->write_activation_keys(c);
  detail::write_weight_keys(c, {{"kernel", o.kernel_initializer, o.kernel_regularizer, o.kernel_constraint},
                                {"bias", o.bias_initializer, o.bias_regularizer, o.bias_constraint}});
  return c;
}

template <int N>
std::shared_ptr<ConvNDImpl<N>> ConvNDImpl<N>::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  detail::begin_conv_config(r);
  ConvNDOptions<N> o;
  detail::read_window_options<N>(r, o, N == 1);
  o.groups = r.has("groups") ? r.positive_int("groups") : 1;
  detail::read_weight_keys(r, "kernel", "glorot_uniform", o.kernel_initializer, o.kernel_regularizer, o.kernel_constraint);
  const int filters = r.positive_int("filters");
  const auto kernel_size = detail::read_size<N>(r, "kernel_size", 1);
  return detail::make_from_config(r, path, [&] { return std::make_shared<ConvNDImpl>(filters, kernel_size, std::move(o)); });
}

template class ConvNDImpl<1>;
template class ConvNDImpl<2>;
template class ConvNDImpl<3>;

XKERAS_REGISTER_LAYER_NAMED(Conv1DImpl, "Conv1D");
XKERAS_REGISTER_LAYER_NAMED(Conv2DImpl, "Conv2D");
XKERAS_REGISTER_LAYER_NAMED(Conv3DImpl, "Conv3D");
// Keras exports the same classes as Convolution1D/2D/3D.
static const bool xkeras_registered_layer_Convolution1D = register_layer_class<Conv1DImpl>("Convolution1D");
static const bool xkeras_registered_layer_Convolution2D = register_layer_class<Conv2DImpl>("Convolution2D");
static const bool xkeras_registered_layer_Convolution3D = register_layer_class<Conv3DImpl>("Convolution3D");

}  // namespace xkeras::layers
