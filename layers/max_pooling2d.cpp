// MaxPooling2D: max over each pool_size window (Keras's layers.MaxPooling2D, alias MaxPool2D).
#include "xkeras/config.hpp"
#include "xkeras/layers/pooling.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

MaxPooling2DImpl::MaxPooling2DImpl(Size2 pool_size, Pooling2DOptions options)
    : Pooling2DImpl("MaxPooling2D", Mode::Max, pool_size, std::move(options)) {}

std::shared_ptr<MaxPooling2DImpl> MaxPooling2DImpl::from_config(const json& config, const std::string& path) {
  Size2 pool_size = 2;
  Pooling2DOptions o = options_from_config(config, path, pool_size);
  auto layer = std::make_shared<MaxPooling2DImpl>(pool_size, std::move(o));
  ConfigReader(config, path).apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(MaxPooling2DImpl, "MaxPooling2D");
static const bool xkeras_registered_layer_MaxPool2D = register_layer_class<MaxPooling2DImpl>("MaxPool2D");

MaxPooling2D::MaxPooling2D(Size2 pool_size, Pooling2DOptions options)
    : Holder<MaxPooling2DImpl>(std::make_shared<MaxPooling2DImpl>(pool_size, std::move(options))) {}

}  // namespace xkeras::layers
