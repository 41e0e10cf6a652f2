// Layer normalization: the fused op (trailing and non-contiguous axis sets, gradients) and the
// LayerNormalization layer (Keras's test values, seed 001, weight shapes, config).
#include <catch2/catch.hpp>

#include <cmath>

#include <xkeras/config.hpp>
#include <xkeras/errors.hpp>
#include <xkeras/models/model.hpp>
#include <xkeras/layers/layer_normalization.hpp>
#include <xkeras/ops/normalization.hpp>
#include <xkeras/registry.hpp>

#include "support/gradcheck.hpp"

using namespace xkeras;
using Catch::Matchers::Contains;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

namespace {

// Reference layer norm in double over an arbitrary axis set of a 4-D (a, b, c, d) tensor, with
// gamma/beta indexed by the normalized coordinates in ascending axis order.
std::vector<float> reference_ln4(const Tensor& x, const std::vector<bool>& norm, const Tensor& gamma,
                                 const Tensor& beta, double eps) {
  const Shape s = x.shape();
  std::vector<float> out(x.size());
  auto flat = [&](const std::size_t* i) { return ((i[0] * s[1] + i[1]) * s[2] + i[2]) * s[3] + i[3]; };
  std::size_t i[4], k[4];
  // For every element: gather the group of elements that share its kept coordinates.
  for (i[0] = 0; i[0] < s[0]; ++i[0])
    for (i[1] = 0; i[1] < s[1]; ++i[1])
      for (i[2] = 0; i[2] < s[2]; ++i[2])
        for (i[3] = 0; i[3] < s[3]; ++i[3]) {
          double sum = 0, sq = 0, n = 0;
          for (k[0] = 0; k[0] < s[0]; ++k[0])
            for (k[1] = 0; k[1] < s[1]; ++k[1])
              for (k[2] = 0; k[2] < s[2]; ++k[2])
                for (k[3] = 0; k[3] < s[3]; ++k[3]) {
                  bool same = true;
                  for (int d = 0; d < 4; ++d) same = same && (norm[d] || k[d] == i[d]);
                  if (!same) continue;
                  const double v = x.data()[flat(k)];
                  sum += v;
                  sq += v * v;
                  n += 1;
                }
          const double mean = sum / n, var = sq / n - mean * mean;
          std::size_t p = 0;
          for (int d = 0; d < 4; ++d)
            if (norm[d]) p = p * s[d] + i[d];
          out[flat(i)] = static_cast<float>((x.data()[flat(i)] - mean) / std::sqrt(var + eps) * gamma.data()[p] +
                                            beta.data()[p]);
        }
  return out;
}

}  // namespace

TEST_CASE("layer_norm op: Keras's docstring value (epsilon 1e-7)") {
  // keras/src/ops/nn.py: ops.layer_normalization(arange(5.)) with backend.epsilon().
  Tensor x = Tensor::from({5}, {0, 1, 2, 3, 4});
  check_close(ops::layer_norm(x, Tensor(), Tensor(), -1, 1e-7f), {-1.4142135f, -0.70710677f, 0.0f, 0.7071067f, 1.4142135f},
              1e-6);
}

TEST_CASE("layer_norm op over non-contiguous and unsorted axis sets matches a direct computation") {
  Tensor x = random_tensor({2, 3, 2, 4}, 1, -2.0f, 3.0f);
  SECTION("axes {1, 3}") {
    Tensor g = random_tensor({3, 4}, 2, 0.5f, 1.5f), b = random_tensor({3, 4}, 3);
    check_close(ops::layer_norm(x, g, b, {1, 3}, 1e-3f), reference_ln4(x, {false, true, false, true}, g, b, 1e-3), 1e-4);
  }
  SECTION("axes {0, 2}") {
    Tensor g = random_tensor({2, 2}, 4, 0.5f, 1.5f), b = random_tensor({2, 2}, 5);
    check_close(ops::layer_norm(x, g, b, {0, 2}, 1e-3f), reference_ln4(x, {true, false, true, false}, g, b, 1e-3), 1e-4);
  }
  SECTION("trailing axes {-2, -1} in either order") {
    Tensor g = random_tensor({2, 4}, 6, 0.5f, 1.5f), b = random_tensor({2, 4}, 7);
    const auto expected = reference_ln4(x, {false, false, true, true}, g, b, 1e-3);
    check_close(ops::layer_norm(x, g, b, {-2, -1}, 1e-3f), expected, 1e-4);
    check_close(ops::layer_norm(x, g, b, {-1, -2}, 1e-3f), expected, 1e-4);  // test_unsorted_axis
  }
}

TEST_CASE("layer_norm gradients of x, gamma and beta, axis -1") {
  Tensor x = random_tensor({3, 5}, 10, -2.0f, 2.0f);
  Tensor g = random_tensor({5}, 11, 0.5f, 1.5f), b = random_tensor({5}, 12);
  check_gradients([&] { return ops::layer_norm(x, g, b, -1, 1e-3f); }, {x, g, b}, 1e-2, 2e-2, 3e-3);
}

TEST_CASE("layer_norm gradients of x, gamma and beta, axes [1, 2, 3]") {
  Tensor x = random_tensor({2, 2, 3, 2}, 13, -2.0f, 2.0f);
  Tensor g = random_tensor({2, 3, 2}, 14, 0.5f, 1.5f), b = random_tensor({2, 3, 2}, 15);
  check_gradients([&] { return ops::layer_norm(x, g, b, {1, 2, 3}, 1e-3f); }, {x, g, b}, 1e-2, 2e-2, 3e-3);
}

TEST_CASE("layer_norm gradients of x, gamma and beta, non-contiguous axes {1, 3}") {
  Tensor x = random_tensor({2, 3, 2, 3}, 16, -2.0f, 2.0f);
  Tensor g = random_tensor({3, 3}, 17, 0.5f, 1.5f), b = random_tensor({3, 3}, 18);
  check_gradients([&] { return ops::layer_norm(x, g, b, {1, 3}, 1e-3f); }, {x, g, b}, 1e-2, 2e-2, 3e-3);
  // Without gamma and beta, over a leading axis.
  check_gradients([&] { return ops::layer_norm(x, Tensor(), Tensor(), {0, 2}, 1e-3f); }, {x}, 1e-2, 2e-2, 3e-3);
}

TEST_CASE("layer_norm rejects bad axes and parameter shapes") {
  Tensor x = Tensor::zeros({2, 3});
  CHECK_THROWS_AS(ops::layer_norm(x, Tensor(), Tensor(), 2), ValueError);
  CHECK_THROWS_AS(ops::layer_norm(x, Tensor(), Tensor(), ops::Axes{}), ValueError);
  CHECK_THROWS_AS(ops::layer_norm(x, Tensor(), Tensor(), {1, -1}), ValueError);  // repeated
  CHECK_THROWS_AS(ops::layer_norm(x, Tensor::zeros({2}), Tensor(), -1), ValueError);
  CHECK_THROWS_AS(ops::layer_norm(x, Tensor(), Tensor::zeros({1, 3}), -1), ValueError);
}

TEST_CASE("LayerNormalization test_output: beta and gamma initialized to ones") {
  auto ln = layers::LayerNormalization({.beta_initializer = "ones", .gamma_initializer = "ones"});
  Tensor y = ln(Tensor::from({1, 5}, {0, 1, 2, 3, 4}));
  check_close(y, {-0.41386f, 0.29307f, 1.0f, 1.70693f, 2.41386f}, 2e-5);
}

TEST_CASE("Seed 001: the LayerNormalization docstring example") {
  std::vector<float> v;
  for (int i = 0; i < 10; ++i) v.push_back(10.0f * i);
  Tensor data = Tensor::from({5, 2}, v);
  Tensor out = layers::LayerNormalization(1)(data);
  REQUIRE(out.shape() == Shape{5, 2});
  const double e = 5.0 / std::sqrt(25.0 + 1e-3);  // 0.99998: rows [a, a+10] have variance 25
  for (std::size_t r = 0; r < 5; ++r) {
    CHECK(out.data()[2 * r] == Approx(-e).epsilon(1e-6));
    CHECK(out.data()[2 * r + 1] == Approx(e).epsilon(1e-6));
  }
}

TEST_CASE("LayerNormalization weight shapes follow the normalized axes") {
  auto wide = layers::LayerNormalization({.axis = {1, 2, 3}});
  KerasTensor out = wide(xkeras::Input({20, 30, 40}));
  CHECK(out.shape() == TensorShape{None, 20, 30, 40});
  REQUIRE(wide->weights().size() == 2);
  CHECK(wide->weights()[0]->name == "gamma");
  CHECK(wide->weights()[1]->name == "beta");
  CHECK(wide->gamma()->shape() == Shape{20, 30, 40});
  CHECK(wide->beta()->shape() == Shape{20, 30, 40});

  // (-3, -2, -1) on (2, 8, 8, 3): two trainable weights of shape (8, 8, 3).
  auto last3 = layers::LayerNormalization({.axis = {-3, -2, -1}});
  last3(random_tensor({2, 8, 8, 3}, 20));
  CHECK(last3->trainable_weights().size() == 2);
  CHECK(last3->gamma()->shape() == Shape{8, 8, 3});

  auto skip = layers::LayerNormalization({.axis = {-1, 1}, .center = false});
  skip(random_tensor({2, 3, 2, 4}, 21));
  CHECK(skip->weights().size() == 1);
  CHECK(skip->gamma()->shape() == Shape{3, 4});

  // An empty input works (Keras: shape (1, 0, 10)).
  CHECK(layers::LayerNormalization()(Tensor::zeros({1, 0, 10})).shape() == Shape{1, 0, 10});
}

TEST_CASE("LayerNormalization gradients of the input, gamma and beta through the layer") {
  auto ln = layers::LayerNormalization({.axis = {1, 3}});
  Tensor x = random_tensor({2, 3, 2, 3}, 30, -2.0f, 2.0f);
  ln(x);
  ln->set_weights({Array(random_tensor({3, 3}, 31, 0.5f, 1.5f).value()), Array(random_tensor({3, 3}, 32).value())});
  check_gradients([&] { return ln(x, true); }, {x, ln->gamma()->value, ln->beta()->value}, 1e-2, 2e-2, 3e-3);
}

TEST_CASE("LayerNormalization input checks") {
  auto ln = layers::LayerNormalization();
  ln(Tensor::zeros({2, 4}));
  CHECK_THROWS_WITH(ln(Tensor::zeros({2, 5})), Contains("expected axis 1 of input shape to have value 4"));
  CHECK_THROWS_AS(layers::LayerNormalization(2)(Tensor::zeros({2, 4})), ValueError);
  CHECK_THROWS_AS(layers::LayerNormalization({.axis = {}}), ValueError);
  CHECK_THROWS_AS(layers::LayerNormalization({.axis = {1, -1}})(Tensor::zeros({2, 4})), ValueError);
}

TEST_CASE("LayerNormalization config: Keras 3 keys and a round trip through the registry") {
  auto ln = layers::LayerNormalization();
  json c = ln->get_config();
  CHECK(c["axis"] == json::array({-1}));
  CHECK(c["epsilon"] == 0.001);
  CHECK(c["center"] == true);
  CHECK(c["scale"] == true);
  CHECK(c["rms_scaling"] == false);
  CHECK(c["beta_initializer"]["class_name"] == "Zeros");
  CHECK(c["gamma_initializer"]["class_name"] == "Ones");
  for (const char* k : {"beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"})
    CHECK(c[k].is_null());
  CHECK(c.size() == 14);
  LayerPtr again = layer_from_config("LayerNormalization", c, "config");
  CHECK(again->get_config() == c);

  auto custom = layers::LayerNormalization({.axis = {1, 2}, .epsilon = 1e-5f, .scale = false,
                                            .beta_regularizer = "l1_l2", .beta_constraint = constraints::MaxNorm(3.0f)});
  c = custom->get_config();
  CHECK(c["axis"] == json::array({1, 2}));
  CHECK(c["epsilon"] == 1e-5);
  CHECK(c["beta_regularizer"]["config"] == json{{"l1", 0.01}, {"l2", 0.01}});
  CHECK(c["beta_constraint"]["config"] == json{{"max_value", 3.0}, {"axis", 0}});
  again = layer_from_config("LayerNormalization", c, "config");
  CHECK(again->get_config() == c);
  Tensor x = random_tensor({2, 3, 4}, 40);
  check_close((*again)(x), custom(x).to_vector(), 1e-6);
}

TEST_CASE("LayerNormalization from_config: int or list axis, rms_scaling refused") {
  json c = {{"name", "ln"}, {"axis", 1}, {"epsilon", 0.001}};
  auto layer = std::dynamic_pointer_cast<layers::LayerNormalizationImpl>(layer_from_config("LayerNormalization", c, "cfg"));
  REQUIRE(layer);
  CHECK(layer->axis() == std::vector<int>{1});
  CHECK(layer->name() == "ln");
  CHECK(layer->get_config()["axis"] == json::array({1}));

  c["axis"] = json::array({-2, -1});
  layer = std::dynamic_pointer_cast<layers::LayerNormalizationImpl>(layer_from_config("LayerNormalization", c, "cfg"));
  CHECK(layer->axis() == std::vector<int>{-2, -1});

  auto fails_at = [](const json& cfg, const std::string& where) {
    try {
      layer_from_config("LayerNormalization", cfg, "config.layers[1]");
      FAIL("expected a ConfigError");
    } catch (const ConfigError& e) {
      CHECK(e.path() == "config.layers[1].config." + where);
    }
  };
  json bad = c;
  bad["rms_scaling"] = true;
  fails_at(bad, "rms_scaling");
  bad = c;
  bad["axis"] = "last";
  fails_at(bad, "axis");
  bad = c;
  bad["axis"] = json::array();
  fails_at(bad, "axis");
  bad = c;
  bad["epsilon"] = -1;
  fails_at(bad, "epsilon");
  bad = c;
  bad["gamma_constraint"] = {{"class_name", "MaxNorm"}, {"config", {{"max_value", "big"}}}};
  fails_at(bad, "gamma_constraint.config.max_value");
}
