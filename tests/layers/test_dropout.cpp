#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/tape.hpp>

#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::random_tensor;

TEST_CASE("Dropout: inference is the identity") {
  layers::Dropout d(0.5);
  const Tensor x = random_tensor({4, 6}, 1);
  const Tensor y = d(x, false);
  check_close(y, x.to_vector(), 0.0);
  testing::check_output_shape(*d, {x});
}

TEST_CASE("Dropout: training drops about `rate` and scales the rest by 1/(1-rate)") {
  set_random_seed(7);
  layers::Dropout d(0.3);
  const Tensor x = Tensor::full({100, 100}, 1.0f);
  const Tensor y = d(x, true);
  std::size_t zeros = 0;
  for (float v : y.to_vector()) {
    if (v == 0.0f) ++zeros;
    else CHECK(v == Approx(1.0f / 0.7f).epsilon(1e-6));
  }
  const double frac = double(zeros) / 10000.0;
  CHECK(frac > 0.27);
  CHECK(frac < 0.33);
}

TEST_CASE("Dropout: rate 1 gives zeros, rate 0 the identity") {
  const Tensor x = random_tensor({3, 5}, 2);
  for (float v : layers::Dropout(1.0)(x, true).to_vector()) CHECK(v == 0.0f);
  check_close(layers::Dropout(0.0)(x, true), x.to_vector(), 0.0);
}

TEST_CASE("Dropout: the mask is on the tape, so gradients flow through kept entries only") {
  layers::Dropout d(0.5, 3);
  Tensor x = random_tensor({6, 7}, 4, 0.5f, 1.5f);  // no zeros, so kept entries are recognisable
  x.set_requires_grad(true);
  Tape::current().clear();
  const Tensor y = d(x, true);
  Tape::current().backward(y);
  const Array g = x.grad();
  for (std::size_t i = 0; i < x.size(); ++i) {
    const float mask = y.data()[i] / x.data()[i];  // 0 or 2
    CHECK(g.data()[i] == Approx(mask).margin(1e-6));
    CHECK((y.data()[i] == 0.0f || y.data()[i] == Approx(2.0f * x.data()[i])));
  }
}

TEST_CASE("Dropout: a seed makes the masks reproducible per layer") {
  const Tensor x = Tensor::full({8, 8}, 1.0f);
  layers::Dropout a(0.5, 42), b(0.5, 42);
  const Tensor ya = a(x, true), yb = b(x, true);
  CHECK(ya.to_vector() == yb.to_vector());
  // the generator advances: the next mask differs
  CHECK(a(x, true).to_vector() != ya.to_vector());
}

TEST_CASE("Dropout: noise_shape shares the mask along its size-1 axes") {
  layers::Dropout d(0.5, 11, TensorShape{None, 1, 4});
  const Tensor x = Tensor::full({3, 5, 4}, 1.0f);
  const Tensor y = d(x, true);
  for (std::size_t b = 0; b < 3; ++b)
    for (std::size_t i = 1; i < 5; ++i)
      for (std::size_t j = 0; j < 4; ++j) CHECK(y.data()[(b * 5 + i) * 4 + j] == y.data()[(b * 5) * 4 + j]);
  CHECK_THROWS_AS(d(Tensor::full({3, 5, 3}, 1.0f), true), ValueError);
}

TEST_CASE("Dropout: config (Keras 3 order) and round trip") {
  layers::Dropout d(0.15, std::nullopt, std::nullopt, "drop");
  const json c = d->get_config();
  testing::check_key_order(c, {"name", "trainable", "dtype", "rate", "seed", "noise_shape"});
  CHECK(c["rate"] == 0.15);  // the real Keras 3 dump: "rate": 0.15, "seed": null, "noise_shape": null
  CHECK(c["seed"].is_null());
  CHECK(c["noise_shape"].is_null());
  testing::check_config_round_trip(*d);
  layers::Dropout s(0.25, 5, TensorShape{None, 1});
  CHECK(s->get_config()["noise_shape"] == json::parse("[null, 1]"));
  CHECK(s->get_config()["seed"] == 5);
  testing::check_config_round_trip(*s);
  s(Input({3}));
  CHECK(s->build_config().is_null());
}

TEST_CASE("Dropout: rate outside [0, 1] is a ValueError") {
  CHECK_THROWS_WITH(layers::Dropout(1.5), Catch::Contains("rate") && Catch::Contains("between 0 and 1"));
  CHECK_THROWS_AS(layers::Dropout(-0.1), ValueError);
  CHECK_THROWS_AS(layers::Dropout(std::nan("")), ValueError);
  CHECK_THROWS_AS(layer_from_config("Dropout", json{{"rate", 2.0}}, "config"), ConfigError);
  CHECK_THROWS_AS(layer_from_config("Dropout", json::object(), "config"), ConfigError);
  CHECK_THROWS_AS(layer_from_config("Dropout", json{{"rate", 0.1}, {"seed", -1}}, "config"), ConfigError);
}
