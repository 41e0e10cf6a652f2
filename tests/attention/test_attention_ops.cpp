// ops::einsum (attention's equations) and ops::masked_softmax: values against plain loops, gradients
// against central differences.
#include <catch2/catch.hpp>

#include <cmath>

#include <xkeras/ops/attention.hpp>

#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

namespace {

float at(const Tensor& t, std::initializer_list<std::size_t> idx) {
  const Shape s = t.shape();
  std::size_t flat = 0, d = 0;
  for (std::size_t i : idx) flat = flat * s[d++] + i;
  return t.data()[flat];
}

}  // namespace

TEST_CASE("einsum scores equals the plain sum over the head features, in both operand orders", "[attention][ops]") {
  const std::size_t B = 2, T = 3, S = 4, N = 2, H = 5;
  Tensor q = random_tensor({B, T, N, H}, 1), k = random_tensor({B, S, N, H}, 2);
  const Tensor y = ops::einsum("btnh,bsnh->bnts", q, k);
  const Tensor y2 = ops::einsum("aecd,abcd->acbe", k, q);  // Keras's spelling, key first
  REQUIRE(y.shape() == Shape{B, N, T, S});
  REQUIRE(y2.shape() == Shape{B, N, T, S});
  for (std::size_t b = 0; b < B; ++b)
    for (std::size_t n = 0; n < N; ++n)
      for (std::size_t t = 0; t < T; ++t)
        for (std::size_t s = 0; s < S; ++s) {
          double want = 0;
          for (std::size_t h = 0; h < H; ++h) want += double(at(q, {b, t, n, h})) * at(k, {b, s, n, h});
          CHECK(at(y, {b, n, t, s}) == Approx(want).margin(1e-5));
          CHECK(at(y2, {b, n, t, s}) == Approx(want).margin(1e-5));
        }
  check_gradients([&] { return ops::einsum("abcd,aecd->acbe", q, k); }, {q, k});
  check_gradients([&] { return ops::einsum("aecd,abcd->acbe", k, q); }, {q, k});
}

TEST_CASE("einsum combine weights the values by the probabilities", "[attention][ops]") {
  const std::size_t B = 2, T = 3, S = 4, N = 2, V = 3;
  Tensor p = random_tensor({B, N, T, S}, 3), v = random_tensor({B, S, N, V}, 4);
  const Tensor y = ops::einsum("acbe,aecd->abcd", p, v);
  REQUIRE(y.shape() == Shape{B, T, N, V});
  for (std::size_t b = 0; b < B; ++b)
    for (std::size_t t = 0; t < T; ++t)
      for (std::size_t n = 0; n < N; ++n)
        for (std::size_t c = 0; c < V; ++c) {
          double want = 0;
          for (std::size_t s = 0; s < S; ++s) want += double(at(p, {b, n, t, s})) * at(v, {b, s, n, c});
          CHECK(at(y, {b, t, n, c}) == Approx(want).margin(1e-5));
        }
  check_gradients([&] { return ops::einsum("acbe,aecd->abcd", p, v); }, {p, v});
}

TEST_CASE("einsum projections contract the feature axes", "[attention][ops]") {
  Tensor x = random_tensor({2, 3, 4}, 5), w = random_tensor({4, 2, 3}, 6);
  const Tensor y = ops::einsum("abc,cde->abde", x, w);
  REQUIRE(y.shape() == Shape{2, 3, 2, 3});
  double want = 0;
  for (std::size_t c = 0; c < 4; ++c) want += double(at(x, {1, 2, c})) * at(w, {c, 1, 2});
  CHECK(at(y, {1, 2, 1, 2}) == Approx(want).margin(1e-5));
  check_gradients([&] { return ops::einsum("abc,cde->abde", x, w); }, {x, w});
  Tensor z = random_tensor({2, 3, 2, 3}, 7), wo = random_tensor({2, 3, 5}, 8);
  const Tensor o = ops::einsum("abcd,cde->abe", z, wo);
  REQUIRE(o.shape() == Shape{2, 3, 5});
  want = 0;
  for (std::size_t n = 0; n < 2; ++n)
    for (std::size_t c = 0; c < 3; ++c) want += double(at(z, {1, 0, n, c})) * at(wo, {n, c, 4});
  CHECK(at(o, {1, 0, 4}) == Approx(want).margin(1e-5));
  check_gradients([&] { return ops::einsum("abcd,cde->abe", z, wo); }, {z, wo});
}

TEST_CASE("einsum rejects unknown equations and mismatched shapes", "[attention][ops]") {
  const Tensor a = random_tensor({2, 3, 4}), b = random_tensor({4, 5});
  CHECK_THROWS_WITH(ops::einsum("ij,jk->ik", b, b), Catch::Contains("unsupported equation"));
  CHECK_THROWS_WITH(ops::einsum("abc,cde->abde", a, random_tensor({5, 2, 2})), Catch::Contains("abc,cde->abde"));
  CHECK_THROWS_WITH(ops::einsum("abcd,aecd->acbe", random_tensor({1, 2, 2, 3}), random_tensor({1, 2, 2, 4})),
                    Catch::Contains("key (B, S, N, H)"));
}

TEST_CASE("masked_softmax gives masked keys zero weight and uniform or zero fully masked rows", "[attention][ops]") {
  // Keras's Softmax test: [1, 2, 1] -> [0.21194157, 0.5761169, 0.21194157].
  const Tensor x = Tensor(Array{{1.0f, 2.0f, 1.0f}, {1.0f, 2.0f, 1.0f}});
  check_close(ops::masked_softmax(x, Tensor()), {0.21194157f, 0.5761169f, 0.21194157f, 0.21194157f, 0.5761169f, 0.21194157f});
  // Row 0 keeps entries 0 and 2 (equal logits: 0.5 each); row 1 keeps nothing.
  const Tensor m = Tensor(Array{{1.0f, 0.0f, 1.0f}, {0.0f, 0.0f, 0.0f}});
  const float third = 1.0f / 3.0f;
  check_close(ops::masked_softmax(x, m), {0.5f, 0.0f, 0.5f, third, third, third});
  check_close(ops::masked_softmax(x, m, true), {0.5f, 0.0f, 0.5f, 0.0f, 0.0f, 0.0f});
  // A (1, 3) mask broadcasts over the rows.
  check_close(ops::masked_softmax(x, Tensor(Array{{0.0f, 1.0f, 1.0f}})), {0.0f, 0.7310586f, 0.2689414f, 0.0f, 0.7310586f, 0.2689414f});
  CHECK_THROWS_WITH(ops::masked_softmax(x, Tensor(Array{1.0f, 0.0f})), Catch::Contains("does not broadcast"));
}

TEST_CASE("masked_softmax gradients match central differences with a mask broadcast over heads", "[attention][ops]") {
  Tensor x = random_tensor({2, 2, 3, 4}, 11, -2.0f, 2.0f);
  Array m = Array::from_shape({2, 1, 3, 4});
  for (std::size_t i = 0; i < m.size(); ++i) m.data()[i] = (i % 3 == 1) ? 0.0f : 1.0f;
  m(1, 0, 2, 0) = m(1, 0, 2, 1) = m(1, 0, 2, 2) = m(1, 0, 2, 3) = 0.0f;  // one fully masked row
  const Tensor mask(m);
  check_gradients([&] { return ops::masked_softmax(x, mask); }, {x});
  check_gradients([&] { return ops::masked_softmax(x, mask, true); }, {x});
  check_gradients([&] { return ops::masked_softmax(x, Tensor()); }, {x});
}

TEST_CASE("einsum projections with a fused bias add it to every row and pass its gradient", "[attention][ops]") {
  Tensor x = random_tensor({2, 3, 4}, 5), w = random_tensor({4, 2, 3}, 6), b = random_tensor({2, 3}, 7);
  const Tensor y = ops::einsum("abc,cde->abde", x, w, b), plain = ops::einsum("abc,cde->abde", x, w);
  for (std::size_t i = 0; i < y.size(); ++i) CHECK(y.data()[i] == Approx(plain.data()[i] + b.data()[i % 6]).margin(1e-6));
  check_gradients([&] { return ops::einsum("abc,cde->abde", x, w, b); }, {x, w, b});
  Tensor z = random_tensor({2, 3, 2, 3}, 8), wo = random_tensor({2, 3, 5}, 9), bo = random_tensor({5}, 10);
  check_gradients([&] { return ops::einsum("abcd,cde->abe", z, wo, bo); }, {z, wo, bo});
  CHECK_THROWS_WITH(ops::einsum("abc,cde->abde", x, w, random_tensor({6})), Catch::Contains("expected a bias of shape (2, 3)"));
  CHECK_THROWS_WITH(ops::einsum("abcd,aecd->acbe", z, z, bo), Catch::Contains("only supported for the projections"));
}
