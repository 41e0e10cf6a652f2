// GRU: the recurrent base with the fused ops::gru (reference §2.4).
#include "xkeras/layers/gru.hpp"

#include "xkeras/config.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

GRUImpl::GRUImpl(int units, GRUOptions options) : RecurrentImpl("GRU", 3, units, std::move(options)) {}

ops::RecurrentResult GRUImpl::fused(const ops::RecurrentInputs& in, const ops::RecurrentOptions& o) const {
  return ops::gru(in, o);
}

json GRUImpl::get_config() const { return rnn_config(); }

std::shared_ptr<GRUImpl> GRUImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  auto layer = std::make_shared<GRUImpl>(r.positive_int("units"), read_options(r, true));
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(GRUImpl, "GRU");
// TF 2.0-2.1 wrote the v2 layer under this name.
static const bool xkeras_registered_unifiedgru = register_layer_class<GRUImpl>("UnifiedGRU");

GRU::GRU(int units, GRUOptions options) : Holder<GRUImpl>(std::make_shared<GRUImpl>(units, std::move(options))) {}

}  // namespace xkeras::layers
