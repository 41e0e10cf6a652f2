// The hooks fire in Keras 3's order (trainer.py::fit / evaluate / predict), History and the progress
// bar are callbacks, stop_training ends fit, and steps_per_epoch continues a pass across epochs.
#include <catch2/catch.hpp>

#include <xkeras/callbacks.hpp>

#include "callbacks/callback_fixtures.hpp"
#include "support/cout_capture.hpp"

using namespace xkeras;
using cbtest::make_data;
using cbtest::regressor;

namespace {

// Records every hook as "name[:index]" with the batch size when it has a model output at hand.
class Recorder : public callbacks::Callback {
 public:
  std::vector<std::string> events;
  void on_train_begin(Logs&) override { events.push_back("train_begin"); }
  void on_train_end(Logs& l) override { events.push_back("train_end:" + std::to_string(l.size())); }
  void on_epoch_begin(int e, Logs&) override { events.push_back("epoch_begin:" + std::to_string(e)); }
  void on_epoch_end(int e, Logs& l) override {
    std::string keys;
    for (const auto& kv : l) keys += kv.first + " ";
    events.push_back("epoch_end:" + std::to_string(e) + ":" + keys);
  }
  void on_train_batch_begin(int b, Logs&) override { events.push_back("batch_begin:" + std::to_string(b)); }
  void on_train_batch_end(int b, Logs& l) override { events.push_back("batch_end:" + std::to_string(b) + (l.contains("loss") ? "" : "!")); }
  void on_test_begin(Logs&) override { events.push_back("test_begin"); }
  void on_test_end(Logs& l) override { events.push_back("test_end:" + std::to_string(l.size())); }
  void on_test_batch_begin(int b, Logs&) override { events.push_back("test_batch_begin:" + std::to_string(b)); }
  void on_test_batch_end(int b, Logs&) override { events.push_back("test_batch_end:" + std::to_string(b)); }
  void on_predict_begin(Logs&) override { events.push_back("predict_begin"); }
  void on_predict_end(Logs&) override { events.push_back("predict_end"); }
  void on_predict_batch_begin(int b, Logs&) override { events.push_back("predict_batch_begin:" + std::to_string(b)); }
  void on_predict_batch_end(int b, Logs& l) override {
    events.push_back("predict_batch_end:" + std::to_string(b) + ":" + std::to_string(l.outputs.at(0).shape()[0]));
  }
};

}  // namespace

TEST_CASE("fit calls the hooks in Keras's order with validation") {
  Model m = regressor(optimizers::SGD(0.01f));
  auto [x, y] = make_data(10);
  auto rec = std::make_shared<Recorder>();
  // 8 training rows in batches of 4 (2 steps), 2 validation rows (1 step).
  const History h = m.fit(x, y, FitOptions().with_epochs(2).with_batch_size(4).with_validation_split(0.2).with_verbose(0)
                                    .with_callbacks({rec}));
  const std::vector<std::string> want = {
      "train_begin",
      "epoch_begin:0", "batch_begin:0", "batch_end:0", "batch_begin:1", "batch_end:1",
      "test_begin", "test_batch_begin:0", "test_batch_end:0", "test_end:1", "epoch_end:0:loss val_loss ",
      "epoch_begin:1", "batch_begin:0", "batch_end:0", "batch_begin:1", "batch_end:1",
      "test_begin", "test_batch_begin:0", "test_batch_end:0", "test_end:1", "epoch_end:1:loss val_loss ",
      "train_end:2"};
  CHECK(rec->events == want);
  CHECK(h.epoch == std::vector<int>{0, 1});
  CHECK(h.keys == std::vector<std::string>{"loss", "val_loss"});
  CHECK(h.params["steps"] == 2);
}

TEST_CASE("evaluate and predict call their hooks") {
  Model m = regressor(optimizers::SGD(0.01f));
  auto [x, y] = make_data(5);
  auto rec = std::make_shared<Recorder>();
  m.evaluate(x, y, EvaluateOptions().with_batch_size(2).with_callbacks({rec}));
  CHECK(rec->events == std::vector<std::string>{"test_begin", "test_batch_begin:0", "test_batch_end:0", "test_batch_begin:1",
                                                "test_batch_end:1", "test_batch_begin:2", "test_batch_end:2", "test_end:1"});
  rec->events.clear();
  const Tensor p = m.predict(x, PredictOptions().with_batch_size(3).with_callbacks({rec}));
  CHECK(p.shape() == Shape{5, 1});
  CHECK(rec->events == std::vector<std::string>{"predict_begin", "predict_batch_begin:0", "predict_batch_end:0:3",
                                                "predict_batch_begin:1", "predict_batch_end:1:2", "predict_end"});
}

TEST_CASE("a callback stops training through stop_training") {
  Model m = regressor(optimizers::SGD(0.01f));
  auto [x, y] = make_data(20);
  int batches = 0;
  auto stopper = std::make_shared<callbacks::LambdaCallback>(callbacks::LambdaCallbackOptions().with_on_train_batch_end(
      [&](int, Logs&) { ++batches; }));
  struct StopAt : callbacks::Callback {
    int at;
    explicit StopAt(int a) : at(a) {}
    void on_train_batch_end(int batch, Logs&) override {
      if (batch == at) model().set_stop_training(true);
    }
  };
  const History h = m.fit(x, y, FitOptions().with_epochs(5).with_batch_size(4).with_shuffle(false).with_verbose(0)
                                    .with_callbacks({stopper, std::make_shared<StopAt>(2)}));
  CHECK(batches == 3);                         // batches 0, 1, 2 of the first epoch
  CHECK(m.optimizer()->iterations() == 3);     // three updates, then the stop
  CHECK(h.epoch == std::vector<int>{0});       // the interrupted epoch still ends and is recorded
  CHECK(m.stop_training());  // Keras leaves it set after fit
  // The flag is cleared when fit starts again.
  m.set_stop_training(true);
  const History h2 = m.fit(x, y, FitOptions().with_epochs(1).with_batch_size(4).with_verbose(0));
  CHECK(h2.epoch.size() == 1);
  CHECK(m.optimizer()->iterations() == 3 + 5);
}

TEST_CASE("steps_per_epoch continues a pass across epochs") {
  auto [x, y] = make_data(10);  // batches of 4: 4, 4, 2
  std::vector<std::size_t> sizes;
  // A layer that records the rows of every training batch it sees.
  class RowCounter : public Layer {
   public:
    std::vector<std::size_t>* rows;
    explicit RowCounter(std::vector<std::size_t>* r) : Layer("RowCounter"), rows(r) {}
    Tensor call(const Tensor& t, bool training) override {
      if (training) rows->push_back(t.shape()[0]);
      return t;
    }
  };
  set_random_seed(1);
  auto counter = make_layer<RowCounter>(&sizes);
  Sequential s({layers::Input({4}), counter, layers::Dense(1)});
  s.compile(optimizers::SGD(0.01f), "mse");
  const History h = s.fit(x, y, FitOptions().with_epochs(3).with_batch_size(4).with_steps_per_epoch(2).with_shuffle(false)
                                    .with_verbose(0));
  CHECK(sizes == std::vector<std::size_t>{4, 4, 2, 4, 4, 2});
  CHECK(h.params["steps"] == 2);
  CHECK(h.epoch == std::vector<int>{0, 1, 2});
}

TEST_CASE("a History passed as a callback is the one fit fills and returns") {
  Model m = regressor(optimizers::SGD(0.01f));
  auto [x, y] = make_data(8);
  auto hist = std::make_shared<History>();
  const History h = m.fit(x, y, FitOptions().with_epochs(3).with_batch_size(4).with_verbose(0).with_callbacks({hist}));
  CHECK(hist->epoch == std::vector<int>{0, 1, 2});
  CHECK(hist->history.at("loss") == h.history.at("loss"));
  CHECK(hist->params["epochs"] == 3);
}

TEST_CASE("option structs read the same from setters and designated initializers") {
  const FitOptions a{.epochs = 4, .batch_size = 16, .shuffle = false, .verbose = 0};
  const FitOptions b = FitOptions().with_verbose(0).with_shuffle(false).with_batch_size(16).with_epochs(4);
  CHECK(a.epochs == b.epochs);
  CHECK(a.batch_size == b.batch_size);
  CHECK(a.shuffle == b.shuffle);
  CHECK(a.verbose == b.verbose);
  CHECK(b.validation_split == 0.0);
  CHECK(b.terminate_on_nan);
}

TEST_CASE("verbose fit prints one epoch line per epoch through the progress bar callback") {
  Model m = regressor(optimizers::SGD(0.01f));
  auto [x, y] = make_data(8);
  testing::CoutCapture out;
  m.fit(x, y, FitOptions().with_epochs(2).with_batch_size(4).with_verbose(2));
  const std::string s = out.text.str();
  CHECK(s.rfind("Epoch 1/2\n2/2 - ", 0) == 0);
  CHECK(s.find("Epoch 2/2\n2/2 - ") != std::string::npos);
  CHECK(s.find("loss: ") != std::string::npos);
}
