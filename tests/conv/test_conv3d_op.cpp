// ops::conv3d and ops::conv3d_transpose: Keras conv_test / conv_transpose_test shapes against naive
// loops, a hand-computed case, central-difference gradients and errors.
#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>
#include <xkeras/ops/conv.hpp>

#include "conv/conv_reference.hpp"
#include "image/reference.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::ops::Size3;
using xkeras::testing::all_close;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

namespace {

struct Case3 {
  int filters;
  Size3 k, s;
  std::string padding;
  Size3 d = 1;
  int groups = 1;
};

Tensor run(const Tensor& x, const Tensor& k, const Tensor& b, const Case3& c) {
  return ops::conv3d(x, k, b, c.s, c.padding, c.d, c.groups);
}
Array reference(const Tensor& x, const Tensor& k, const Tensor* b, const Case3& c) {
  const long s[3] = {c.s.d, c.s.h, c.s.w}, d[3] = {c.d.d, c.d.h, c.d.w};
  return testing::ref_conv3d(x.value(), k.value(), b ? &b->value() : nullptr, s, c.padding, d, c.groups);
}
Tensor kernel_for(const Case3& c, std::size_t C, unsigned seed) {
  return random_tensor({std::size_t(c.k.d), std::size_t(c.k.h), std::size_t(c.k.w), C / std::size_t(c.groups),
                        std::size_t(c.filters)}, seed);
}

}  // namespace

TEST_CASE("conv3d: hand-computed box sum, and Keras conv_test shapes against the naive loop") {
  // 2x2x2 ones kernel over a 2x2x2 cube 1..8 (valid) -> 36, + bias 1
  std::vector<float> v(8);
  for (int i = 0; i < 8; ++i) v[std::size_t(i)] = float(i + 1);
  check_close(ops::conv3d(Tensor::from({1, 2, 2, 2, 1}, v), Tensor::full({2, 2, 2, 1, 1}, 1.0f), Tensor::from({1}, {1})), {37});
  const std::vector<std::pair<Case3, Shape>> cases = {
      {{5, 2, 1, "valid"}, {3, 4, 4, 4, 5}},
      {{6, 2, 1, "same", 2, 2}, {3, 5, 5, 5, 6}},
      {{6, {2, 2, 3}, {2, 1, 2}, "valid", 1, 2}, {3, 2, 4, 2, 6}},
      {{4, 3, 2, "same"}, {3, 3, 3, 3, 4}},
      {{4, {3, 1, 2}, 1, "same", {1, 2, 1}}, {3, 5, 5, 5, 4}},
  };
  unsigned seed = 3;
  for (const auto& [c, shape] : cases) {
    INFO("filters " << c.filters << " kernel (" << c.k.d << "," << c.k.h << "," << c.k.w << ") strides (" << c.s.d << ","
                    << c.s.h << "," << c.s.w << ") " << c.padding << " groups " << c.groups);
    const Tensor x = random_tensor({3, 5, 5, 5, 4}, ++seed), k = kernel_for(c, 4, ++seed);
    const Tensor b = random_tensor({std::size_t(c.filters)}, ++seed);
    const Tensor y = run(x, k, b, c);
    REQUIRE(y.shape() == shape);
    CHECK(all_close(y.value(), reference(x, k, &b, c), 5e-4, 1e-5));
    CHECK(all_close(run(x, k, Tensor(), c).value(), reference(x, k, nullptr, c), 5e-4, 1e-5));
  }
}

TEST_CASE("conv3d: gradients of input, kernel and bias by central differences") {
  for (const Case3& c : {Case3{3, 2, 1, "same"}, Case3{2, {2, 3, 2}, {2, 1, 2}, "valid"}, Case3{4, 2, 1, "same", 2, 2}}) {
    INFO("kernel (" << c.k.d << "," << c.k.h << "," << c.k.w << ") " << c.padding << " groups " << c.groups);
    Tensor x = random_tensor({2, 3, 4, 4, 2}, 11), k = kernel_for(c, 2, 12), b = random_tensor({std::size_t(c.filters)}, 13);
    check_gradients([&] { return run(x, k, b, c); }, {x, k, b});
  }
}

TEST_CASE("conv3d_transpose: Keras conv_transpose_test shapes against the scatter loop, gradients") {
  struct CaseT {
    int filters;
    Size3 k, s;
    std::string padding;
    long op = -1;
    Size3 d = 1;
    Shape out;
  };
  const std::vector<CaseT> cases = {
      {5, 2, 2, "valid", -1, 1, {2, 8, 8, 8, 5}},
      {6, 2, 3, "same", 2, 1, {2, 11, 11, 11, 6}},
      {3, {2, 3, 1}, {1, 2, 3}, "valid", -1, 1, {2, 5, 9, 12, 3}},
      {3, 3, 1, "same", -1, {2, 1, 1}, {2, 4, 4, 4, 3}},
  };
  unsigned seed = 20;
  for (const auto& c : cases) {
    INFO("filters " << c.filters << " " << c.padding << " output_padding " << c.op);
    const Tensor x = random_tensor({2, 4, 4, 4, 3}, ++seed);
    const Tensor k = random_tensor({std::size_t(c.k.d), std::size_t(c.k.h), std::size_t(c.k.w), std::size_t(c.filters), 3}, ++seed);
    const Tensor b = random_tensor({std::size_t(c.filters)}, ++seed);
    const auto op = c.op < 0 ? std::nullopt : std::optional<Size3>(Size3(int(c.op)));
    const Tensor y = ops::conv3d_transpose(x, k, b, c.s, c.padding, op, c.d);
    REQUIRE(y.shape() == c.out);
    const long s[3] = {c.s.d, c.s.h, c.s.w}, ops_[3] = {c.op, c.op, c.op}, d[3] = {c.d.d, c.d.h, c.d.w};
    CHECK(all_close(y.value(), testing::ref_conv3d_transpose(x.value(), k.value(), &b.value(), s, c.padding, ops_, d), 5e-4, 1e-5));
  }
  Tensor x = random_tensor({2, 2, 3, 2, 2}, 30), k = random_tensor({2, 3, 2, 3, 2}, 31), b = random_tensor({3}, 32);
  check_gradients([&] { return ops::conv3d_transpose(x, k, b, {2, 1, 2}, "same", Size3(1, 0, 1)); }, {x, k, b});
}

TEST_CASE("conv3d / conv3d_transpose: errors are ValueErrors that say what was expected") {
  const Tensor x = random_tensor({1, 4, 4, 4, 2}, 1);
  CHECK_THROWS_WITH(ops::conv3d(random_tensor({4, 4, 4, 2}), random_tensor({2, 2, 2, 2, 1}), Tensor()),
                    Catch::Contains("(batch, depth, height, width, channels)"));
  CHECK_THROWS_WITH(ops::conv3d(x, random_tensor({2, 2, 2, 3, 1}), Tensor()), Catch::Contains("input channels"));
  CHECK_THROWS_WITH(ops::conv3d(x, random_tensor({5, 2, 2, 2, 1}), Tensor()), Catch::Contains("does not fit"));
  CHECK_THROWS_WITH(ops::conv3d(x, random_tensor({2, 2, 2, 2, 1}), Tensor(), {1, 0, 1}), Catch::Contains("strides"));
  CHECK_THROWS_WITH(ops::conv3d(x, random_tensor({2, 2, 2, 1, 3}), Tensor(), 1, "valid", 1, 2),
                    Catch::Contains("divisible by groups"));
  CHECK_THROWS_WITH(ops::conv3d_transpose(x, random_tensor({2, 2, 2, 3, 2}), Tensor(), 2, "same", Size3(1, 2, 1)),
                    Catch::Contains("greater than output padding"));
  CHECK_THROWS_WITH(ops::conv3d_transpose(x, random_tensor({2, 2, 2, 3, 1}), Tensor()), Catch::Contains("input channels"));
  CHECK_THROWS_WITH(ops::conv3d_transpose(x, random_tensor({2, 2, 2, 3, 2}), Tensor(), 1 << 12), Catch::Contains("2^36"));
}
