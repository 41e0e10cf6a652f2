// The .keras -> TensorFlow.js cases (keras_tfjs_cases.hpp).
#include "keras_tfjs_cases.hpp"

#include <xkeras/layers.hpp>
#include <xkeras/xkeras.hpp>

#include "cli_helpers.hpp"

namespace keras_tfjs {

using namespace xkeras;

namespace {

Model seeded(Model m, std::uint32_t seed) {
  clitest::seed_weights(m, seed);
  return m;
}

}  // namespace

std::vector<Case> cases() {
  return {
      {"mlp",
       [] {
         clear_session();
         return seeded(Sequential({layers::Input({8}), layers::Dense(16, "relu"), layers::Dropout(0.25),
                                   layers::Dense(4, "softmax")}, "mlp"), 1);
       }},
      {"cnn",
       [] {
         clear_session();
         return seeded(Sequential({layers::Input({8, 8, 3}), layers::Conv2D(4, 3, {.activation = "relu"}),
                                   layers::BatchNormalization(), layers::MaxPooling2D(2),
                                   layers::Conv2D(6, 3, {.strides = {2, 2}, .padding = "same", .activation = "tanh"}),
                                   layers::Flatten(), layers::Dense(3)}, "cnn"), 2);
       }},
      {"functional_two_inputs",
       [] {
         clear_session();
         auto a = Input({6}, "left"), b = Input({4}, "right");
         auto ha = layers::Dense(5, "tanh")(a);
         auto hb = layers::Dense(5, "sigmoid")(b);
         auto sum = layers::Add()({ha, hb});
         auto cat = layers::Concatenate()({sum, layers::Dense(3, "relu")(a)});
         return seeded(Model({a, b}, {layers::Dense(2)(cat), layers::Dense(1, "sigmoid")(sum)}, "two_inputs"), 3);
       }},
      {"lstm",
       [] {
         clear_session();
         return seeded(Sequential({layers::Input({5, 3}), layers::LSTM(4, {.return_sequences = true}), layers::LSTM(3),
                                   layers::Dense(2)}, "lstm"), 4);
       }},
      {"nested_layer_norm",
       [] {
         clear_session();
         Sequential block({layers::Input({6}), layers::Dense(6, "relu"), layers::LayerNormalization()}, "block");
         auto x = Input({6});
         auto y = layers::Dense(2)(block(layers::Dense(6)(x)));
         return seeded(Model(x, y, "nested"), 5);
       }},
  };
}

std::string data_dir() { return std::string(XKERAS_SOURCE_DIR) + "/tests/data/keras_tfjs"; }

}  // namespace keras_tfjs
