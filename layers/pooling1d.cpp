// MaxPooling1D / AveragePooling1D (aliases MaxPool1D / AvgPool1D) over the steps of (batch, steps,
// channels), and GlobalMaxPooling1D / GlobalAveragePooling1D (GlobalMaxPool1D / GlobalAvgPool1D).
#include "xkeras/config.hpp"
#include "xkeras/layers/pooling_nd.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

namespace {
std::vector<int> one(const std::optional<int>& v) { return v ? std::vector<int>{*v} : std::vector<int>{}; }
}  // namespace

MaxPooling1DImpl::MaxPooling1DImpl(int pool_size, Pooling1DOptions o)
    : PoolingNDImpl("MaxPooling1D", Mode::Max, {pool_size}, one(o.strides), o.padding, o.data_format, o.name) {}

AveragePooling1DImpl::AveragePooling1DImpl(int pool_size, Pooling1DOptions o)
    : PoolingNDImpl("AveragePooling1D", Mode::Average, {pool_size}, one(o.strides), o.padding, o.data_format, o.name) {}

std::shared_ptr<MaxPooling1DImpl> MaxPooling1DImpl::from_config(const json& config, const std::string& path) {
  auto a = args_from_config(config, path, 1);
  auto layer = std::make_shared<MaxPooling1DImpl>(
      a.pool_size[0], Pooling1DOptions{a.strides.empty() ? a.pool_size[0] : a.strides[0], a.padding, a.data_format, a.name});
  ConfigReader(config, path).apply_base(*layer);
  return layer;
}

std::shared_ptr<AveragePooling1DImpl> AveragePooling1DImpl::from_config(const json& config, const std::string& path) {
  auto a = args_from_config(config, path, 1);
  auto layer = std::make_shared<AveragePooling1DImpl>(
      a.pool_size[0], Pooling1DOptions{a.strides.empty() ? a.pool_size[0] : a.strides[0], a.padding, a.data_format, a.name});
  ConfigReader(config, path).apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(MaxPooling1DImpl, "MaxPooling1D");
XKERAS_REGISTER_LAYER_NAMED(AveragePooling1DImpl, "AveragePooling1D");
static const bool xkeras_registered_layer_MaxPool1D = register_layer_class<MaxPooling1DImpl>("MaxPool1D");
static const bool xkeras_registered_layer_AvgPool1D = register_layer_class<AveragePooling1DImpl>("AvgPool1D");

MaxPooling1D::MaxPooling1D(int pool_size, Pooling1DOptions options)
    : Holder<MaxPooling1DImpl>(std::make_shared<MaxPooling1DImpl>(pool_size, std::move(options))) {}
AveragePooling1D::AveragePooling1D(int pool_size, Pooling1DOptions options)
    : Holder<AveragePooling1DImpl>(std::make_shared<AveragePooling1DImpl>(pool_size, std::move(options))) {}

// ---- global ---------------------------------------------------------------------------------

GlobalMaxPooling1DImpl::GlobalMaxPooling1DImpl(GlobalPooling2DOptions options)
    : GlobalPoolingNDImpl("GlobalMaxPooling1D", Pooling2DImpl::Mode::Max, 1, std::move(options)) {}
GlobalAveragePooling1DImpl::GlobalAveragePooling1DImpl(GlobalPooling2DOptions options)
    : GlobalPoolingNDImpl("GlobalAveragePooling1D", Pooling2DImpl::Mode::Average, 1, std::move(options)) {}

std::shared_ptr<GlobalMaxPooling1DImpl> GlobalMaxPooling1DImpl::from_config(const json& config, const std::string& path) {
  auto layer = std::make_shared<GlobalMaxPooling1DImpl>(options_from_config(config, path));
  ConfigReader(config, path).apply_base(*layer);
  return layer;
}
std::shared_ptr<GlobalAveragePooling1DImpl> GlobalAveragePooling1DImpl::from_config(const json& config,
                                                                                    const std::string& path) {
  auto layer = std::make_shared<GlobalAveragePooling1DImpl>(options_from_config(config, path));
  ConfigReader(config, path).apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(GlobalMaxPooling1DImpl, "GlobalMaxPooling1D");
XKERAS_REGISTER_LAYER_NAMED(GlobalAveragePooling1DImpl, "GlobalAveragePooling1D");
static const bool xkeras_registered_layer_GlobalMaxPool1D = register_layer_class<GlobalMaxPooling1DImpl>("GlobalMaxPool1D");
static const bool xkeras_registered_layer_GlobalAvgPool1D =
    register_layer_class<GlobalAveragePooling1DImpl>("GlobalAvgPool1D");

GlobalMaxPooling1D::GlobalMaxPooling1D(GlobalPooling2DOptions options)
    : Holder<GlobalMaxPooling1DImpl>(std::make_shared<GlobalMaxPooling1DImpl>(std::move(options))) {}
GlobalAveragePooling1D::GlobalAveragePooling1D(GlobalPooling2DOptions options)
    : Holder<GlobalAveragePooling1DImpl>(std::make_shared<GlobalAveragePooling1DImpl>(std::move(options))) {}

}  // namespace xkeras::layers
