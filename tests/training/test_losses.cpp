// Losses: Keras's test values (reference §5), gradient checks w.r.t. y_pred, names and JSON.
#include <catch2/catch.hpp>

#include <cmath>

#include <xkeras/errors.hpp>
#include <xkeras/losses.hpp>
#include <xkeras/ops.hpp>

#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

namespace {

float value(const Loss& loss, const Tensor& t, const Tensor& p) {
  NoGrad ng;
  return loss(t, p).item();
}

Tensor eye3() { return Tensor::from({3, 3}, {1, 0, 0, 0, 1, 0, 0, 0, 1}); }

}  // namespace

TEST_CASE("MSE and MAE match Keras's losses_test values") {
  const Tensor t = Tensor::from({2, 3}, {1, 9, 2, -5, -2, 6});
  const Tensor p = Tensor::from({2, 3}, {4, 8, 12, 8, 1, 3});
  CHECK(value("mse", t, p) == Approx(49.5f));
  CHECK(value("mean_squared_error", t, p) == Approx(49.5f));
  CHECK(value(losses::MeanSquaredError(), t, p) == Approx(49.5f));
  CHECK(value("mae", t, p) == Approx(5.5f));
  CHECK(value("MeanAbsoluteError", t, p) == Approx(5.5f));
  // per-sample (reduction None): mean over the last axis
  NoGrad ng;
  check_close(Loss("mse")->per_sample(t, p), {(9 + 1 + 100) / 3.0f, (169 + 9 + 9) / 3.0f}, 1e-5);
  check_close(Loss("mae")->per_sample(t, p), {(3 + 1 + 10) / 3.0f, (13 + 3 + 3) / 3.0f}, 1e-5);
}

TEST_CASE("binary crossentropy: Keras 3 clipping, logits, label smoothing") {
  const Tensor p = Tensor::from({3, 3}, {0.9f, 0.1f, 0.2f, 0.3f, 0.8f, 0.1f, 0.1f, 0.2f, 0.7f});
  CHECK(value("binary_crossentropy", eye3(), p) == Approx(0.20046903f).epsilon(1e-6));
  // Saturated predictions hit the float32 clip 1 - 1e-7 = 0.99999988, with no +eps in the log.
  CHECK(value("binary_crossentropy", Tensor::from({2, 2}, {1, 0, 1, 0}), Tensor::from({2, 2}, {1, 1, 1, 0})) ==
        Approx(3.98559f).epsilon(1e-5));
  const Tensor lt = Tensor::from({2, 3}, {1, 0, 1, 0, 1, 1});
  const Tensor logits = Tensor::from({2, 3}, {10, -10, 10, 10, 10, -10});
  CHECK(value(losses::BinaryCrossentropy(true), lt, logits) == Approx(3.3333f).epsilon(1e-4));
  {
    NoGrad ng;
    check_close(losses::BinaryCrossentropy(true)->per_sample(lt, logits), {0.0f, 6.666f}, 1e-3);
  }
  CHECK(value(losses::BinaryCrossentropy(true, 0.1f), Tensor::from({1, 3}, {1, 0, 1}), Tensor::from({1, 3}, {10, -10, -10})) ==
        Approx((10 + 5 * 0.1) / 3).epsilon(1e-4));
  // (N,) targets against (N, 1) predictions are reconciled, as in Keras.
  CHECK(value("bce", Tensor::from({2}, {1, 0}), Tensor::from({2, 1}, {0.9f, 0.2f})) ==
        Approx(-(std::log(0.9) + std::log(0.8)) / 2).epsilon(1e-5));
}

TEST_CASE("categorical and sparse categorical crossentropy") {
  const Tensor p = Tensor::from({3, 3}, {0.9f, 0.05f, 0.05f, 0.5f, 0.89f, 0.6f, 0.05f, 0.01f, 0.94f});
  // Keras's test checks 0.3239 to 3 decimals; the exact value is 0.32397.
  CHECK(value("categorical_crossentropy", eye3(), p) == Approx(0.3239f).margin(1e-4));
  const Tensor logits = Tensor::from({3, 3}, {8, 1, 1, 0, 9, 1, 2, 3, 5});
  CHECK(value(losses::CategoricalCrossentropy(true), eye3(), logits) == Approx(0.0573f).margin(1e-4));
  {
    NoGrad ng;
    check_close(losses::CategoricalCrossentropy(true)->per_sample(eye3(), logits), {0.001822f, 0.000459f, 0.169846f}, 1e-3);
  }
  CHECK(value(losses::CategoricalCrossentropy(true, 0.1f), Tensor::from({1, 3}, {1, 0, 0}),
              Tensor::from({1, 3}, {100, -100, -100})) == Approx(400 * 0.1 / 3).epsilon(1e-4));
  // Sparse: the same numbers with integer labels, shaped (N,) or (N, 1).
  const Tensor labels = Tensor::from({3}, {0, 1, 2});
  const Tensor labels_col = Tensor::from({3, 1}, {0, 1, 2});
  CHECK(value("sparse_categorical_crossentropy", labels, p) == Approx(0.3239f).margin(1e-4));
  CHECK(value("sparse_categorical_crossentropy", labels_col, p) == Approx(0.3239f).margin(1e-4));
  CHECK(value(losses::SparseCategoricalCrossentropy(true), labels, logits) == Approx(0.0573f).margin(1e-4));
  CHECK(value(losses::SparseCategoricalCrossentropy(true), labels_col, logits) == Approx(0.0573f).margin(1e-4));
}

TEST_CASE("loss gradients w.r.t. y_pred match central differences") {
  const Tensor t = random_tensor({4, 3}, 11);
  Tensor p = random_tensor({4, 3}, 12);
  check_gradients([&] { return Loss("mse")->per_sample(t, p); }, {p});
  check_gradients([&] { return Loss("mse")(t, p); }, {p});
  Tensor tm = random_tensor({4, 3}, 13);
  check_gradients([&] { return Loss("mse")(tm, p); }, {tm, p});  // MSE also differentiates y_true
  check_gradients([&] { return Loss("mae")(t, p); }, {p}, 1e-3);

  // Probabilities away from the clip bounds, binary targets in [0, 1].
  const Tensor bt = random_tensor({4, 3}, 14, 0.0f, 1.0f);
  Tensor bp = random_tensor({4, 3}, 15, 0.1f, 0.9f);
  check_gradients([&] { return Loss("binary_crossentropy")(bt, bp); }, {bp}, 1e-3);
  check_gradients([&] { return losses::BinaryCrossentropy(false, 0.2f)->per_sample(bt, bp); }, {bp}, 1e-3);
  Tensor bl = random_tensor({4, 3}, 16, -3.0f, 3.0f);
  check_gradients([&] { return losses::BinaryCrossentropy(true, 0.1f)(bt, bl); }, {bl}, 1e-3);

  // Categorical: unnormalized positive scores (the loss renormalizes them) and logits.
  const Tensor ct = Tensor::from({4, 3}, {1, 0, 0, 0, 1, 0, 0, 0, 1, 0.2f, 0.5f, 0.3f});
  Tensor cp = random_tensor({4, 3}, 17, 0.2f, 1.0f);
  check_gradients([&] { return Loss("categorical_crossentropy")->per_sample(ct, cp); }, {cp}, 1e-3);
  Tensor cl = random_tensor({4, 3}, 18, -2.0f, 2.0f);
  check_gradients([&] { return losses::CategoricalCrossentropy(true, 0.1f)->per_sample(ct, cl); }, {cl}, 1e-3);
  const Tensor st = Tensor::from({4}, {2, 0, 1, 1});
  check_gradients([&] { return Loss("sparse_categorical_crossentropy")->per_sample(st, cp); }, {cp}, 1e-3);
  check_gradients([&] { return losses::SparseCategoricalCrossentropy(true)(st, cl); }, {cl}, 1e-3);
}

TEST_CASE("clipped probabilities get no gradient") {
  Tensor p = Tensor::from({1, 2}, {1.0f, 0.5f});
  p.set_requires_grad(true);
  Tensor l = Loss("binary_crossentropy")(Tensor::from({1, 2}, {0, 1}), p);
  Tape::current().backward(l);
  CHECK(p.grad().data()[0] == 0.0f);  // 1.0 is outside [1e-7, 1 - 1e-7]
  CHECK(p.grad().data()[1] == Approx(-1.0f / (0.5f * 2)));
}

TEST_CASE("loss errors and JSON") {
  CHECK_THROWS_WITH(Loss("mse")(Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6}), Tensor::from({2, 2}, {1, 2, 3, 4})),
                    "Loss \"mean_squared_error\": y_true and y_pred must have the same shape, but received y_true with "
                    "shape (2, 3) and y_pred with shape (2, 2)");
  CHECK_THROWS_WITH(Loss("sparse_categorical_crossentropy")(Tensor::from({2}, {0, 3}), Tensor::full({2, 3}, 0.3f)),
                    Catch::Contains("integer class indices in [0, 3)"));
  CHECK_THROWS_WITH(Loss("sparse_categorical_crossentropy")(Tensor::from({2}, {0, 0.5f}), Tensor::full({2, 3}, 0.3f)),
                    Catch::Contains("integer class indices"));
  CHECK_THROWS_AS(Loss("sparse_categorical_crossentropy")(Tensor::from({3}, {0, 1, 2}), Tensor::full({2, 3}, 0.3f)),
                  ValueError);
  CHECK_THROWS_WITH(Loss("hinge"), Catch::StartsWith("Could not interpret loss identifier: \"hinge\""));

  // A string stays a string (Keras's compile_config keeps the user's identifier).
  CHECK(Loss("mse").to_json() == "mse");
  const json bce = losses::BinaryCrossentropy().to_json();
  CHECK(bce == json::parse(R"({"module": "keras.losses", "class_name": "BinaryCrossentropy", "config": {"name":
      "binary_crossentropy", "reduction": "sum_over_batch_size", "from_logits": false, "label_smoothing": 0.0,
      "axis": -1}, "registered_name": null})"));
  CHECK(losses::MeanSquaredError().to_json()["config"] == json::parse(R"({"name": "mean_squared_error", "reduction": "sum_over_batch_size"})"));
  for (const Loss& l : {losses::BinaryCrossentropy(true, 0.1f), losses::CategoricalCrossentropy(false, 0.2f),
                        losses::SparseCategoricalCrossentropy(true), losses::MeanAbsoluteError()}) {
    const json j = l.to_json();
    CHECK(Loss::from_json(j, "loss").to_json() == j);
  }
  CHECK(losses::BinaryCrossentropy(false, 0.1f).to_json()["config"]["label_smoothing"] == 0.1);
  CHECK(Loss::from_json("mae", "loss").to_json() == "mae");
  CHECK(Loss::from_json(json{{"class_name", "function"}, {"config", "mse"}}, "loss")->name() == "mean_squared_error");
  json bad = bce;
  bad["config"]["from_logits"] = 3;
  CHECK_THROWS_WITH(Loss::from_json(bad, "compile_config.loss"),
                    Catch::StartsWith("compile_config.loss.config.from_logits: expected true or false"));
  bad = bce;
  bad["config"]["reduction"] = "sum";
  CHECK_THROWS_WITH(Loss::from_json(bad, "l"), Catch::StartsWith("l.config.reduction:"));
  CHECK_THROWS_WITH(Loss::from_json("nope", "l"), Catch::StartsWith("l: unknown loss \"nope\""));
}
