#include "xkeras/layers/conv_transpose.hpp"

#include "layers/base_conv_impl.hpp"
#include "xkeras/ops/conv.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

namespace {
constexpr const char* kConvTransposeClassName[] = {"", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose"};
}  // namespace

template <int N>
ConvNDTransposeImpl<N>::ConvNDTransposeImpl(int filters, SpatialSize<N> kernel_size, ConvNDTransposeOptions<N> options)
    : BaseConvImpl<N, ConvNDTransposeOptions<N>>(kConvTransposeClassName[N], kernel_size, std::move(options)),
      filters_(filters) {
  const std::string me = detail::who(*this);
  detail::check_filters(filters_, me);
  this->check_window_args(false);
  if (const auto& op = this->options_.output_padding) {
    const auto s = SpatialRank<N>::axes(this->options_.strides);
    const auto p = SpatialRank<N>::axes(*op);
    for (int i = 0; i < N; ++i)
      if (p[i] < 0 || p[i] >= s[i])  // Keras's 1-D message shows plain ints
        throw ValueError(me + ": Strides must be greater than output padding (and output padding non-negative). Received "
                              "strides=" + (N == 1 ? std::to_string(s[0]) : detail::size_str<N>(this->options_.strides)) +
                         ", output_padding=" + (N == 1 ? std::to_string(p[0]) : detail::size_str<N>(*op)));
  }
}

template <int N>
void ConvNDTransposeImpl<N>::build(const TensorShape& input_shape) {
  const Dim channels = this->input_channels(input_shape);
  compute_output_shape({input_shape});  // validates the output size
  Shape kshape;
  for (int k : SpatialRank<N>::axes(this->kernel_size_)) kshape.push_back(std::size_t(k));
  kshape.push_back(std::size_t(filters_));
  kshape.push_back(std::size_t(channels));
  const auto& o = this->options_;
  kernel_ = this->add_weight("kernel", kshape, o.kernel_initializer, true, o.kernel_regularizer, o.kernel_constraint);
  this->finish_build(std::size_t(filters_), channels);
}

template <int N>
Tensor ConvNDTransposeImpl<N>::call(const Tensor& x, bool) {
  // An input larger than the one the layer was built for must not upsample past the per-sample limit.
  const Shape xs = x.shape();
  compute_output_shape({TensorShape(xs.begin(), xs.end())});
  const auto& o = this->options_;
  const Tensor b = this->bias_ ? this->bias_->value : Tensor();
  return this->run([&] {
    const Tensor& k = kernel_->value;
    if constexpr (N == 1) return ops::conv1d_transpose(x, k, b, o.strides, o.padding, o.output_padding, o.dilation_rate);
    if constexpr (N == 2) return ops::conv2d_transpose(x, k, b, o.strides, o.padding, o.output_padding, o.dilation_rate);
    if constexpr (N == 3) return ops::conv3d_transpose(x, k, b, o.strides, o.padding, o.output_padding, o.dilation_rate);
  });
}

template <int N>
std::vector<TensorShape> ConvNDTransposeImpl<N>::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  const TensorShape& in = detail::single_shape(*this, input_shapes, N + 2);
  const auto& o = this->options_;
  const auto k = SpatialRank<N>::axes(this->kernel_size_);
  const auto s = SpatialRank<N>::axes(o.strides);
  const auto d = SpatialRank<N>::axes(o.dilation_rate);
  TensorShape out{in[0]};
  std::array<int, N> op;
  op.fill(-1);  // None
  if (o.output_padding) op = SpatialRank<N>::axes(*o.output_padding);
  for (int i = 0; i < N; ++i) out.push_back(detail::transpose_out(in[1 + i], k[i], s[i], d[i], o.padding, op[i], *this));
  out.push_back(filters_);
  checked_sample_size(out, detail::who(*this));  // an upsampled image must stay within the per-sample limit
  return {out};
}

template <int N>
json ConvNDTransposeImpl<N>::get_config() const {
  const auto& o = this->options_;
  json c = this->base_config();
  c["filters"] = filters_;
  this->write_window_keys(c);
  c["output_padding"] = o.output_padding ? detail::size_json<N>(*o.output_padding) : json(nullptr);
  this->write_layout_keys(c);
  this->write_activation_keys(c);
  detail::write_weight_keys(c, {{"kernel", o.kernel_initializer, o.kernel_regularizer, o.kernel_constraint},
                                {"bias", o.bias_initializer, o.bias_regularizer, o.bias_constraint}});
  return c;
}

template <int N>
std::shared_ptr<ConvNDTransposeImpl<N>> ConvNDTransposeImpl<N>::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  // tf.keras writes groups (always 1 for a transposed convolution); anything else is not Keras's layer.
  detail::begin_conv_config(r, "a transposed convolution has no groups");
  ConvNDTransposeOptions<N> o;
  detail::read_window_options<N>(r, o, false);
  if (const auto op = detail::read_output_padding(r, N)) {
    std::array<int, N> a{};
    for (int i = 0; i < N; ++i) a[i] = (*op)[i];
    o.output_padding = SpatialRank<N>::make(a);
  }
  detail::read_weight_keys(r, "kernel", "glorot_uniform", o.kernel_initializer, o.kernel_regularizer, o.kernel_constraint);
  const int filters = r.positive_int("filters");
  const auto kernel_size = detail::read_size<N>(r, "kernel_size", 1);
  return detail::make_from_config(
      r, path, [&] { return std::make_shared<ConvNDTransposeImpl>(filters, kernel_size, std::move(o)); });
}

template class ConvNDTransposeImpl<1>;
template class ConvNDTransposeImpl<2>;
template class ConvNDTransposeImpl<3>;

XKERAS_REGISTER_LAYER_NAMED(Conv1DTransposeImpl, "Conv1DTranspose");
XKERAS_REGISTER_LAYER_NAMED(Conv2DTransposeImpl, "Conv2DTranspose");
XKERAS_REGISTER_LAYER_NAMED(Conv3DTransposeImpl, "Conv3DTranspose");
// Keras exports the same classes as Convolution1D/2D/3DTranspose; Keras 2.x also had Deconvolution2D/3D and
// Deconv2D/3D.
static const bool xkeras_registered_layer_Convolution1DTranspose =
    register_layer_class<Conv1DTransposeImpl>("Convolution1DTranspose");
static const bool xkeras_registered_layer_Convolution2DTranspose =
    register_layer_class<Conv2DTransposeImpl>("Convolution2DTranspose");
static const bool xkeras_registered_layer_Convolution3DTranspose =
    register_layer_class<Conv3DTransposeImpl>("Convolution3DTranspose");
static const bool xkeras_registered_layer_Deconvolution2D = register_layer_class<Conv2DTransposeImpl>("Deconvolution2D");
static const bool xkeras_registered_layer_Deconv2D = register_layer_class<Conv2DTransposeImpl>("Deconv2D");
static const bool xkeras_registered_layer_Deconvolution3D = register_layer_class<Conv3DTransposeImpl>("Deconvolution3D");
static const bool xkeras_registered_layer_Deconv3D = register_layer_class<Conv3DTransposeImpl>("Deconv3D");

}  // namespace xkeras::layers
