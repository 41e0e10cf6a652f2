#include <algorithm>
// Accuracy metric resolution and values (Keras's accuracy_metrics_test), and the progress-bar format.
#include <catch2/catch.hpp>

#include <sstream>

#include <xkeras/errors.hpp>
#include <xkeras/metrics.hpp>

#include "../../models/training/fit_split.hpp"
#include "../../models/training/progbar.hpp"

using namespace xkeras;
using namespace xkeras::training;

namespace {

double metric_value(const Metric& m, const Tensor& t, const Tensor& p) {
  auto impl = m.make(t.shape(), p.shape());
  impl->update_state(t, p);
  return impl->result();
}

}  // namespace

TEST_CASE("accuracy resolves by shapes as Keras's compile_utils does") {
  CHECK(Metric("accuracy").make({4, 1}, {4, 1})->class_name() == "BinaryAccuracy");
  CHECK(Metric("acc").make({4}, {4, 1})->class_name() == "BinaryAccuracy");
  CHECK(Metric("accuracy").make({4}, {4, 3})->class_name() == "SparseCategoricalAccuracy");
  CHECK(Metric("accuracy").make({4, 1}, {4, 3})->class_name() == "SparseCategoricalAccuracy");
  CHECK(Metric("accuracy").make({4, 3}, {4, 3})->class_name() == "CategoricalAccuracy");
  CHECK(Metric("Accuracy").make({4, 3}, {4, 3})->name() == "Accuracy");  // the user's string is the name
  CHECK(Metric("acc").make({4, 3}, {4, 3})->name() == "acc");
  CHECK_THROWS_WITH(Metric("f1"), Catch::StartsWith("Could not interpret metric identifier: \"f1\""));
}

TEST_CASE("accuracy metric values from Keras's tests") {
  // BinaryAccuracy: strict y_pred > 0.5
  CHECK(metric_value("binary_accuracy", Tensor::from({4, 1}, {1, 1, 0, 0}), Tensor::from({4, 1}, {0.98f, 1, 0, 0.6f})) == 0.75);
  CHECK(metric_value("accuracy", Tensor::from({2, 1}, {1, 0}), Tensor::from({2, 1}, {0.5f, 0.5f})) == 0.5);
  // CategoricalAccuracy
  CHECK(metric_value("categorical_accuracy", Tensor::from({2, 3}, {0, 0, 1, 0, 1, 0}),
                     Tensor::from({2, 3}, {0.1f, 0.9f, 0.8f, 0.05f, 0.95f, 0})) == 0.5);
  // SparseCategoricalAccuracy
  CHECK(metric_value("sparse_categorical_accuracy", Tensor::from({2, 1}, {2, 1}),
                     Tensor::from({2, 3}, {0.1f, 0.6f, 0.3f, 0.05f, 0.95f, 0})) == 0.5);
  CHECK(metric_value("accuracy", Tensor::from({2}, {2, 1}), Tensor::from({2, 3}, {0.1f, 0.6f, 0.3f, 0.05f, 0.95f, 0})) == 0.5);
  // mae / mse: per-sample means over the last axis
  const Tensor t = Tensor::from({2, 3}, {1, 9, 2, -5, -2, 6});
  const Tensor p = Tensor::from({2, 3}, {4, 8, 12, 8, 1, 3});
  CHECK(metric_value("mae", t, p) == Approx(5.5));
  CHECK(metric_value("mse", t, p) == Approx(49.5));
}

TEST_CASE("metrics are running means over batches and reset") {
  auto m = Metric("accuracy").make({1, 1}, {1, 1});
  m->update_state(Tensor::from({3, 1}, {1, 1, 1}), Tensor::from({3, 1}, {0.9f, 0.9f, 0.9f}));  // 3/3
  m->update_state(Tensor::from({1, 1}, {1}), Tensor::from({1, 1}, {0.1f}));                   // 0/1
  CHECK(m->result() == 0.75);
  m->reset_state();
  CHECK(m->result() == 0.0);
  CHECK_THROWS_WITH(m->update_state(Tensor::from({2, 1}, {1, 0}), Tensor::from({3, 1}, {1, 0, 1})),
                    Catch::StartsWith("Metric \"accuracy\": y_true and y_pred must have the same shape"));
}

TEST_CASE("progress line format is Keras 3's") {
  // Final verbose=1 line, plain (no tty)
  ProgressLine done{469, 469, true, 3.2, 0.006, {{"loss", 0.0213}, {"val_loss", 0.0209}}};
  CHECK(format_progress_line(done, false) ==
        "469/469 ━━━━━━━━━━━━━━━━━━━━ 3s 6ms/step - loss: 0.0213 - val_loss: 0.0209");
  // With Keras's escape codes
  CHECK(format_progress_line(ProgressLine{32, 32, true, 1, 0.003, {{"loss", 0.1234}}}, true) ==
        "\x1b[1m32/32\x1b[0m \x1b[32m━━━━━━━━━━━━━━━━━━━━\x1b[0m\x1b[37m\x1b[0m \x1b[1m1s\x1b[0m 3ms/step - loss: 0.1234");
  // Running: right-aligned count, partial bar, ETA
  CHECK(format_progress_line(ProgressLine{5, 32, false, 81.0, 0.000579, {{"loss", 0.5}}}, false) ==
        " 5/32 ━━━━━━━━━━━━━━━━━━━━ 1:21 579us/step - loss: 0.5000");
  CHECK(format_progress_line(ProgressLine{5, 32, false, 7.9, 2.0, {}}, true) ==
        "\x1b[1m 5/32\x1b[0m \x1b[32m━━━\x1b[0m\x1b[37m━━━━━━━━━━━━━━━━━\x1b[0m \x1b[1m7s\x1b[0m 2s/step");
  CHECK(display_width(format_progress_line(done, true)) == display_width(format_progress_line(done, false)));
  CHECK(display_width(" 5/32 ━━━") == 9);
  // values: %.4f above 1e-3 in magnitude, else %.4e
  CHECK(format_value(0.0) == "0.0000e+00");
  CHECK(format_value(1e-4) == "1.0000e-04");
  CHECK(format_value(-0.5) == "-0.5000");
  CHECK(format_value(-0.5, false) == "-5.0000e-01");  // verbose=2 quirk: no abs
  CHECK(format_step_time(0) == " 0s/step");
  CHECK(format_step_time(1.6) == " 2s/step");
  CHECK(format_step_time(0.0061) == " 6ms/step");
  CHECK(format_eta(3725) == "1:02:05");
  CHECK(format_eta(59.9) == "59s");
  // verbose=2
  CHECK(format_epoch_line(469, 3.4, 0.006, {{"loss", 0.0213}, {"accuracy", 0.9}}) ==
        "469/469 - 3s - 6ms/step - loss: 0.0213 - accuracy: 0.9000");
}

TEST_CASE("Progbar throttles, prints only the final line off a terminal, and leaves out the first step's time") {
  double now = 100.0;
  std::ostringstream out;
  Progbar bar(3, 1, out, false, [&] { return now; });
  now = 101.0;  // step 1 took 1 s (a warm-up)
  bar.update(1, {{"loss", 1.5}}, false);
  now = 101.01;  // within 0.05 s of the last repaint: skipped
  bar.update(2, {{"loss", 1.25}}, false);
  now = 101.02;
  bar.update(3, {{"loss", 1.0}}, true);  // (101.02 - 101) / 2 = 10 ms per step
  // Not a terminal (ansi = false): the running repaints are left out of logs.
  CHECK(out.str() == "\r3/3 ━━━━━━━━━━━━━━━━━━━━ 1s 10ms/step - loss: 1.0000\n");

  std::ostringstream tty;
  now = 100.0;
  Progbar live(3, 1, tty, true, [&] { return now; });
  now = 101.0;
  live.update(1, {{"loss", 1.5}}, false);
  now = 101.01;
  live.update(2, {{"loss", 1.25}}, false);  // throttled
  now = 101.02;
  live.update(3, {{"loss", 1.0}}, true);
  // On a terminal: one repaint after step 1 and the final line, each starting with a carriage return.
  const std::string s = tty.str();
  CHECK(std::count(s.begin(), s.end(), '\r') == 2);
  CHECK(s.find("loss: 1.5000") != std::string::npos);
  CHECK(s.find("loss: 1.2500") == std::string::npos);
  CHECK(s.find("10ms/step") != std::string::npos);
  CHECK(s.back() == '\n');

  std::ostringstream out2;
  now = 0;
  Progbar quiet(4, 2, out2, false, [&] { return now; });
  now = 4.0;  // fit calls a verbose=2 bar only at epoch end, so every step counts in the time per step
  quiet.update(4, {{"loss", 2}}, true);
  CHECK(out2.str() == "4/4 - 4s - 1s/step - loss: 2.0000\n");
}

TEST_CASE("validation_split takes the last samples") {
  CHECK(validation_split_at(100, 0.2) == 80);
  CHECK(validation_split_at(10, 0.25) == 7);  // floor(10 * 0.75)
  CHECK(validation_split_at(10, 0.0) == 10);
  CHECK_THROWS_WITH(validation_split_at(1, 0.1), Catch::StartsWith("Training data contains 1 samples"));
  CHECK_THROWS_AS(validation_split_at(10, 1.0), ValueError);
  CHECK_THROWS_AS(validation_split_at(10, -0.1), ValueError);
}
