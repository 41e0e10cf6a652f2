// MultiHeadAttention: Keras's test_correctness vector, hand-computed masks, gradients, weights.
#include <catch2/catch.hpp>

#include <cmath>

#include <xkeras/layers/multi_head_attention.hpp>
#include <xkeras/ops.hpp>

#include "support/gradcheck.hpp"

using namespace xkeras;
using layers::AttentionCallOptions;
using layers::MultiHeadAttention;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

namespace {

Array identity_kernel() {  // (8, 8, 8) with W[c, n, e] = delta(c, e), Keras's test_correctness kernel
  Array w = xt::zeros<float>({8, 8, 8});
  for (std::size_t c = 0; c < 8; ++c)
    for (std::size_t n = 0; n < 8; ++n) w(c, n, c) = 1.0f;
  return w;
}

Tensor steps_1_2_3() {  // (1, 3, 1): x = [1, 2, 3]
  Array a = Array::from_shape({1, 3, 1});
  for (std::size_t i = 0; i < 3; ++i) a.data()[i] = static_cast<float>(i + 1);
  return Tensor(std::move(a));
}

Tensor ones_weights_mha_on(const Tensor& x, AttentionCallOptions o) {
  MultiHeadAttention mha(1, 1);
  mha({x, x}, false);
  mha->set_weights({xt::ones<float>({1, 1, 1}), xt::zeros<float>({1, 1}), xt::ones<float>({1, 1, 1}),
                    xt::zeros<float>({1, 1}), xt::ones<float>({1, 1, 1}), xt::zeros<float>({1, 1}),
                    xt::ones<float>({1, 1, 1}), xt::zeros<float>({1})});
  return mha->attend(x, x, Tensor(), o, false)[0];
}

}  // namespace

TEST_CASE("MultiHeadAttention matches Keras test_correctness with identity projections", "[attention][mha]") {
  MultiHeadAttention mha(8, 8);
  Array eye = xt::zeros<float>({1, 8, 8});
  for (std::size_t i = 0; i < 8; ++i) eye(0, i, i) = 1.0f;
  Array val = Array::from_shape({1, 8, 8});
  for (std::size_t i = 0; i < 64; ++i) val.data()[i] = static_cast<float>(i) / 100.0f;
  const Tensor query(eye), value(val);
  mha({query, value, query}, false);  // builds
  const Array w = identity_kernel(), b = xt::zeros<float>({8, 8}), ob = xt::zeros<float>({8});
  mha->set_weights({w, b, w, b, w, b, w, ob});
  AttentionCallOptions o;
  o.return_attention_scores = true;
  const Tensors out = mha->attend(query, value, query, o, false);
  REQUIRE(out[0].shape() == Shape{1, 8, 8});
  REQUIRE(out[1].shape() == Shape{1, 8, 8, 8});
  // Keras's values (float16 there); ours recomputed in float64: row t is 2.4072254 + 0.0322213 t.
  const std::vector<float> rows{2.4072254f, 2.4394467f, 2.4716680f, 2.5038893f, 2.5361107f, 2.5683320f, 2.6005533f, 2.6327746f};
  std::vector<float> expected;
  for (float r : rows) expected.insert(expected.end(), 8, r);
  check_close(out[0], expected, 1e-3);
  // Every head: 0.1690526 on the diagonal, 0.1187068 elsewhere.
  for (std::size_t n = 0; n < 8; ++n)
    for (std::size_t t = 0; t < 8; ++t)
      for (std::size_t s = 0; s < 8; ++s)
        CHECK(out[1].value()(0, n, t, s) == Approx(t == s ? 0.1690526 : 0.1187068).margin(1e-5));
  // Without a key the value is the key: same projections of a different tensor.
  const Tensor no_key = mha({query, value}, false)[0];
  REQUIRE(no_key.shape() == Shape{1, 8, 8});
}

TEST_CASE("MultiHeadAttention causal mask lets step t see steps up to t only", "[attention][mha]") {
  // One head, key_dim 1, every kernel 1 and bias 0: scores[t][s] = x_t x_s, output = sum_s p_ts x_s.
  const Tensor x = steps_1_2_3();
  AttentionCallOptions o;
  o.use_causal_mask = true;
  const Tensor y = ones_weights_mha_on(x, o);
  const double e2 = std::exp(2.0), e4 = std::exp(4.0), e3 = std::exp(3.0), e6 = std::exp(6.0), e9 = std::exp(9.0);
  check_close(y, {1.0f, static_cast<float>((e2 + 2 * e4) / (e2 + e4)),
                  static_cast<float>((e3 + 2 * e6 + 3 * e9) / (e3 + e6 + e9))}, 1e-5);
  // Without the mask row 0 also sees steps 1 and 2: (e1 + 2 e2 + 3 e3) / (e1 + e2 + e3).
  const double e1 = std::exp(1.0);
  const Tensor full = ones_weights_mha_on(x, {});
  CHECK(full.data()[0] == Approx((e1 + 2 * e2 + 3 * e3) / (e1 + e2 + e3)).epsilon(1e-5));
}

TEST_CASE("MultiHeadAttention value, query and attention masks combine as Keras does", "[attention][mha]") {
  const Tensor x = steps_1_2_3();
  const double e2 = std::exp(2.0), e4 = std::exp(4.0), e3 = std::exp(3.0), e6 = std::exp(6.0), e1 = std::exp(1.0);
  AttentionCallOptions o;
  o.value_mask = Tensor(Array{{1.0f, 1.0f, 0.0f}});  // step 2 is padding
  const Tensor y = ones_weights_mha_on(x, o);
  check_close(y, {static_cast<float>((e1 + 2 * e2) / (e1 + e2)), static_cast<float>((e2 + 2 * e4) / (e2 + e4)),
                  static_cast<float>((e3 + 2 * e6) / (e3 + e6))}, 1e-5);
  // An attention_mask of (T, S) broadcasts over the batch; ANDed with the value mask row 0 keeps only s = 1.
  o.attention_mask = Tensor(Array{{0.0f, 1.0f, 1.0f}, {1.0f, 1.0f, 1.0f}, {1.0f, 1.0f, 1.0f}});
  const Tensor z = ones_weights_mha_on(x, o);
  CHECK(z.data()[0] == Approx(2.0).epsilon(1e-6));
  // A query mask that drops step 0 masks its whole row: no dropout and no scores requested, so Keras 3
  // (dot_product_attention) gives the uniform average of the values, (1 + 2 + 3) / 3.
  AttentionCallOptions qm;
  qm.query_mask = Tensor(Array{{0.0f, 1.0f, 1.0f}});
  CHECK(ones_weights_mha_on(x, qm).data()[0] == Approx(2.0).epsilon(1e-6));
  CHECK_THROWS_WITH(ones_weights_mha_on(x, {.query_mask = Tensor(Array{{1.0f, 1.0f}})}),
                    Catch::Contains("expected the query mask of shape (1, 3), got (1, 2)"));
}

TEST_CASE("MultiHeadAttention weights have Keras's names, shapes and order", "[attention][mha]") {
  MultiHeadAttention mha(2, 3, {.value_dim = 4, .output_shape = 5, .name = "mha"});
  mha({random_tensor({2, 6, 7}), random_tensor({2, 5, 9}), random_tensor({2, 5, 8})}, false);
  const auto ws = mha->weights();
  REQUIRE(ws.size() == 8);
  const std::vector<std::string> names{"query/kernel", "query/bias", "key/kernel", "key/bias", "value/kernel",
                                       "value/bias", "attention_output/kernel", "attention_output/bias"};
  const std::vector<Shape> shapes{{7, 2, 3}, {2, 3}, {8, 2, 3}, {2, 3}, {9, 2, 4}, {2, 4}, {2, 4, 5}, {5}};
  for (std::size_t i = 0; i < 8; ++i) {
    CHECK(ws[i]->name == names[i]);
    CHECK(ws[i]->shape() == shapes[i]);
  }
  CHECK(ws[0]->path() == "mha/query/kernel");
  MultiHeadAttention gated(2, 3, {.use_bias = false, .use_gate = true});
  const Tensor out = gated({random_tensor({1, 2, 4}), random_tensor({1, 3, 4})}, false)[0];
  CHECK(out.shape() == Shape{1, 2, 4});
  const auto gw = gated->weights();
  REQUIRE(gw.size() == 5);
  CHECK(gw[2]->name == "gate/kernel");
  CHECK(gw[2]->shape() == Shape{4, 2, 3});
}

TEST_CASE("MultiHeadAttention gradients of the inputs and every weight match central differences", "[attention][mha]") {
  MultiHeadAttention mha(2, 3, {.value_dim = 2, .output_shape = 4, .bias_initializer = "random_normal", .seed = 3});
  Tensor q = random_tensor({2, 3, 5}, 1), v = random_tensor({2, 4, 6}, 2), k = random_tensor({2, 4, 3}, 3);
  mha({q, v, k}, false);
  AttentionCallOptions o;
  o.value_mask = Tensor(Array{{1.0f, 1.0f, 0.0f, 1.0f}, {1.0f, 0.0f, 1.0f, 1.0f}});
  o.use_causal_mask = true;
  std::vector<Tensor> wrt{q, v, k};
  for (const auto& w : mha->weights()) wrt.push_back(w->value);
  check_gradients([&] { return mha->attend(q, v, k, o, false)[0]; }, wrt);
  MultiHeadAttention gated(2, 2, {.bias_initializer = "random_normal", .use_gate = true});
  gated({q, v}, false);
  std::vector<Tensor> gwrt{q, v};
  for (const auto& w : gated->weights()) gwrt.push_back(w->value);
  check_gradients([&] { return gated({q, v}, true)[0]; }, gwrt);
}

TEST_CASE("MultiHeadAttention dropout drops attention weights only in training", "[attention][mha]") {
  MultiHeadAttention mha(2, 4, {.dropout = 0.5, .seed = 7});
  const Tensor q = random_tensor({2, 5, 8}, 1), v = random_tensor({2, 6, 8}, 2);
  const Tensor a = mha({q, v}, false)[0], b = mha({q, v}, false)[0];
  check_close(a, std::vector<float>(b.data(), b.data() + b.size()), 1e-6);
  AttentionCallOptions o;
  o.return_attention_scores = true;
  const Tensors t = mha->attend(q, v, Tensor(), o, true);
  double diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff += std::fabs(t[0].data()[i] - a.data()[i]);
  CHECK(diff > 1e-3);
  // The returned scores are the probabilities before dropout: each row sums to 1.
  for (std::size_t r = 0; r < t[1].size() / 6; ++r) {
    double s = 0;
    for (std::size_t j = 0; j < 6; ++j) s += t[1].data()[r * 6 + j];
    CHECK(s == Approx(1.0).epsilon(1e-5));
  }
}

TEST_CASE("MultiHeadAttention rejects bad arguments and mismatched inputs naming the layer", "[attention][mha]") {
  CHECK_THROWS_WITH(MultiHeadAttention(0, 4), Catch::Contains("num_heads=0"));
  CHECK_THROWS_WITH(MultiHeadAttention(2, -1), Catch::Contains("key_dim=-1"));
  CHECK_THROWS_WITH(MultiHeadAttention(2, 4, {.dropout = 1.0}), Catch::Contains("dropout"));
  CHECK_THROWS_WITH(MultiHeadAttention(2, 4, {.attention_axes = std::vector<int>{1, 2}}), Catch::Contains("attention_axes"));
  MultiHeadAttention mha(2, 4, {.name = "att"});
  CHECK_THROWS_WITH(mha({random_tensor({2, 5})}, false), Catch::Contains("Layer \"att\" (MultiHeadAttention)"));
  CHECK_THROWS_WITH(mha({random_tensor({2, 5, 3, 3}), random_tensor({2, 5, 3, 3})}, false), Catch::Contains("rank 3"));
  mha({random_tensor({2, 5, 8}), random_tensor({2, 4, 6})}, false);
  CHECK_THROWS_WITH(mha({random_tensor({2, 5, 7}), random_tensor({2, 4, 6})}, false),
                    Catch::Contains("Layer \"att\" (MultiHeadAttention): the layer was built for query, value and key features 8, 6 and 6"));
  CHECK_THROWS_WITH(mha({random_tensor({2, 5, 8}), random_tensor({3, 4, 6})}, false), Catch::Contains("batch size"));
}

namespace {
Array sin_fill(const Shape& shape, double c) {  // 0.5 sin(0.37 i + c), row-major
  Array a = Array::from_shape(shape);
  for (std::size_t i = 0; i < a.size(); ++i) a.data()[i] = static_cast<float>(0.5 * std::sin(0.37 * double(i) + c));
  return a;
}
}  // namespace

TEST_CASE("MultiHeadAttention agrees with PyTorch nn.MultiheadAttention given the same weights and masks", "[attention][mha]") {
  // Reference: torch 1.13 nn.MultiheadAttention(4, 2 heads, kdim=vdim=4, batch_first) in float64 with
  // in_proj = the kernels read as (D, N*H) transposed, attn_mask = causal, key_padding_mask = !value_mask.
  MultiHeadAttention mha(2, 2);
  const Tensor q(sin_fill({2, 3, 4}, 0.1)), v(sin_fill({2, 4, 4}, 0.2)), k(sin_fill({2, 4, 4}, 0.3));
  mha({q, v, k}, false);
  mha->set_weights({sin_fill({4, 2, 2}, 1.0), sin_fill({2, 2}, 1.1), sin_fill({4, 2, 2}, 1.2), sin_fill({2, 2}, 1.3),
                    sin_fill({4, 2, 2}, 1.4), sin_fill({2, 2}, 1.5), sin_fill({2, 2, 4}, 1.6), sin_fill({4}, 1.7)});
  AttentionCallOptions o;
  o.use_causal_mask = true;
  o.value_mask = Tensor(Array{{1.0f, 1.0f, 0.0f, 1.0f}, {1.0f, 0.0f, 1.0f, 1.0f}});
  o.return_attention_scores = true;
  const Tensors out = mha->attend(q, v, k, o, false);
  check_close(out[0], {0.5010101f, 0.414846f, 0.2725344f, 0.0933366f, 0.566734f, 0.4480275f, 0.2686826f, 0.0529727f,
                       0.5686447f, 0.4491461f, 0.2688577f, 0.0521806f, 0.4746131f, 0.3978933f, 0.2673206f, 0.1005673f,
                       0.4746131f, 0.3978933f, 0.2673206f, 0.1005673f, 0.5573609f, 0.4341974f, 0.2522673f, 0.0361941f},
              1e-5);
  check_close(out[1], {1, 0, 0, 0, 0.4332754f, 0.5667246f, 0, 0, 0.4192586f, 0.5807414f, 0, 0,
                       1, 0, 0, 0, 0.4776028f, 0.5223972f, 0, 0, 0.4698427f, 0.5301573f, 0, 0,
                       1, 0, 0, 0, 1, 0, 0, 0, 0.4175031f, 0, 0.5824969f, 0,
                       1, 0, 0, 0, 1, 0, 0, 0, 0.4642062f, 0, 0.5357938f, 0},
              1e-5);
}
