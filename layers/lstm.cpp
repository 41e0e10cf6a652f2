// LSTM: the recurrent base with the fused ops::lstm (reference §2.3).
#include "xkeras/layers/lstm.hpp"

#include "xkeras/config.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

LSTMImpl::LSTMImpl(int units, LSTMOptions options) : RecurrentImpl("LSTM", 4, units, std::move(options)) {}

ops::RecurrentResult LSTMImpl::fused(const ops::RecurrentInputs& in, const ops::RecurrentOptions& o) const {
  return ops::lstm(in, o);
}

json LSTMImpl::get_config() const { return rnn_config(); }

std::shared_ptr<LSTMImpl> LSTMImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  auto layer = std::make_shared<LSTMImpl>(r.positive_int("units"), read_options(r, true));
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(LSTMImpl, "LSTM");
// TF 2.0-2.1 wrote the v2 layer under this name.
static const bool xkeras_registered_unifiedlstm = register_layer_class<LSTMImpl>("UnifiedLSTM");

LSTM::LSTM(int units, LSTMOptions options) : Holder<LSTMImpl>(std::make_shared<LSTMImpl>(units, std::move(options))) {}

}  // namespace xkeras::layers
