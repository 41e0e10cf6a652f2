// Every activation name: forward values at hand-computed points (edges included), gradients
// against central differences, aliases, Keras's serialized names and errors.
#include <catch2/catch.hpp>

#include <map>

#include <xkeras/activations.hpp>
#include <xkeras/errors.hpp>
#include <xkeras/ops.hpp>

#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;

namespace {

// The points: the kinks of relu6 (0, 6), hard_sigmoid (+-3), the Keras 2 hard_sigmoid (+-2.5),
// the shrinks (+-0.5) and the sparse functions (+-1).
const std::vector<float> kPoints = {-4, -3, -2.5f, -1, -0.5f, 0, 0.5f, 1, 2.5f, 3, 6, 7};

// Expected values computed in double precision from the formulas of Keras 3 activations.py
// (and tf.keras backend.hard_sigmoid for hard_sigmoid_keras2, TFJS GeluNew for gelu_new).
const std::map<std::string, std::vector<float>>& expected() {
  static const std::map<std::string, std::vector<float>> e = {
      {"linear", kPoints},
      {"relu", {0, 0, 0, 0, 0, 0, 0.5f, 1, 2.5f, 3, 6, 7}},
      {"relu6", {0, 0, 0, 0, 0, 0, 0.5f, 1, 2.5f, 3, 6, 6}},
      {"leaky_relu", {-0.8f, -0.6f, -0.5f, -0.2f, -0.1f, 0, 0.5f, 1, 2.5f, 3, 6, 7}},
      {"hard_sigmoid", {0, 0, 0.0833333333f, 0.333333333f, 0.416666667f, 0.5f, 0.583333333f, 0.666666667f, 0.916666667f, 1, 1, 1}},
      {"hard_sigmoid_keras2", {0, 0, 0, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 1, 1, 1, 1}},
      {"hard_silu", {0, 0, -0.208333333f, -0.333333333f, -0.208333333f, 0, 0.291666667f, 0.666666667f, 2.29166667f, 3, 6, 7}},
      {"mish", {-0.0725917408f, -0.145647461f, -0.196816204f, -0.303401461f, -0.220743775f, 0, 0.375245211f, 0.865098388f,
                2.4713923f, 2.986535f, 5.99992663f, 6.99998838f}},
      {"exponential", {0.0183156389f, 0.0497870684f, 0.0820849986f, 0.367879441f, 0.60653066f, 1, 1.64872127f, 2.71828183f,
                       12.182494f, 20.0855369f, 403.428793f, 1096.63316f}},
      {"softsign", {-0.8f, -0.75f, -0.714285714f, -0.5f, -0.333333333f, 0, 0.333333333f, 0.5f, 0.714285714f, 0.75f,
                    0.857142857f, 0.875f}},
      {"silu", {-0.0719448398f, -0.14227762f, -0.18964545f, -0.268941421f, -0.188770334f, 0, 0.311229666f, 0.731058579f,
                2.31035455f, 2.85772238f, 5.98516426f, 6.99362264f}},
      {"gelu", {-0.000126684967f, -0.00404969409f, -0.0155241633f, -0.158655254f, -0.154268769f, 0, 0.345731231f, 0.841344746f,
                2.48447584f, 2.99595031f, 5.99999999f, 7}},
      {"gelu_new", {-7.02459482e-05f, -0.00363739208f, -0.0150842661f, -0.158808009f, -0.15428599f, 0, 0.34571401f,
                    0.841191991f, 2.48491573f, 2.99636261f, 6, 7}},
      {"selu", {-1.72589863f, -1.67056873f, -1.61378576f, -1.11133074f, -0.691758188f, 0, 0.525350494f, 1.05070099f,
                2.62675247f, 3.15210296f, 6.30420592f, 7.35490691f}},
      {"elu", {-0.981684361f, -0.950212932f, -0.917915001f, -0.632120559f, -0.39346934f, 0, 0.5f, 1, 2.5f, 3, 6, 7}},
      {"softplus", {0.0181499279f, 0.0485873516f, 0.0788897343f, 0.313261688f, 0.474076984f, 0.693147181f, 0.974076984f,
                    1.31326169f, 2.57888973f, 3.04858735f, 6.00247569f, 7.00091147f}},
      {"sigmoid", {0.0179862100f, 0.0474258732f, 0.0758581800f, 0.268941421f, 0.377540669f, 0.5f, 0.622459331f, 0.731058579f,
                   0.924141820f, 0.952574127f, 0.997527377f, 0.999088949f}},
      {"tanh", {-0.999329300f, -0.995054754f, -0.986614298f, -0.761594156f, -0.462117157f, 0, 0.462117157f, 0.761594156f,
                0.986614298f, 0.995054754f, 0.999987712f, 0.999998337f}},
      {"celu", {-0.981684361f, -0.950212932f, -0.917915001f, -0.632120559f, -0.39346934f, 0, 0.5f, 1, 2.5f, 3, 6, 7}},
      {"hard_tanh", {-1, -1, -1, -1, -0.5f, 0, 0.5f, 1, 1, 1, 1, 1}},
      {"hard_shrink", {-4, -3, -2.5f, -1, 0, 0, 0, 1, 2.5f, 3, 6, 7}},
      {"soft_shrink", {-3.5f, -2.5f, -2, -0.5f, 0, 0, 0, 0.5f, 2, 2.5f, 5.5f, 6.5f}},
      {"squareplus", {0.236067977f, 0.302775638f, 0.350781059f, 0.618033989f, 0.780776406f, 1, 1.28077641f, 1.61803399f,
                      2.85078106f, 3.30277564f, 6.16227766f, 7.14005494f}},
      {"tanh_shrink", {-3.0006707f, -2.00494525f, -1.5133857f, -0.238405844f, -0.0378828427f, 0, 0.0378828427f, 0.238405844f,
                       1.5133857f, 2.00494525f, 5.00001229f, 6.00000166f}},
      {"log_sigmoid", {-4.01814993f, -3.04858735f, -2.57888973f, -1.31326169f, -0.974076984f, -0.693147181f, -0.474076984f,
                       -0.313261688f, -0.0788897343f, -0.0485873516f, -0.00247568514f, -0.000911466454f}},
      {"sparse_plus", {0, 0, 0, 0, 0.0625f, 0.25f, 0.5625f, 1, 2.5f, 3, 6, 7}},
      {"sparse_sigmoid", {0, 0, 0, 0, 0.25f, 0.5f, 0.75f, 1, 1, 1, 1, 1}},
  };
  return e;
}

// Points away from every kink (by at least 0.2), for the gradient checks.
const std::vector<float> kSmooth = {-4.3f, -2.7f, -1.6f, -0.8f, -0.3f, 0.2f, 0.7f, 1.4f, 2.2f, 3.6f, 5.1f, 6.8f};

}  // namespace

TEST_CASE("activations: elementwise values at hand-computed points and edges") {
  for (const auto& [name, want] : expected()) {
    INFO("activation " << name);
    check_close(activations::apply(name, Tensor::from({12}, kPoints)), want, 2e-6);
  }
}

TEST_CASE("activations: Keras 3 hard_sigmoid saturates at +-3, the Keras 2 one at +-2.5") {
  const Tensor x = Tensor::from({6}, {-3.0f, -2.9f, -2.5f, 2.5f, 2.9f, 3.0f});
  check_close(activations::apply("hard_sigmoid", x), {0, 1.0f / 60, 1.0f / 12, 11.0f / 12, 59.0f / 60, 1}, 1e-6);
  check_close(activations::apply("hard_sigmoid_keras2", x), {0, 0, 0, 1, 1, 1}, 1e-6);
  check_close(activations::apply("hardSigmoid", x), {0, 0, 0, 1, 1, 1}, 1e-6);  // TFJS's is the Keras 2 formula
}

TEST_CASE("activations: every elementwise activation differentiates like its finite differences") {
  for (const auto& [name, want] : expected()) {
    INFO("activation " << name);
    Tensor x = Tensor::from({12}, kSmooth);
    check_gradients([&] { return activations::apply(name, x); }, {x}, 1e-3, 2e-2, 2e-3);
  }
}

TEST_CASE("activations: softmax, log_softmax, glu and sparsemax over the last axis") {
  const Tensor x = Tensor::from({2, 6}, {1, 2, 1, -1, 0.5f, 3, 0, -2, 4, 1, 1, -1});
  check_close(activations::apply("softmax", x), {0.0778258334f, 0.211552549f, 0.0778258334f, 0.0105325812f, 0.0472037541f,
                                                 0.575059449f, 0.0162501408f, 0.0021992174f, 0.887227624f, 0.0441724624f,
                                                 0.0441724624f, 0.00597809271f});
  check_close(activations::apply("log_softmax", x), {-2.55328185f, -1.55328185f, -2.55328185f, -4.55328185f, -3.05328185f,
                                                     -0.553281854f, -4.11965371f, -6.11965371f, -0.119653707f, -3.11965371f,
                                                     -3.11965371f, -5.11965371f});
  // glu: first half times sigmoid of the second half
  const Tensor g = activations::apply("glu", x);
  REQUIRE(g.shape() == Shape{2, 3});
  check_close(g, {0.268941421f, 1.24491866f, 0.952574127f, 0, -1.46211716f, 1.07576569f});
  // sparsemax by hand: row 1 has support {0.5, 0.4, 0.35, 0.2}, tau = (1.45 - 1) / 4 = 0.1125;
  // row 2 support is all but -1, tau = (0.85 - 1) / 5 = -0.03.
  Tensor s = Tensor::from({2, 6}, {0.5f, 0.2f, 0.05f, -0.3f, 0.4f, 0.35f, 0, 0.1f, 0.2f, 0.3f, -1, 0.25f});
  check_close(activations::apply("sparsemax", s), {0.3875f, 0.0875f, 0, 0, 0.2875f, 0.2375f, 0.03f, 0.13f, 0.23f, 0.33f, 0, 0.28f});
  for (const char* name : {"softmax", "log_softmax", "glu"}) {
    INFO(name);
    Tensor xx = Tensor::from({2, 6}, {1, 2, 1, -1, 0.5f, 3, 0, -2, 4, 1, 1, -1});
    check_gradients([&] { return activations::apply(name, xx); }, {xx}, 1e-3);
  }
  check_gradients([&] { return activations::apply("sparsemax", s); }, {s}, 1e-3);
  CHECK_THROWS_WITH(activations::apply("glu", Tensor::from({1, 3}, {1, 2, 3})), Catch::Contains("divisible by 2"));
}

TEST_CASE("activations: the op forms with parameters") {
  const Tensor x = Tensor::from({5}, {-2, -0.5f, 0, 0.75f, 2});
  check_close(ops::celu(x, 2.0f), {2.0f * std::expm1(-1.0f), 2.0f * std::expm1(-0.25f), 0, 0.75f, 2});
  check_close(ops::hard_shrink(x, 1.0f), {-2, 0, 0, 0, 2});
  check_close(ops::soft_shrink(x, 1.0f), {-1, 0, 0, 0, 1});
  check_close(ops::squareplus(x, 0.0f), {0, 0, 0, 0.75f, 2});  // b = 0: relu
  CHECK_THROWS_AS(ops::celu(x, 0.0f), ValueError);
  CHECK_THROWS_AS(ops::squareplus(x, -1.0f), ValueError);
}

TEST_CASE("activations: aliases, the names Keras 3 writes, and unknown names") {
  CHECK(activations::canonical("swish") == "silu");
  CHECK(activations::canonical("hard_swish") == "hard_silu");
  CHECK(activations::canonical("logSoftmax") == "log_softmax");
  CHECK(activations::canonical("hardSigmoid") == "hard_sigmoid_keras2");
  CHECK(activations::canonical("geluNew") == "gelu_new");
  CHECK(activations::canonical("relu") == "relu");
  const Tensor x = Tensor::from({3}, {-1, 0.5f, 2});
  check_close(activations::apply("swish", x), {-0.268941421f, 0.311229666f, 1.76159416f});
  check_close(activations::apply("hard_swish", x), {-1.0f / 3, 0.5f * 3.5f / 6, 2.0f * 5 / 6});
  // Keras's activations.get is case-sensitive; so are we.
  CHECK_FALSE(activations::exists("ReLU"));
  CHECK_FALSE(activations::exists("threshold"));  // needs arguments, so Keras rejects the bare string too
  CHECK_THROWS_AS(activations::check("Relu"), ValueError);
  CHECK_THROWS_WITH(activations::canonical("relu7"), Catch::Contains("relu7") && Catch::Contains("relu6") &&
                                                          Catch::Contains("hard_silu") && Catch::Contains("sparsemax"));
  for (const auto& n : activations::names()) CHECK(activations::exists(n));
}

TEST_CASE("activations: NaN stays visible in the row functions and the shrinks") {
  const float nan = std::nanf("");
  const auto g = activations::apply("glu", Tensor::from({1, 4}, {nan, 1, 0, 0})).to_vector();
  CHECK(std::isnan(g[0]));
  CHECK(g[1] == Approx(0.5f));
  const auto s = activations::apply("sparsemax", Tensor::from({2, 3}, {nan, 1, 2, 0, 1, 2})).to_vector();
  for (int i = 0; i < 3; ++i) CHECK(std::isnan(s[i]));  // a NaN makes its row NaN, as softmax
  check_close(Tensor::from({3}, {s[3], s[4], s[5]}), {0, 0, 1});
  for (const char* name : {"hard_shrink", "soft_shrink", "sparse_plus", "sparse_sigmoid", "hard_tanh"})
    CHECK(std::isnan(activations::apply(name, Tensor::from({1}, {nan})).to_vector()[0]));
}
