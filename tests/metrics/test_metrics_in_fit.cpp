// Metric objects and user metrics inside fit/evaluate: epoch values over the whole epoch (not a
// mean of batch values), fresh state per output, and compile_config with metric objects.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include <xkeras/errors.hpp>
#include <xkeras/layers/dense.hpp>
#include <xkeras/layers/input_layer.hpp>
#include <xkeras/models/model.hpp>
#include <xkeras/ops.hpp>

#include "../../models/compiled_state.hpp"
#include "metric_helpers.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using namespace xkeras::testing;

namespace {

// 40 samples of 3 features; label 1 when a noisy linear rule is positive.
std::pair<Tensor, Tensor> binary_data() {
  Tensor x = random_tensor({40, 3}, 5);
  Tensor noise = random_tensor({40}, 6);
  std::vector<float> y(40);
  for (int i = 0; i < 40; ++i) y[i] = x.data()[i * 3] - 0.5f * x.data()[i * 3 + 1] + 0.8f * noise.data()[i] > 0 ? 1.0f : 0.0f;
  return {x, Tensor::from({40, 1}, y)};
}

// Precision at 0.5 counted directly from the predictions (independent of the metric code).
double precision_of(const Tensor& y, const Tensor& p, std::size_t begin, std::size_t end) {
  double tp = 0, pos = 0;
  for (std::size_t i = begin; i < end; ++i)
    if (p.data()[i] > 0.5f) {
      pos += 1;
      tp += y.data()[i];
    }
  return pos ? tp / pos : 0.0;
}

// A stateful user metric (Keras's Metric subclass): the largest absolute error of the epoch.
class MaxAbsError : public metrics::MetricImpl {
 public:
  void update_state(const Tensor& t, const Tensor& p, const Tensor&) override {
    for (std::size_t i = 0; i < p.size(); ++i) max_ = std::max(max_, double(std::fabs(t.data()[i] - p.data()[i])));
  }
  double result() const override { return max_; }
  void reset_state() override { max_ = 0; }
  std::string name() const override { return "max_abs_error"; }
  std::string class_name() const override { return "MaxAbsError"; }
  std::shared_ptr<MetricImpl> clone() const override { return std::make_shared<MaxAbsError>(); }

 private:
  double max_ = 0;
};

}  // namespace

TEST_CASE("fit logs Precision and AUC over the whole epoch") {
  set_random_seed(3);
  auto [x, y] = binary_data();
  auto in = Input({3});
  Model m(in, layers::Dense(1, "sigmoid")(in));
  // Learning rate 0: the predictions stay those of predict(), so the epoch's values can be recomputed.
  m.compile(optimizers::SGD(0.0f), "binary_crossentropy", {metrics::Precision(), metrics::AUC()});
  History h = m.fit(x, y, {.epochs = 1, .batch_size = 8, .shuffle = false, .verbose = 0});
  CHECK(h.keys == std::vector<std::string>{"loss", "precision", "auc"});
  const Tensor p = m.predict(x);
  const double precision = precision_of(y, p, 0, 40);
  CHECK(h["precision"][0] == Approx(precision).epsilon(1e-6));
  const double auc = call(metrics::AUC(), y, p)->result();  // one update over every prediction
  CHECK(h["auc"][0] == Approx(auc).epsilon(1e-6));
  // The mean of the five batch values is a different number, which Keras does not log.
  double precision_mean = 0, auc_mean = 0;
  for (std::size_t b = 0; b < 5; ++b) {
    precision_mean += precision_of(y, p, b * 8, b * 8 + 8) / 5;
    const Tensor yb = Tensor::from({8, 1}, std::vector<float>(y.data() + b * 8, y.data() + b * 8 + 8));
    const Tensor pb = Tensor::from({8, 1}, std::vector<float>(p.data() + b * 8, p.data() + b * 8 + 8));
    auc_mean += call(metrics::AUC(), yb, pb)->result() / 5;
  }
  CHECK(std::fabs(precision_mean - precision) > 1e-3);
  CHECK(std::fabs(auc_mean - auc) > 1e-3);
  // evaluate gives the same values, in batches of 7.
  const auto e = m.evaluate(x, y, 7);
  CHECK(e.at("precision") == Approx(precision).epsilon(1e-6));
  CHECK(e.at("auc") == Approx(auc).epsilon(1e-6));
}

TEST_CASE("each output gets its own metric state") {
  set_random_seed(4);
  auto [x, y] = binary_data();
  auto in = Input({3});
  layers::Dense a(1, layers::DenseOptions{.activation = "sigmoid", .name = "a"});
  layers::Dense b(1, layers::DenseOptions{.activation = "sigmoid", .name = "b"});
  Model m({in}, {a(in), b(in)});
  m.compile(optimizers::SGD(0.0f), "binary_crossentropy", {metrics::Precision(), "precision"});
  const auto e = m.evaluate({x}, {y, y}, 8);
  const Tensors p = m.predict(Tensors{x});
  CHECK(e.at("a_precision") == Approx(precision_of(y, p[0], 0, 40)).epsilon(1e-6));
  CHECK(e.at("b_precision") == Approx(precision_of(y, p[1], 0, 40)).epsilon(1e-6));
  CHECK(e.at("a_precision_1") == e.at("a_precision"));  // Keras names a repeated metric "<name>_1"
  CHECK(e.at("a_precision") != e.at("b_precision"));
  // A user object without clone() cannot be split into two states: refused, naming clone().
  struct NoClone : metrics::MetricImpl {
    void update_state(const Tensor&, const Tensor&, const Tensor&) override {}
    double result() const override { return 0; }
    void reset_state() override {}
    std::string name() const override { return "no_clone"; }
    std::string class_name() const override { return "NoClone"; }
  };
  m.compile("sgd", "binary_crossentropy", {Metric(std::make_shared<NoClone>())});
  CHECK_THROWS_WITH(m.evaluate({x}, {y, y}), Catch::Contains("\"no_clone\" would be shared") && Catch::Contains("clone()"));
}

TEST_CASE("user metrics: a MetricImpl subclass and a named function") {
  set_random_seed(5);
  auto [x, y] = binary_data();
  auto in = Input({3});
  Model m(in, layers::Dense(1, "sigmoid")(in));
  const Metric fn("abs_err", [](const Tensor& t, const Tensor& p) { return ops::mean(ops::abs(ops::sub(t, p)), {1}); });
  m.compile(optimizers::SGD(0.0f), "mse", {Metric(std::make_shared<MaxAbsError>()), fn, "mae"});
  History h = m.fit(x, y, {.epochs = 2, .batch_size = 16, .shuffle = false, .verbose = 0});
  const Tensor p = m.predict(x);
  double max_err = 0;
  for (std::size_t i = 0; i < 40; ++i) max_err = std::max(max_err, double(std::fabs(y.data()[i] - p.data()[i])));
  CHECK(h["max_abs_error"][1] == Approx(max_err).epsilon(1e-6));  // reset per epoch, max over the epoch
  CHECK(h["abs_err"][1] == Approx(h["mae"][1]).epsilon(1e-6));   // the wrapper is a sample mean, as mae
  // compile_config writes the user metrics by name; reading them back fails clearly, as Keras without custom_objects.
  const json c = compile_config(*m->compiled());
  CHECK(c["metrics"] == json::parse(R"(["max_abs_error", "abs_err", "mae"])"));
  CHECK_THROWS_WITH(compiled_state_from_config(c, "compile_config"),
                    Catch::StartsWith("compile_config.metrics[0]:") && Catch::Contains("Could not interpret metric identifier"));
  CHECK_THROWS_AS(Metric("", [](const Tensor& t, const Tensor&) { return t; }), ValueError);
}

TEST_CASE("compile_config writes metric objects as Keras and reads them back") {
  auto in = Input({3});
  Model m(in, layers::Dense(1, "sigmoid")(in));
  m.compile("adam", "binary_crossentropy",
            {"accuracy", metrics::Precision(), metrics::AUC({.curve = "PR"}), metrics::MeanIoU(2), metrics::F1Score()});
  const json c = compile_config(*m->compiled());
  REQUIRE(c["metrics"].size() == 5);
  CHECK(c["metrics"][0] == "accuracy");
  CHECK(c["metrics"][1] == json::parse(R"({"module": "keras.metrics", "class_name": "Precision", "config": {"name": "precision",
        "dtype": "float32", "thresholds": null, "top_k": null, "class_id": null}, "registered_name": null})"));
  CHECK(c["metrics"][2]["config"]["curve"] == "PR");
  CHECK(c["metrics"][3]["config"]["num_classes"] == 2);
  CHECK(c["metrics"][3]["config"]["name"] == "mean_io_u");
  CHECK(compile_config(*compiled_state_from_config(c, "compile_config")) == c);
}

TEST_CASE("a .keras file keeps metric objects and loss weights through save and load") {
  auto in = Input({3});
  layers::Dense a(1, layers::DenseOptions{.activation = "sigmoid", .name = "a"});
  layers::Dense b(1, layers::DenseOptions{.activation = "sigmoid", .name = "b"});
  Model m({in}, {a(in), b(in)});
  m.compile("adam", CompileOptions()
                        .with_loss_by_output({{"a", "binary_crossentropy"}, {"b", "mse"}})
                        .with_loss_weights({0.5, 2.0})
                        .with_metrics_by_output({{"a", {metrics::AUC({.num_thresholds = 50}), metrics::Recall()}}}));
  const std::string path = std::string(XKERAS_BINARY_DIR) + "/tests/metrics_saved.keras";
  m.save(path);
  Model back = load_model(path);
  REQUIRE(back->compiled() != nullptr);
  CHECK(compile_config(*back->compiled()) == compile_config(*m->compiled()));
  auto [x, y] = binary_data();
  const auto e1 = m.evaluate({x}, {y, y}, 8), e2 = back.evaluate({x}, {y, y}, 8);
  CHECK(e1 == e2);  // same weights, same losses, weights and metrics
  CHECK(e2.at("loss") == Approx(0.5 * e2.at("a_loss") + 2.0 * e2.at("b_loss")).epsilon(1e-6));
  CHECK(e2.count("a_auc") == 1);
  CHECK(e2.count("b_auc") == 0);
}
