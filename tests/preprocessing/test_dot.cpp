// Dot (Keras's batch_dot) and the batch_matmul op under it: the Keras docstring value, per-sample
// tensordot on every rank pairing, normalize (cosine), gradients, configs, errors.
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

#include <xkeras/errors.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/ops/batch_matmul.hpp>

#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

namespace {
Tensor arange(const Shape& s, float start) {
  std::vector<float> v(shape_size(s));
  std::iota(v.begin(), v.end(), start);
  return Tensor::from(s, v);
}

// Per-sample np.tensordot(x[b], y[b], axes=(a0 - 1, a1 - 1)), free axes of x then of y, by loops.
std::vector<float> tensordot_reference(const Tensor& x, const Tensor& y, std::size_t a0, std::size_t a1) {
  const Shape xs = x.shape(), ys = y.shape();
  const std::size_t k = xs[a0];
  auto strides = [](const Shape& s) {
    std::vector<std::size_t> st(s.size(), 1);
    for (std::size_t d = s.size() - 1; d-- > 0;) st[d] = st[d + 1] * s[d + 1];
    return st;
  };
  const auto sx = strides(xs), sy = strides(ys);
  // Enumerate the free indices of x and of y in row-major order.
  auto free_offsets = [&](const Shape& s, const std::vector<std::size_t>& st, std::size_t skip) {
    std::vector<std::size_t> offs{0};
    for (std::size_t d = 1; d < s.size(); ++d) {
      if (d == skip) continue;
      std::vector<std::size_t> next;
      for (std::size_t o : offs)
        for (std::size_t i = 0; i < s[d]; ++i) next.push_back(o + i * st[d]);
      offs = next;
    }
    return offs;
  };
  const auto fx = free_offsets(xs, sx, a0), fy = free_offsets(ys, sy, a1);
  std::vector<float> out;
  for (std::size_t b = 0; b < xs[0]; ++b)
    for (std::size_t ox : fx)
      for (std::size_t oy : fy) {
        double s = 0;
        for (std::size_t i = 0; i < k; ++i)
          s += double(x.data()[b * sx[0] + ox + i * sx[a0]]) * double(y.data()[b * sy[0] + oy + i * sy[a1]]);
        out.push_back(static_cast<float>(s));
      }
  return out;
}
}  // namespace

TEST_CASE("batch_matmul: values, gradients, shape errors") {
  const Tensor a = arange({2, 2, 3}, 0), b = arange({2, 3, 1}, 1);
  // sample 0: [[0,1,2],[3,4,5]] . [1,2,3] = [8, 26]; sample 1: [[6,7,8],[9,10,11]] . [4,5,6] = [107, 152]
  check_close(ops::batch_matmul(a, b), {8, 26, 107, 152});
  Tensor x = random_tensor({3, 2, 4}, 1), y = random_tensor({3, 4, 5}, 2);
  check_gradients([&] { return ops::batch_matmul(x, y); }, {x, y});
  CHECK_THROWS_WITH(ops::batch_matmul(a, arange({2, 2, 1}, 0)), Catch::Contains("(2, 2, 3) x (2, 2, 1)"));
  CHECK_THROWS_AS(ops::batch_matmul(a, arange({3, 3, 1}, 0)), ValueError);
  CHECK_THROWS_AS(ops::batch_matmul(arange({2, 3}, 0), arange({2, 3, 1}, 0)), ValueError);
  check_close(ops::batch_matmul(Tensor::zeros({2, 2, 0}), Tensor::zeros({2, 0, 3})), std::vector<float>(12, 0.0f));
}

TEST_CASE("Dot: the Keras docstring value, axes (1, 2)") {
  // x = arange(10).reshape(1, 5, 2), y = arange(10, 20).reshape(1, 2, 5) -> [[[260, 360], [320, 445]]]
  const Tensor y = layers::Dot({1, 2})({arange({1, 5, 2}, 0), arange({1, 2, 5}, 10)});
  CHECK(y.shape() == Shape{1, 2, 2});
  check_close(y, {260, 360, 320, 445});
}

TEST_CASE("Dot: per-sample tensordot for every rank pairing (merging_test oracle)") {
  struct Case {
    Shape s1, s2;
    layers::DotAxes axes;
    std::size_t a0, a1;
    Shape out;
  };
  const std::vector<Case> cases = {
      {{3, 4}, {3, 4}, -1, 1, 1, {3, 1}},                   // (B, D).(B, D) -> (B, 1)
      {{2, 4, 5}, {2, 4, 5}, -1, 2, 2, {2, 4, 4}},          // Keras test parameters
      {{2, 4, 5}, {2, 4, 5}, 1, 1, 1, {2, 5, 5}},
      {{2, 4}, {2, 4, 3}, {1, 1}, 1, 1, {2, 3}},            // rank 2 . rank 3
      {{2, 3, 4}, {2, 4}, {2, 1}, 2, 1, {2, 3}},            // rank 3 . rank 2
      {{2, 2, 3, 4}, {2, 4, 5}, {3, 1}, 3, 1, {2, 2, 3, 5}},  // squashed middle axes of x
      {{2, 3, 2, 4}, {2, 2, 5, 3}, {1, -1}, 1, 3, {2, 2, 4, 2, 5}},  // contraction in the middle of both
  };
  unsigned seed = 10;
  for (const auto& c : cases) {
    INFO("shapes " << shape_str(c.s1) << " . " << shape_str(c.s2));
    const Tensor x = random_tensor(c.s1, seed++), y = random_tensor(c.s2, seed++);
    layers::Dot dot(c.axes);
    const Tensor z = dot({x, y});
    REQUIRE(z.shape() == c.out);
    check_close(z, tensordot_reference(x, y, c.a0, c.a1), 1e-5);
    testing::check_output_shape(*dot, {x, y});
    Tensor gx = x, gy = y;
    check_gradients([&] { return dot({gx, gy}); }, {gx, gy});
  }
}

TEST_CASE("Dot: normalize gives the cosine similarity, zero vectors give 0") {
  const Tensor x = Tensor::from({3, 2}, {3, 4, 1, 0, 0, 0}), y = Tensor::from({3, 2}, {4, 3, 0, 2, 1, 1});
  check_close(layers::Dot(1, true)({x, y}), {24.0f / 25, 0.0f, 0.0f});
  // along axis 1 of (B, 2, 3) inputs: each column normalized, then contracted
  Tensor a = random_tensor({2, 3, 2}, 3), b = random_tensor({2, 3, 4}, 4);
  const Tensor c = layers::Dot(1, true)({a, b});
  REQUIRE(c.shape() == Shape{2, 2, 4});
  for (float v : c.to_vector()) CHECK(std::fabs(v) <= 1.0f + 1e-6f);
  auto norm_col = [](const Tensor& t, std::size_t bi, std::size_t j) {
    const Shape s = t.shape();
    double n = 0;
    for (std::size_t i = 0; i < s[1]; ++i) n += double(t.data()[(bi * s[1] + i) * s[2] + j]) * t.data()[(bi * s[1] + i) * s[2] + j];
    return std::sqrt(n);
  };
  const auto raw = tensordot_reference(a, b, 1, 1);
  for (std::size_t bi = 0; bi < 2; ++bi)
    for (std::size_t i = 0; i < 2; ++i)
      for (std::size_t j = 0; j < 4; ++j)
        CHECK(c.data()[(bi * 2 + i) * 4 + j] ==
              Approx(raw[(bi * 2 + i) * 4 + j] / (norm_col(a, bi, i) * norm_col(b, bi, j))).margin(1e-5));
  layers::Dot cosine(-1, true);
  Tensor p = random_tensor({3, 4}, 5), q = random_tensor({3, 4}, 6);
  check_gradients([&] { return cosine({p, q}); }, {p, q});
  // one tensor on both sides: both paths add into its gradient (d(x.x)/dx = 2x; the cosine of x with itself is 1)
  layers::Dot self(-1);
  check_gradients([&] { return self({p, p}); }, {p});
  check_gradients([&] { return cosine({q, q}); }, {q});
  for (float v : cosine({q, q}).to_vector()) CHECK(v == Approx(1.0f).epsilon(1e-5));
}

TEST_CASE("Dot: shapes, symbolic calls and Keras's errors") {
  CHECK(layers::Dot(-1)({Input({8}), Input({8})}).shape() == TensorShape{None, 1});
  CHECK(layers::Dot({1, 2})({Input({5, 2}), Input({2, 5})}).shape() == TensorShape{None, 2, 2});
  CHECK(layers::Dot(2)({Input({None, 4}), Input({7, 4})}).shape() == TensorShape{None, None, 7});
  CHECK_THROWS_WITH(layers::Dot(-1, false, "dot_bad")({Input({3}), Input({4})}),
                    Catch::Contains("dot_bad") && Catch::Contains("Incompatible input shapes"));
  CHECK_THROWS_WITH(layers::Dot(1)(KerasTensors{Input({3}), Input({3}), Input({3})}), Catch::Contains("list of 2 inputs"));
  CHECK_THROWS_WITH(layers::Dot(0), Catch::Contains("axis 0"));
  CHECK_THROWS_WITH(layers::Dot(-2)({Input({3}), Input({3})}), Catch::Contains("axis 0"));  // -2 % 2 == 0
  CHECK_THROWS_WITH(layers::Dot(3)({Input({3}), Input({3})}), Catch::Contains("out of range"));
  CHECK_THROWS_WITH(layers::Dot({1, 2, 3}), Catch::Contains("two elements"));
  CHECK_THROWS_WITH(layers::Dot(1)({random_tensor({2, 3}), random_tensor({3, 3})}), Catch::Contains("different batch sizes"));
  CHECK_THROWS_AS(layers::Dot(1)({Tensor::from({3}, {1, 2, 3}), Tensor::from({3}, {1, 2, 3})}), ValueError);
  // an outer product too large for one sample is refused before anything is allocated
  CHECK_THROWS_AS(layers::Dot(2)({Input({1 << 14, 1}), Input({1 << 14, 1})}), ValueError);
}

TEST_CASE("Dot: config (axes int or pair) and round trips") {
  layers::Dot d(-1, false, "dot");
  json c = d->get_config();
  testing::check_key_order(c, {"name", "trainable", "dtype", "axes", "normalize"});
  CHECK(c["axes"] == -1);
  CHECK(c["normalize"] == false);
  testing::check_config_round_trip(*d);
  layers::Dot p({1, 2}, true);
  CHECK(p->get_config()["axes"] == json::parse("[1, 2]"));
  CHECK(p->get_config()["normalize"] == true);
  testing::check_config_round_trip(*p);
  CHECK_THROWS_WITH(layer_from_config("Dot", json::object(), "config"), Catch::StartsWith("config.config.axes"));
  CHECK_THROWS_WITH(layer_from_config("Dot", json{{"axes", 0}}, "config"), Catch::StartsWith("config.config.axes"));
  CHECK_THROWS_WITH(layer_from_config("Dot", json{{"axes", {1, 2, 3}}}, "config"), Catch::StartsWith("config.config.axes"));
  CHECK_THROWS_WITH(layer_from_config("Dot", json{{"axes", {1, "x"}}}, "config"), Catch::StartsWith("config.config.axes"));
  CHECK_THROWS_WITH(layer_from_config("Dot", json{{"axes", 1}, {"normalize", "yes"}}, "config"),
                    Catch::StartsWith("config.config.normalize"));
  CHECK_THROWS_AS(layer_from_config("Dot", json{{"axes", 1000000}}, "config"), ConfigError);
}
