// to_categorical, normalize and split_dataset: Keras's own test values
// (keras/src/utils/numerical_utils_test.py) and hand-computed ones.
#include <catch2/catch.hpp>

#include <cmath>

#include <xkeras/errors.hpp>
#include <xkeras/random.hpp>
#include <xkeras/utils.hpp>

using namespace xkeras;

namespace {

std::vector<float> firsts(const data::Dataset& ds) {
  std::vector<float> out;
  for (const auto& e : ds) out.push_back(e[0].to_vector()[0]);
  return out;
}

Tensor iota_column(std::size_t n) {
  std::vector<float> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = float(i);
  return Tensor::from({n, 1}, v);
}

}  // namespace

TEST_CASE("to_categorical gives Keras's one-hot rows") {
  // numerical_utils_test.py test_to_categorical_with_backend_tensor: [0, 2, 1, 3, 4] with 5 classes.
  const Tensor one_hot = utils::to_categorical(Tensor::from({5}, {0, 2, 1, 3, 4}), 5);
  CHECK(one_hot.shape() == Shape{5, 5});
  CHECK(one_hot.to_vector() == std::vector<float>{1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0,  //
                                                  0, 0, 0, 1, 0, 0, 0, 0, 0, 1});
  // int32 labels too.
  CHECK(utils::to_categorical(Tensor::from_ints({2}, {1, 0}), 3).to_vector() == std::vector<float>{0, 1, 0, 1, 0, 0});
}

TEST_CASE("to_categorical shapes follow Keras's test table") {
  // numerical_utils_test.py test_to_categorical: input shape -> output shape with NUM_CLASSES = 5;
  // a trailing axis of 1 is dropped. Each row has one 1, at the label.
  const std::vector<std::pair<Shape, Shape>> table = {
      {{1}, {1, 5}}, {{3}, {3, 5}}, {{4, 3}, {4, 3, 5}}, {{5, 4, 3}, {5, 4, 3, 5}}, {{3, 1}, {3, 5}}, {{3, 2, 1}, {3, 2, 5}}};
  for (const auto& [in, out] : table) {
    const Tensor labels = random::randint(in, 0, 5, 9);
    const Tensor oh = utils::to_categorical(labels, 5);
    CHECK(oh.shape() == out);
    for (std::size_t i = 0; i < labels.size(); ++i) {
      float sum = 0;
      for (int c = 0; c < 5; ++c) sum += oh.data()[i * 5 + c];
      CHECK(sum == 1.0f);
      CHECK(oh.data()[i * 5 + labels.idata()[i]] == 1.0f);
    }
  }
}

TEST_CASE("to_categorical without num_classes uses max plus one") {
  // numerical_utils_test.py test_to_categorical_without_num_classes: [0, 2, 5] -> (3, 6).
  CHECK(utils::to_categorical(Tensor::from({3}, {0, 2, 5})).shape() == Shape{3, 6});
  // Float labels truncate as Keras's int64 cast.
  CHECK(utils::to_categorical(Tensor::from({1}, {1.7f}), 3).to_vector() == std::vector<float>{0, 1, 0});
}

TEST_CASE("to_categorical refuses labels outside the classes") {
  CHECK_THROWS_WITH(utils::to_categorical(Tensor::from({3}, {0, 5, 1}), 5),
                    Catch::Contains("label 5 at position 1 is outside [0, 5)"));
  CHECK_THROWS_AS(utils::to_categorical(Tensor::from({2}, {0, -1}), 5), ValueError);
  CHECK_THROWS_AS(utils::to_categorical(Tensor::from({1}, {NAN}), 5), ValueError);
}

TEST_CASE("normalize along axis 0 as Keras's test") {
  // numerical_utils_test.py test_normalize_numpy_axis_zero.
  const Tensor x = Tensor::from({2, 3}, {3, 0, 12, 4, 5, 0});
  const Tensor out = utils::normalize(x, 0);
  const std::vector<float> want = {0.6f, 0, 1, 0.8f, 1, 0};
  const auto got = out.to_vector();
  for (std::size_t i = 0; i < want.size(); ++i) CHECK(got[i] == Approx(want[i]).margin(1e-7));
}

TEST_CASE("normalize with orders 1 2 3 and a zero row") {
  const Tensor x = Tensor::from({3, 2}, {3, -4, 0, 0, 1, 2});
  // order 2: ||(3, -4)|| = 5; the zero row stays zero (Keras sets a zero norm to 1).
  auto o2 = utils::normalize(x).to_vector();
  CHECK(o2[0] == Approx(0.6f));
  CHECK(o2[1] == Approx(-0.8f));
  CHECK(o2[2] == 0.0f);
  CHECK(o2[3] == 0.0f);
  CHECK(o2[4] == Approx(1 / std::sqrt(5.0f)));
  // order 1: |3| + |-4| = 7.
  auto o1 = utils::normalize(x, -1, 1).to_vector();
  CHECK(o1[0] == Approx(3.0f / 7));
  CHECK(o1[5] == Approx(2.0f / 3));
  // order 3: (27 + 64)^(1/3).
  auto o3 = utils::normalize(x, 1, 3).to_vector();
  CHECK(o3[1] == Approx(-4.0 / std::cbrt(91.0)));
  CHECK_THROWS_AS(utils::normalize(x, 2), ValueError);
  CHECK_THROWS_AS(utils::normalize(x, -1, 0), ValueError);
}

TEST_CASE("split_sizes follow Keras's rules") {
  using utils::split_sizes;
  CHECK(split_sizes(0.8, {}, 10) == std::pair<std::int64_t, std::int64_t>{8, 2});
  CHECK(split_sizes({}, 3, 10) == std::pair<std::int64_t, std::int64_t>{7, 3});
  CHECK(split_sizes(3, 4, 10) == std::pair<std::int64_t, std::int64_t>{3, 4});
  // Python's round is half to even: 0.25 * 10 = 2.5 -> 2, 0.35 * 10 = 3.5 -> 4.
  CHECK(split_sizes(0.25, {}, 10) == std::pair<std::int64_t, std::int64_t>{2, 8});
  CHECK(split_sizes({}, 0.35, 10) == std::pair<std::int64_t, std::int64_t>{6, 4});
  CHECK(split_sizes(0.5, 0.2, 10) == std::pair<std::int64_t, std::int64_t>{5, 2});
  CHECK_THROWS_WITH(split_sizes({}, {}, 10), Catch::Contains("At least one of the `left_size` or `right_size`"));
  CHECK_THROWS_WITH(split_sizes(0, 0, 10), Catch::Contains("Both `left_size` and `right_size` are zero"));
  CHECK_THROWS_WITH(split_sizes(10, {}, 10), Catch::Contains("positive integer smaller than 10"));
  CHECK_THROWS_WITH(split_sizes(1.0, {}, 10), Catch::Contains("`left_size` should be"));
  CHECK_THROWS_WITH(split_sizes(0.7, 0.5, 10), Catch::Contains("greater than 1"));
  CHECK_THROWS_WITH(split_sizes(6, 5, 10), Catch::Contains("left_size + right_size = 11"));
  CHECK_THROWS_WITH(split_sizes(0.01, {}, 10), Catch::Contains("left side dataset split will be empty"));
}

TEST_CASE("split_dataset takes the first left and the last right samples") {
  auto [left, right] = utils::split_dataset(Tensors{iota_column(10)}, 3, 4);
  CHECK(left.cardinality() == 3);
  CHECK(right.cardinality() == 4);
  CHECK(firsts(left) == std::vector<float>{0, 1, 2});
  CHECK(firsts(right) == std::vector<float>{6, 7, 8, 9});
  // A Dataset's elements, shuffled with a seed: a partition of all samples, reproducible.
  auto ds = data::Dataset::from_tensors({iota_column(10)});
  auto [l1, r1] = utils::split_dataset(ds, 0.8, {}, true, 5);
  auto [l2, r2] = utils::split_dataset(ds, 0.8, {}, true, 5);
  CHECK(firsts(l1) == firsts(l2));
  auto all = firsts(l1);
  for (float v : firsts(r1)) all.push_back(v);
  CHECK(all.size() == 10);
  std::sort(all.begin(), all.end());
  CHECK(all == firsts(ds));
  CHECK(firsts(l1) != std::vector<float>{0, 1, 2, 3, 4, 5, 6, 7});
}
