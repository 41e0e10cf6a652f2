// SimpleRNN: the recurrent base with the fused ops::simple_rnn (reference §2.2).
#include "xkeras/layers/simple_rnn.hpp"

#include "xkeras/config.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

SimpleRNNImpl::SimpleRNNImpl(int units, SimpleRNNOptions options) : RecurrentImpl("SimpleRNN", 1, units, std::move(options)) {}

ops::RecurrentResult SimpleRNNImpl::fused(const ops::RecurrentInputs& in, const ops::RecurrentOptions& o) const {
  return ops::simple_rnn(in, o);
}

json SimpleRNNImpl::get_config() const { return rnn_config(); }

std::shared_ptr<SimpleRNNImpl> SimpleRNNImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  auto layer = std::make_shared<SimpleRNNImpl>(r.positive_int("units"), read_options(r, false));
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(SimpleRNNImpl, "SimpleRNN");

SimpleRNN::SimpleRNN(int units, SimpleRNNOptions options) : Holder<SimpleRNNImpl>(std::make_shared<SimpleRNNImpl>(units, std::move(options))) {}

}  // namespace xkeras::layers
