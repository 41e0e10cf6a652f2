// BatchNormalization layer: weights, training/inference modes, moving statistics, frozen layers,
// gradients through the layer, config round trips (Keras 3 and tf.keras) and errors.
#include <catch2/catch.hpp>

#include <cmath>

#include <xkeras/config.hpp>
#include <xkeras/errors.hpp>
#include <xkeras/layers/batch_normalization.hpp>
#include <xkeras/models/model.hpp>
#include <xkeras/registry.hpp>

#include "support/gradcheck.hpp"

using namespace xkeras;
using Catch::Matchers::Contains;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

namespace {

std::vector<std::string> names(const std::vector<VariablePtr>& ws) {
  std::vector<std::string> out;
  for (const auto& w : ws) out.push_back(w->name);
  return out;
}

std::vector<float> values(const VariablePtr& v) { return v->value.to_vector(); }

}  // namespace

TEST_CASE("BatchNormalization weights: names, order, shapes and trainability") {
  auto bn = layers::BatchNormalization();
  bn(Tensor::zeros({2, 3, 3, 5}));
  CHECK(names(bn->weights()) == std::vector<std::string>{"gamma", "beta", "moving_mean", "moving_variance"});
  CHECK(names(bn->trainable_weights()) == std::vector<std::string>{"gamma", "beta"});
  CHECK(names(bn->non_trainable_weights()) == std::vector<std::string>{"moving_mean", "moving_variance"});
  for (const auto& w : bn->weights()) CHECK(w->shape() == Shape{5});
  CHECK(values(bn->gamma()) == std::vector<float>(5, 1.0f));
  CHECK(values(bn->beta()) == std::vector<float>(5, 0.0f));
  CHECK(values(bn->moving_mean()) == std::vector<float>(5, 0.0f));
  CHECK(values(bn->moving_variance()) == std::vector<float>(5, 1.0f));
  CHECK(bn->count_params() == 20);

  // test_bn_basics: center=False, scale=False -> 0 trainable, 2 non-trainable weights.
  auto bare = layers::BatchNormalization({.center = false, .scale = false});
  bare(Tensor::zeros({2, 3}));
  CHECK(bare->trainable_weights().empty());
  CHECK(names(bare->weights()) == std::vector<std::string>{"moving_mean", "moving_variance"});

  auto only_scale = layers::BatchNormalization({.center = false});
  only_scale(Tensor::zeros({2, 3}));
  CHECK(names(only_scale->weights()) == std::vector<std::string>{"gamma", "moving_mean", "moving_variance"});
}

TEST_CASE("BatchNormalization with momentum 0 stores the batch mean and biased variance") {
  // test_bachnorm_ignore_masked_values (unmasked rows): [1, 5], [2, 5] -> mean [1.5, 5], var [0.25, 0].
  auto bn = layers::BatchNormalization({.momentum = 0.0f});
  Tensor x = Tensor::from({2, 2}, {1, 5, 2, 5});
  Tensor y = bn(x, true);
  check_close(bn->moving_mean()->value, {1.5f, 5.0f});
  check_close(bn->moving_variance()->value, {0.25f, 0.0f});
  // Training output: (x - mean) / sqrt(var + 1e-3).
  const float s = std::sqrt(0.25f + 1e-3f);
  check_close(y, {-0.5f / s, 0.0f, 0.5f / s, 0.0f});
  // With momentum 0, inference after training equals the training output (test_correctness).
  check_close(bn(x, false), y.to_vector(), 1e-5);
}

TEST_CASE("BatchNormalization moving statistics follow m = m*momentum + batch*(1-momentum)") {
  auto bn = layers::BatchNormalization({.momentum = 0.9f});
  std::vector<double> mm(3, 0.0), mv(3, 1.0);  // the initial moving_mean / moving_variance
  for (unsigned step = 0; step < 4; ++step) {
    Tensor x = random_tensor({5, 3}, 20 + step, -1.0f + float(step), 2.0f + 2.0f * float(step));
    bn(x, true);
    for (std::size_t c = 0; c < 3; ++c) {
      double mean = 0, var = 0;
      for (std::size_t r = 0; r < 5; ++r) mean += x.data()[r * 3 + c] / 5.0;
      for (std::size_t r = 0; r < 5; ++r) var += std::pow(x.data()[r * 3 + c] - mean, 2) / 5.0;  // biased
      mm[c] = mm[c] * 0.9 + mean * 0.1;
      mv[c] = mv[c] * 0.9 + var * 0.1;
    }
  }
  for (std::size_t c = 0; c < 3; ++c) {
    CHECK(bn->moving_mean()->value.data()[c] == Approx(mm[c]).epsilon(1e-5));
    CHECK(bn->moving_variance()->value.data()[c] == Approx(mv[c]).epsilon(1e-5));
  }
  // Inference calls leave the statistics alone.
  bn(random_tensor({5, 3}, 30), false);
  CHECK(bn->moving_mean()->value.data()[0] == Approx(mm[0]).epsilon(1e-5));
}

TEST_CASE("BatchNormalization inference uses the moving statistics, gamma and beta") {
  auto bn = layers::BatchNormalization({.axis = 1, .epsilon = 1e-7f});
  Tensor x = Tensor::from({2, 3}, {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f});
  bn(x);
  // Weights in Keras order [gamma, beta, moving_mean, moving_variance]: the ops test's values.
  bn->set_weights({Array(xt::xarray<float>{10, 20, 30}), Array(xt::xarray<float>{5, 10, 15}),
                   Array(xt::xarray<float>{0.2f, 0.3f, 0.4f}), Array(xt::xarray<float>{4, 16, 64})});
  check_close(bn(x, false), {4.5f, 9.5f, 14.625f, 6.0f, 11.0f, 15.75f});
}

TEST_CASE("A frozen BatchNormalization runs in inference mode even with training=true") {
  // test_trainable_behavior: momentum 0.8, epsilon 1e-7, trainable=False, fresh weights -> y == x.
  auto bn = layers::BatchNormalization({.momentum = 0.8f, .epsilon = 1e-7f});
  bn->set_trainable(false);
  Tensor x = random_tensor({4, 3}, 40, -3.0f, 5.0f);
  Tensor y = bn(x, true);
  check_close(y, x.to_vector(), 1e-5);
  CHECK(values(bn->moving_mean()) == std::vector<float>(3, 0.0f));
  CHECK(values(bn->moving_variance()) == std::vector<float>(3, 1.0f));
  CHECK(bn->trainable_weights().empty());

  // Unfrozen again, the same call normalizes with the batch statistics and updates them.
  bn->set_trainable(true);
  Tensor z = bn(x, true);
  double mean0 = 0;
  for (std::size_t r = 0; r < 4; ++r) mean0 += x.data()[r * 3] / 4.0;
  CHECK(bn->moving_mean()->value.data()[0] == Approx(0.2 * mean0).epsilon(1e-5));
  double s = 0;
  for (std::size_t r = 0; r < 4; ++r) s += z.data()[r * 3];
  CHECK(std::fabs(s) < 1e-4);
}

TEST_CASE("BatchNormalization gradients of the input, gamma and beta through the layer") {
  auto bn = layers::BatchNormalization();
  Tensor x = random_tensor({3, 2, 2, 3}, 50, -2.0f, 2.0f);
  bn(x);
  bn->set_weights({Array(xt::xarray<float>{0.5f, 1.5f, 2.0f}), Array(xt::xarray<float>{0.1f, -0.2f, 0.3f}),
                   Array(xt::xarray<float>{0.1f, 0.2f, -0.1f}), Array(xt::xarray<float>{0.5f, 2.0f, 1.0f})});
  SECTION("training mode") {
    check_gradients([&] { return bn(x, true); }, {x, bn->gamma()->value, bn->beta()->value}, 1e-2, 2e-2, 3e-3);
  }
  SECTION("inference mode") {
    check_gradients([&] { return bn(x, false); }, {x, bn->gamma()->value, bn->beta()->value});
  }
}

TEST_CASE("BatchNormalization forward/backward pair on the layer") {
  auto bn = layers::BatchNormalization({.center = false, .scale = false});
  Tensor x = Tensor::from({2, 1}, {1.0f, 3.0f});
  Tensor y = bn->forward(x, true);
  // y = (x - 2) / sqrt(1 + eps): for two samples dL/dx is zero when dL/dy is constant.
  Tensor dx = bn->backward(Tensor::from({2, 1}, {1.0f, 1.0f}).value());
  check_close(dx, {0.0f, 0.0f}, 1e-6);
  CHECK(y.data()[1] == Approx(1.0 / std::sqrt(1.001)).epsilon(1e-5));
}

TEST_CASE("BatchNormalization symbolic shapes and input checks") {
  auto bn = layers::BatchNormalization();
  KerasTensor out = bn(xkeras::Input({8, 8, 4}));
  CHECK(out.shape() == TensorShape{None, 8, 8, 4});
  CHECK_THROWS_WITH(bn(Tensor::zeros({2, 8, 8, 3})), Contains("expected axis -1 of input shape to have value 4"));
  CHECK_THROWS_AS(bn(Tensor::zeros({2, 4})), ValueError);
  CHECK_THROWS_AS(layers::BatchNormalization(3)(Tensor::zeros({2, 4})), ValueError);
  CHECK_THROWS_AS(layers::BatchNormalization({.epsilon = -1.0f}), ValueError);
}

TEST_CASE("BatchNormalization config: Keras 3 keys and a round trip through the registry") {
  auto bn = layers::BatchNormalization({.axis = 1, .momentum = 0.9f, .epsilon = 1e-5f, .center = false,
                                        .gamma_regularizer = "l2", .gamma_constraint = "non_neg", .name = "bn"});
  const json c = bn->get_config();
  CHECK(c["name"] == "bn");
  CHECK(c["trainable"] == true);
  CHECK(c["axis"] == 1);
  CHECK(c["momentum"] == 0.9);
  CHECK(c["epsilon"] == 1e-5);
  CHECK(c["center"] == false);
  CHECK(c["scale"] == true);
  CHECK(c["beta_initializer"]["class_name"] == "Zeros");
  CHECK(c["gamma_initializer"]["class_name"] == "Ones");
  CHECK(c["moving_mean_initializer"]["class_name"] == "Zeros");
  CHECK(c["moving_variance_initializer"]["class_name"] == "Ones");
  CHECK(c["beta_regularizer"].is_null());
  CHECK(c["gamma_regularizer"] == json::parse(R"({"module": "keras.regularizers", "class_name": "L2",
                                                  "config": {"l2": 0.01}, "registered_name": null})"));
  CHECK(c["beta_constraint"].is_null());
  CHECK(c["gamma_constraint"]["class_name"] == "NonNeg");
  CHECK(c["synchronized"] == false);
  CHECK(c.size() == 17);

  LayerPtr again = layer_from_config("BatchNormalization", c, "config");
  CHECK(again->get_config() == c);
  // The loaded layer behaves identically.
  Tensor x = random_tensor({4, 3, 2}, 60);
  bn(x, true);
  (*again)(x);
  again->set_weights(bn->get_weights());
  check_close((*again)(x, false), bn(x, false).to_vector(), 1e-6);
}

TEST_CASE("BatchNormalization reads tf.keras configs and refuses unsupported features") {
  // A tf.keras 2.x config: axis written as a list after build, fused/renorm keys, no synchronized.
  const json tfk = json::parse(R"({"name": "batch_normalization", "trainable": true, "dtype": "float32",
    "axis": [3], "momentum": 0.99, "epsilon": 0.001, "center": true, "scale": true,
    "beta_initializer": {"class_name": "Zeros", "config": {}}, "gamma_initializer": {"class_name": "Ones", "config": {}},
    "moving_mean_initializer": {"class_name": "Zeros", "config": {}},
    "moving_variance_initializer": {"class_name": "Ones", "config": {}},
    "beta_regularizer": null, "gamma_regularizer": {"class_name": "L1L2", "config": {"l1": 0.0, "l2": 0.01}},
    "beta_constraint": null, "gamma_constraint": null,
    "fused": true, "renorm": false, "renorm_clipping": null, "renorm_momentum": 0.99, "virtual_batch_size": null,
    "adjustment": null})");
  auto layer = std::dynamic_pointer_cast<layers::BatchNormalizationImpl>(layer_from_config("BatchNormalization", tfk, "config"));
  REQUIRE(layer);
  CHECK(layer->axis() == 3);
  CHECK(layer->get_config()["gamma_regularizer"]["class_name"] == "L1L2");
  (*layer)(Tensor::zeros({1, 2, 2, 4}));
  CHECK(layer->gamma()->shape() == Shape{4});

  auto fails_at = [](json c, const std::string& where) {
    try {
      layer_from_config("BatchNormalization", c, "config.layers[2]");
      FAIL("expected a ConfigError");
    } catch (const ConfigError& e) {
      CHECK(e.path() == "config.layers[2].config." + where);
    }
  };
  json c = tfk;
  c["renorm"] = true;
  fails_at(c, "renorm");
  c = tfk;
  c["synchronized"] = "yes";
  fails_at(c, "synchronized");
  c = tfk;
  c["axis"] = json::array({1, 2});
  fails_at(c, "axis");
  c = tfk;
  c["momentum"] = "fast";
  fails_at(c, "momentum");
  c = tfk;
  c["gamma_regularizer"] = {{"class_name", "L2"}, {"config", {{"l2", -0.5}}}};
  fails_at(c, "gamma_regularizer.config.l2");
  c = tfk;
  c["beta_constraint"] = "no_such_constraint";
  fails_at(c, "beta_constraint");
}

TEST_CASE("BatchNormalization regularization losses and constraints are attached to gamma and beta") {
  auto bn = layers::BatchNormalization({.beta_regularizer = "l1", .gamma_regularizer = regularizers::L2(0.5f),
                                        .beta_constraint = constraints::NonNeg()});
  bn(Tensor::zeros({2, 2}));
  bn->set_weights({Array(xt::xarray<float>{1, 2}), Array(xt::xarray<float>{-3, 4}), Array(xt::xarray<float>{0, 0}),
                   Array(xt::xarray<float>{1, 1})});
  auto losses = bn->regularization_losses();
  REQUIRE(losses.size() == 2);
  CHECK(losses[0].item() == Approx(0.5 * 5));   // gamma: 0.5 * (1 + 4)
  CHECK(losses[1].item() == Approx(0.01 * 7));  // beta: 0.01 * (3 + 4)
  bn->beta()->constraint.apply(bn->beta()->value.mutable_value());
  CHECK(values(bn->beta()) == std::vector<float>{0, 4});
  CHECK_FALSE(bn->moving_mean()->regularizer);
}
