// fit / evaluate / predict on a Dataset against the same calls on arrays: bit-identical weights and
// values, since the same batches reach the same training step in the same order.
#include <catch2/catch.hpp>

#include <xkeras/data.hpp>
#include <xkeras/errors.hpp>
#include <xkeras/initializers.hpp>
#include <xkeras/layers/dense.hpp>
#include <xkeras/layers/input_layer.hpp>
#include <xkeras/models/model.hpp>
#include <xkeras/models/sequential.hpp>
#include <xkeras/random.hpp>

#include "support/cout_capture.hpp"

using namespace xkeras;
using data::Dataset;

namespace {

Model make_model() {
  clear_session();
  set_random_seed(21);
  Sequential m({layers::Input({3}), layers::Dense(5, "tanh"), layers::Dense(2)});
  m.compile(optimizers::Adam(0.01f), "mse");
  return m;
}

struct XY {
  Tensor x, y;
};
XY make_data(std::size_t n) { return {random::normal({n, 3}, 0, 1, 1), random::normal({n, 2}, 0, 1, 2)}; }

void check_same_weights(const Model& a, const Model& b) {
  const auto wa = a.get_weights(), wb = b.get_weights();
  REQUIRE(wa.size() == wb.size());
  for (std::size_t i = 0; i < wa.size(); ++i) CHECK(wa[i] == wb[i]);
}

}  // namespace

TEST_CASE("fit on a batched Dataset equals fit on arrays bit for bit") {
  const auto d = make_data(50);  // 50 = 6 batches of 8 and one of 2
  Model a = make_model();
  const History ha = a.fit(d.x, d.y, FitOptions().with_epochs(3).with_batch_size(8).with_shuffle(false).with_verbose(0));
  Model b = make_model();
  const History hb = b.fit(Dataset::from_tensors({d.x, d.y}).batch(8), FitOptions().with_epochs(3).with_verbose(0));
  check_same_weights(a, b);
  CHECK(ha["loss"] == hb["loss"]);
  CHECK(hb.params["steps"] == 7);
  // The same through a prefetching pipeline.
  Model c = make_model();
  c.fit(Dataset::from_tensors({d.x, d.y}).batch(8).prefetch(2), FitOptions().with_epochs(3).with_verbose(0));
  check_same_weights(a, c);
}

TEST_CASE("steps_per_epoch on a repeated Dataset goes on where the last epoch stopped") {
  const auto d = make_data(32);  // 4 batches of 8
  // Arrays: 3 epochs of 3 steps run batches 0 1 2 | 3 0 1 | 2 3 0 (the lead's loop, Keras's EpochIterator).
  Model a = make_model();
  a.fit(d.x, d.y, FitOptions().with_epochs(3).with_batch_size(8).with_shuffle(false).with_verbose(0).with_steps_per_epoch(3));
  Model b = make_model();
  const History hb = b.fit(Dataset::from_tensors({d.x, d.y}).batch(8).repeat(),
                           FitOptions().with_epochs(3).with_verbose(0).with_steps_per_epoch(3));
  check_same_weights(a, b);
  CHECK(hb.params["steps"] == 3);
  // Prefetched: fit ends with the producer still running ahead; destroying the pass stops it.
  Model p = make_model();
  p.fit(Dataset::from_tensors({d.x, d.y}).batch(8).repeat().prefetch(3),
        FitOptions().with_epochs(3).with_verbose(0).with_steps_per_epoch(3));
  check_same_weights(a, p);
  // The same 9 batches by hand: a finite dataset of 9 batches, one epoch.
  Model c = make_model();
  c.fit(Dataset::from_tensors({d.x, d.y}).batch(8).repeat(3).take(9), FitOptions().with_verbose(0));
  check_same_weights(a, c);
}

TEST_CASE("fit validates on a Dataset as on arrays") {
  const auto d = make_data(24), v = make_data(10);
  Model a = make_model();
  const History ha = a.fit(d.x, d.y,
                           FitOptions().with_epochs(2).with_batch_size(8).with_shuffle(false).with_verbose(0).with_validation_data(
                               ValidationData{{v.x}, {v.y}, Tensor()}));
  Model b = make_model();
  const History hb = b.fit(Dataset::from_tensors({d.x, d.y}).batch(8), Dataset::from_tensors({v.x, v.y}).batch(8),
                           FitOptions().with_epochs(2).with_verbose(0));
  check_same_weights(a, b);
  CHECK(ha["val_loss"] == hb["val_loss"]);
  // validation_steps: one batch of the validation dataset, which may repeat forever.
  Model c = make_model();
  const History hc = c.fit(Dataset::from_tensors({d.x, d.y}).batch(8), Dataset::from_tensors({v.x, v.y}).batch(8).repeat(),
                           FitOptions().with_epochs(1).with_verbose(0).with_validation_steps(1));
  Model e = make_model();
  e.fit(Dataset::from_tensors({d.x, d.y}).batch(8), FitOptions().with_epochs(1).with_verbose(0));
  // The validation loss of that epoch is the loss of the first validation batch after the epoch's training.
  CHECK(hc["val_loss"][0] == e.evaluate(Dataset::from_tensors({v.x, v.y}).batch(8).take(1)).at("loss"));
}

TEST_CASE("evaluate and predict on a Dataset equal the array calls") {
  const auto d = make_data(21);
  Model m = make_model();
  const auto ea = m.evaluate(d.x, d.y, 4);
  const auto ed = m.evaluate(Dataset::from_tensors({d.x, d.y}).batch(4));
  CHECK(ea.at("loss") == ed.at("loss"));
  const Tensor pa = m.predict(d.x, 4);
  // Targets in the elements are ignored by predict, as Keras ignores y.
  const Tensors pd = m.predict(Dataset::from_tensors({d.x, d.y}).batch(4).prefetch(2));
  REQUIRE(pd.size() == 1);
  CHECK(pd[0].shape() == Shape{21, 2});
  CHECK(pd[0].to_vector() == pa.to_vector());
  const Tensors p2 = m.predict(Dataset::from_tensors({d.x}).batch(4), PredictOptions().with_steps(2));
  CHECK(p2[0].shape() == Shape{8, 2});
}

TEST_CASE("fit on a Dataset refuses what Keras refuses") {
  const auto d = make_data(8);
  Model m = make_model();
  auto ds = Dataset::from_tensors({d.x, d.y}).batch(4);
  CHECK_THROWS_WITH(m.fit(ds.repeat(), FitOptions().with_verbose(0)), Catch::Contains("steps_per_epoch"));
  CHECK_THROWS_WITH(m.fit(ds, FitOptions().with_verbose(0).with_validation_split(0.2)),
                    Catch::Contains("validation_split is only supported for arrays"));
  CHECK_THROWS_WITH(m.fit(Dataset::from_tensors({d.x}).batch(4), FitOptions().with_verbose(0)),
                    Catch::Contains("dataset element 0 has 1 tensors"));
  CHECK_THROWS_WITH(m.evaluate(ds.repeat()), Catch::Contains("pass steps"));
  // Unbatched elements: x of shape (3,) is not a batch of (None, 3).
  CHECK_THROWS_AS(m.fit(Dataset::from_tensors({d.x, d.y}), FitOptions().with_verbose(0)), ValueError);
}

TEST_CASE("fit on a generator of unknown length counts its steps in the log line") {
  const auto d = make_data(12);
  auto batches = Dataset::from_tensors({d.x, d.y}).batch(4);
  auto gen = Dataset::from_generator_factory([batches] {
    auto it = std::make_shared<data::Iterator>(batches.begin_epoch());
    return data::Generator([it] { return it->next(); });
  });
  CHECK(gen.cardinality() == data::kUnknownCardinality);
  Model a = make_model();
  a.fit(d.x, d.y, FitOptions().with_epochs(2).with_batch_size(4).with_shuffle(false).with_verbose(0));
  Model b = make_model();
  std::string out;
  {
    testing::CoutCapture cap;
    const History h = b.fit(gen, FitOptions().with_epochs(2).with_verbose(2));
    CHECK(h.params["steps"].is_null());
    out = cap.text.str();
  }
  INFO(out);
  CHECK(out.find("3/3 - ") != std::string::npos);
  check_same_weights(a, b);
}

TEST_CASE("sample weights in Dataset elements and class_weight train as on arrays") {
  const auto d = make_data(20);
  std::vector<float> wv(20);
  for (std::size_t i = 0; i < 20; ++i) wv[i] = float(i % 3);  // weights 0 1 2 0 1 2 ...
  const Tensor w = Tensor::from({20}, wv);
  Model a = make_model();
  a.fit(d.x, d.y, FitOptions().with_epochs(2).with_batch_size(8).with_shuffle(false).with_verbose(0).with_sample_weight(w));
  Model b = make_model();
  b.fit(Dataset::from_tensors({d.x, d.y, w}).batch(8), FitOptions().with_epochs(2).with_verbose(0));
  check_same_weights(a, b);
  // The weights matter: unweighted training ends elsewhere.
  Model c = make_model();
  c.fit(Dataset::from_tensors({d.x, d.y}).batch(8), FitOptions().with_epochs(2).with_verbose(0));
  const bool differs = !(c.get_weights()[0] == a.get_weights()[0]);
  CHECK(differs);

  // class_weight: classes from integer labels of a one-output classifier.
  auto classifier = [] {
    clear_session();
    set_random_seed(3);
    Sequential m({layers::Input({3}), layers::Dense(3)});
    m.compile(optimizers::SGD(0.1f), losses::SparseCategoricalCrossentropy(true));
    return Model(m);
  };
  const Tensor labels = Tensor::from({20}, {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1});
  const ClassWeight cw = {{0, 1.0}, {1, 3.0}, {2, 0.5}};
  Model e = classifier();
  e.fit(d.x, labels, FitOptions().with_epochs(2).with_batch_size(8).with_shuffle(false).with_verbose(0).with_class_weight(cw));
  Model f = classifier();
  f.fit(Dataset::from_tensors({d.x, labels}).batch(8), FitOptions().with_epochs(2).with_verbose(0).with_class_weight(cw));
  check_same_weights(e, f);
  // An element with its own weights and class_weight: refused, as Keras.
  CHECK_THROWS_WITH(f.fit(Dataset::from_tensors({d.x, labels, w}).batch(8), FitOptions().with_verbose(0).with_class_weight(cw)),
                    Catch::Contains("class_weight and sample_weight"));
}
