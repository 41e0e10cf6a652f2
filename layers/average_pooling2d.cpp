// AveragePooling2D: average over each pool_size window (Keras's layers.AveragePooling2D, alias AvgPool2D).
#include "xkeras/config.hpp"
#include "xkeras/layers/pooling.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

AveragePooling2DImpl::AveragePooling2DImpl(Size2 pool_size, Pooling2DOptions options)
    : Pooling2DImpl("AveragePooling2D", Mode::Average, pool_size, std::move(options)) {}

std::shared_ptr<AveragePooling2DImpl> AveragePooling2DImpl::from_config(const json& config, const std::string& path) {
  Size2 pool_size = 2;
  Pooling2DOptions o = options_from_config(config, path, pool_size);
  auto layer = std::make_shared<AveragePooling2DImpl>(pool_size, std::move(o));
  ConfigReader(config, path).apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(AveragePooling2DImpl, "AveragePooling2D");
static const bool xkeras_registered_layer_AvgPool2D = register_layer_class<AveragePooling2DImpl>("AvgPool2D");

AveragePooling2D::AveragePooling2D(Size2 pool_size, Pooling2DOptions options)
    : Holder<AveragePooling2DImpl>(std::make_shared<AveragePooling2DImpl>(pool_size, std::move(options))) {}

}  // namespace xkeras::layers
