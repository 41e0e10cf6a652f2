// Seed 001: the tf.keras LayerNormalization docstring, natively.
//   data = arange(10).reshape(5, 2) * 10; LayerNormalization(axis=1)(data) -> [[-1, 1], ...]
//   (exactly +-0.99998 with Keras's epsilon 1e-3), and axis=[1, 2, 3] on (5, 20, 30, 40) gives
//   gamma and beta of shape (20, 30, 40).
#include <iostream>

#include <xkeras/layers.hpp>
#include <xkeras/xkeras.hpp>

using namespace xkeras;

int main() {
  std::vector<float> values;
  for (int i = 0; i < 10; ++i) values.push_back(10.0f * i);
  Tensor data = Tensor::from({5, 2}, values);

  auto layer = layers::LayerNormalization({.axis = {1}});
  Tensor out = layer(data);
  std::cout << "LayerNormalization(axis=1) of arange(10).reshape(5, 2) * 10:\n";
  for (std::size_t i = 0; i < 5; ++i) std::cout << "  [" << out.data()[2 * i] << ", " << out.data()[2 * i + 1] << "]\n";

  auto wide = layers::LayerNormalization({.axis = {1, 2, 3}});
  wide->build({5, 20, 30, 40});
  for (const auto& w : wide->weights()) std::cout << w->name << " shape " << shape_str(w->shape()) << "\n";
  return 0;
}
