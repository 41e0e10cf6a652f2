// MaxPooling3D / AveragePooling3D (aliases MaxPool3D / AvgPool3D) over the (depth, height, width) of
// (batch, d, h, w, channels), and GlobalMaxPooling3D / GlobalAveragePooling3D (GlobalMaxPool3D / GlobalAvgPool3D).
#include "xkeras/config.hpp"
#include "xkeras/layers/pooling_nd.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

namespace {
std::vector<int> three(const OptionalSize3& v) { return v ? (*v).list() : std::vector<int>{}; }
Size3 size3(const std::vector<int>& v) { return Size3(v[0], v[1], v[2]); }
}  // namespace

MaxPooling3DImpl::MaxPooling3DImpl(Size3 pool_size, Pooling3DOptions o)
    : PoolingNDImpl("MaxPooling3D", Mode::Max, pool_size.list(), three(o.strides), o.padding, o.data_format, o.name) {}

AveragePooling3DImpl::AveragePooling3DImpl(Size3 pool_size, Pooling3DOptions o)
    : PoolingNDImpl("AveragePooling3D", Mode::Average, pool_size.list(), three(o.strides), o.padding, o.data_format, o.name) {}

std::shared_ptr<MaxPooling3DImpl> MaxPooling3DImpl::from_config(const json& config, const std::string& path) {
  auto a = args_from_config(config, path, 3);
  auto layer = std::make_shared<MaxPooling3DImpl>(
      size3(a.pool_size), Pooling3DOptions{size3(a.strides.empty() ? a.pool_size : a.strides), a.padding, a.data_format, a.name});
  ConfigReader(config, path).apply_base(*layer);
  return layer;
}

std::shared_ptr<AveragePooling3DImpl> AveragePooling3DImpl::from_config(const json& config, const std::string& path) {
  auto a = args_from_config(config, path, 3);
  auto layer = std::make_shared<AveragePooling3DImpl>(
      size3(a.pool_size), Pooling3DOptions{size3(a.strides.empty() ? a.pool_size : a.strides), a.padding, a.data_format, a.name});
  ConfigReader(config, path).apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(MaxPooling3DImpl, "MaxPooling3D");
XKERAS_REGISTER_LAYER_NAMED(AveragePooling3DImpl, "AveragePooling3D");
static const bool xkeras_registered_layer_MaxPool3D = register_layer_class<MaxPooling3DImpl>("MaxPool3D");
static const bool xkeras_registered_layer_AvgPool3D = register_layer_class<AveragePooling3DImpl>("AvgPool3D");

MaxPooling3D::MaxPooling3D(Size3 pool_size, Pooling3DOptions options)
    : Holder<MaxPooling3DImpl>(std::make_shared<MaxPooling3DImpl>(pool_size, std::move(options))) {}
AveragePooling3D::AveragePooling3D(Size3 pool_size, Pooling3DOptions options)
    : Holder<AveragePooling3DImpl>(std::make_shared<AveragePooling3DImpl>(pool_size, std::move(options))) {}

// ---- global ---------------------------------------------------------------------------------

GlobalMaxPooling3DImpl::GlobalMaxPooling3DImpl(GlobalPooling2DOptions options)
    : GlobalPoolingNDImpl("GlobalMaxPooling3D", Pooling2DImpl::Mode::Max, 3, std::move(options)) {}
GlobalAveragePooling3DImpl::GlobalAveragePooling3DImpl(GlobalPooling2DOptions options)
    : GlobalPoolingNDImpl("GlobalAveragePooling3D", Pooling2DImpl::Mode::Average, 3, std::move(options)) {}

std::shared_ptr<GlobalMaxPooling3DImpl> GlobalMaxPooling3DImpl::from_config(const json& config, const std::string& path) {
  auto layer = std::make_shared<GlobalMaxPooling3DImpl>(options_from_config(config, path));
  ConfigReader(config, path).apply_base(*layer);
  return layer;
}
std::shared_ptr<GlobalAveragePooling3DImpl> GlobalAveragePooling3DImpl::from_config(const json& config,
                                                                                    const std::string& path) {
  auto layer = std::make_shared<GlobalAveragePooling3DImpl>(options_from_config(config, path));
  ConfigReader(config, path).apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(GlobalMaxPooling3DImpl, "GlobalMaxPooling3D");
XKERAS_REGISTER_LAYER_NAMED(GlobalAveragePooling3DImpl, "GlobalAveragePooling3D");
static const bool xkeras_registered_layer_GlobalMaxPool3D = register_layer_class<GlobalMaxPooling3DImpl>("GlobalMaxPool3D");
static const bool xkeras_registered_layer_GlobalAvgPool3D =
    register_layer_class<GlobalAveragePooling3DImpl>("GlobalAvgPool3D");

GlobalMaxPooling3D::GlobalMaxPooling3D(GlobalPooling2DOptions options)
    : Holder<GlobalMaxPooling3DImpl>(std::make_shared<GlobalMaxPooling3DImpl>(std::move(options))) {}
GlobalAveragePooling3D::GlobalAveragePooling3D(GlobalPooling2DOptions options)
    : Holder<GlobalAveragePooling3DImpl>(std::make_shared<GlobalAveragePooling3DImpl>(std::move(options))) {}

}  // namespace xkeras::layers
