// ops::max_pool2d / avg_pool2d / global pools: Keras docstring values, hand values at 'same'
// edges, Keras max_pooling_test configs against a naive loop, and gradients.
#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>
#include <xkeras/ops/image.hpp>
#include <xkeras/tape.hpp>

#include "image/reference.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::all_close;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::distinct_tensor;
using xkeras::testing::random_tensor;
using xkeras::testing::reference_pool2d;

namespace {
Tensor image3x3() { return Tensor::from({1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9}); }
Tensor arange(const Shape& s) {
  std::vector<float> v(shape_size(s));
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = float(i);
  return Tensor::from(s, v);
}
}  // namespace

TEST_CASE("max_pool2d: Keras docstring examples") {
  // x = [[1,2,3],[4,5,6],[7,8,9]], pool 2, stride 1
  Tensor v = ops::max_pool2d(image3x3(), 2, 1, "valid");
  REQUIRE(v.shape() == Shape{1, 2, 2, 1});
  check_close(v, {5, 6, 8, 9});
  Tensor s = ops::max_pool2d(image3x3(), 2, 1, "same");
  REQUIRE(s.shape() == Shape{1, 3, 3, 1});
  check_close(s, {5, 6, 6, 8, 9, 9, 8, 9, 9});
  // x = [[1..4],[5..8],[9..12]], pool 2, stride 2, valid -> [[6, 8]]
  Tensor x = Tensor::from({1, 3, 4, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  Tensor y = ops::max_pool2d(x, 2, 2, "valid");
  REQUIRE(y.shape() == Shape{1, 1, 2, 1});
  check_close(y, {6, 8});
}

TEST_CASE("max_pool2d: padded cells never win, even when every real value is negative") {
  Tensor x = Tensor::from({1, 3, 3, 1}, {-1, -2, -3, -4, -5, -6, -7, -8, -9});
  check_close(ops::max_pool2d(x, 2, 1, "same"), {-1, -2, -3, -4, -5, -6, -7, -8, -9});
  Tensor inf = Tensor::full({1, 2, 2, 1}, -std::numeric_limits<float>::infinity());
  Tensor y = ops::max_pool2d(inf, 3, 1, "same");
  CHECK(std::isinf(y.data()[0]));
}

TEST_CASE("max_pool2d and avg_pool2d: Keras max_pooling_test configs on arange(100).reshape(1,5,5,4)") {
  const Tensor x = arange({1, 5, 5, 4});
  struct Case { int ph, pw, sh, sw; const char* padding; };
  for (const Case c : {Case{2, 2, 1, 1, "valid"}, Case{2, 2, 2, 2, "same"}, Case{2, 3, 3, 3, "same"}, Case{3, 3, 2, 2, "same"},
                       Case{3, 2, 1, 2, "valid"}}) {
    INFO("pool (" << c.ph << "," << c.pw << ") strides (" << c.sh << "," << c.sw << ") " << c.padding);
    CHECK(all_close(ops::max_pool2d(x, {c.ph, c.pw}, {c.sh, c.sw}, c.padding).value(),
                    reference_pool2d(x.value(), c.ph, c.pw, c.sh, c.sw, c.padding, true), 0, 0));
    CHECK(all_close(ops::avg_pool2d(x, {c.ph, c.pw}, {c.sh, c.sw}, c.padding).value(),
                    reference_pool2d(x.value(), c.ph, c.pw, c.sh, c.sw, c.padding, false), 1e-6, 1e-6));
  }
  // Keras's shape cases: (3,5,5,4) pool 2 stride 1 valid -> (3,4,4,4); pool (2,3) stride 2 valid -> (3,2,2,4)
  const Tensor x3 = random_tensor({3, 5, 5, 4}, 1);
  CHECK(ops::max_pool2d(x3, 2, 1).shape() == Shape{3, 4, 4, 4});
  CHECK(ops::avg_pool2d(x3, {2, 3}, 2).shape() == Shape{3, 2, 2, 4});
}

TEST_CASE("avg_pool2d: 'same' divides by the number of real cells (TF), not the window size") {
  // 3x3 1..9, pool 2 stride 1 same: the padding is one row below and one column right
  check_close(ops::avg_pool2d(image3x3(), 2, 1, "same"), {3, 4, 4.5f, 6, 7, 7.5f, 7.5f, 8.5f, 9});
  check_close(ops::avg_pool2d(image3x3(), 2, 1, "valid"), {3, 4, 6, 7});
  // pool 3 stride 1 same: one padded row/column on each side; the corner sees 4 real cells
  check_close(ops::avg_pool2d(image3x3(), 3, 1, "same"), {3, 3.5f, 4, 4.5f, 5, 5.5f, 6, 6.5f, 7});
}

TEST_CASE("max_pool2d / avg_pool2d: gradients by central differences") {
  for (const char* padding : {"valid", "same"})
    for (int s : {1, 2}) {
      INFO(padding << " stride " << s);
      Tensor x = distinct_tensor({2, 5, 5, 3}, 3);
      check_gradients([&] { return ops::max_pool2d(x, 2, s, padding); }, {x});
      check_gradients([&] { return ops::max_pool2d(x, {3, 2}, {s, 1}, padding); }, {x});
      Tensor y = random_tensor({2, 5, 5, 3}, 4);
      check_gradients([&] { return ops::avg_pool2d(y, 2, s, padding); }, {y});
      check_gradients([&] { return ops::avg_pool2d(y, {3, 2}, {s, 1}, padding); }, {y});
    }
}

TEST_CASE("max_pool2d: the gradient goes to the first maximum of a window") {
  Tensor x = Tensor::from({1, 2, 2, 1}, {3, 3, 1, 3});
  x.set_requires_grad(true);
  Tape::current().clear();
  Tensor y = ops::max_pool2d(x, 2, 2);
  Tape::current().backward(y);
  check_close(Tensor(x.grad()), {1, 0, 0, 0});
}

TEST_CASE("global pooling: values, keepdims and gradients") {
  // (1, 2, 2, 2): channel 0 = 1,2,3,4; channel 1 = -1,5,0,2
  Tensor x = Tensor::from({1, 2, 2, 2}, {1, -1, 2, 5, 3, 0, 4, 2});
  Tensor m = ops::global_max_pool2d(x);
  REQUIRE(m.shape() == Shape{1, 2});
  check_close(m, {4, 5});
  Tensor a = ops::global_avg_pool2d(x, true);
  REQUIRE(a.shape() == Shape{1, 1, 1, 2});
  check_close(a, {2.5f, 1.5f});
  CHECK(ops::global_max_pool2d(x, true).shape() == Shape{1, 1, 1, 2});
  CHECK(ops::global_avg_pool2d(x).shape() == Shape{1, 2});
  Tensor d = distinct_tensor({2, 3, 4, 3}, 5);
  check_gradients([&] { return ops::global_max_pool2d(d); }, {d});
  check_gradients([&] { return ops::global_max_pool2d(d, true); }, {d});
  Tensor r = random_tensor({2, 3, 4, 3}, 6);
  check_gradients([&] { return ops::global_avg_pool2d(r); }, {r});
  check_gradients([&] { return ops::global_avg_pool2d(r, true); }, {r});
}

TEST_CASE("pooling ops: errors") {
  Tensor x = random_tensor({1, 3, 3, 2}, 1);
  CHECK_THROWS_WITH(ops::max_pool2d(x, 4, 1, "valid"), Catch::Contains("does not fit"));
  CHECK_THROWS_WITH(ops::avg_pool2d(x, 2, 1, "full"), Catch::Contains("\"valid\", \"same\""));
  CHECK_THROWS_WITH(ops::max_pool2d(x, 0, 1), Catch::Contains("pool_size"));
  CHECK_THROWS_WITH(ops::avg_pool2d(x, 2, {1, 0}), Catch::Contains("strides"));
  CHECK_THROWS_WITH(ops::max_pool2d(random_tensor({3, 3, 2}, 1), 2, 1), Catch::Contains("4-D input"));
  CHECK_THROWS_AS(ops::global_avg_pool2d(random_tensor({3, 2}, 1)), ValueError);
  CHECK_THROWS_AS(ops::global_max_pool2d(Tensor(Array::from_shape({1, 0, 3, 2}))), ValueError);
}
