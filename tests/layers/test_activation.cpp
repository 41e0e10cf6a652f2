#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>
#include <xkeras/layers.hpp>

#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

TEST_CASE("Activation: Keras docstring example relu([-3,-1,0,2]) = [0,0,0,2]") {
  layers::Activation a("relu");
  check_close(a(Tensor::from({1, 4}, {-3, -1, 0, 2})), {0, 0, 0, 2});
}

TEST_CASE("Activation: softmax and sigmoid values") {
  // softmax([1,2,3]) = exp(x)/sum(exp(x))
  check_close(layers::Activation("softmax")(Tensor::from({1, 3}, {1, 2, 3})), {0.09003057f, 0.24472847f, 0.66524096f});
  check_close(layers::Activation("sigmoid")(Tensor::from({1, 2}, {0, 2})), {0.5f, 0.88079708f});
  check_close(layers::Activation("linear")(Tensor::from({1, 2}, {-1, 2})), {-1, 2});
}

TEST_CASE("Activation: output shape, gradients, config round trip") {
  layers::Activation a("tanh", "act");
  Tensor x = random_tensor({3, 2, 4}, 3);
  testing::check_output_shape(*a, {x});
  check_gradients([&] { return a(x); }, {x});
  const json c = a->get_config();
  testing::check_key_order(c, {"name", "trainable", "dtype", "activation"});
  CHECK(c["activation"] == "tanh");
  CHECK(c["name"] == "act");
  testing::check_config_round_trip(*a);
  a(Input({4}));
  CHECK(a->build_config().is_null());  // Keras builds Activation at construction
  CHECK(a->weights().empty());
}

TEST_CASE("Activation: unknown names are errors") {
  CHECK_THROWS_AS(layers::Activation("rleu"), ValueError);
  CHECK_THROWS_WITH(layers::Activation("rleu"), Catch::Contains("rleu") && Catch::Contains("relu"));
  CHECK_THROWS_AS(layer_from_config("Activation", json{{"activation", "rleu"}}, "config"), ConfigError);
  CHECK_THROWS_AS(layer_from_config("Activation", json::object(), "config"), ConfigError);
}

TEST_CASE("Activation: aliases are written as Keras 3 writes them, every Keras 3 name works") {
  CHECK(layers::Activation("swish")->get_config()["activation"] == "silu");
  CHECK(layers::Activation("hard_swish")->get_config()["activation"] == "hard_silu");
  CHECK(layers::Activation("")->get_config()["activation"] == "linear");
  auto loaded = layer_from_config("Activation", json{{"activation", "relu6"}}, "config");
  check_close((*loaded)(Tensor::from({1, 3}, {-1, 3, 8})), {0, 3, 6});
  check_close(layers::Activation("hard_sigmoid")(Tensor::from({1, 2}, {-3, 1.5f})), {0, 0.75f});
}
