// SpatialDropout1D/2D/3D: whole feature maps kept (scaled by 1/(1-rate)) or zeroed, Keras's tests.
#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/tape.hpp>

#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

namespace {
// Every value of y (a spatial-dropout output on ones) is 0 or 1/(1-rate), and it is the same for all
// positions of one (sample, channel) map. `channel_axis` 1 or last.
void check_whole_maps(const Tensor& y, std::size_t channel_axis, double rate) {
  const Shape s = y.shape();
  std::vector<std::size_t> strides(s.size(), 1);
  for (std::size_t d = s.size() - 1; d-- > 0;) strides[d] = strides[d + 1] * s[d + 1];
  std::vector<float> first(s[0] * s[channel_axis], -1.0f);
  std::size_t zeros = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const std::size_t b = i / strides[0], c = (i / strides[channel_axis]) % s[channel_axis];
    const float v = y.data()[i];
    CHECK((v == 0.0f || v == Approx(1.0 / (1.0 - rate)).epsilon(1e-6)));
    float& f = first[b * s[channel_axis] + c];
    if (f < 0) {
      f = v;
      if (v == 0.0f) ++zeros;
    }
    CHECK(v == f);
  }
  const double n = double(first.size());
  CHECK(double(zeros) / n == Approx(rate).margin(4 * std::sqrt(rate * (1 - rate) / n) + 1e-9));
}
}  // namespace

TEST_CASE("SpatialDropout: identity at inference, ranks checked, built at construction") {
  layers::SpatialDropout1D d1(0.5);
  layers::SpatialDropout2D d2(0.5);
  layers::SpatialDropout3D d3(0.5);
  CHECK(d1->class_name() == "SpatialDropout1D");
  CHECK(d2->class_name() == "SpatialDropout2D");
  CHECK(d3->class_name() == "SpatialDropout3D");
  const Tensor x3 = random_tensor({2, 3, 4}, 1), x4 = random_tensor({2, 3, 4, 5}, 2), x5 = random_tensor({2, 3, 4, 4, 5}, 3);
  CHECK(d1(x3, false).impl() == x3.impl());
  CHECK(d2(x4, false).impl() == x4.impl());
  CHECK(d3(x5, false).impl() == x5.impl());
  testing::check_output_shape(*d2, {x4});
  CHECK(d1->built());
  CHECK_THROWS_WITH(d1(x4, true), Catch::Contains("expected ndim=3"));
  CHECK_THROWS_AS(d2(Input({3, 2})), ValueError);
  CHECK(d2(Input({3, 2, 4})).shape() == TensorShape{None, 3, 2, 4});  // Keras's dynamic test
}

TEST_CASE("SpatialDropout1D: whole channels dropped for all time steps (Keras correctness test)") {
  layers::SpatialDropout1D d(0.5, 7);
  const Tensor y = d(Tensor::full({10, 3, 10}, 1.0f), true);
  for (std::size_t b = 0; b < 10; ++b)
    for (std::size_t c = 0; c < 10; ++c) CHECK(y.data()[b * 30 + c] == y.data()[b * 30 + 10 + c]);
  layers::SpatialDropout1D big(0.3, 8);
  check_whole_maps(big(Tensor::full({200, 4, 50}, 1.0f), true), 2, 0.3);
}

TEST_CASE("SpatialDropout2D / 3D: channels_last and channels_first maps") {
  check_whole_maps(layers::SpatialDropout2D(0.5, "", 1)(Tensor::full({100, 3, 3, 40}, 1.0f), true), 3, 0.5);
  check_whole_maps(layers::SpatialDropout2D(0.25, "channels_first", 2)(Tensor::full({100, 40, 3, 2}, 1.0f), true), 1, 0.25);
  check_whole_maps(layers::SpatialDropout3D(0.5, "channels_last", 3)(Tensor::full({50, 2, 2, 3, 40}, 1.0f), true), 4, 0.5);
  check_whole_maps(layers::SpatialDropout3D(0.4, "channels_first", 4)(Tensor::full({50, 40, 2, 3, 2}, 1.0f), true), 1, 0.4);
  // rate 1 gives zeros, rate 0 the identity
  for (float v : layers::SpatialDropout2D(1.0)(Tensor::full({2, 2, 2, 3}, 1.0f), true).to_vector()) CHECK(v == 0.0f);
  const Tensor x = random_tensor({2, 2, 2, 3}, 4);
  check_close(layers::SpatialDropout2D(0.0)(x, true), x.to_vector(), 0.0);
}

TEST_CASE("SpatialDropout: the gradient is the same mask") {
  Tensor x = random_tensor({3, 4, 5}, 5, 0.5f, 1.5f);
  check_gradients([&] { return layers::SpatialDropout1D(0.5, 12)(x, true); }, {x});
  Tensor x4 = random_tensor({2, 3, 3, 4}, 6, 0.5f, 1.5f);
  x4.set_requires_grad(true);
  x4.zero_grad();
  Tape::current().clear();
  const Tensor y = layers::SpatialDropout2D(0.5, "", 13)(x4, true);
  Tape::current().backward(y);
  const Array g = x4.grad();
  for (std::size_t i = 0; i < x4.size(); ++i) CHECK(g.data()[i] == Approx(y.data()[i] / x4.data()[i]).epsilon(1e-6));
}

TEST_CASE("SpatialDropout: Keras 3 configs without the base keys, tf.keras configs read") {
  layers::SpatialDropout1D d1(0.2, std::nullopt, "sd1");
  json c = d1->get_config();
  CHECK(c == json::parse(R"({"rate": 0.2, "seed": null, "name": "sd1", "dtype": "float32"})"));
  testing::check_config_round_trip(*d1);
  layers::SpatialDropout2D d2(0.3, "channels_first", 4, "sd2");
  CHECK(d2->get_config() ==
        json::parse(R"({"rate": 0.3, "seed": 4, "name": "sd2", "dtype": "float32", "data_format": "channels_first"})"));
  testing::check_config_round_trip(*d2);
  layers::SpatialDropout3D d3(0.1);
  testing::check_key_order(d3->get_config(), {"rate", "seed", "name", "dtype", "data_format"});
  CHECK(d3->get_config()["data_format"] == "channels_last");
  testing::check_config_round_trip(*d3);
  // tf.keras 2.x: Dropout's config (noise_shape null) and no data_format for SpatialDropout2D
  const json tfk = json::parse(R"({"name": "spatial_dropout2d", "trainable": true, "dtype": "float32", "rate": 0.5,
                                   "noise_shape": null, "seed": null})");
  LayerPtr l = layer_from_config("SpatialDropout2D", tfk, "config");
  CHECK(l->get_config()["data_format"] == "channels_last");
  CHECK(l->get_config()["rate"] == 0.5);
}

TEST_CASE("SpatialDropout: bad arguments and configs") {
  CHECK_THROWS_WITH(layers::SpatialDropout1D(1.2), Catch::Contains("between 0 and 1"));
  CHECK_THROWS_WITH(layers::SpatialDropout2D(0.1, "channels_middle"), Catch::Contains("data_format"));
  CHECK_THROWS_WITH(layer_from_config("SpatialDropout3D", json{{"rate", 0.1}, {"data_format", "nhwc"}}, "config"),
                    Catch::StartsWith("config.config.data_format"));
  CHECK_THROWS_WITH(layer_from_config("SpatialDropout1D", json{{"rate", -1}}, "config"), Catch::StartsWith("config.config.rate"));
  CHECK_THROWS_AS(layer_from_config("SpatialDropout2D", json{{"rate", 0.1}, {"seed", "x"}}, "config"), ConfigError);
}
