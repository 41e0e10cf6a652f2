// GlobalMaxPooling2D / GlobalAveragePooling2D: max / mean over height and width
// (Keras's BaseGlobalPooling; aliases GlobalMaxPool2D / GlobalAvgPool2D).
#include "layers/image_layer_utils.hpp"
#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/layers/pooling.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

GlobalPooling2DImpl::GlobalPooling2DImpl(std::string class_name, Pooling2DImpl::Mode mode, GlobalPooling2DOptions options)
    : Layer(std::move(class_name), options.name), mode_(mode), options_(std::move(options)) {
  options_.data_format = detail::standardize_data_format(options_.data_format, detail::who(*this));
  set_input_spec(InputSpec{.ndim = 4});
  mark_built();  // Keras builds global pooling layers at construction
}

Tensor GlobalPooling2DImpl::call(const Tensor& x, bool) {
  return mode_ == Pooling2DImpl::Mode::Max ? ops::global_max_pool2d(x, options_.keepdims)
                                           : ops::global_avg_pool2d(x, options_.keepdims);
}

std::vector<TensorShape> GlobalPooling2DImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  const TensorShape& in = detail::single_image_shape(*this, input_shapes);
  if (options_.keepdims) return {{in[0], 1, 1, in[3]}};
  return {{in[0], in[3]}};
}

json GlobalPooling2DImpl::get_config() const {
  json c = base_config();
  c["data_format"] = options_.data_format;
  c["keepdims"] = options_.keepdims;
  return c;
}

GlobalPooling2DOptions GlobalPooling2DImpl::options_from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  GlobalPooling2DOptions o;
  o.data_format = detail::read_data_format(r);
  o.keepdims = r.get_bool("keepdims", false);
  o.name = r.name();
  return o;
}

GlobalMaxPooling2DImpl::GlobalMaxPooling2DImpl(GlobalPooling2DOptions options)
    : GlobalPooling2DImpl("GlobalMaxPooling2D", Pooling2DImpl::Mode::Max, std::move(options)) {}

std::shared_ptr<GlobalMaxPooling2DImpl> GlobalMaxPooling2DImpl::from_config(const json& config, const std::string& path) {
  auto layer = std::make_shared<GlobalMaxPooling2DImpl>(options_from_config(config, path));
  ConfigReader(config, path).apply_base(*layer);
  return layer;
}

GlobalAveragePooling2DImpl::GlobalAveragePooling2DImpl(GlobalPooling2DOptions options)
    : GlobalPooling2DImpl("GlobalAveragePooling2D", Pooling2DImpl::Mode::Average, std::move(options)) {}

std::shared_ptr<GlobalAveragePooling2DImpl> GlobalAveragePooling2DImpl::from_config(const json& config,
                                                                                    const std::string& path) {
  auto layer = std::make_shared<GlobalAveragePooling2DImpl>(options_from_config(config, path));
  ConfigReader(config, path).apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(GlobalMaxPooling2DImpl, "GlobalMaxPooling2D");
XKERAS_REGISTER_LAYER_NAMED(GlobalAveragePooling2DImpl, "GlobalAveragePooling2D");
static const bool xkeras_registered_layer_GlobalMaxPool2D = register_layer_class<GlobalMaxPooling2DImpl>("GlobalMaxPool2D");
static const bool xkeras_registered_layer_GlobalAvgPool2D = register_layer_class<GlobalAveragePooling2DImpl>("GlobalAvgPool2D");

GlobalMaxPooling2D::GlobalMaxPooling2D(GlobalPooling2DOptions options)
    : Holder<GlobalMaxPooling2DImpl>(std::make_shared<GlobalMaxPooling2DImpl>(std::move(options))) {}
GlobalAveragePooling2D::GlobalAveragePooling2D(GlobalPooling2DOptions options)
    : Holder<GlobalAveragePooling2DImpl>(std::make_shared<GlobalAveragePooling2DImpl>(std::move(options))) {}

}  // namespace xkeras::layers
