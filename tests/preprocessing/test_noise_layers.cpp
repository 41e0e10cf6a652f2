// GaussianNoise, GaussianDropout, AlphaDropout: identity at inference; the training statistics of
// Keras's own tests (keras/src/layers/regularization/*_test.py) and the formulas; gradients.
#include <catch2/catch.hpp>

#include <cmath>

#include <xkeras/errors.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/tape.hpp>

#include "layers/layer_checks.hpp"
#include "preprocessing/stats.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;
using xkeras::testing::sample_stats;

namespace {
const double kAlphaP = -1.6732632423543772 * 1.0507009873554805;
}

TEST_CASE("Noise layers: the identity at inference, built at construction") {
  const Tensor x = random_tensor({4, 6}, 1);
  for (LayerPtr l : {LayerPtr(layers::GaussianNoise(0.5)), LayerPtr(layers::GaussianDropout(0.5)),
                     LayerPtr(layers::AlphaDropout(0.5))}) {
    INFO(l->class_name());
    CHECK(l->built());
    const Tensor y = (*l)(x, false);
    CHECK(y.impl() == x.impl());  // not even a copy
    testing::check_output_shape(*l, {x});
    CHECK(l->weights().empty());
    l->operator()(Input({6}));
    CHECK(l->build_config().is_null());
  }
}

TEST_CASE("GaussianNoise: x + N(0, stddev^2) in training (Keras test: std 0.3 on ones (20, 500))") {
  layers::GaussianNoise g(0.3, 1337);
  const Tensor y = g(Tensor::full({20, 500}, 1.0f), true);
  const auto s = sample_stats(y);
  CHECK(std::sqrt(s.variance) == Approx(0.3).margin(0.02));  // Keras's tolerance
  CHECK(s.mean == Approx(1.0).margin(0.01));
  // more samples: mean 0 and variance stddev^2 within 3 standard errors
  layers::GaussianNoise g2(0.5, 3);
  const auto big = sample_stats(g2(Tensor::zeros({400, 500}), true));
  CHECK(big.mean == Approx(0.0).margin(3 * 0.5 / std::sqrt(2e5)));
  CHECK(big.variance == Approx(0.25).margin(3 * 0.25 * std::sqrt(2.0 / 2e5)));
}

TEST_CASE("GaussianNoise: seeds, stddev 0, gradient is the identity") {
  const Tensor x = random_tensor({5, 4}, 2);
  layers::GaussianNoise a(0.2, 9), b(0.2, 9);
  const Tensor ya = a(x, true);
  CHECK(ya.to_vector() == b(x, true).to_vector());
  CHECK(a(x, true).to_vector() != ya.to_vector());  // the generator advances
  check_close(layers::GaussianNoise(0.0)(x, true), x.to_vector(), 0.0);
  Tensor xg = random_tensor({3, 4}, 3);
  check_gradients([&] { return layers::GaussianNoise(0.3, 5)(xg, true); }, {xg});
  xg.set_requires_grad(true);
  xg.zero_grad();
  Tape::current().clear();
  Tape::current().backward(layers::GaussianNoise(0.3, 5)(xg, true));
  for (float v : xg.grad()) CHECK(v == 1.0f);
}

TEST_CASE("GaussianDropout: x * N(1, rate/(1-rate)) (Keras test: std sqrt(0.3/0.7) on ones)") {
  layers::GaussianDropout d(0.3, 1337);
  const auto s = sample_stats(d(Tensor::full({20, 500}, 1.0f), true));
  CHECK(std::sqrt(s.variance) == Approx(std::sqrt(0.3 / 0.7)).margin(0.02));
  CHECK(s.mean == Approx(1.0).margin(0.02));
  // The factor multiplies: x = 2 doubles the mean and the standard deviation.
  layers::GaussianDropout d2(0.5, 4);
  const auto s2 = sample_stats(d2(Tensor::full({400, 500}, 2.0f), true));
  CHECK(s2.mean == Approx(2.0).margin(3 * 2.0 / std::sqrt(2e5)));
  CHECK(s2.variance == Approx(4.0).margin(3 * 4.0 * std::sqrt(2.0 / 2e5)));
  // rate 0 and rate 1 (tf.keras) return x
  const Tensor x = random_tensor({3, 3}, 5);
  check_close(layers::GaussianDropout(0.0)(x, true), x.to_vector(), 0.0);
  check_close(layers::GaussianDropout(1.0)(x, true), x.to_vector(), 0.0);
}

TEST_CASE("GaussianDropout: the gradient is the same random factor") {
  Tensor x = random_tensor({4, 5}, 6, 0.5f, 1.5f);
  check_gradients([&] { return layers::GaussianDropout(0.4, 8)(x, true); }, {x});
  x.set_requires_grad(true);
  x.zero_grad();
  Tape::current().clear();
  const Tensor y = layers::GaussianDropout(0.4, 8)(x, true);
  Tape::current().backward(y);
  const Array g = x.grad();
  for (std::size_t i = 0; i < x.size(); ++i) CHECK(g.data()[i] == Approx(y.data()[i] / x.data()[i]).epsilon(1e-5));
}

TEST_CASE("AlphaDropout: exactly two affine maps, a kept and a dropped one, with Keras's a and b") {
  const double rate = 0.3;
  const double a = std::pow((1 - rate) * (1 + rate * kAlphaP * kAlphaP), -0.5), b = -a * kAlphaP * rate;
  layers::AlphaDropout d(rate, std::nullopt, 11);
  const Tensor x = random_tensor({50, 40}, 7);
  const Tensor y = d(x, true);
  std::size_t dropped = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double kept_value = a * x.data()[i] + b, dropped_value = a * kAlphaP + b;
    const bool is_kept = std::fabs(y.data()[i] - kept_value) < 1e-5;
    if (!is_kept) {
      ++dropped;
      CHECK(y.data()[i] == Approx(dropped_value).margin(1e-5));
    }
  }
  CHECK(double(dropped) / 2000.0 == Approx(rate).margin(3 * std::sqrt(rate * (1 - rate) / 2000.0)));
}

TEST_CASE("AlphaDropout: keeps mean 0 and variance 1 (Keras test: std 1 +- 0.1 on ones)") {
  layers::AlphaDropout k(0.3, std::nullopt, 1337);
  CHECK(std::sqrt(sample_stats(k(Tensor::full({20, 500}, 1.0f), true)).variance) == Approx(1.0).margin(0.1));
  // Standard-normal inputs (SELU's fixed point) come out with mean 0 and variance 1.
  Array z = Array::from_shape({400, 500});
  std::mt19937 rng(5);
  std::normal_distribution<float> n01(0.0f, 1.0f);
  for (auto& v : z) v = n01(rng);
  layers::AlphaDropout d(0.2, std::nullopt, 3);
  const auto s = sample_stats(d(Tensor(z), true));
  CHECK(s.mean == Approx(0.0).margin(0.01));
  CHECK(s.variance == Approx(1.0).margin(0.015));
}

TEST_CASE("AlphaDropout: noise_shape shares the mask (Keras tests), gradient a*k") {
  for (const TensorShape ns : {TensorShape{None, 1, None}, TensorShape{20, 1, 10}}) {
    layers::AlphaDropout d(0.5, ns, 21);
    const Tensor y = d(Tensor::full({20, 5, 10}, 1.0f), true);
    for (std::size_t bi = 0; bi < 20; ++bi)
      for (std::size_t t = 1; t < 5; ++t)
        for (std::size_t c = 0; c < 10; ++c) CHECK(y.data()[(bi * 5 + t) * 10 + c] == y.data()[bi * 50 + c]);
  }
  CHECK_THROWS_AS(layers::AlphaDropout(0.5, TensorShape{None, 3})(Tensor::full({2, 4}, 1.0f), true), ValueError);
  Tensor x = random_tensor({3, 4, 2}, 9);
  check_gradients([&] { return layers::AlphaDropout(0.4, TensorShape{None, 1, 2}, 2)(x, true); }, {x});
  // rate 0 and 1 are the identity (tf.keras applies the noise only for 0 < rate < 1)
  check_close(layers::AlphaDropout(1.0)(x, true), x.to_vector(), 0.0);
  check_close(layers::AlphaDropout(0.0)(x, true), x.to_vector(), 0.0);
}

TEST_CASE("Noise layers: Keras 3 configs and round trips") {
  layers::GaussianNoise g(0.1, std::nullopt, "noise");
  json c = g->get_config();
  testing::check_key_order(c, {"name", "trainable", "dtype", "stddev", "seed"});
  CHECK(c["stddev"] == 0.1);
  CHECK(c["seed"].is_null());
  testing::check_config_round_trip(*g);
  testing::check_config_round_trip(*layers::GaussianNoise(0.25, 7));

  layers::GaussianDropout gd(0.15, 3);
  c = gd->get_config();
  testing::check_key_order(c, {"name", "trainable", "dtype", "rate", "seed"});
  CHECK(c["rate"] == 0.15);
  CHECK(c["seed"] == 3);
  testing::check_config_round_trip(*gd);

  layers::AlphaDropout ad(0.2, TensorShape{None, 1, 4}, 5);
  c = ad->get_config();
  testing::check_key_order(c, {"name", "trainable", "dtype", "rate", "seed", "noise_shape"});
  CHECK(c["noise_shape"] == json::parse("[null, 1, 4]"));
  testing::check_config_round_trip(*ad);
  CHECK(layers::AlphaDropout(0.1)->get_config()["noise_shape"].is_null());
  // tf.keras 2.x AlphaDropout has no noise_shape key; TFJS writes only rate
  auto tfk = layer_from_config("AlphaDropout", json{{"name", "ad"}, {"trainable", true}, {"rate", 0.1}, {"seed", nullptr}}, "config");
  CHECK(tfk->get_config()["rate"] == 0.1);
  CHECK(layer_from_config("GaussianNoise", json{{"stddev", 0.2}}, "config")->get_config()["stddev"] == 0.2);
}

TEST_CASE("Noise layers: bad arguments and configs") {
  CHECK_THROWS_WITH(layers::GaussianNoise(1.5), Catch::Contains("`stddev`") && Catch::Contains("between 0 and 1"));
  CHECK_THROWS_WITH(layers::GaussianDropout(-0.1), Catch::Contains("`rate`") && Catch::Contains("between 0 and 1"));
  CHECK_THROWS_WITH(layers::AlphaDropout(1.5), Catch::Contains("Invalid value received for argument `rate`"));
  CHECK_THROWS_AS(layers::AlphaDropout(std::nan("")), ValueError);
  CHECK_THROWS_AS(layers::AlphaDropout(0.5, TensorShape{None, 0}), ValueError);
  CHECK_THROWS_WITH(layer_from_config("GaussianNoise", json{{"stddev", 2.0}}, "config"),
                    Catch::StartsWith("config.config.stddev: expected a number between 0 and 1"));
  CHECK_THROWS_AS(layer_from_config("GaussianNoise", json::object(), "config"), ConfigError);
  CHECK_THROWS_AS(layer_from_config("GaussianDropout", json{{"rate", "high"}}, "config"), ConfigError);
  CHECK_THROWS_WITH(layer_from_config("GaussianDropout", json{{"rate", 0.1}, {"seed", -4}}, "config"),
                    Catch::StartsWith("config.config.seed"));
  CHECK_THROWS_WITH(layer_from_config("AlphaDropout", json{{"rate", 0.1}, {"noise_shape", {2, 0}}}, "config"),
                    Catch::StartsWith("config.config.noise_shape"));
  CHECK_THROWS_AS(layer_from_config("AlphaDropout", json{{"rate", 0.1}, {"noise_shape", "x"}}, "config"), ConfigError);
}
