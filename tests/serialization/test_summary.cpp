// Model::summary: Keras 3's table, exact parameter counts, "Connected to" for non-linear graphs.
#include <sstream>

#include "helpers.hpp"
#include "xkeras/layers/dense.hpp"
#include "xkeras/layers/input_layer.hpp"
#include "xkeras/layers/merging.hpp"
#include "xkeras/models/sequential.hpp"

using namespace xkeras;
using namespace sertest;

namespace {
std::string summary_of(const Model& m) {
  std::ostringstream out;
  m.summary(out);
  return out.str();
}
}  // namespace

TEST_CASE("summary of a Sequential model: the whole table") {
  clear_session();
  Sequential m({layers::Input({784}), layers::Dense(64, "relu"), layers::Dense(10)}, "mnist");
  // 784*64 + 64 = 50,240 and 64*10 + 10 = 650; 50,890 float32 = 203,560 bytes = 198.79 KB
  const std::string want =
      "Model: \"mnist\"\n"
      "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓\n"
      "┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃\n"
      "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩\n"
      "│ dense (Dense)                   │ (None, 64)             │        50,240 │\n"
      "├─────────────────────────────────┼────────────────────────┼───────────────┤\n"
      "│ dense_1 (Dense)                 │ (None, 10)             │           650 │\n"
      "└─────────────────────────────────┴────────────────────────┴───────────────┘\n"
      " Total params: 50,890 (198.79 KB)\n"
      " Trainable params: 50,890 (198.79 KB)\n"
      " Non-trainable params: 0 (0.00 B)\n";
  CHECK(summary_of(m) == want);
}

TEST_CASE("summary of a branching Functional model has a Connected to column") {
  clear_session();
  auto inp = Input({4});
  auto a = layers::Dense(3)(inp);
  auto b = layers::Dense(3)(inp);
  Model m(inp, layers::Add()({a, b}));
  // Not a chain (two calls read the input, one call reads two tensors): Keras adds "Connected to".
  const std::string want =
      "Model: \"functional\"\n"
      "┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓\n"
      "┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃\n"
      "┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩\n"
      "│ input_layer         │ (None, 4)         │          0 │ -                 │\n"
      "│ (InputLayer)        │                   │            │                   │\n"
      "├─────────────────────┼───────────────────┼────────────┼───────────────────┤\n"
      "│ dense (Dense)       │ (None, 3)         │         15 │ input_layer[0][0] │\n"
      "├─────────────────────┼───────────────────┼────────────┼───────────────────┤\n"
      "│ dense_1 (Dense)     │ (None, 3)         │         15 │ input_layer[0][0] │\n"
      "├─────────────────────┼───────────────────┼────────────┼───────────────────┤\n"
      "│ add (Add)           │ (None, 3)         │          0 │ dense[0][0],      │\n"
      "│                     │                   │            │ dense_1[0][0]     │\n"
      "└─────────────────────┴───────────────────┴────────────┴───────────────────┘\n"
      " Total params: 30 (120.00 B)\n"
      " Trainable params: 30 (120.00 B)\n"
      " Non-trainable params: 0 (0.00 B)\n";
  CHECK(summary_of(m) == want);
}

TEST_CASE("summary counts non-trainable weights and shows nested models as one row") {
  clear_session();
  Sequential encoder({layers::Input({16}), layers::Dense(8, "relu"), TestScale()}, "encoder");
  Sequential decoder({layers::Input({8}), layers::Dense(16, "sigmoid")}, "decoder");
  auto x = Input({16});
  Model ae(x, decoder(encoder(x)), "autoencoder");
  const std::string s = summary_of(ae);
  INFO(s);
  CHECK_THAT(s, !Catch::Contains("Connected to"));  // a chain of calls is shown as Sequential-like
  // encoder: 16*8+8 + gamma 8 (trainable) + shift 8 (non-trainable) = 152; decoder 8*16+16 = 144
  CHECK_THAT(s, Catch::Contains("│ input_layer_2 (InputLayer)      │ (None, 16)             │             0 │"));
  CHECK_THAT(s, Catch::Contains("│ encoder (Sequential)            │ (None, 8)              │           152 │"));
  CHECK_THAT(s, Catch::Contains("│ decoder (Sequential)            │ (None, 16)             │           144 │"));
  CHECK_THAT(s, Catch::Contains(" Total params: 296 (1.16 KB)\n"));
  CHECK_THAT(s, Catch::Contains(" Trainable params: 288 (1.12 KB)\n"));
  CHECK_THAT(s, Catch::Contains(" Non-trainable params: 8 (32.00 B)\n"));
}

TEST_CASE("summary of an unbuilt Sequential") {
  clear_session();
  Sequential m({layers::Dense(4)});
  const std::string s = summary_of(m);
  CHECK_THAT(s, Catch::Contains("│ dense (Dense)                   │ ?                      │   0 (unbuilt) │"));
  CHECK_THAT(s, Catch::Contains(" Total params: 0 (0.00 B)\n"));
}
