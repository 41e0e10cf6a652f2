// Attention and AdditiveAttention: Keras's test values (reference §9.2), masks, causal, gradients.
#include <catch2/catch.hpp>

#include <cmath>

#include <xkeras/layers/attention.hpp>

#include "support/gradcheck.hpp"

using namespace xkeras;
using layers::AdditiveAttention;
using layers::Attention;
using layers::DenseAttentionCall;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

namespace {

Tensor t3(std::initializer_list<float> v, std::size_t rows, std::size_t cols) {  // (1, rows, cols)
  Array a = Array::from_shape({1, rows, cols});
  std::copy(v.begin(), v.end(), a.data());
  return Tensor(std::move(a));
}

// Keras's attention_test / additive_attention_test inputs, called as [q, v, k].
const Tensor kQ = t3({1, 0, 0, 1}, 2, 2), kK = t3({0, 1, 1, 0}, 2, 2), kV = t3({1, 2, 3, 4}, 2, 2);

}  // namespace

TEST_CASE("Attention dot scores match Keras test values", "[attention][dense]") {
  Attention att;
  const Tensors out = att->attend({kQ, kV, kK}, {.return_attention_scores = true}, false);
  check_close(out[0], {2.462f, 3.462f, 1.538f, 2.538f}, 2e-4);
  check_close(out[1], {0.269f, 0.731f, 0.731f, 0.269f}, 2e-3);
  CHECK(att->weights().empty());
}

TEST_CASE("Attention concat and AdditiveAttention without scale match Keras test values", "[attention][dense]") {
  Attention concat({.score_mode = "concat"});
  const Tensors a = concat->attend({kQ, kV, kK}, {.return_attention_scores = true}, false);
  check_close(a[0], {1.727f, 2.727f, 2.272f, 3.272f}, 5e-4);
  check_close(a[1], {0.636f, 0.363f, 0.363f, 0.636f}, 2e-3);
  REQUIRE(concat->weights().size() == 1);
  CHECK(concat->weights()[0]->name == "concat_score_weight");
  AdditiveAttention add({.use_scale = false});
  const Tensors b = add->attend({kQ, kV, kK}, {.return_attention_scores = true}, false);
  check_close(b[0], {1.727f, 2.727f, 2.272f, 3.272f}, 5e-4);
  check_close(b[1], {0.636f, 0.363f, 0.363f, 0.636f}, 2e-3);
}

TEST_CASE("Attention masks zero masked query rows and ignore masked value steps", "[attention][dense]") {
  // Keras: query_mask [[T, F]], value_mask [[T, F]], v = ones -> output [[1, 1], [0, 0]], scores [[1, 0], [1, 0]].
  const Tensor ones = t3({1, 1, 1, 1}, 2, 2), mask = Tensor(Array{{1.0f, 0.0f}});
  for (int mode = 0; mode < 3; ++mode) {
    DenseAttentionCall o{.query_mask = mask, .value_mask = mask, .return_attention_scores = true};
    Tensors out = mode == 0   ? Attention()->attend({kQ, ones, kK}, o, false)
                  : mode == 1 ? Attention({.score_mode = "concat"})->attend({kQ, ones, kK}, o, false)
                              : AdditiveAttention()->attend({kQ, ones, kK}, o, false);
    check_close(out[0], {1, 1, 0, 0}, 1e-6);
    check_close(out[1], {1, 0, 1, 0}, 1e-6);
  }
}

TEST_CASE("Attention causal mask hand-computed", "[attention][dense]") {
  // q = k = [[1], [2]], v = [[10], [20]]: step 0 sees only v0; step 1 sees both with scores 2 and 4.
  const Tensor q = t3({1, 2}, 2, 1), v = t3({10, 20}, 2, 1);
  const Tensor y = Attention()->attend({q, v}, {.use_causal_mask = true}, false)[0];
  const double p0 = std::exp(2.0) / (std::exp(2.0) + std::exp(4.0));
  // With key = value = v the scores are q·v: step 1 has 20 and 40.
  const double r0 = std::exp(20.0 - 40.0) / (1 + std::exp(20.0 - 40.0));
  check_close(y, {10.0f, static_cast<float>(10 * r0 + 20 * (1 - r0))}, 1e-5);
  const Tensor z = Attention()->attend({q, v, q}, {.use_causal_mask = true}, false)[0];
  check_close(z, {10.0f, static_cast<float>(10 * p0 + 20 * (1 - p0))}, 1e-5);
}

TEST_CASE("Attention and AdditiveAttention gradients match central differences", "[attention][dense]") {
  Tensor q = random_tensor({2, 3, 4}, 1), v = random_tensor({2, 5, 3}, 2), k = random_tensor({2, 5, 4}, 3);
  const DenseAttentionCall o{.query_mask = Tensor(Array{{1.0f, 0.0f, 1.0f}, {1.0f, 1.0f, 1.0f}}),
                             .value_mask = Tensor(Array{{1.0f, 1.0f, 0.0f, 1.0f, 1.0f}, {0.0f, 1.0f, 1.0f, 1.0f, 1.0f}})};
  for (int mode = 0; mode < 3; ++mode) {
    std::shared_ptr<layers::DenseAttentionImpl> l;
    if (mode == 0) l = Attention({.use_scale = true}).ptr();
    if (mode == 1) l = Attention({.use_scale = true, .score_mode = "concat"}).ptr();
    if (mode == 2) l = AdditiveAttention({.seed = 5}).ptr();
    (*l)({q, v, k}, false);
    std::vector<Tensor> wrt{q, v, k};
    for (const auto& w : l->weights()) wrt.push_back(w->value);
    INFO("mode " << mode);
    check_gradients([&] { return l->attend({q, v, k}, o, false)[0]; }, wrt);
  }
  AdditiveAttention add;
  add({q, v, k}, false);
  REQUIRE(add->weights().size() == 1);
  CHECK(add->weights()[0]->shape() == Shape{4});
}

TEST_CASE("Attention dropout changes the output only in training", "[attention][dense]") {
  Attention att({.dropout = 0.5, .seed = 1});
  const Tensor q = random_tensor({2, 4, 3}, 1), v = random_tensor({2, 6, 3}, 2);
  const Tensor a = att({q, v}, false)[0], b = att({q, v}, true)[0];
  double diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff += std::fabs(a.data()[i] - b.data()[i]);
  CHECK(diff > 1e-3);
}

TEST_CASE("Attention errors name the layer", "[attention][dense]") {
  CHECK_THROWS_WITH(Attention({.score_mode = "dott"}), Catch::Contains("score_mode=dott"));
  Attention att({.name = "att"});
  CHECK_THROWS_WITH(att({random_tensor({1, 2, 3})}, false), Catch::Contains("Layer \"att\" (Attention) expects a list"));
  CHECK_THROWS_WITH(att({random_tensor({1, 2, 3}), random_tensor({1, 4, 5}), random_tensor({1, 4, 2})}, false),
                    Catch::Contains("the query and key must have the same last dimension"));
  CHECK_THROWS_WITH(att->attend({random_tensor({1, 2, 3}), random_tensor({1, 4, 3})},
                                {.value_mask = Tensor(Array{{1.0f, 0.0f}})}, false),
                    Catch::Contains("expected the value mask of shape (1, 4), got (1, 2)"));
}
