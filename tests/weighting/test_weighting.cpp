// Weighting: sample_weight in losses (Keras's "sum_over_batch_size"), loss_weights of several outputs,
// class_weight, weighted_metrics, losses and data keyed by name, and their compile_config.
#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>
#include <xkeras/layers/input_layer.hpp>
#include <xkeras/models/model.hpp>

#include "../../models/compiled_state.hpp"
#include "../../models/training/class_weight.hpp"
#include "../../models/training/weighted_loss.hpp"
#include "support/gradcheck.hpp"
#include "training/tiny_layers.hpp"

using namespace xkeras;
using xkeras::testing::random_tensor;
using xkeras::testing::SumInputs;
using xkeras::testing::TinyDense;

namespace {

Tensor T(const Shape& s, const std::vector<float>& v) { return Tensor::from(s, v); }

// A model that predicts 0 (zero kernel and bias), so every loss is a hand computation on y.
Model zero_model(int in) {
  auto x = Input({in});
  return Model(x, make_layer<TinyDense>(1, "zeros")(x));
}

// Two inputs "a", "b" summed, two outputs "p" (1 unit) and "q" (2 units), kernels from `init`.
Model two_by_two(Initializer init) {
  auto a = Input({3}, "a");
  auto b = Input({3}, "b");
  auto s = make_layer<SumInputs>()({a, b});
  auto p = make_layer<TinyDense>(1, init);
  auto q = make_layer<TinyDense>(2, init);
  p->set_name("p");
  q->set_name("q");
  return Model({a, b}, {p(s), q(s)});
}

}  // namespace

TEST_CASE("weighted losses equal Keras's losses_test values") {
  // keras/src/losses/losses_test.py MeanSquaredErrorTest / MeanAbsoluteErrorTest, sample_weight [[1.2], [3.4]].
  const Tensor yt = T({2, 3}, {1, 9, 2, -5, -2, 6}), yp = T({2, 3}, {4, 8, 12, 8, 1, 3});
  const Tensor w = T({2, 1}, {1.2f, 3.4f});
  CHECK(training::weighted_loss("mse", yt, yp, w).item() == Approx(767.8 / 6).epsilon(1e-6));
  CHECK(training::weighted_loss("mae", yt, yp, w).item() == Approx(81.4 / 6).epsilon(1e-6));
  CHECK(training::weighted_loss("mse", yt, yp, T({2}, {1.2f, 3.4f})).item() == Approx(767.8 / 6).epsilon(1e-6));
  CHECK(training::weighted_loss("mse", yt, yp, Tensor()).item() == Approx(49.5).epsilon(1e-6));  // unweighted
  CHECK_THROWS_AS(training::weighted_loss("mse", yt, yp, T({3}, {1, 1, 1})), ValueError);
}

TEST_CASE("sample_weight divides the weighted sum by the sample count") {
  Model m = zero_model(1);
  m.compile(optimizers::SGD(0.0f), "mse");
  const Tensor x = Tensor::full({4, 1}, 1.0f), y = T({4, 1}, {1, 2, 3, 4});
  // per-sample losses 1, 4, 9, 16 weighted 1, 0, 2, 0.5: (1 + 18 + 8) / 4, not / 3.5
  const Tensor w = T({4}, {1, 0, 2, 0.5f});
  CHECK(m.evaluate(x, y, EvaluateOptions().with_sample_weight(w)).at("loss") == Approx(6.75));
  CHECK(m.evaluate(x, y, EvaluateOptions().with_sample_weight(w).with_batch_size(2)).at("loss") == Approx(6.75));
  History h = m.fit(x, y, FitOptions().with_sample_weight(w).with_batch_size(3).with_shuffle(false).with_verbose(0));
  CHECK(h["loss"][0] == Approx(((1 + 0 + 18) / 3.0 * 3 + 8 / 1.0 * 1) / 4));  // batches of 3 and 1, weighted by size
  CHECK_THROWS_AS(m.evaluate(x, y, EvaluateOptions().with_sample_weight(T({3}, {1, 1, 1}))), ValueError);
  // validation_data's own sample weights weigh val_loss the same way.
  History v = m.fit(x, y, FitOptions().with_validation_data(ValidationData{{x}, {y}, w}).with_verbose(0));
  CHECK(v["val_loss"][0] == Approx(6.75));
  CHECK(v["loss"][0] == Approx(7.5));  // the training data carries no weights: (1 + 4 + 9 + 16) / 4
}

TEST_CASE("weighted_metrics use the sample weights and metrics do not") {
  Model m = zero_model(1);
  m.compile(optimizers::SGD(0.0f), CompileOptions().with_loss({"mse"}).with_metrics({"mae"}).with_weighted_metrics({"mae"}));
  const Tensor x = Tensor::full({4, 1}, 1.0f), y = T({4, 1}, {1, 2, 3, 4});
  const auto e = m.evaluate(x, y, EvaluateOptions().with_sample_weight(T({4}, {1, 0, 2, 0.5f})));
  CHECK(e.at("mae") == Approx(2.5));                 // (1 + 2 + 3 + 4) / 4
  CHECK(e.at("weighted_mae") == Approx(9.0 / 3.5));  // Keras's Mean: sum(v w) / sum(w)
}

TEST_CASE("loss_weights: the logged loss is the weighted sum of the unweighted output losses") {
  set_random_seed(12);
  const Tensor xa = random_tensor({32, 3}, 1), xb = random_tensor({32, 3}, 2);
  const Tensor yp = random_tensor({32, 1}, 3), yq = random_tensor({32, 2}, 4);
  Model m = two_by_two("glorot_uniform");
  m.compile(optimizers::SGD(0.05f), CompileOptions().with_loss({"mse", "mae"}).with_loss_weights({0.5, 2.0}));
  History h = m.fit({xa, xb}, {yp, yq}, {.epochs = 3, .batch_size = 8, .verbose = 0});
  CHECK(h.keys == std::vector<std::string>{"loss", "p_loss", "q_loss"});
  for (std::size_t e = 0; e < 3; ++e) CHECK(h["loss"][e] == Approx(0.5 * h["p_loss"][e] + 2.0 * h["q_loss"][e]).epsilon(1e-5));
  // Hand-computed on a zero model: p's mse is mean(yp^2), q's mae is mean(|yq|).
  Model z = two_by_two("zeros");
  z.compile(optimizers::SGD(0.0f), CompileOptions()
                                       .with_loss_by_output({{"q", "mae"}, {"p", "mse"}})
                                       .with_loss_weights_by_output({{"p", 0.5}, {"q", 2.0}}));
  double mse = 0, mae = 0;
  for (std::size_t i = 0; i < 32; ++i) mse += double(yp.data()[i]) * yp.data()[i] / 32;
  for (std::size_t i = 0; i < 64; ++i) mae += std::fabs(double(yq.data()[i])) / 64;
  const auto e = z.evaluate({xa, xb}, {yp, yq}, 10);
  CHECK(e.at("p_loss") == Approx(mse).epsilon(1e-5));
  CHECK(e.at("q_loss") == Approx(mae).epsilon(1e-5));
  CHECK(e.at("loss") == Approx(0.5 * mse + 2.0 * mae).epsilon(1e-5));
  // A key that names no output.
  z.compile("sgd", NamedLosses{{"p", "mse"}, {"r", "mae"}});
  CHECK_THROWS_WITH(z.evaluate({xa, xb}, {yp, yq}), Catch::Contains("\"r\", which is not an output") && Catch::Contains("\"p\", \"q\""));
  CHECK_THROWS_AS(z.compile("sgd", CompileOptions()), ValueError);  // no loss
}

TEST_CASE("losses and metrics keyed by output name") {
  Model z = two_by_two("zeros");
  z.compile(optimizers::SGD(0.0f), NamedLosses{{"p", "mse"}, {"q", "mse"}}, NamedMetrics{{"q", {"mae"}}});
  const Tensor xa = random_tensor({8, 3}, 1), xb = random_tensor({8, 3}, 2);
  const Tensor yp = Tensor::full({8, 1}, 2.0f), yq = Tensor::full({8, 2}, -3.0f);
  const auto e = z.evaluate({xa, xb}, {yp, yq});
  CHECK(e.at("p_loss") == Approx(4.0));
  CHECK(e.at("q_loss") == Approx(9.0));
  CHECK(e.at("q_mae") == Approx(3.0));
  CHECK(e.count("p_mae") == 0);
}

TEST_CASE("class_weight gives the same training as the equal sample_weight") {
  const Tensor x = random_tensor({12, 3}, 7);
  std::vector<float> labels(12), onehot(24, 0.0f);
  for (int i = 0; i < 12; ++i) {
    labels[i] = static_cast<float>(i % 3 == 0);
    onehot[i * 2 + (i % 3 == 0)] = 1.0f;
  }
  const Tensor y = T({12, 1}, labels);
  const ClassWeight cw{{0, 1.0}, {1, 3.0}};
  std::vector<float> sw(12);
  for (int i = 0; i < 12; ++i) sw[i] = labels[i] == 1 ? 3.0f : 1.0f;
  CHECK(training::class_weight_to_sample_weight(y, cw).to_vector() == sw);
  CHECK(training::class_weight_to_sample_weight(T({12, 2}, onehot), cw).to_vector() == sw);  // argmax of one-hot rows
  CHECK(training::class_weight_to_sample_weight(T({3}, {0, 1, 2}), {{2, 0.5}}).to_vector() == std::vector<float>{1, 1, 0.5f});
  auto train = [&](const FitOptions& o) {
    Model m = zero_model(3);
    m.compile(optimizers::SGD(0.1f), "mse");
    History h = m.fit(x, y, o);
    return std::make_pair(h["loss"], m.get_weights()[0]);
  };
  const FitOptions base = FitOptions().with_epochs(3).with_batch_size(5).with_shuffle(false).with_verbose(0);
  const auto by_class = train(FitOptions(base).with_class_weight(cw));
  const auto by_sample = train(FitOptions(base).with_sample_weight(T({12}, sw)));
  const auto plain = train(base);
  CHECK(by_class.first == by_sample.first);
  CHECK(by_class.second == by_sample.second);
  CHECK(by_class.first != plain.first);
  // train_on_batch takes both too: the returned loss is the weighted one, and the updates are equal.
  Model s1 = zero_model(3), s2 = zero_model(3);
  for (Model* m : {&s1, &s2}) m->compile(optimizers::SGD(0.1f), "mse");
  const auto r1 = s1.train_on_batch({x}, {y}, Tensor(), cw);
  const auto r2 = s2.train_on_batch({x}, {y}, T({12}, sw));
  CHECK(r1 == r2);
  CHECK(r1.at("loss") == Approx((4 * 3.0 + 8 * 0.0) / 12));  // zero predictions: labels 1 weigh 3, labels 0 add 0
  const bool same_weights = s1.get_weights()[0] == s2.get_weights()[0];
  CHECK(same_weights);
  CHECK_THROWS_AS(s1.train_on_batch({x}, {y}, T({5}, {1, 1, 1, 1, 1})), ValueError);
  Model m = zero_model(3);
  m.compile("sgd", "mse");
  CHECK_THROWS_WITH(m.fit(x, y, FitOptions(base).with_class_weight(cw).with_sample_weight(T({12}, sw))),
                    Catch::Contains("class_weight and sample_weight"));
  Model two = two_by_two("zeros");
  two.compile("sgd", "mse");
  CHECK_THROWS_WITH(two.fit({x, x}, {y, T({12, 2}, onehot)}, FitOptions(base).with_class_weight(cw)),
                    Catch::Contains("single output"));
}

TEST_CASE("data keyed by input and output names equals positional data") {
  const Tensor xa = random_tensor({10, 3}, 1), xb = random_tensor({10, 3}, 2);
  const Tensor yp = random_tensor({10, 1}, 3), yq = random_tensor({10, 2}, 4);
  const NamedTensors x{{"b", xb}, {"a", xa}}, y{{"q", yq}, {"p", yp}};
  Model m1 = two_by_two("ones"), m2 = two_by_two("ones");
  for (Model* m : {&m1, &m2}) m->compile(optimizers::SGD(0.01f), "mse");
  const FitOptions o = FitOptions().with_epochs(2).with_batch_size(4).with_shuffle(false).with_verbose(0);
  CHECK(m1.fit(x, y, o)["loss"] == m2.fit({xa, xb}, {yp, yq}, o)["loss"]);
  CHECK(m1.evaluate(x, y) == m2.evaluate({xa, xb}, {yp, yq}));
  CHECK(m1.predict(x)[1].to_vector() == m2.predict({xa, xb})[1].to_vector());
  CHECK(m1.train_on_batch(x, y) == m2.train_on_batch({xa, xb}, {yp, yq}));
  CHECK_THROWS_WITH(m1.evaluate(NamedTensors{{"a", xa}}, y), Catch::Contains("no entry for \"b\"") && Catch::Contains("[\"a\", \"b\"]"));
  CHECK_THROWS_WITH(m1.evaluate(x, NamedTensors{{"p", yp}, {"q", yq}, {"z", yq}}), Catch::Contains("key \"z\""));
}

TEST_CASE("compile_config writes dict losses and loss_weights as Keras 3 and reads them back") {
  Model z = two_by_two("zeros");
  z.compile("sgd", CompileOptions()
                       .with_loss_by_output({{"p", "mse"}, {"q", "mae"}})
                       .with_loss_weights_by_output({{"p", 0.5}, {"q", 2.0}})
                       .with_weighted_metrics({"mae"}));
  const json c = compile_config(*z->compiled());
  CHECK(c["loss"] == json::parse(R"({"p": "mse", "q": "mae"})"));
  CHECK(c["loss_weights"] == json::parse(R"({"p": 0.5, "q": 2.0})"));
  CHECK(c["weighted_metrics"] == json::parse(R"(["mae"])"));
  CHECK(compile_config(*compiled_state_from_config(c, "compile_config")) == c);
  z.compile("sgd", CompileOptions().with_loss({"mse", "mae"}).with_loss_weights({1.0, 0.25}));
  const json l = compile_config(*z->compiled());
  CHECK(l["loss_weights"] == json::parse("[1.0, 0.25]"));
  CHECK(compile_config(*compiled_state_from_config(l, "compile_config")) == l);
  json bad = l;
  bad["loss_weights"] = json::parse(R"([1.0, "x"])");
  CHECK_THROWS_WITH(compiled_state_from_config(bad, "compile_config"), Catch::StartsWith("compile_config.loss_weights[1]"));
}
