// The base of the layers that draw random numbers in training only (noise.hpp).
#include <cmath>
#include <sstream>

#include "xkeras/errors.hpp"
#include "xkeras/layers/noise.hpp"

namespace xkeras::layers {

RandomLayerImpl::RandomLayerImpl(std::string class_name, std::optional<std::uint64_t> seed, std::string name)
    : Layer(std::move(class_name), std::move(name)), seed_(seed), rng_(seed ? *seed : draw_seed()) {
  mark_built();
}

void RandomLayerImpl::check_fraction(const char* arg, double value) const {
  if (value >= 0.0 && value <= 1.0) return;  // also rejects NaN
  std::ostringstream v;
  v << value;
  throw ValueError("Layer \"" + name() + "\" (" + class_name() + "): Invalid value received for argument `" + arg +
                   "`. Expected a float value between 0 and 1. Received: " + arg + "=" + v.str());
}

std::vector<TensorShape> RandomLayerImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError("Layer \"" + name() + "\" (" + class_name() + ") expects 1 input, but it received " +
                     std::to_string(input_shapes.size()) + " input tensors");
  return input_shapes;
}

}  // namespace xkeras::layers
