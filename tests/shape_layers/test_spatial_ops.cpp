// The spatial ops behind the 1-D/3-D layers: hand-computed values, naive reference loops,
// central-difference gradients and errors.
#include <catch2/catch.hpp>

#include <numeric>

#include <xkeras/errors.hpp>
#include <xkeras/ops/spatial.hpp>

#include "image/reference.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::distinct_tensor;
using xkeras::testing::random_tensor;

namespace {
Tensor iota(const Shape& s, float start = 0) {
  std::vector<float> v(shape_size(s));
  std::iota(v.begin(), v.end(), start);
  return Tensor::from(s, v);
}
const Tensor seq12345 = Tensor::from({1, 5, 1}, {1, 2, 3, 4, 5});
}  // namespace

TEST_CASE("max_pool and avg_pool over one axis: the Keras docstring values") {
  check_close(ops::avg_pool(seq12345, {2}, {1}, "valid"), {1.5f, 2.5f, 3.5f, 4.5f});
  check_close(ops::avg_pool(seq12345, {2}, {2}, "valid"), {1.5f, 3.5f});
  check_close(ops::avg_pool(seq12345, {2}, {1}, "same"), {1.5f, 2.5f, 3.5f, 4.5f, 5.0f});  // last window: one cell
  check_close(ops::max_pool(seq12345, {2}, {1}, "valid"), {2, 3, 4, 5});
  check_close(ops::max_pool(seq12345, {2}, {2}, "valid"), {2, 4});
  check_close(ops::max_pool(seq12345, {2}, {1}, "same"), {2, 3, 4, 5, 5});
  CHECK(ops::max_pool(seq12345, {2}, {1}, "same").shape() == Shape{1, 5, 1});
  // channels pool independently; pool 3, stride 2, same on 3 steps: 2 outputs, one padding cell at each
  // end, windows [-1, 2) and [1, 4): channel 0 is (1, 5, 3), channel 1 is (-1, 0, 4)
  Tensor x = Tensor::from({1, 3, 2}, {1, -1, 5, 0, 3, 4});
  check_close(ops::max_pool(x, {3}, {2}, "same"), {5, 0, 5, 4});
  check_close(ops::avg_pool(x, {3}, {2}, "same"), {3, -0.5f, 4, 2});
}

TEST_CASE("3-D pooling equals a naive loop") {
  const Tensor x = distinct_tensor({2, 4, 5, 3, 2}, 3);
  struct Case {
    std::vector<int> k, s;
    const char* pad;
  };
  for (const Case& c : {Case{{2, 2, 2}, {2, 2, 2}, "valid"}, Case{{2, 3, 2}, {2, 2, 1}, "valid"},
                        Case{{3, 2, 2}, {2, 3, 1}, "same"}}) {
    const Tensor m = ops::max_pool(x, c.k, c.s, c.pad), a = ops::avg_pool(x, c.k, c.s, c.pad);
    const Shape ys = m.shape();
    REQUIRE(ys.size() == 5);
    for (std::size_t n = 0; n < 2; ++n)
      for (std::size_t d = 0; d < ys[1]; ++d)
        for (std::size_t h = 0; h < ys[2]; ++h)
          for (std::size_t w = 0; w < ys[3]; ++w)
            for (std::size_t ch = 0; ch < 2; ++ch) {
              const auto pd = testing::reference_pad(4, c.k[0], c.s[0], 1, c.pad);
              const auto ph = testing::reference_pad(5, c.k[1], c.s[1], 1, c.pad);
              const auto pw = testing::reference_pad(3, c.k[2], c.s[2], 1, c.pad);
              float best = -1e30f;
              double sum = 0;
              int count = 0;
              for (long i = 0; i < c.k[0]; ++i)
                for (long j = 0; j < c.k[1]; ++j)
                  for (long l = 0; l < c.k[2]; ++l) {
                    const long a0 = long(d) * c.s[0] + i - pd.before, a1 = long(h) * c.s[1] + j - ph.before,
                               a2 = long(w) * c.s[2] + l - pw.before;
                    if (a0 < 0 || a0 >= 4 || a1 < 0 || a1 >= 5 || a2 < 0 || a2 >= 3) continue;
                    const float v = x.value()(n, a0, a1, a2, ch);
                    best = std::max(best, v);
                    sum += v;
                    ++count;
                  }
              INFO("case k=" << c.k[0] << c.k[1] << c.k[2] << " " << c.pad << " at " << n << d << h << w << ch);
              CHECK(m.value()(n, d, h, w, ch) == Approx(best));
              CHECK(a.value()(n, d, h, w, ch) == Approx(sum / count).margin(1e-5));
            }
  }
  CHECK(ops::max_pool(random_tensor({3, 5, 5, 5, 4}), {2, 3, 2}, {2, 2, 1}, "valid").shape() == Shape{3, 2, 2, 4, 4});
}

TEST_CASE("Pooling ops over 1 and 3 axes: gradients") {
  Tensor x = distinct_tensor({2, 7, 3}, 4);
  check_gradients([&] { return ops::max_pool(x, {3}, {2}, "same"); }, {x});
  Tensor y = random_tensor({2, 7, 3}, 5);
  check_gradients([&] { return ops::avg_pool(y, {2}, {1}, "same"); }, {y});
  Tensor v = distinct_tensor({1, 3, 4, 3, 2}, 6);
  check_gradients([&] { return ops::max_pool(v, {2, 2, 2}, {1, 2, 1}, "same"); }, {v});
  Tensor w = random_tensor({1, 3, 4, 3, 2}, 7);
  check_gradients([&] { return ops::avg_pool(w, {2, 3, 2}, {1, 1, 2}, "valid"); }, {w});
}

TEST_CASE("global_max_pool and global_avg_pool over 1 and 3 axes") {
  Tensor x = Tensor::from({2, 3, 2}, {1, 6, -2, 0, 4, 2, /**/ -1, -1, -3, 5, 0, 2});
  check_close(ops::global_max_pool(x), {4, 6, 0, 5});
  check_close(ops::global_avg_pool(x), {1, 8.0f / 3, -4.0f / 3, 2});
  CHECK(ops::global_avg_pool(x, true).shape() == Shape{2, 1, 2});
  Tensor v = iota({2, 2, 2, 2, 3});
  check_close(ops::global_max_pool(v), {21, 22, 23, 45, 46, 47});
  check_close(ops::global_avg_pool(v), {10.5f, 11.5f, 12.5f, 34.5f, 35.5f, 36.5f});
  CHECK(ops::global_max_pool(v, true).shape() == Shape{2, 1, 1, 1, 3});
  Tensor d = distinct_tensor({2, 2, 3, 2, 2}, 8);
  check_gradients([&] { return ops::global_max_pool(d); }, {d});
  Tensor r = random_tensor({2, 5, 3}, 9);
  check_gradients([&] { return ops::global_avg_pool(r, true); }, {r});
}

TEST_CASE("spatial_zero_pad and spatial_crop: values, inverse of each other, gradients") {
  Tensor x = Tensor::from({1, 2, 2}, {1, 2, 3, 4});
  Tensor p = ops::spatial_zero_pad(x, {{1, 2}});
  REQUIRE(p.shape() == Shape{1, 5, 2});
  check_close(p, {0, 0, 1, 2, 3, 4, 0, 0, 0, 0});
  Tensor v = iota({2, 3, 4, 5, 2});
  Tensor vp = ops::spatial_zero_pad(v, {{1, 0}, {0, 2}, {3, 1}});
  REQUIRE(vp.shape() == Shape{2, 4, 6, 9, 2});
  CHECK(vp.value()(1, 1, 0, 3, 1) == v.value()(1, 0, 0, 0, 1));
  CHECK(vp.value()(0, 3, 3, 7, 0) == v.value()(0, 2, 3, 4, 0));
  CHECK(vp.value()(0, 0, 3, 7, 0) == 0);
  Tensor back = ops::spatial_crop(vp, {{1, 0}, {0, 2}, {3, 1}});
  REQUIRE(back.shape() == v.shape());
  CHECK(testing::all_close(back.value(), v.value(), 0, 0));
  // crop = slice: (3, 7) crop ((1, 2)) keeps rows 1..4
  Tensor s = iota({1, 7, 1});
  check_close(ops::spatial_crop(s, {{1, 2}}), {1, 2, 3, 4});
  Tensor g = random_tensor({2, 3, 4, 2}, 10);
  check_gradients([&] { return ops::spatial_zero_pad(g, {{2, 0}, {1, 1}}); }, {g});
  check_gradients([&] { return ops::spatial_crop(g, {{1, 1}, {0, 2}}); }, {g});
  Tensor g3 = random_tensor({1, 3, 3, 4, 2}, 11);
  check_gradients([&] { return ops::spatial_crop(g3, {{0, 1}, {1, 0}, {1, 2}}); }, {g3});
}

TEST_CASE("upsample_nearest: repeats along 1 and 3 axes, gradient sums each block") {
  // Keras's UpSampling1D test: arange(12).reshape(2, 2, 3), size 2
  Tensor x = iota({2, 2, 3});
  check_close(ops::upsample_nearest(x, {2}), {0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 6, 7, 8, 6, 7, 8, 9, 10, 11, 9, 10, 11});
  Tensor v = iota({1, 2, 1, 2, 1});
  Tensor u = ops::upsample_nearest(v, {1, 2, 3});
  REQUIRE(u.shape() == Shape{1, 2, 2, 6, 1});
  check_close(u, {0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 2, 2, 2, 3, 3, 3});
  Tensor r = random_tensor({2, 2, 3, 2, 2}, 12);
  check_gradients([&] { return ops::upsample_nearest(r, {2, 1, 3}); }, {r});
  Tensor q = random_tensor({2, 3, 2}, 13);
  check_gradients([&] { return ops::upsample_nearest(q, {3}); }, {q});
}

TEST_CASE("resize_bilinear: half-pixel centres, clamped edges, gradient") {
  // tf.image.resize([[0, 1]], (1, 4), "bilinear") = [0, 0.25, 0.75, 1]
  check_close(ops::resize_bilinear(Tensor::from({1, 1, 2, 1}, {0, 1}), 1, 4), {0, 0.25f, 0.75f, 1});
  // factor 3: source coordinates -1/3, 0, 1/3, 2/3, 1, 4/3 -> clamped at both ends
  check_close(ops::resize_bilinear(Tensor::from({1, 1, 2, 1}, {0, 1}), 1, 6), {0, 0, 1.0f / 3, 2.0f / 3, 1, 1});
  // 2x2 -> 4x4: y = 2 * r + c with r, c in {0, 0.25, 0.75, 1}
  Tensor img = Tensor::from({1, 2, 2, 1}, {0, 1, 2, 3});
  check_close(ops::resize_bilinear(img, 4, 4),
              {0, 0.25f, 0.75f, 1, 0.5f, 0.75f, 1.25f, 1.5f, 1.5f, 1.75f, 2.25f, 2.5f, 2, 2.25f, 2.75f, 3});
  // same size: identity
  Tensor r = random_tensor({2, 3, 4, 2}, 14);
  CHECK(testing::all_close(ops::resize_bilinear(r, 3, 4).value(), r.value(), 0, 1e-6));
  check_gradients([&] { return ops::resize_bilinear(r, 6, 8); }, {r});
  check_gradients([&] { return ops::resize_bilinear(r, 9, 4); }, {r});
}

TEST_CASE("Spatial ops: errors") {
  CHECK_THROWS_WITH(ops::max_pool(random_tensor({2, 4, 3}), {2, 2}, {1, 1}), Catch::Contains("expected a 4-D input"));
  CHECK_THROWS_WITH(ops::max_pool(random_tensor({2, 4, 3}), {5}, {1}), Catch::Contains("does not fit"));
  CHECK_THROWS_WITH(ops::avg_pool(random_tensor({2, 4, 3}), {0}, {1}), Catch::Contains("positive"));
  CHECK_THROWS_WITH(ops::avg_pool(random_tensor({2, 4, 3}), {2}, {1}, "causal"), Catch::Contains("\"valid\", \"same\""));
  CHECK_THROWS_AS(ops::global_max_pool(random_tensor({2, 3})), ValueError);
  CHECK_THROWS_AS(ops::global_avg_pool(Tensor(Array::from_shape({1, 0, 3}))), ValueError);
  CHECK_THROWS_WITH(ops::spatial_crop(random_tensor({1, 4, 2}), {{2, 2}}), Catch::Contains("smaller than the input"));
  CHECK_THROWS_WITH(ops::spatial_zero_pad(random_tensor({1, 4, 2}), {{-1, 0}}), Catch::Contains("non-negative"));
  CHECK_THROWS_WITH(ops::spatial_zero_pad(random_tensor({1, 4, 2}), {{1, 0}, {1, 1}}), Catch::Contains("expected a 4-D"));
  CHECK_THROWS_WITH(ops::spatial_zero_pad(random_tensor({1, 4, 2}), {{1 << 30, 0}}), Catch::Contains("non-negative"));
  CHECK_THROWS_WITH(ops::upsample_nearest(random_tensor({1, 4, 2}), {0}), Catch::Contains("positive"));
  CHECK_THROWS_WITH(ops::upsample_nearest(random_tensor({1, 4, 2}), {1 << 25}), Catch::Contains("positive"));
  CHECK_THROWS_WITH(ops::resize_bilinear(random_tensor({1, 4, 2}), 2, 2), Catch::Contains("4-D"));
}
