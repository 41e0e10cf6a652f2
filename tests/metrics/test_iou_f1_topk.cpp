// MeanIoU, F1Score and the top-k accuracies against Keras's own tests
// (keras/src/metrics/iou_metrics_test.py, f_score_metrics_test.py, accuracy_metrics_test.py).
#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>

#include "metric_helpers.hpp"

using namespace xkeras;
using namespace xkeras::testing;

TEST_CASE("MeanIoU as Keras's MeanIoUTest") {
  // test_unweighted: cm [[1, 1], [1, 1]]
  CHECK(call(metrics::MeanIoU(2), T({4}, {0, 0, 1, 1}), T({4}, {0, 1, 0, 1}))->result() ==
        Approx((1.0 / 3 + 1.0 / 3) / 2).margin(1e-3));
  // test_unweighted_ignore_class_255
  CHECK(call(metrics::MeanIoU(3, {.ignore_class = 255}), T({4}, {0, 1, 2, 255}), T({4}, {0, 1, 1, 1}))->result() ==
        Approx((1.0 + 0.5 + 0.0) / 3).margin(1e-3));
  // test_unweighted_ignore_class_1 (ignore_class -1)
  CHECK(call(metrics::MeanIoU(3, {.ignore_class = -1}), T({4}, {0, 1, 2, -1}), T({4}, {0, 1, 1, 1}))->result() ==
        Approx((1.0 + 0.5 + 0.0) / 3).margin(1e-3));
  // test_weighted (dtype float32): cm [[0.2, 0.3], [0.4, 0.1]]
  const double want = (0.2 / (0.6 + 0.5 - 0.2) + 0.1 / (0.4 + 0.5 - 0.1)) / 2;
  CHECK(call(metrics::MeanIoU(2), T({4}, {0, 0, 1, 1}), T({4}, {0, 1, 0, 1}), T({4}, {0.2f, 0.3f, 0.4f, 0.1f}))->result() ==
        Approx(want).margin(1e-3));
  // test_weighted_ignore_class_1
  CHECK(call(metrics::MeanIoU(2, {.ignore_class = -1}), T({4}, {0, 0, 1, -1}), T({4}, {0, 1, 0, 1}),
             T({4}, {0.2f, 0.3f, 0.4f, 0.1f}))
            ->result() == Approx((0.2 / (0.6 + 0.5 - 0.2) + 0.0) / 2).margin(1e-3));
  // test_multi_dim_input
  CHECK(call(metrics::MeanIoU(2), T({2, 2}, {0, 0, 1, 1}), T({2, 2}, {0, 1, 0, 1}), T({2, 2}, {0.2f, 0.3f, 0.4f, 0.1f}))
            ->result() == Approx(want).margin(1e-3));
  // test_zero_valid_entries
  CHECK(metrics::MeanIoU(2).make({}, {})->result() == Approx(0.0).margin(1e-3));
  // test_zero_and_non_zero_entries: only class 1 occurs
  CHECK(call(metrics::MeanIoU(2), T({1}, {1}), T({1}, {1}))->result() == Approx(1.0).margin(1e-3));
  CHECK(metrics::MeanIoU(2).name() == "mean_io_u");
}

TEST_CASE("MeanIoU accumulates its confusion matrix over batches") {
  // Two batches of test_unweighted's data, split: the epoch value is the one over all four samples
  // (1/3), while the mean of the two batch values would be 0.5.
  auto m = metrics::MeanIoU(2).make({}, {});
  m->update_state(T({2}, {0, 0}), T({2}, {0, 1}));
  m->update_state(T({2}, {1, 1}), T({2}, {0, 1}));
  CHECK(m->result() == Approx(1.0 / 3).margin(1e-6));
  auto dense = metrics::MeanIoU(2, {.sparse_y_pred = false}).make({}, {});
  dense->update_state(T({4}, {0, 0, 1, 1}), T({4, 2}, {0.9f, 0.1f, 0.2f, 0.8f, 0.6f, 0.4f, 0.3f, 0.7f}));
  CHECK(dense->result() == Approx(1.0 / 3).margin(1e-6));  // argmax gives test_unweighted's predictions
}

namespace {
// test_fbeta_random_score_none / test_fbeta_weighted_random_score_none data.
const Tensor kTrue = T({6, 3}, {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 1});
const Tensor kPred = T({6, 3}, {0.9f, 0.1f, 0, 0.2f, 0.6f, 0.2f, 0, 0, 1, 0.4f, 0.3f, 0.3f, 0, 0.9f, 0.1f, 0, 0, 1});
std::vector<double> f1(const metrics::F1ScoreOptions& o, const Tensor& w = Tensor()) {
  return call(metrics::F1Score(o), kTrue, kPred, w)->results();
}
}  // namespace

TEST_CASE("F1Score as Keras's FBetaScoreTest with beta 1") {
  const auto none = f1({});
  REQUIRE(none.size() == 3);
  CHECK(none[0] == Approx(0.8).margin(1e-6));
  CHECK(none[1] == Approx(0.6666667).margin(1e-6));
  CHECK(none[2] == Approx(1.0).margin(1e-6));
  CHECK(f1({.average = "micro"})[0] == Approx(0.833334).margin(1e-6));
  CHECK(f1({.average = "macro"})[0] == Approx(0.822222).margin(1e-6));
  CHECK(f1({.average = "weighted"})[0] == Approx(0.844445).margin(1e-6));
  const Tensor w = T({6}, {0.5f, 1, 1, 1, 0.5f, 1});
  const auto wn = f1({}, w);
  CHECK(wn[0] == Approx(0.857143).margin(1e-6));
  CHECK(wn[1] == Approx(0.8).margin(1e-6));
  CHECK(f1({.average = "micro"}, w)[0] == Approx(0.9).margin(1e-6));
  CHECK(f1({.average = "macro"}, w)[0] == Approx(0.885714).margin(1e-6));
  CHECK(f1({.average = "weighted"}, w)[0] == Approx(0.902857).margin(1e-6));
  CHECK(f1({.average = "macro"}, T({6}, {1, 0, 1, 1, 0, 1}))[0] == Approx(0.666667).margin(1e-6));
}

TEST_CASE("F1Score with a threshold and scalar or 2D weights as Keras's tests") {
  // test_fbeta_random_score with threshold 0.66, beta 1: [0.8, 0.5, 0.6666667]; macro 0.6555555
  const Tensor yp = T({3, 3}, {0.7f, 0.7f, 0.7f, 1, 0, 0, 0.9f, 0.8f, 0});
  const Tensor yt = T({3, 3}, {0, 0, 1, 1, 1, 0, 1, 1, 1});
  const auto r = call(metrics::F1Score({.threshold = 0.66f}), yt, yp)->results();
  CHECK(r[0] == Approx(0.8).margin(1e-6));
  CHECK(r[1] == Approx(0.5).margin(1e-6));
  CHECK(r[2] == Approx(0.6666667).margin(1e-6));
  CHECK(call(metrics::F1Score({.average = "macro", .threshold = 0.66f}), yt, yp)->result() == Approx(0.6555555).margin(1e-6));
  // test_fbeta_scalar_weight and test_fbeta_2d_weight (threshold 0.5)
  const Tensor t2 = T({2, 2}, {1, 1, 1, 0}), p2 = T({2, 2}, {0.2f, 0.6f, 0.2f, 0.6f});
  const auto s = call(metrics::F1Score({.threshold = 0.5f}), t2, p2, Tensor::scalar(0.5f))->results();
  CHECK(s[0] == Approx(0.0).margin(1e-5));
  CHECK(s[1] == Approx(0.6666665).margin(1e-5));
  const auto d = call(metrics::F1Score({.threshold = 0.5f}), t2, p2, T({2, 2}, {0.5f, 0.2f, 0.3f, 0.8f}))->results();
  CHECK(d[1] == Approx(0.333333).margin(1e-5));
  CHECK_THROWS_AS(metrics::F1Score({.average = "median"}), ValueError);
  CHECK_THROWS_AS(metrics::F1Score({.threshold = 1.5f}), ValueError);
  CHECK_THROWS_AS(call(metrics::F1Score(), T({3}, {1, 0, 1}), T({3}, {1, 0, 1})), ValueError);  // not 2D
  CHECK(metrics::F1Score().to_json()["config"] ==
        json::parse(R"({"name": "f1_score", "dtype": "float32", "average": null, "threshold": null})"));
}

TEST_CASE("TopKCategoricalAccuracy as Keras's TopKCategoricalAccuracyTest") {
  const Tensor yt = T({2, 3}, {0, 0, 1, 0, 1, 0});
  const Tensor yp = T({2, 3}, {0.1f, 0.9f, 0.8f, 0.05f, 0.95f, 0});
  CHECK(call(metrics::TopKCategoricalAccuracy(1), yt, yp)->result() == Approx(0.5).margin(1e-3));                  // unweighted
  CHECK(call(metrics::TopKCategoricalAccuracy(1), yt, yp, T({2}, {0.7f, 0.3f}))->result() == Approx(0.3).margin(1e-3));  // weighted
  CHECK(call(metrics::TopKCategoricalAccuracy(2), yt, yp)->result() == Approx(1.0));
  // The sparse form with the same classes (ties count as in in_top_k).
  CHECK(call(metrics::SparseTopKCategoricalAccuracy(1), T({2}, {2, 1}), yp)->result() == Approx(0.5));
  CHECK(call(metrics::SparseTopKCategoricalAccuracy(1), T({2}, {2, 1}), T({2, 3}, {0.5f, 0.5f, 0.5f, 0, 1, 0}))->result() ==
        Approx(1.0));
  CHECK(metrics::TopKCategoricalAccuracy().name() == "top_k_categorical_accuracy");
  CHECK(Metric("top_k_categorical_accuracy").make({2, 3}, {2, 3})->get_config()["k"] == 5);
}
