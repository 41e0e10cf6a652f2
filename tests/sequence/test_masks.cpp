// Masking and mask propagation: which layers pass a mask on (Keras 3's supports_masking), which use it
// (Softmax, GlobalAveragePooling1D), how merges combine masks, and that masks reach consumers through
// Sequential and functional models.
#include <catch2/catch.hpp>

#include <cmath>

#include <xkeras/errors.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/models/model.hpp>
#include <xkeras/models/sequential.hpp>

#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using Catch::Matchers::Contains;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

namespace {

// Ids (2, 4) with padding zeros at the end of each row: masks [1,1,1,0] and [1,1,0,0].
Tensor padded_ids() { return Tensor::from_ints({2, 4}, {3, 1, 2, 0, 4, 4, 0, 0}); }

}  // namespace

TEST_CASE("Masking: hand-computed output and mask") {
  auto m = layers::Masking(0.0f);
  // steps: [1, 2], [0, 0] (masked), [3, 0] (kept: not all features equal mask_value)
  const Tensor x = Tensor::from({1, 3, 2}, {1, 2, 0, 0, 3, 0});
  const Tensor y = m(x);
  check_close(y, {1, 2, 0, 0, 3, 0});
  REQUIRE(y.keras_mask().defined());
  check_close(y.keras_mask(), {1, 0, 1});
  // mask_value -1: the step [-1, -1] is zeroed, [-1, 5] is kept as is
  auto m2 = layers::Masking(-1.0f);
  const Tensor y2 = m2(Tensor::from({1, 2, 2}, {-1, -1, -1, 5}));
  check_close(y2, {0, 0, -1, 5});
  check_close(y2.keras_mask(), {0, 1});
}

TEST_CASE("Masking: gradient flows only to kept steps, config and round trip") {
  auto m = layers::Masking(0.5f);
  // (central differences cannot cross a masked step: moving one of its values unmasks it)
  Tensor kept = random_tensor({2, 3, 2}, 2, 1.0f, 2.0f);
  check_gradients([&] { return m(kept); }, {kept});
  Tensor x = Tensor::from({2, 2, 2}, {0.5f, 0.5f, 1, 2, 3, 0.5f, 0.5f, 0.5f});
  x.set_requires_grad(true);
  x.zero_grad();
  Tape::current().clear();
  Tape::current().backward(m(x), Tensor::full({2, 2, 2}, 1).value());
  check_close(Tensor(x.grad()), {0, 0, 1, 1, 1, 1, 0, 0});
  x.zero_grad();
  const json c = m->get_config();
  testing::check_key_order(c, {"name", "trainable", "dtype", "mask_value"});
  CHECK(c["mask_value"] == 0.5);
  testing::check_config_round_trip(*m);
  REQUIRE_THROWS_WITH(layer_from_config("Masking", json::parse(R"({"mask_value": "zero"})"), "config"),
                      Contains("config.mask_value"));
}

TEST_CASE("Mask pass-through: Keras 3 supports_masking layers keep the mask, others drop it") {
  auto emb = layers::Embedding(5, 4, {.mask_zero = true});
  const Tensor e = emb(padded_ids());
  REQUIRE(e.keras_mask().defined());
  const std::vector<float> expect = {1, 1, 1, 0, 1, 1, 0, 0};
  std::vector<LayerPtr> keep = {layers::Dense(3), layers::Activation("relu"), layers::Dropout(0.5),
                                layers::ReLU(), layers::LeakyReLU(), layers::ELU(), layers::LayerNormalization(),
                                layers::BatchNormalization(), layers::UnitNormalization(), layers::Rescaling(2.0),
                                layers::GaussianNoise(0.1), layers::GaussianDropout(0.1), layers::SpatialDropout1D(0.2)};
  for (const auto& l : keep) {
    INFO(l->class_name());
    const Tensor y = (*l)(e, true);
    REQUIRE(y.keras_mask().defined());
    check_close(y.keras_mask(), expect);
  }
  // Softmax takes the (batch, time) mask in its call, where it must broadcast against (batch, time, 4)
  // right-aligned: it does not, and Keras 3 raises the same error.
  REQUIRE_THROWS_WITH(layers::Softmax()(e), Contains("broadcastable"));
  std::vector<LayerPtr> drop = {layers::Flatten(), layers::Reshape({-1}), layers::Conv1D(2, 1),
                                layers::GlobalAveragePooling1D(), layers::GlobalMaxPooling1D(), layers::Permute({2, 1})};
  for (const auto& l : drop) {
    INFO(l->class_name());
    CHECK_FALSE((*l)(e).keras_mask().defined());
  }
}

TEST_CASE("Softmax uses the mask: masked positions weigh nothing and come out as 0") {
  auto s = layers::Softmax();
  Tensor x = Tensor::from({1, 4}, {1, 2, 3, 4});
  x.set_keras_mask(Tensor::from({1, 4}, {1, 1, 0, 1}));
  const Tensor y = s(x);
  const double z = std::exp(1.0) + std::exp(2.0) + std::exp(4.0);
  check_close(y, {float(std::exp(1.0) / z), float(std::exp(2.0) / z), 0, float(std::exp(4.0) / z)});
  // a fully masked row is all zeros, not uniform
  Tensor x2 = Tensor::from({1, 2}, {1, 2});
  x2.set_keras_mask(Tensor::from({1, 2}, {0, 0}));
  check_close(s(x2), {0, 0});
  // a mask that does not broadcast to the input is an error
  Tensor x3 = Tensor::from({1, 3}, {1, 2, 3});
  x3.set_keras_mask(Tensor::from({1, 2}, {1, 1}));
  REQUIRE_THROWS_WITH(s(x3), Contains("broadcastable"));
  Tensor g = random_tensor({2, 3}, 3);
  const Tensor gm = Tensor::from({2, 3}, {1, 0, 1, 1, 1, 0});
  check_gradients([&] {
    Tensor in = g * 1.0f;
    in.set_keras_mask(gm);
    return s(in);
  }, {g});
}

TEST_CASE("GlobalAveragePooling1D averages the unmasked steps only") {
  auto gap = layers::GlobalAveragePooling1D();
  Tensor x = Tensor::from({2, 3, 2}, {1, 2, 3, 4, 100, 100, 5, 6, 7, 8, 9, 10});
  x.set_keras_mask(Tensor::from({2, 3}, {1, 1, 0, 1, 0, 1}));
  const Tensor y = gap(x);
  check_close(y, {2, 3, 7, 8});
  CHECK_FALSE(y.keras_mask().defined());
  auto keep = layers::GlobalAveragePooling1D({.keepdims = true});
  CHECK(keep(x).shape() == Shape{2, 1, 2});
  check_close(keep(x), {2, 3, 7, 8});
  Tensor g = random_tensor({2, 3, 2}, 4);
  const Tensor gm = Tensor::from({2, 3}, {1, 1, 0, 0, 1, 1});
  check_gradients([&] {
    Tensor in = g * 1.0f;
    in.set_keras_mask(gm);
    return gap(in);
  }, {g});
}

TEST_CASE("Merge masks: elementwise merges OR the masks, none if any input has none") {
  Tensor a = Tensor::from({1, 3, 1}, {1, 2, 3}), b = Tensor::from({1, 3, 1}, {10, 20, 30});
  a.set_keras_mask(Tensor::from({1, 3}, {1, 0, 0}));
  b.set_keras_mask(Tensor::from({1, 3}, {0, 1, 0}));
  for (LayerPtr l : std::vector<LayerPtr>{layers::Add(), layers::Multiply(), layers::Average(), layers::Subtract(),
                                          layers::Maximum(), layers::Minimum()}) {
    INFO(l->class_name());
    const Tensor y = (*l)(Tensors{a, b}).at(0);
    REQUIRE(y.keras_mask().defined());
    check_close(y.keras_mask(), {1, 1, 0});
  }
  Tensor c = Tensor::from({1, 3, 1}, {0, 0, 0});
  CHECK_FALSE(layers::Add()(Tensors{a, c}).keras_mask().defined());
}

TEST_CASE("Merge masks: Concatenate spreads each mask over its input as Keras does") {
  Tensor a = Tensor::from({1, 3, 2}, {1, 2, 3, 4, 5, 6}), b = Tensor::from({1, 3, 1}, {7, 8, 9});
  a.set_keras_mask(Tensor::from({1, 3}, {1, 0, 0}));
  b.set_keras_mask(Tensor::from({1, 3}, {0, 1, 0}));
  // along the features: or of the step masks
  const Tensor y = layers::Concatenate()(Tensors{a, b});
  check_close(y.keras_mask(), {1, 1, 0});
  // an unmasked input counts as all ones
  Tensor c = Tensor::from({1, 3, 1}, {0, 0, 0});
  check_close(layers::Concatenate()(Tensors{a, c}).keras_mask(), {1, 1, 1});
  // along time: the masks are joined
  Tensor d = Tensor::from({1, 2, 2}, {1, 1, 1, 1});
  d.set_keras_mask(Tensor::from({1, 2}, {0, 1}));
  const Tensor t = layers::Concatenate(1)(Tensors{a, d});
  REQUIRE(t.keras_mask().shape() == Shape{1, 5});
  check_close(t.keras_mask(), {1, 0, 0, 0, 1});
  // Dot gives no mask
  Tensor p = Tensor::from({1, 3}, {1, 2, 3}), q = Tensor::from({1, 3}, {1, 1, 1});
  p.set_keras_mask(Tensor::from({1}, {1}));
  q.set_keras_mask(Tensor::from({1}, {1}));
  CHECK_FALSE(layers::Dot(1)(Tensors{p, q}).keras_mask().defined());
}

TEST_CASE("Masks travel through Sequential and functional models to the consumer") {
  auto emb = layers::Embedding(5, 3, {.mask_zero = true});
  auto dense = layers::Dense(2);
  auto gap = layers::GlobalAveragePooling1D();
  Sequential seq({layers::Input({4}, DType::int32), emb, dense, layers::Dropout(0.2), gap});
  const Tensor ids = padded_ids();
  const Tensor y = seq.predict(ids);
  // the masked mean done by hand on the eager layers
  const Tensor d = dense(emb(ids));
  std::vector<float> expect(4, 0.0f);
  const int len[2] = {3, 2};
  for (int b = 0; b < 2; ++b)
    for (int t = 0; t < len[b]; ++t)
      for (int j = 0; j < 2; ++j) expect[b * 2 + j] += d.data()[(b * 4 + t) * 2 + j] / float(len[b]);
  check_close(y, expect, 1e-5);

  // functional: the mask arrives at the model's output and at a merge
  auto in = Input({4}, DType::int32);
  auto e = emb(in);
  auto h = layers::Dense(2)(e);
  auto sum = layers::Add()({h, layers::LayerNormalization()(h)});
  Model m(in, sum);
  const Tensor out = m(ids);
  REQUIRE(out.keras_mask().defined());
  check_close(out.keras_mask(), {1, 1, 1, 0, 1, 1, 0, 0});
  Model pooled(in, gap(h));
  check_close(pooled.predict(ids), [&] {
    const Tensor hh = Model(in, h)(ids);
    std::vector<float> v(4, 0.0f);
    for (int b = 0; b < 2; ++b)
      for (int t = 0; t < len[b]; ++t)
        for (int j = 0; j < 2; ++j) v[b * 2 + j] += hh.data()[(b * 4 + t) * 2 + j] / float(len[b]);
    return v;
  }(), 1e-5);
  // and the JSON round trip keeps it working
  Model again = model_from_json(pooled.to_json());
  again.set_weights(pooled.get_weights());
  check_close(again.predict(ids), pooled.predict(ids).to_vector(), 1e-6);
}

TEST_CASE("Gradients flow through masks: Embedding, Dense and the masked mean") {
  auto emb = layers::Embedding(5, 3, {.mask_zero = true});
  auto dense = layers::Dense(2);
  auto gap = layers::GlobalAveragePooling1D();
  const Tensor ids = padded_ids();
  gap(dense(emb(ids)));
  Tensor table = emb->weights()[0]->value, kernel = dense->weights()[0]->value;
  check_gradients([&] { return gap(dense(emb(ids))); }, {table, kernel});
}

TEST_CASE("BatchNormalization in training uses Keras 3's masked moments") {
  auto bn = layers::BatchNormalization();
  Tensor x = Tensor::from({1, 3, 1}, {1, 2, 100});
  x.set_keras_mask(Tensor::from({1, 3}, {1, 1, 0}));
  const Tensor y = bn(x, true);
  // mean 1.5 and variance 0.25 over the two unmasked steps (divided by count + 1e-7), epsilon 1e-3
  const double c = 2.0 + 1e-7, mean = 3.0 / c, var = ((1 - mean) * (1 - mean) + (2 - mean) * (2 - mean)) / c;
  const double inv = 1.0 / std::sqrt(var + 1e-3);
  check_close(y, {float((1 - mean) * inv), float((2 - mean) * inv), float((100 - mean) * inv)}, 1e-5);
  check_close(bn->moving_mean()->value, {float(0.01 * mean)});
  check_close(bn->moving_variance()->value, {float(0.99 + 0.01 * var)});
  check_close(y.keras_mask(), {1, 1, 0});
  // a mask of the wrong rank is Keras's error; inference ignores the mask
  Tensor bad = Tensor::from({1, 3, 1}, {1, 2, 3});
  bad.set_keras_mask(Tensor::from({3}, {1, 1, 0}));
  REQUIRE_THROWS_WITH(bn(bad, true), Contains("one dimension less"));
  Tensor g = random_tensor({2, 3, 2}, 5);
  const Tensor gm = Tensor::from({2, 3}, {1, 1, 0, 1, 0, 1});
  auto bn2 = layers::BatchNormalization({.momentum = 0.5f});
  bn2(g, true);
  Tensor gamma = bn2->gamma()->value, beta = bn2->beta()->value;
  check_gradients([&] {
    Tensor in = g * 1.0f;
    in.set_keras_mask(gm);
    return bn2(in, true);
  }, {g, gamma, beta});
}

TEST_CASE("Maximum and Minimum with masks: masked values never win, as Keras 3") {
  Tensor a = Tensor::from({1, 3, 1}, {1, 5, 3}), b = Tensor::from({1, 3, 1}, {4, 2, 0});
  a.set_keras_mask(Tensor::from({1, 3}, {1, 0, 1}));
  b.set_keras_mask(Tensor::from({1, 3}, {0, 1, 1}));
  check_close(layers::Maximum()(Tensors{a, b}), {1, 2, 3});
  check_close(layers::Minimum()(Tensors{a, b}), {1, 2, 0});
  Tensor ga = random_tensor({2, 3, 2}, 6), gb = random_tensor({2, 3, 2}, 7);
  check_gradients([&] {
    Tensor p = ga * 1.0f, q = gb * 1.0f;
    p.set_keras_mask(Tensor::from({2, 3}, {1, 0, 1, 1, 1, 0}));
    q.set_keras_mask(Tensor::from({2, 3}, {0, 1, 1, 1, 0, 0}));
    return layers::Maximum()(Tensors{p, q});
  }, {ga, gb});
}
