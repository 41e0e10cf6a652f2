// How fit/evaluate split a Dataset element for a model with two inputs and one output:
// {x1, x2, y[, sample_weight]} (models/training/dataset_source.cpp), against the array calls.
#include <catch2/catch.hpp>

#include <xkeras/layers.hpp>
#include <xkeras/xkeras.hpp>

using namespace xkeras;
using data::Dataset;

namespace {

Model two_inputs() {
  clear_session();
  set_random_seed(4);
  auto a = Input({3}, "a");
  auto b = Input({2}, "b");
  Model m({a, b}, layers::Dense(1)(layers::Concatenate(-1)({a, b})));
  m.compile(optimizers::SGD(0.05f), "mse");
  return m;
}

// The loss, or the error message: what the call gave.
template <class F>
std::string outcome(F f) {
  try {
    return std::to_string(f());
  } catch (const ValueError& e) {
    return e.what();
  }
}

}  // namespace

TEST_CASE("a two-input model trains on Dataset elements as on arrays") {
  const Tensor x1 = random::normal({10, 3}, 0, 1, 1), x2 = random::normal({10, 2}, 0, 1, 2);
  const Tensor y = random::normal({10, 1}, 0, 1, 3);
  Model a = two_inputs();
  a.fit(Tensors{x1, x2}, Tensors{y}, FitOptions().with_epochs(2).with_batch_size(4).with_shuffle(false).with_verbose(0));
  Model b = two_inputs();
  b.fit(Dataset::from_tensors({x1, x2, y}).batch(4), FitOptions().with_epochs(2).with_verbose(0));
  const auto wa = a.get_weights(), wb = b.get_weights();
  REQUIRE(wa.size() == wb.size());
  for (std::size_t i = 0; i < wa.size(); ++i) CHECK(wa[i] == wb[i]);
  // predict reads the first two tensors and ignores the rest.
  CHECK(b.predict(Dataset::from_tensors({x1, x2, y}).batch(3))[0].to_vector() == b.predict(Tensors{x1, x2}, 3)[0].to_vector());
}

TEST_CASE("a sample_weight element reaches evaluate as the array option does") {
  const Tensor x1 = random::normal({6, 3}, 0, 1, 1), x2 = random::normal({6, 2}, 0, 1, 2);
  const Tensor y = random::normal({6, 1}, 0, 1, 3), w = Tensor::from({6}, {1, 0, 2, 0, 1, 3});
  Model m = two_inputs();
  // The same loss, or (while the runner refuses weights) the same refusal.
  const std::string arrays = outcome([&] {
    return m.evaluate(Tensors{x1, x2}, Tensors{y}, EvaluateOptions().with_batch_size(4).with_sample_weight(w)).at("loss");
  });
  const std::string dataset = outcome([&] { return m.evaluate(Dataset::from_tensors({x1, x2, y, w}).batch(4)).at("loss"); });
  CHECK(arrays == dataset);
  // Without weights both give the same loss.
  CHECK(m.evaluate(Tensors{x1, x2}, Tensors{y}, 4).at("loss") == m.evaluate(Dataset::from_tensors({x1, x2, y}).batch(4)).at("loss"));
}

TEST_CASE("a malformed Dataset element is named in the error") {
  Model m = two_inputs();
  const Tensor x1 = Tensor::zeros({4, 3}), x2 = Tensor::zeros({4, 2}), y = Tensor::zeros({4, 1});
  CHECK_THROWS_WITH(m.fit(Dataset::from_tensors({x1, y}).batch(2), FitOptions().with_verbose(0)),
                    Catch::Contains("dataset element 0 has 2 tensors; expected 2 input(s) and 1 target(s)"));
  CHECK_THROWS_WITH(m.fit(Dataset::from_tensors({x1, x2, y, Tensor::zeros({4, 2})}).batch(2), FitOptions().with_verbose(0)),
                    Catch::Contains("sample_weight of dataset element 0 must be float32 of shape (2,)"));
}
