// What the 1-D and 3-D poolings share (Keras's BasePooling and BaseGlobalPooling for any number
// of spatial axes). The 2-D layers keep their own Size2 classes (pooling_base.cpp).
#include "layers/image_layer_utils.hpp"
#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/layers/pooling_nd.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/ops/sequence.hpp"

namespace xkeras::layers {

namespace {
std::string tuple_str(const std::vector<int>& v) {
  std::string s = "(";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + (v.size() == 1 ? ",)" : ")");
}

// Keras's standardize_tuple: every value must be positive (and bounded so index arithmetic cannot overflow).
void require_positive(const std::vector<int>& v, const std::string& who, const char* what) {
  for (int x : v)
    if (x <= 0 || x > (1 << 24))
      throw ValueError(who + ": the `" + what + "` argument must be a tuple of " + std::to_string(v.size()) +
                       " positive integers. Received: " + what + "=" + tuple_str(v));
}

// The ndim=axes+2 input shape compute_output_shape receives.
const TensorShape& single_shape(const Layer& layer, const std::vector<TensorShape>& shapes, std::size_t axes) {
  if (shapes.size() != 1)
    throw ValueError(detail::who(layer) + " expects 1 input, but it received " + std::to_string(shapes.size()) +
                     " input tensors");
  if (shapes[0].size() != axes + 2)
    layer.incompatible(0, "expected ndim=" + std::to_string(axes + 2) + ", found ndim=" + std::to_string(shapes[0].size()),
                       shapes[0]);
  return shapes[0];
}
}  // namespace

PoolingNDImpl::PoolingNDImpl(std::string class_name, Mode mode, std::vector<int> pool_size, std::vector<int> strides,
                             const std::string& padding, const std::string& data_format, const std::string& name)
    : Layer(std::move(class_name), name), mode_(mode), pool_size_(std::move(pool_size)),
      strides_(strides.empty() ? pool_size_ : std::move(strides)) {
  const std::string me = detail::who(*this);
  require_positive(pool_size_, me, "pool_size");
  require_positive(strides_, me, "strides");
  padding_ = ops::standardize_padding(padding, me);
  data_format_ = detail::standardize_data_format(data_format, me);
  set_input_spec(InputSpec{.ndim = static_cast<int>(pool_size_.size()) + 2});
  mark_built();  // Keras builds pooling layers at construction: no weights, no build_config
}

Tensor PoolingNDImpl::call(const Tensor& x, bool) {
  try {
    return mode_ == Mode::Max ? ops::max_pool(x, pool_size_, strides_, padding_)
                              : ops::avg_pool(x, pool_size_, strides_, padding_);
  } catch (const ValueError& e) {  // e.g. a sequence shorter than the window: say which layer
    throw ValueError(detail::who(*this) + ": " + e.what());
  }
}

std::vector<TensorShape> PoolingNDImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  const TensorShape& in = single_shape(*this, input_shapes, pool_size_.size());
  TensorShape out = in;
  for (std::size_t a = 0; a < pool_size_.size(); ++a)
    out[1 + a] = detail::spatial_out(in[1 + a], pool_size_[a], strides_[a], 1, padding_, *this, in);
  return {out};
}

json PoolingNDImpl::get_config() const {
  json c = base_config();
  c["pool_size"] = pool_size_;
  c["padding"] = padding_;
  c["strides"] = strides_;
  c["data_format"] = data_format_;
  return c;
}

PoolingNDImpl::ConfigArgs PoolingNDImpl::args_from_config(const json& config, const std::string& path, std::size_t axes) {
  ConfigReader r(config, path);
  ConfigArgs a;
  a.pool_size = r.int_tuple("pool_size", axes, std::vector<int>(axes, 2));
  if (r.has("strides")) a.strides = r.int_tuple("strides", axes, a.pool_size);  // null: the pool size
  a.padding = detail::lower(r.get_string("padding", "valid"));
  if (a.padding != "valid" && a.padding != "same") r.fail("padding", "expected \"valid\" or \"same\", got \"" + a.padding + "\"");
  a.data_format = detail::read_data_format(r);
  a.name = r.name();
  return a;
}

// ---- global pooling ---------------------------------------------------------------------------

GlobalPoolingNDImpl::GlobalPoolingNDImpl(std::string class_name, Pooling2DImpl::Mode mode, std::size_t axes,
                                         GlobalPooling2DOptions options)
    : Layer(std::move(class_name), options.name), mode_(mode), axes_(axes), options_(std::move(options)) {
  options_.data_format = detail::standardize_data_format(options_.data_format, detail::who(*this));
  set_input_spec(InputSpec{.ndim = static_cast<int>(axes_) + 2});
  mark_built();  // Keras builds global pooling layers at construction
}

Tensor GlobalPoolingNDImpl::call(const Tensor& x, bool) {
  try {
    return mode_ == Pooling2DImpl::Mode::Max ? ops::global_max_pool(x, options_.keepdims)
                                             : ops::global_avg_pool(x, options_.keepdims);
  } catch (const ValueError& e) {  // an empty sequence: say which layer
    throw ValueError(detail::who(*this) + ": " + e.what());
  }
}

// Keras 3's masked mean: sum(where(mask, x, 0), steps) / sum(mask, steps) per sample and channel.
Tensors GlobalPoolingNDImpl::call_args(const Tensors& xs, const CallArgs& args) {
  const bool masked = xs.size() == 1 && !args.masks.empty() && args.masks[0].defined();
  if (!masked || mode_ != Pooling2DImpl::Mode::Average || axes_ != 1) return Layer::call_args(xs, args);
  const Tensor& x = xs[0];
  const Tensor& m = args.masks[0];
  const Shape s = x.shape();
  if (s.size() != 3 || m.shape() != Shape{s[0], s[1]})
    throw ValueError(detail::who(*this) + ": expected a (batch, steps) mask for inputs of shape " + shape_str(s) +
                     ", received a mask of shape " + shape_str(m.shape()));
  Array keep = Array::from_shape({s[0], s[1], 1});
  for (std::size_t i = 0, n = keep.size(); i < n; ++i) keep.data()[i] = m.data()[i] != 0.0f ? 1.0f : 0.0f;
  const Tensor k(std::move(keep));
  const Tensor total = ops::sum(ops::where(k, x, Tensor::scalar(0.0f)), {1}, options_.keepdims);
  return {ops::div(total, ops::sum(k, {1}, options_.keepdims))};
}

std::vector<TensorShape> GlobalPoolingNDImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  const TensorShape& in = single_shape(*this, input_shapes, axes_);
  if (!options_.keepdims) return {{in[0], in.back()}};
  TensorShape out(in.size(), 1);
  out.front() = in.front();
  out.back() = in.back();
  return {out};
}

json GlobalPoolingNDImpl::get_config() const {
  json c = base_config();
  c["data_format"] = options_.data_format;
  c["keepdims"] = options_.keepdims;
  return c;
}

GlobalPooling2DOptions GlobalPoolingNDImpl::options_from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  GlobalPooling2DOptions o;
  o.data_format = detail::read_data_format(r);
  o.keepdims = r.get_bool("keepdims", false);  // absent in tf.keras 2.2.4-tf files
  o.name = r.name();
  return o;
}

}  // namespace xkeras::layers
