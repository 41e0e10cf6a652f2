// Optimizers driven by a learning-rate schedule: the rate of each step, the config in Keras's layout,
// set_learning_rate refused, and Keras's end-to-end fit test.
#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/models/sequential.hpp>
#include <xkeras/optimizers.hpp>

#include "opt_helpers.hpp"

using namespace xkeras;
using namespace opttest;
namespace sch = xkeras::optimizers::schedules;

TEST_CASE("a schedule gives the rate at iterations before each step") {
  // SGD, w -= lr g with g = 1; lr = 0.1 * 0.5^step: steps 0, 1, 2 use 0.1, 0.05, 0.025.
  Optimizer opt = optimizers::SGD(sch::ExponentialDecay(0.1, 1, 0.5));
  CHECK(opt->has_schedule());
  CHECK(opt->learning_rate() == 0.1f);
  auto w = variable({1.0f});
  for (int i = 0; i < 3; ++i) {
    set_grad(w, {1.0f});
    opt->apply_gradients({w});
  }
  CHECK(w->value.item() == Approx(1.0 - 0.1 - 0.05 - 0.025).epsilon(1e-6));
  CHECK(opt->learning_rate() == Approx(0.0125f));  // the rate of the next step
  CHECK_FALSE(optimizers::SGD(0.1)->has_schedule());

  // Decoupled weight decay uses the scheduled rate too: zero gradients, w (1 - wd lr_t) per step.
  Optimizer adamw = optimizers::AdamW(sch::PiecewiseConstantDecay({0}, {1.0, 0.5}), 0.1f);
  auto v = variable({2.0f});
  for (int i = 0; i < 2; ++i) {
    set_grad(v, {0.0f});
    adamw->apply_gradients({v});
  }
  CHECK(v->value.item() == Approx(2.0 * (1 - 0.1) * (1 - 0.05)).epsilon(1e-6));
}

TEST_CASE("set_learning_rate is refused when a schedule is set") {
  Optimizer opt = optimizers::Adam(sch::CosineDecay(0.1, 100));
  CHECK_THROWS_AS(opt->set_learning_rate(0.5f), ValueError);
  CHECK_THROWS_WITH(opt->set_learning_rate(0.5f), Catch::Contains("\"adam\"") && Catch::Contains("CosineDecay"));
  Optimizer plain = optimizers::Adam(0.1);
  plain->set_learning_rate(0.5f);
  CHECK(plain->learning_rate() == 0.5f);
}

TEST_CASE("an optimizer's schedule is written in Keras's layout and read back") {
  const Optimizer opt = optimizers::Nadam(sch::ExponentialDecay(0.1, 1000, 0.96), 0.8f);
  const json j = opt.to_json();
  const json want_lr = json::parse(R"({"module": "keras.optimizers.schedules", "class_name": "ExponentialDecay",
      "config": {"initial_learning_rate": 0.1, "decay_steps": 1000, "decay_rate": 0.96, "staircase": false,
      "name": "ExponentialDecay"}, "registered_name": null})");
  CHECK(j["config"]["learning_rate"] == want_lr);
  const Optimizer back = Optimizer::from_json(json::parse(j.dump()), "compile_config.optimizer");
  CHECK(back->has_schedule());
  CHECK(back.to_json() == j);

  // tf.keras 2.x: {"class_name", "config"} without "module".
  const json tf2 = json::parse(R"({"class_name": "Adam", "config": {"name": "Adam", "learning_rate":
      {"class_name": "PolynomialDecay", "config": {"initial_learning_rate": 0.01, "decay_steps": 10,
      "end_learning_rate": 0.001, "power": 1.0, "cycle": false, "name": null}}, "beta_1": 0.9}})");
  const Optimizer adam = Optimizer::from_json(tf2, "o");
  REQUIRE(adam->has_schedule());
  CHECK(adam->learning_rate() == 0.01f);
  CHECK(adam->schedule()->class_name() == "PolynomialDecay");

  json bad = j;
  bad["config"]["learning_rate"]["config"]["decay_rate"] = nullptr;
  CHECK_THROWS_WITH(Optimizer::from_json(bad, "o"), Catch::StartsWith("o.config.learning_rate.config.decay_rate:"));
}

TEST_CASE("every new optimizer's config has Keras's keys in Keras's order") {
  const std::vector<std::string> base{"name", "learning_rate", "weight_decay", "clipnorm", "global_clipnorm",
                                      "clipvalue", "use_ema", "ema_momentum", "ema_overwrite_frequency",
                                      "loss_scale_factor", "gradient_accumulation_steps"};
  const std::vector<std::pair<Optimizer, std::vector<std::string>>> cases{
      {optimizers::AdamW(), {"beta_1", "beta_2", "epsilon", "amsgrad"}},
      {optimizers::Adagrad(), {"initial_accumulator_value", "epsilon"}},
      {optimizers::Adadelta(), {"rho", "epsilon"}},
      {optimizers::Adamax(), {"beta_1", "beta_2", "epsilon"}},
      {optimizers::Nadam(), {"beta_1", "beta_2", "epsilon"}},
      {optimizers::Lion(), {"beta_1", "beta_2"}},
      {optimizers::Ftrl(), {"learning_rate_power", "initial_accumulator_value", "l1_regularization_strength",
                            "l2_regularization_strength", "l2_shrinkage_regularization_strength", "beta"}}};
  for (const auto& [opt, own] : cases) {
    INFO(opt->class_name());
    std::vector<std::string> want = base, got;
    want.insert(want.end(), own.begin(), own.end());
    const json c = opt->get_config();
    for (const auto& item : c.items()) got.push_back(item.key());
    CHECK(got == want);
    CHECK(Optimizer::from_json(json::parse(opt.to_json().dump()), "o").to_json() == opt.to_json());
  }
  // Keras's defaults, as its configs show them.
  CHECK(optimizers::AdamW()->get_config()["weight_decay"] == 0.004);
  CHECK(optimizers::Adadelta()->get_config()["rho"] == 0.95);
  CHECK(optimizers::Lion()->get_config()["beta_2"] == 0.99);
  CHECK(optimizers::Ftrl()->get_config()["learning_rate_power"] == -0.5);
  CHECK(optimizers::Adagrad()->get_config()["initial_accumulator_value"] == 0.1);
  // A value the optimizer refuses, read from a file, is a ConfigError naming the config.
  json lion = optimizers::Lion().to_json();
  lion["config"]["beta_1"] = 0.0;
  CHECK_THROWS_WITH(Optimizer::from_json(lion, "o"), Catch::StartsWith("o.config: Lion: argument `beta_1`"));
  json adamw = optimizers::AdamW().to_json();
  adamw["config"]["weight_decay"] = nullptr;
  CHECK_THROWS_WITH(Optimizer::from_json(adamw, "o"), Catch::StartsWith("o.config.weight_decay:"));
}

TEST_CASE("fit with an ExponentialDecay Adam gives Keras's losses") {
  // learning_rate_schedule_test.py TestFitLRSchedulesFlow::test_fit_lr_correctness.
  Sequential m({layers::Input({2}), layers::Dense(2, {.kernel_initializer = "ones", .bias_initializer = "ones"})});
  Optimizer opt = optimizers::Adam(sch::ExponentialDecay(0.05, 1, 0.9));
  m.compile(opt, "mse");
  std::vector<float> v(32);
  for (int i = 0; i < 32; ++i) v[i] = static_cast<float>(i);
  const Tensor x = Tensor::from({16, 2}, v), y = Tensor::from({16, 2}, v);
  const History h = m.fit(x, y, FitOptions{.epochs = 3, .batch_size = 4, .shuffle = false, .verbose = 0});
  CHECK(opt->iterations() == 4 * 3);
  const std::vector<double> want{230.79457092285156, 128.30319213867188, 79.33648681640625};
  REQUIRE(h["loss"].size() == 3);
  for (int e = 0; e < 3; ++e) CHECK(h["loss"][e] == Approx(want[e]).epsilon(5e-5));
}
