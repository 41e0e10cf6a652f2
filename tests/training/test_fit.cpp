// compile / fit / evaluate / predict / train_on_batch on small models.
#include <catch2/catch.hpp>

#include <cmath>
#include <iostream>
#include <regex>
#include <sstream>

#include <xkeras/errors.hpp>
#include <xkeras/initializers.hpp>
#include <xkeras/layers/dense.hpp>
#include <xkeras/layers/input_layer.hpp>
#include <xkeras/models/model.hpp>
#include <xkeras/models/sequential.hpp>
#include <xkeras/tape.hpp>

#include "../../models/compiled_state.hpp"
#include "support/cout_capture.hpp"
#include "support/gradcheck.hpp"
#include "training/tiny_layers.hpp"

using namespace xkeras;
using xkeras::testing::random_tensor;
using xkeras::testing::SquarePenalty;
using xkeras::testing::SumInputs;
using xkeras::testing::TinyDense;

namespace {

using xkeras::testing::CoutCapture;

// y = x . [1, -2, 0.5, 3] + 0.25, x uniform in [-1, 1)
std::pair<Tensor, Tensor> regression_data(std::size_t n, unsigned seed) {
  Tensor x = random_tensor({n, 4}, seed);
  std::vector<float> y(n);
  const float w[4] = {1, -2, 0.5f, 3};
  for (std::size_t i = 0; i < n; ++i) {
    y[i] = 0.25f;
    for (int j = 0; j < 4; ++j) y[i] += w[j] * x.data()[i * 4 + j];
  }
  return {x, Tensor::from({n, 1}, y)};
}

Model linear_model(int in, int units, Initializer init = "glorot_uniform", Regularizer reg = {}) {
  auto x = Input({in});
  auto d = make_layer<TinyDense>(units, init, reg);
  return Model(x, d(x));
}

// Targets equal to the row index; a zero model predicts 0, so the MSE reveals which rows were used.
std::pair<Tensor, Tensor> index_data(std::size_t n) {
  std::vector<float> y(n);
  for (std::size_t i = 0; i < n; ++i) y[i] = static_cast<float>(i);
  return {Tensor::full({n, 1}, 1.0f), Tensor::from({n, 1}, y)};
}

}  // namespace

TEST_CASE("fit reaches a low loss on a synthetic regression with a fixed seed") {
  set_random_seed(7);
  auto [x, y] = regression_data(256, 3);
  Model m = linear_model(4, 1);
  m.compile(optimizers::Adam(0.05f), "mse", {"mae"});
  History h = m.fit(x, y, {.epochs = 40, .batch_size = 32, .verbose = 0});
  REQUIRE(h["loss"].size() == 40);
  CHECK(h["loss"].front() > 0.5);
  CHECK(h["loss"].back() < 1e-3);
  CHECK(h["mae"].back() < 0.03);
  const auto r = m.evaluate(x, y);
  CHECK(r.at("loss") < 1e-3);
}

TEST_CASE("fit before compile is an error, and so are bad arguments") {
  Model m = linear_model(4, 1);
  auto [x, y] = regression_data(10, 1);
  CHECK_THROWS_WITH(m.fit(x, y), "You must call compile() before fit()");
  CHECK_THROWS_WITH(m.evaluate(x, y), "You must call compile() before evaluate()");
  CHECK_THROWS_WITH(m.train_on_batch(x, y), "You must call compile() before train_on_batch()");
  m.compile("sgd", "mse");
  CHECK_THROWS_WITH(m.fit(x, Tensor::zeros({9, 1}), {.verbose = 0}),
                    Catch::Contains("data cardinality is ambiguous") && Catch::Contains("'x' sizes: 10 'y' sizes: 9"));
  CHECK_THROWS_WITH(m.fit(x, y, {.batch_size = 0, .verbose = 0}), Catch::Contains("batch_size must be a positive integer"));
  CHECK_THROWS_WITH(m.fit(x, y, {.verbose = 3}), Catch::Contains("verbose must be 0, 1 or 2"));
  CHECK_THROWS_WITH(m.fit(Tensors{x, x}, Tensors{y}, {.verbose = 0}),
                    Catch::Contains("expected 1 input array(s) in x, but received 2"));
  CHECK_THROWS_WITH(m.fit(Tensors{x}, Tensors{y, y}, {.verbose = 0}),
                    Catch::Contains("expected 1 target array(s) in y (one per output), but received 2"));
  CHECK_THROWS_WITH(m.fit(x, Tensor::zeros({10, 3}), {.verbose = 0}),
                    Catch::Contains("y_true and y_pred must have the same shape") && Catch::Contains("(10, 3)"));
  CHECK_THROWS_WITH(m.fit(x, y, {.validation_split = 1.5, .verbose = 0}), Catch::Contains("validation_split"));
  CHECK_THROWS_AS(m.predict(x, 0), ValueError);
  CHECK_THROWS_WITH(m.compile("adam", std::vector<Loss>{"mse", "mse"}), Catch::Contains("has 1 outputs, but compile() received 2 losses"));
}

TEST_CASE("History: Keras's key order, epochs, params, and the loss as a batch-size weighted mean") {
  auto [x, y] = index_data(10);
  Model m = linear_model(1, 1, "zeros");
  m.compile(optimizers::SGD(0.0f), "mse", {"mae"});  // lr 0: the model stays at 0
  History h = m.fit(x, y, {.epochs = 3, .batch_size = 3, .validation_split = 0.2, .shuffle = false, .verbose = 0});
  CHECK(h.keys == std::vector<std::string>{"loss", "mae", "val_loss", "val_mae"});
  CHECK(h.epoch == std::vector<int>{0, 1, 2});
  CHECK(h.params == json{{"verbose", 0}, {"epochs", 3}, {"steps", 3}});  // ceil(8 / 3), partial batch kept
  // training rows 0..7 in batches of 3, 3, 2: the weighted mean is mean(i^2) = 140 / 8
  CHECK(h["loss"][0] == Approx(17.5));
  CHECK(h["mae"][0] == Approx(3.5));
  // validation = the LAST 20%: rows 8 and 9
  CHECK(h["val_loss"][0] == Approx((64.0 + 81.0) / 2));
  CHECK(h["val_mae"][2] == Approx(8.5));
  CHECK_THROWS_WITH(h["accuracy"], Catch::Contains("History has no key \"accuracy\""));

  // Shuffling changes the batches but not the weighted epoch mean.
  History s = m.fit(x, y, {.epochs = 2, .batch_size = 3, .validation_split = 0.2, .verbose = 0, .initial_epoch = 1});
  CHECK(s.epoch == std::vector<int>{1});
  CHECK(s["loss"][0] == Approx(17.5));

  // validation_data overrides validation_split
  auto [vx, vy] = index_data(3);
  History v = m.fit(x, y, {.epochs = 1, .validation_split = 0.5, .validation_data = ValidationData{{vx}, {vy}}, .verbose = 0});
  CHECK(v["loss"][0] == Approx(285.0 / 10));
  CHECK(v["val_loss"][0] == Approx(5.0 / 3));
}

TEST_CASE("the training loss includes regularization penalties") {
  auto [x, y] = index_data(4);
  Model m = linear_model(1, 1, "ones", Regularizer(std::make_shared<SquarePenalty>(0.5f)));
  m.compile(optimizers::SGD(0.0f), "mse");
  Tensor zeros = Tensor::zeros({4, 1});
  History h = m.fit(zeros, y, {.epochs = 1, .verbose = 0});
  CHECK(h["loss"][0] == Approx((0 + 1 + 4 + 9) / 4.0 + 0.5));
  CHECK(m.evaluate(zeros, y).at("loss") == Approx(3.5 + 0.5));
  // The penalty's gradient reaches the kernel: with lr 0.1 on zero inputs only the penalty moves it.
  Model r = linear_model(1, 1, "ones", Regularizer(std::make_shared<SquarePenalty>(0.5f)));
  r.compile(optimizers::SGD(0.1f), "mse");
  r.train_on_batch(zeros, Tensor::zeros({4, 1}));
  CHECK(r.get_weights()[0].data()[0] == Approx(1.0f - 0.1f * 1.0f));  // d(0.5 w^2)/dw = w
}

TEST_CASE("train_on_batch and evaluate") {
  auto [x, y] = index_data(4);
  Model m = linear_model(1, 1, "zeros");
  m.compile(optimizers::SGD(0.1f), "mse", {"mae"});
  const auto logs = m.train_on_batch(x, y);
  CHECK(logs.at("loss") == Approx(3.5));  // measured before the update
  CHECK(logs.at("mae") == Approx(1.5));
  // d mse / d w = mean(2 (0 - y) x) = -3 ; w = 0.3; the same for the bias
  CHECK(m.get_weights()[0].data()[0] == Approx(0.3f));
  CHECK(m.get_weights()[1].data()[0] == Approx(0.3f));
  const auto e = m.evaluate(x, y, 3);
  double want = 0;
  for (int i = 0; i < 4; ++i) want += (i - 0.6) * (i - 0.6) / 4;
  CHECK(e.at("loss") == Approx(want));
  CHECK(e.count("mae") == 1);
}

TEST_CASE("predict in batches equals one call") {
  set_random_seed(3);
  Model m = linear_model(4, 3);
  Tensor x = random_tensor({10, 4}, 5);
  Tensor batched = m.predict(x, 3);
  NoGrad ng;
  Tensor whole = m(x);
  REQUIRE(batched.shape() == whole.shape());
  CHECK(batched.to_vector() == whole.to_vector());
}

TEST_CASE("multi-input, multi-output fit with one loss per output") {
  set_random_seed(11);
  auto a = Input({3}, "a");
  auto b = Input({3}, "b");
  auto s = make_layer<SumInputs>()({a, b});
  auto h1 = make_layer<TinyDense>(1);
  auto h2 = make_layer<TinyDense>(2);
  auto o1 = h1(s);
  auto o2 = h2(s);
  Model m({a, b}, {o1, o2});
  m.compile(optimizers::Adam(0.05f), std::vector<Loss>{"mse", "mae"}, {"mae"});
  Tensor xa = random_tensor({64, 3}, 21), xb = random_tensor({64, 3}, 22);
  // targets: y1 = sum of all inputs, y2 = (first column of a + b, its negative)
  std::vector<float> y1(64), y2(128);
  for (int i = 0; i < 64; ++i) {
    float t = 0;
    for (int j = 0; j < 3; ++j) t += xa.data()[i * 3 + j] + xb.data()[i * 3 + j];
    y1[i] = t;
    y2[2 * i] = xa.data()[i * 3] + xb.data()[i * 3];
    y2[2 * i + 1] = -y2[2 * i];
  }
  Tensor t1 = Tensor::from({64, 1}, y1), t2 = Tensor::from({64, 2}, y2);
  History h = m.fit({xa, xb}, {t1, t2}, {.epochs = 30, .batch_size = 16, .validation_split = 0.25, .verbose = 0});
  const std::string n1 = h1->name(), n2 = h2->name();
  CHECK(h.keys == std::vector<std::string>{"loss", n1 + "_mae", n2 + "_mae", n1 + "_loss", n2 + "_loss", "val_loss",
                                           "val_" + n1 + "_mae", "val_" + n2 + "_mae", "val_" + n1 + "_loss",
                                           "val_" + n2 + "_loss"});
  for (std::size_t e = 0; e < h.epoch.size(); ++e)
    CHECK(h["loss"][e] == Approx(h[n1 + "_loss"][e] + h[n2 + "_loss"][e]).epsilon(1e-4));
  CHECK(h["loss"].back() < 0.2 * h["loss"].front());
  Tensors p = m.predict({xa, xb}, 7);
  REQUIRE(p.size() == 2);
  CHECK(p[0].shape() == Shape{64, 1});
  CHECK(p[1].shape() == Shape{64, 2});
  CHECK_THROWS_WITH(m.fit({xa, xb}, {t2, t1}, {.verbose = 0}), Catch::StartsWith("Output 0 (\"" + n1 + "\")"));
  // A single loss applies to every output.
  m.compile("adam", "mse");
  CHECK(m.evaluate({xa, xb}, {t1, t2}).count(n2 + "_loss") == 1);
}

TEST_CASE("a Sequential without Input is built by fit, and frozen layers do not move") {
  set_random_seed(5);
  auto frozen = make_layer<TinyDense>(4);
  auto head = make_layer<TinyDense>(1);
  Sequential m({frozen, head});
  auto [x, y] = regression_data(32, 9);
  m.compile("rmsprop", "mse");
  m.fit(x, y, {.epochs = 1, .verbose = 0});  // builds the graph on the first batch
  frozen->set_trainable(false);
  const Array before = frozen->kernel->value.value();
  const Array head_before = head->kernel->value.value();
  m.fit(x, y, {.epochs = 2, .verbose = 0});
  CHECK(frozen->kernel->value.value() == before);
  CHECK(head->kernel->value.value() != head_before);
}

TEST_CASE("resuming from weights + optimizer state equals uninterrupted training") {
  auto [x, y] = regression_data(40, 4);
  auto make = [](const Optimizer& opt) {
    clear_session();  // the same layer names, so the state's variable paths match
    set_random_seed(1);
    Model m = linear_model(4, 1);
    m.compile(opt, "mse");  // the handle shares the optimizer the model uses
    return m;
  };
  Optimizer opt_a = optimizers::Adam(0.01f), opt_b = optimizers::Adam(0.01f);
  Model a = make(opt_a);
  a.fit(x, y, {.epochs = 2, .batch_size = 8, .shuffle = false, .verbose = 0});
  const auto weights = a.get_weights();
  const json state = opt_a->get_state();
  a.fit(x, y, {.epochs = 1, .batch_size = 8, .shuffle = false, .verbose = 0});

  Model b = make(opt_b);
  b.set_weights(weights);
  opt_b->set_state(state, b->trainable_weights(), "optimizer");
  b.fit(x, y, {.epochs = 1, .batch_size = 8, .shuffle = false, .verbose = 0});
  const auto wa = a.get_weights(), wb = b.get_weights();
  for (std::size_t i = 0; i < wa.size(); ++i) CHECK(wa[i] == wb[i]);
}

TEST_CASE("fit prints Keras's progress lines") {
  auto [x, y] = index_data(100);
  Model m = linear_model(1, 1, "zeros");
  m.compile(optimizers::SGD(0.0f), "mse");
  std::string one, two, single;
  {
    CoutCapture c;
    m.fit(x, y, {.epochs = 2, .validation_split = 0.1, .verbose = 1});
    one = c.text.str();
  }
  {
    CoutCapture c;
    m.fit(x, y, {.epochs = 2, .verbose = 2});
    two = c.text.str();
  }
  {
    CoutCapture c;
    m.fit(x, y, {.epochs = 1, .verbose = 1});
    single = c.text.str();
  }
  // verbose=1: "Epoch i/N", then a line repainted with \r whose final state ends in "\n".
  const std::regex final_line(R"(\r3/3 (━){20} \d+s \d+(us|ms|s)/step - loss: 2655\.1667 - val_loss: 8938\.5000 *\n)");
  INFO(one);
  CHECK(one.rfind("Epoch 1/2\n", 0) == 0);
  CHECK(one.find("Epoch 2/2\n") != std::string::npos);
  CHECK(std::regex_search(one, final_line));
  CHECK(one.find("\x1b[") == std::string::npos);  // not a terminal: no escape codes
  // verbose=2: one line per epoch
  const std::regex epoch_line(R"(Epoch 1/2\n4/4 - \d+s - \d+(us|ms|s)/step - loss: 3283\.5000\nEpoch 2/2\n4/4 - .*\n)");
  INFO(two);
  CHECK(std::regex_match(two, epoch_line));
  // one epoch: no "Epoch" line
  CHECK(single.find("Epoch") == std::string::npos);
  CHECK(single.find("4/4 ") != std::string::npos);
}

TEST_CASE("classification with layers::Dense: binary and sparse accuracy") {
  set_random_seed(2);
  const std::size_t n = 512;
  Tensor x = random_tensor({n, 2}, 31);
  std::vector<float> yb(n), yc(n);
  for (std::size_t i = 0; i < n; ++i) {
    const float a = x.data()[2 * i], b = x.data()[2 * i + 1];
    yb[i] = a + b > 0 ? 1.0f : 0.0f;
    yc[i] = static_cast<float>((a > 0 ? 1 : 0) + (b > 0 ? 2 : 0));  // the quadrant, 4 classes
  }
  Sequential bin({layers::Input({2}), layers::Dense(16, "relu"), layers::Dense(1, "sigmoid")});
  bin.compile(optimizers::Adam(0.02f), "binary_crossentropy", {"accuracy"});
  History hb = bin.fit(x, Tensor::from({n, 1}, yb), {.epochs = 20, .verbose = 0});
  CHECK(hb["accuracy"].back() > 0.95);

  Sequential cls({layers::Input({2}), layers::Dense(32, "relu"), layers::Dense(4)});
  cls.compile(optimizers::Adam(0.02f), losses::SparseCategoricalCrossentropy(true), {"acc"});
  History hc = cls.fit(x, Tensor::from({n}, yc), {.epochs = 20, .validation_split = 0.2, .verbose = 0});
  CHECK(hc.keys == std::vector<std::string>{"loss", "acc", "val_loss", "val_acc"});
  CHECK(hc["acc"].back() > 0.9);
  CHECK(hc["val_acc"].back() > 0.85);
}

TEST_CASE("compile_config is Keras 3's and reads back") {
  Model m = linear_model(8, 1);
  m.compile("adam", "binary_crossentropy", {"accuracy"});
  // The compile_config of a real Keras 3 dump (reference section 3.2).
  const json want = json::parse(R"({
    "optimizer": {"module": "keras.optimizers", "class_name": "Adam", "config": {"name": "adam", "learning_rate": 0.0010000000474974513, "weight_decay": null, "clipnorm": null, "global_clipnorm": null, "clipvalue": null, "use_ema": false, "ema_momentum": 0.99, "ema_overwrite_frequency": null, "loss_scale_factor": null, "gradient_accumulation_steps": null, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": false}, "registered_name": null},
    "loss": "binary_crossentropy", "loss_weights": null, "metrics": ["accuracy"], "weighted_metrics": null,
    "run_eagerly": false, "steps_per_execution": 1, "jit_compile": false})");
  CHECK(compile_config(*m->compiled()) == want);
  auto back = compiled_state_from_config(want, "compile_config");
  CHECK(compile_config(*back) == want);
  m.compile(optimizers::SGD(), std::vector<Loss>{losses::MeanSquaredError()});
  const json list = compile_config(*m->compiled());
  CHECK(list["loss"].is_array());
  CHECK(list["metrics"].is_null());
  CHECK(compile_config(*compiled_state_from_config(list, "c")) == list);
  json bad = want;
  bad["metrics"] = {"f1"};
  CHECK_THROWS_WITH(compiled_state_from_config(bad, "compile_config"), Catch::StartsWith("compile_config.metrics[0]:"));
  bad = want;
  bad["loss_weights"] = "heavy";  // a list or dict of numbers is read (tests/weighting)
  CHECK_THROWS_AS(compiled_state_from_config(bad, "compile_config"), ConfigError);
}
