// What MaxPooling2D and AveragePooling2D share (Keras's BasePooling).
#include "layers/image_layer_utils.hpp"
#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/layers/pooling.hpp"

namespace xkeras::layers {

Pooling2DImpl::Pooling2DImpl(std::string class_name, Mode mode, Size2 pool_size, Pooling2DOptions options)
    : Layer(std::move(class_name), options.name), mode_(mode), pool_size_(pool_size),
      strides_(options.strides ? *options.strides : pool_size) {
  const std::string me = detail::who(*this);
  detail::require_positive(pool_size_, me, "pool_size");
  detail::require_positive(strides_, me, "strides");
  padding_ = ops::standardize_padding(options.padding, me);
  data_format_ = detail::standardize_data_format(options.data_format, me);
  set_input_spec(InputSpec{.ndim = 4});
  mark_built();  // Keras builds pooling layers at construction: no weights, no build_config
}

Tensor Pooling2DImpl::call(const Tensor& x, bool) {
  try {
    return mode_ == Mode::Max ? ops::max_pool2d(x, pool_size_, strides_, padding_)
                              : ops::avg_pool2d(x, pool_size_, strides_, padding_);
  } catch (const ValueError& e) {  // e.g. an image smaller than the window: say which layer
    throw ValueError(detail::who(*this) + ": " + e.what());
  }
}

std::vector<TensorShape> Pooling2DImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  const TensorShape& in = detail::single_image_shape(*this, input_shapes);
  return {{in[0], detail::spatial_out(in[1], pool_size_.h, strides_.h, 1, padding_, *this, in),
           detail::spatial_out(in[2], pool_size_.w, strides_.w, 1, padding_, *this, in), in[3]}};
}

json Pooling2DImpl::get_config() const {
  json c = base_config();
  c["pool_size"] = detail::size2_json(pool_size_);
  c["padding"] = padding_;
  c["strides"] = detail::size2_json(strides_);
  c["data_format"] = data_format_;
  return c;
}

Pooling2DOptions Pooling2DImpl::options_from_config(const json& config, const std::string& path, Size2& pool_size) {
  ConfigReader r(config, path);
  pool_size = detail::read_size2(r, "pool_size", 2);
  Pooling2DOptions o;
  if (r.has("strides")) o.strides = detail::read_size2(r, "strides", pool_size);
  o.padding = detail::lower(r.get_string("padding", "valid"));
  if (o.padding != "valid" && o.padding != "same") r.fail("padding", "expected \"valid\" or \"same\", got \"" + o.padding + "\"");
  o.data_format = detail::read_data_format(r);
  o.name = r.name();
  return o;
}

}  // namespace xkeras::layers
