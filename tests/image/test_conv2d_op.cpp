// ops::conv2d: values against a naive loop (Keras conv_test configs), the TF 'same' split,
// gradients by central differences, a large batch against naive gradients, and errors.
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
using xkeras::testing::ConvCase;
using xkeras::testing::random_tensor;
using xkeras::testing::reference_conv2d;

namespace {

Tensor run(const Tensor& x, const Tensor& k, const Tensor& b, const ConvCase& c) {
  return ops::conv2d(x, k, b, {c.sh, c.sw}, c.padding, {c.dh, c.dw}, c.groups);
}

void check_against_reference(const ConvCase& c, const Shape& xshape, unsigned seed) {
  const std::size_t C = xshape[3];
  Tensor x = random_tensor(xshape, seed);
  Tensor k = random_tensor({std::size_t(c.kh), std::size_t(c.kw), C / std::size_t(c.groups), std::size_t(c.filters)}, seed + 1);
  Tensor b = random_tensor({std::size_t(c.filters)}, seed + 2);
  const Array expected = reference_conv2d(x.value(), k.value(), &b.value(), c);
  const Tensor y = run(x, k, b, c);
  INFO("filters " << c.filters << " kernel (" << c.kh << "," << c.kw << ") strides (" << c.sh << "," << c.sw << ") "
                  << c.padding << " dilation (" << c.dh << "," << c.dw << ") groups " << c.groups);
  REQUIRE(y.shape() == to_shape(expected));
  CHECK(all_close(y.value(), expected, 5e-4, 1e-5));
  // and without bias
  const Array expected_nb = reference_conv2d(x.value(), k.value(), nullptr, c);
  CHECK(all_close(run(x, k, Tensor(), c).value(), expected_nb, 5e-4, 1e-5));
}

}  // namespace

TEST_CASE("conv2d: Keras conv_test configs on (2,8,8,4) match the naive reference (rtol 5e-4)") {
  const std::vector<ConvCase> cases = {
      {5, 2, 2, 1, 1, "valid"},
      {4, 3, 3, 2, 2, "same"},
      {6, 2, 2, 1, 1, "same", 2, 2, 2},
      {6, 2, 2, 1, 1, "same", 2, 3, 2},
      {6, 4, 3, 2, 1, "valid", 1, 1, 2},
  };
  unsigned seed = 10;
  for (const auto& c : cases) check_against_reference(c, {2, 8, 8, 4}, seed += 3);
}

TEST_CASE("conv2d: more shapes (odd sizes, strides not dividing, 1x1 pointwise, 4 groups)") {
  check_against_reference({3, 3, 3, 2, 2, "same"}, {2, 7, 9, 3}, 1);    // 7 % 2 != 0: extra pixel bottom/right
  check_against_reference({3, 3, 2, 3, 2, "valid"}, {1, 10, 7, 2}, 2);
  check_against_reference({5, 1, 1, 1, 1, "same"}, {2, 4, 5, 6}, 3);     // pointwise fast path
  check_against_reference({4, 1, 1, 1, 1, "valid", 1, 1, 2}, {2, 3, 3, 6}, 4);  // pointwise, grouped
  check_against_reference({8, 3, 3, 1, 1, "same", 1, 1, 4}, {1, 5, 5, 8}, 5);
  check_against_reference({2, 5, 5, 3, 3, "same"}, {1, 4, 4, 1}, 6);    // kernel larger than the input, same
  check_against_reference({3, 2, 2, 1, 1, "same"}, {1, 5, 6, 2}, 7);    // even kernel: the one pad goes bottom/right
}

TEST_CASE("conv2d: TF 'same' puts the extra pixel bottom/right: 4x4 1..16, 3x3 ones, stride 2 -> [[54,45],[72,54]]") {
  std::vector<float> v(16);
  for (int i = 0; i < 16; ++i) v[std::size_t(i)] = float(i + 1);
  Tensor x = Tensor::from({1, 4, 4, 1}, v);
  Tensor k = Tensor::full({3, 3, 1, 1}, 1.0f);
  const Tensor y = ops::conv2d(x, k, Tensor(), 2, "same");
  REQUIRE(y.shape() == Shape{1, 2, 2, 1});
  check_close(y, {54, 45, 72, 54});
  // "SAME" in upper case is accepted, as Keras lower-cases padding
  check_close(ops::conv2d(x, k, Tensor(), 2, "SAME"), {54, 45, 72, 54});
}

TEST_CASE("conv2d: hand-computed cross-correlation (kernel not flipped) with bias") {
  // x = [[1,2,3],[4,5,6],[7,8,9]], kernel [[1,0],[0,-1]] -> x[i,j] - x[i+1,j+1] = -4 everywhere, + bias 0.5
  Tensor x = Tensor::from({1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  Tensor k = Tensor::from({2, 2, 1, 1}, {1, 0, 0, -1});
  Tensor b = Tensor::from({1}, {0.5f});
  check_close(ops::conv2d(x, k, b), {-3.5f, -3.5f, -3.5f, -3.5f});
  // a kernel [[0,1],[0,0]] picks the top-right tap: a flipped kernel would pick bottom-left
  Tensor k2 = Tensor::from({2, 2, 1, 1}, {0, 1, 0, 0});
  check_close(ops::conv2d(x, k2, Tensor()), {2, 3, 5, 6});
}

TEST_CASE("conv2d: gradients of input, kernel and bias by central differences") {
  const std::vector<ConvCase> cases = {
      {4, 3, 3, 1, 1, "same"},
      {4, 3, 3, 2, 2, "same"},
      {2, 3, 3, 1, 1, "valid"},
      {3, 3, 3, 2, 2, "valid"},
      {2, 2, 3, 1, 1, "same", 2, 2},          // dilation
      {6, 3, 2, 1, 1, "same", 1, 1, 3},       // groups (C = 3 -> 3 groups of 1, 2 filters each)
      {2, 1, 1, 1, 1, "valid"},               // pointwise
  };
  unsigned seed = 40;
  for (const auto& c : cases) {
    INFO("kernel (" << c.kh << "," << c.kw << ") strides " << c.sh << " " << c.padding << " dilation " << c.dh
                    << " groups " << c.groups);
    Tensor x = random_tensor({2, 5, 5, 3}, ++seed);
    Tensor k = random_tensor({std::size_t(c.kh), std::size_t(c.kw), std::size_t(3 / c.groups), std::size_t(c.filters)}, ++seed);
    Tensor b = random_tensor({std::size_t(c.filters)}, ++seed);
    check_gradients([&] { return run(x, k, b, c); }, {x, k, b});
  }
}

TEST_CASE("conv2d: only the tensors that require grad receive one") {
  Tensor x = random_tensor({1, 4, 4, 2}, 1), k = random_tensor({3, 3, 2, 2}, 2);
  k.set_requires_grad(true);
  Tape::current().clear();
  Tensor y = ops::conv2d(x, k, Tensor(), 1, "same");
  Tape::current().backward(y);
  CHECK_FALSE(x.has_grad());
  CHECK(k.has_grad());
  // d sum(y) / d k[i,j,c,f] = sum of the inputs under tap (i,j): the centre tap sees every pixel
  double total = 0;
  for (std::size_t p = 0; p < 16; ++p) total += x.data()[p * 2];
  CHECK(k.grad()(1, 1, 0, 0) == Approx(total).epsilon(1e-5));
}

TEST_CASE("conv2d: an empty batch gives the kernel a zero gradient and the bias the sum of none") {
  Tensor x = Tensor::zeros({0, 4, 4, 2}), k = random_tensor({3, 3, 2, 2}, 2), b = random_tensor({2}, 3);
  k.set_requires_grad(true);
  b.set_requires_grad(true);
  Tape::current().clear();
  Tensor y = ops::conv2d(x, k, b, 1, "same");
  REQUIRE(y.shape() == Shape{0, 4, 4, 2});
  Tape::current().backward(y);
  REQUIRE(k.has_grad());  // an optimizer then steps it like any weight with a zero gradient
  check_close(Tensor(k.grad()), std::vector<float>(36, 0.0f));
  check_close(Tensor(b.grad()), {0, 0});
}

TEST_CASE("conv2d: no filters gives an empty output and a zero input gradient") {
  Tensor x = random_tensor({1, 3, 3, 2}, 4), k = Tensor::zeros({3, 3, 2, 0});
  x.set_requires_grad(true);
  Tape::current().clear();
  Tensor y = ops::conv2d(x, k, Tensor(), 1, "same");
  REQUIRE(y.shape() == Shape{1, 3, 3, 0});
  Tape::current().backward(y);
  REQUIRE(x.has_grad());
  check_close(Tensor(x.grad()), std::vector<float>(18, 0.0f));
}

TEST_CASE("conv2d: a reused gradient buffer is overwritten, so pixels no window reads get 0, a second backward adds") {
  // 5x5 input, 2x2 kernel, stride 2, valid: row 4 and column 4 are never read.
  Tensor x = random_tensor({1, 5, 5, 1}, 3), k = random_tensor({2, 2, 1, 1}, 4);
  x.set_requires_grad(true);
  // Leave garbage in x's gradient buffer, then mark it unused: the next backward must not keep any of it.
  std::fill(x.grad_buffer().begin(), x.grad_buffer().end(), 7.0f);
  x.zero_grad();
  for (int pass = 1; pass <= 2; ++pass) {
    Tape::current().clear();
    Tensor y = ops::conv2d(x, k, Tensor(), 2, "valid");
    Tape::current().backward(y);  // d sum(y) / d x[p, q] = k[p % 2, q % 2] where a window reads (p, q)
    const Array g = x.grad();
    for (std::size_t p = 0; p < 5; ++p)
      for (std::size_t q = 0; q < 5; ++q) {
        const float expected = (p < 4 && q < 4) ? pass * k.value()(p % 2, q % 2, 0, 0) : 0.0f;
        INFO("pass " << pass << " pixel (" << p << ", " << q << ")");
        CHECK(g(0, p, q, 0) == Approx(expected).margin(1e-6));
      }
  }
}

TEST_CASE("conv2d: a large batch and 64 channels give the naive forward and gradients") {
  // 2*64*64 = 8192 output pixels, each a 5x5x64 window: a realistic size, checked against naive loops.
  const ConvCase c{3, 5, 5, 1, 1, "same"};
  Tensor x = random_tensor({2, 64, 64, 64}, 3), k = random_tensor({5, 5, 64, 3}, 4, -0.1f, 0.1f);
  Tensor b = random_tensor({3}, 5);
  for (auto* t : {&x, &k, &b}) t->set_requires_grad(true);
  Tape::current().clear();
  Tensor y = run(x, k, b, c);
  CHECK(all_close(y.value(), reference_conv2d(x.value(), k.value(), &b.value(), c), 5e-4, 1e-4));
  const Tensor g = random_tensor(y.shape(), 6);
  Tape::current().backward(y, g.value());
  // naive backward: dk[i,j,c,f] = sum x[tap] g[out], dx[tap] += k[i,j,c,f] g[out], db[f] = sum g
  Array dk = xt::zeros<float>(k.value().shape()), dx = xt::zeros<float>(x.value().shape()), db = xt::zeros<float>({3});
  const auto& xv = x.value();
  const auto& kv = k.value();
  for (long n = 0; n < 2; ++n)
    for (long oh = 0; oh < 64; ++oh)
      for (long ow = 0; ow < 64; ++ow) {
        const float* go = g.data() + ((n * 64 + oh) * 64 + ow) * 3;
        for (long f = 0; f < 3; ++f) db(f) += go[f];
        for (long i = 0; i < 5; ++i)
          for (long j = 0; j < 5; ++j) {
            const long ih = oh + i - 2, iw = ow + j - 2;
            if (ih < 0 || ih >= 64 || iw < 0 || iw >= 64) continue;
            for (long ch = 0; ch < 64; ++ch)
              for (long f = 0; f < 3; ++f) {
                dk(i, j, ch, f) += xv(n, ih, iw, ch) * go[f];
                dx(n, ih, iw, ch) += kv(i, j, ch, f) * go[f];
              }
          }
      }
  CHECK(all_close(k.grad(), dk, 1e-3, 1e-3));
  CHECK(all_close(x.grad(), dx, 1e-3, 1e-4));
  CHECK(all_close(b.grad(), db, 1e-4, 1e-3));
}

TEST_CASE("conv2d: shape errors are ValueErrors that say what was expected") {
  Tensor x = random_tensor({1, 5, 5, 4}, 1);
  Tensor k = random_tensor({3, 3, 4, 2}, 2);
  CHECK_THROWS_AS(ops::conv2d(random_tensor({5, 5, 4}, 1), k, Tensor()), ValueError);                 // rank 3 input
  CHECK_THROWS_WITH(ops::conv2d(x, random_tensor({3, 3, 3, 2}, 2), Tensor()), Catch::Contains("input channels"));
  CHECK_THROWS_WITH(ops::conv2d(x, k, Tensor(), 1, "causal"), Catch::Contains("\"valid\", \"same\""));
  CHECK_THROWS_WITH(ops::conv2d(x, k, random_tensor({3}, 3)), Catch::Contains("bias of shape (2,)"));
  CHECK_THROWS_WITH(ops::conv2d(x, k, Tensor(), 0), Catch::Contains("strides"));
  CHECK_THROWS_WITH(ops::conv2d(x, k, Tensor(), 1, "valid", {1, -1}), Catch::Contains("dilation_rate"));
  CHECK_THROWS_WITH(ops::conv2d(x, random_tensor({6, 6, 4, 2}, 2), Tensor()), Catch::Contains("does not fit"));
  CHECK_THROWS_WITH(ops::conv2d(x, random_tensor({3, 3, 2, 3}, 2), Tensor(), 1, "valid", 1, 2),
                    Catch::Contains("divisible by groups"));
  CHECK_THROWS_AS(ops::conv2d(x, k, Tensor(), 1, "valid", 1, 0), ValueError);
  CHECK_THROWS_AS(ops::conv2d(x, Tensor(), Tensor()), ValueError);
}

TEST_CASE("conv_window: the TF rule for valid and same") {
  // same: out = ceil(n/s), total = max(0, (out-1)s + (k-1)d + 1 - n), before = total / 2
  auto w = ops::conv_window(4, 3, 2, 1, "same");
  CHECK(w.out == 2);
  CHECK(w.pad_before == 0);
  CHECK(w.pad_after == 1);
  w = ops::conv_window(5, 3, 1, 2, "same");  // k_eff 5: total 4
  CHECK(w.out == 5);
  CHECK(w.pad_before == 2);
  CHECK(w.pad_after == 2);
  w = ops::conv_window(8, 4, 2, 1, "valid");
  CHECK(w.out == 3);
  CHECK(ops::conv_window(2, 3, 1, 1, "valid").out == 0);
  CHECK_THROWS_AS(ops::conv_window(4, 3, 0, 1, "same"), ValueError);
}
