// Precision, Recall and AUC against Keras's own tests (keras/src/metrics/confusion_metrics_test.py).
#include <catch2/catch.hpp>

#include <cmath>

#include <xkeras/errors.hpp>

#include "metric_helpers.hpp"

using namespace xkeras;
using namespace xkeras::testing;

TEST_CASE("Precision unweighted and weighted as Keras's PrecisionTest") {
  // test_unweighted
  CHECK(call(metrics::Precision(), T({4}, {0, 1, 1, 0}), T({4}, {1, 0, 1, 0}))->result() == Approx(0.5));
  // test_weighted: weighted tp 3 + 4 over weighted positives (1 + 3) + (4 + 2)
  auto p = call(metrics::Precision(), T({2, 4}, {0, 1, 1, 0, 1, 0, 0, 1}), T({2, 4}, {1, 0, 1, 0, 1, 0, 1, 0}),
                T({2, 4}, {1, 2, 3, 4, 4, 3, 2, 1}));
  CHECK(p->result() == Approx(7.0 / 10.0));
  // test_div_by_zero
  CHECK(call(metrics::Precision(), T({4}, {0, 0, 0, 0}), T({4}, {0, 0, 0, 0}))->result() == 0.0);
  // test_unweighted_with_threshold: thresholds [0.5, 0.7] -> [0.5, 0.0]
  auto t = call(metrics::Precision({.thresholds = {0.5f, 0.7f}}), T({4}, {0, 1, 1, 0}), T({4}, {1, 0, 0.6f, 0}));
  CHECK(t->results() == std::vector<double>{0.5, 0.0});
}

TEST_CASE("Precision accumulates over updates with thresholds as Keras's test_multiple_updates") {
  auto m = metrics::Precision({.thresholds = {0.5f, 1.0f}}).make({}, {});
  const Tensor y_true = T({2, 2}, {0, 1, 1, 0}), y_pred = T({2, 2}, {1, 0, 0.6f, 0}), w = T({2, 2}, {4, 0, 3, 1});
  for (int i = 0; i < 2; ++i) m->update_state(y_true, y_pred, w);
  const auto r = m->results();
  REQUIRE(r.size() == 2);
  CHECK(r[0] == Approx(6.0 / 14.0));
  CHECK(r[1] == 0.0);
  m->reset_state();
  CHECK(m->result() == 0.0);
}

TEST_CASE("Precision top_k and class_id as Keras's tests") {
  // test_unweighted_top_k: ties go to the earlier index
  CHECK(call(metrics::Precision({.top_k = 3}), T({5}, {0, 1, 1, 0, 0}), T({5}, {0.2f, 0.1f, 0.5f, 0, 0.2f}))->result() ==
        Approx(1.0 / 3));
  // test_weighted_top_k: two updates, the second with a scalar weight
  auto m = metrics::Precision({.top_k = 3}).make({}, {});
  m->update_state(T({1, 5}, {0, 1, 1, 0, 1}), T({1, 5}, {0.2f, 0.1f, 0.4f, 0, 0.2f}), T({1, 5}, {1, 4, 2, 3, 5}));
  m->update_state(T({5}, {1, 0, 1, 1, 1}), T({5}, {0.2f, 0.6f, 0.4f, 0.2f, 0.2f}), Tensor::scalar(3));
  CHECK(m->result() == Approx(13.0 / 17.0));
  // test_unweighted_class_id_multiclass
  const Tensor yp = T({5, 3}, {0.1f, 0.2f, 0.7f, 0.5f, 0.3f, 0.2f, 0.2f, 0.6f, 0.2f, 0.7f, 0.2f, 0.1f, 0.1f, 0.1f, 0.8f});
  const Tensor yt = T({5, 3}, {0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1});
  CHECK(call(metrics::Precision({.class_id = 1}), yt, yp)->result() == Approx(1.0));
  // test_unweighted_top_k_and_threshold
  CHECK(call(metrics::Precision({.thresholds = {0.7f}, .top_k = 2}), T({5}, {0, 1, 1, 0, 1}),
             T({5}, {0.2f, 0.8f, 0.6f, 0, 0.2f}))
            ->result() == Approx(1.0));
  // test_unweighted_class_id_should_throw_error_1d
  CHECK_THROWS_AS(call(metrics::Precision({.class_id = 2}), T({5}, {0, 1, 1, 0, 0}), T({5}, {0.2f, 0.1f, 0.6f, 0, 0.2f})),
                  ValueError);
}

TEST_CASE("Recall weighted as Keras's RecallTest") {
  // test_weighted: weighted tp 3 + 1 over weighted trues (2 + 3) + (4 + 1)
  auto r = call(metrics::Recall(), T({2, 4}, {0, 1, 1, 0, 1, 0, 0, 1}), T({2, 4}, {1, 0, 1, 0, 0, 1, 0, 1}),
                T({2, 4}, {1, 2, 3, 4, 4, 3, 2, 1}));
  CHECK(r->result() == Approx(4.0 / 10.0));
  CHECK(r->name() == "recall");
  CHECK(call(metrics::Recall(), T({4}, {0, 1, 1, 0}), T({4}, {1, 0, 1, 0}))->result() == Approx(0.5));
}

namespace {
// AUCTest.setUp: thresholds [0 - 1e-7, 0.5, 1 + 1e-7].
const Tensor kPred = T({4}, {0, 0.5f, 0.3f, 0.9f});
const Tensor kTrue = T({4}, {0, 0, 1, 1});
const Tensor kWeight = T({4}, {1, 2, 3, 4});
double auc(const metrics::AUCOptions& o, const Tensor& w = Tensor()) { return call(metrics::AUC(o), kTrue, kPred, w)->result(); }
}  // namespace

TEST_CASE("AUC as Keras's AUCTest") {
  CHECK(call(metrics::AUC(), kTrue, kTrue)->result() == Approx(1.0));                   // test_unweighted_all_correct
  CHECK(auc({.num_thresholds = 3}) == Approx(0.75).margin(1e-3));                        // test_unweighted
  CHECK(auc({.thresholds = {0.5f}}) == Approx(0.75).margin(1e-3));                       // test_manual_thresholds
  CHECK(auc({.num_thresholds = 3}, kWeight) == Approx(0.7855).margin(1e-3));             // test_weighted_roc_interpolation
  CHECK(auc({.num_thresholds = 3, .summation_method = "majoring"}, kWeight) == Approx(1.0).margin(1e-3));
  CHECK(auc({.num_thresholds = 3, .summation_method = "minoring"}, kWeight) == Approx(0.571).margin(1e-3));
  CHECK(auc({.num_thresholds = 3, .curve = "PR", .summation_method = "majoring"}, kWeight) == Approx(1.0).margin(1e-3));
  CHECK(auc({.num_thresholds = 3, .curve = "PR", .summation_method = "minoring"}, kWeight) ==
        Approx(0.7 * 0.429).margin(1e-3));
  // test_weighted_pr_interpolation: 2.416 / 7 + 4 / 7
  CHECK(auc({.num_thresholds = 3, .curve = "PR"}, kWeight) == Approx(2.416 / 7 + 4.0 / 7).margin(1e-3));
  // test_weighted_pr_interpolation_negative_weights
  CHECK(auc({.num_thresholds = 3, .curve = "PR"}, T({4}, {-1, -2, -3, -4})) == Approx(0.0).margin(1e-3));
  // test_unweighted_from_logits: the logits of kPred
  std::vector<float> logits;
  for (float p : {0.0f, 0.5f, 0.3f, 0.9f}) logits.push_back(-std::log(1.0f / (p + 1e-12f) - 1.0f));
  CHECK(call(metrics::AUC({.num_thresholds = 3, .from_logits = true}), kTrue, T({4}, logits))->result() ==
        Approx(0.75).margin(1e-3));
  CHECK_THROWS_AS(metrics::AUC({.num_thresholds = 1}), ValueError);
  CHECK_THROWS_AS(metrics::AUC({.curve = "XY"}), ValueError);
}

TEST_CASE("AUC with 200 thresholds equals the exact ROC area on separated scores") {
  // Scores on distinct buckets: the trapezoids reproduce the exact Mann-Whitney area, 5 of 6 pairs
  // ordered correctly (an independent computation).
  const Tensor t = T({5}, {0, 1, 0, 1, 1});
  const Tensor p = T({5}, {0.1f, 0.35f, 0.6f, 0.8f, 0.95f});
  CHECK(call(metrics::AUC(), t, p)->result() == Approx(5.0 / 6.0).margin(1e-6));
}

TEST_CASE("Metric objects write Keras's config and read it back") {
  const Metric p = metrics::Precision({.thresholds = {0.4f, 0.9f}, .top_k = 15, .class_id = 12, .name = "my_precision"});
  const json j = p.to_json();
  CHECK(j["module"] == "keras.metrics");
  CHECK(j["class_name"] == "Precision");
  CHECK(j["registered_name"].is_null());
  CHECK(j["config"]["name"] == "my_precision");
  CHECK(j["config"]["top_k"] == 15);
  CHECK(j["config"]["class_id"] == 12);
  CHECK(Metric::from_json(j, "m").to_json() == j);  // Keras's test_config round trip
  CHECK(Metric::from_json(j, "m").name() == "my_precision");
  const Metric a = metrics::AUC({.num_thresholds = 100, .curve = "PR", .summation_method = "majoring", .name = "auc_1"});
  CHECK(a.to_json()["config"]["num_thresholds"] == 100);
  CHECK_FALSE(a.to_json()["config"].contains("thresholds"));  // as Keras without manual thresholds
  CHECK(Metric::from_json(a.to_json(), "m").to_json() == a.to_json());
  json bad = a.to_json();
  bad["class_name"] = "Nonsense";
  CHECK_THROWS_WITH(Metric::from_json(bad, "compile_config.metrics[0]"), Catch::StartsWith("compile_config.metrics[0].class_name"));
  bad = a.to_json();
  bad["config"]["num_thresholds"] = "many";
  CHECK_THROWS_AS(Metric::from_json(bad, "m"), ConfigError);
}
