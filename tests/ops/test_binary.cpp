#include <catch2/catch.hpp>

#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

TEST_CASE("add broadcasts a row over a matrix") {
  Tensor a = Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor b = Tensor::from({3}, {10, 20, 30});
  check_close(ops::add(a, b), {11, 22, 33, 14, 25, 36});
}

TEST_CASE("binary ops: gradients summed back to broadcast shapes") {
  Tensor a = random_tensor({2, 3, 4}, 1);
  Tensor b = random_tensor({3, 1}, 2, 0.5f, 1.5f);
  check_gradients([&] { return ops::add(a, b); }, {a, b});
  check_gradients([&] { return ops::sub(a, b); }, {a, b});
  check_gradients([&] { return ops::mul(a, b); }, {a, b});
  check_gradients([&] { return ops::div(a, b); }, {a, b});
}

TEST_CASE("linear: x W + b matches hand values and gradients") {
  // Keras dense_test: kernel [[1,-2],[3,-4]], bias [5,-6], x [[-1,2]] -> [[10,-16]] before relu
  Tensor x = Tensor::from({1, 2}, {-1, 2});
  Tensor w = Tensor::from({2, 2}, {1, -2, 3, -4});
  Tensor b = Tensor::from({2}, {5, -6});
  check_close(ops::linear(x, w, b), {10, -12});
  Tensor x2 = random_tensor({3, 4}, 3), w2 = random_tensor({4, 5}, 4), b2 = random_tensor({5}, 5);
  check_gradients([&] { return ops::linear(x2, w2, b2); }, {x2, w2, b2});
}
