#include "layers/image_layer_utils.hpp"
#include "xkeras/layers/activation_layers.hpp"

namespace xkeras::layers {

std::vector<TensorShape> ElementwiseLayer::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError(detail::who(*this) + " expects 1 input, but it received " + std::to_string(input_shapes.size()) +
                     " input tensors");
  return input_shapes;
}

}  // namespace xkeras::layers
