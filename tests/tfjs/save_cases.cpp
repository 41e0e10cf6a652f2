#include "save_cases.hpp"

#include <random>

#include "xkeras/layers.hpp"
#include "xkeras/models/sequential.hpp"

namespace tfjs_save {

namespace L = xkeras::layers;

namespace {

using namespace xkeras::layers;  // the Options structs

L::Dense dense(int units, const std::string& activation = "linear", const std::string& name = "") {
  DenseOptions o;
  o.activation = activation;
  o.name = name;
  return L::Dense(units, o);
}

L::AveragePooling2D average_pool_same(int size) {
  Pooling2DOptions o;
  o.padding = "same";
  return L::AveragePooling2D(size, o);
}

// Recurrent layers; the GRU resets before the product, the only GRU TensorFlow.js runs.
Model recurrent() {
  return Sequential({L::Input({5, 3}), L::LSTM(4, {.return_sequences = true}),
                     L::GRU(3, {.return_sequences = true, .go_backwards = true, .reset_after = false}),
                     L::SimpleRNN(2, {.activation = "relu"})});
}

Model mlp() {
  return Sequential({L::Input({8}), dense(16, "relu"), L::BatchNormalization(), L::Dropout(0.3),
                     dense(4, "softmax")});
}

Model conv2d_pool_flatten() {
  Conv2DOptions same;
  same.padding = "same";
  same.activation = "relu";
  Conv2DOptions strided;
  strided.strides = {2, 1};
  return Sequential({L::Input({9, 8, 3}), L::Conv2D(4, 3, same), L::MaxPooling2D(2), L::Conv2D(5, {2, 1}, strided),
                     average_pool_same(2), L::Flatten(), L::Dense(3)});
}

Model conv2d_global_pool() {
  return Sequential({L::Input({6, 6, 2}), L::Conv2D(3, 2, "tanh"), L::BatchNormalization(), L::GlobalAveragePooling2D(),
                     L::Dense(2)});
}

Model conv1d_causal() {
  Conv1DOptions o;
  o.padding = "causal";
  o.dilation_rate = 2;
  return Sequential({L::Input({10, 3}), L::Conv1D(4, 3, o)});
}

Model conv1d_same_pool() {
  Conv1DOptions o;
  o.padding = "same";
  o.strides = 2;
  o.activation = "elu";
  return Sequential({L::Input({11, 3}), L::Conv1D(4, 3, o), L::MaxPooling1D(2), L::Conv1D(2, 2), L::GlobalMaxPooling1D()});
}

Model conv2d_transpose() {
  Conv2DTransposeOptions o;
  o.strides = 2;
  o.padding = "same";
  Conv2DTransposeOptions v;
  v.strides = {2, 1};
  return Sequential({L::Input({4, 5, 3}), L::Conv2DTranspose(4, 3, o), L::Conv2DTranspose(2, {3, 2}, v)});
}

Model conv1d_transpose() { return Sequential({L::Input({6, 3}), L::Conv1DTranspose(2, 3, Conv1DTransposeOptions{2})}); }

Model depthwise_separable() {
  DepthwiseConv2DOptions d;
  d.depth_multiplier = 2;
  SeparableConv2DOptions s;
  s.depth_multiplier = 2;
  s.padding = "same";
  s.activation = "relu";
  return Sequential({L::Input({7, 7, 3}), L::DepthwiseConv2D(3, d), L::SeparableConv2D(4, 3, s), L::SeparableConv2D(2, 2)});
}

Model activation_layers() {
  ReLUOptions capped;
  capped.max_value = 0.8f;
  return Sequential({L::Input({12}), L::Dense(12), L::ReLU(capped), L::Dense(12), L::LeakyReLU(0.2f), L::Dense(12),
                     L::PReLU(), L::Dense(12), L::ELU(), L::Dense(6), L::Softmax()});
}

Model activations() {
  return Sequential({L::Input({10}), dense(10, "hard_sigmoid_keras2"), dense(10, "gelu"), dense(10, "mish"),
                     L::Activation("selu"), dense(10, "softplus"), L::Activation("softsign"), dense(10, "swish"),
                     L::Activation("relu6"), dense(10, "sigmoid"), dense(5, "log_softmax")});
}

Model crop_pad_upsample() {
  return Sequential({L::Input({7, 6, 2}), L::Cropping2D({{1, 0}, {2, 1}}), L::ZeroPadding2D({1, 2}), L::UpSampling2D({2, 3}),
                     L::Conv2D(2, 2)});
}

Model upsampling2d_bilinear() {
  UpSampling2DOptions o;
  o.interpolation = "bilinear";
  return Sequential({L::Input({3, 4, 2}), L::UpSampling2D(2, o)});
}

Model cropping1d() { return Sequential({L::Input({8, 3}), L::Cropping1D({1, 2})}); }
Model zero_padding1d() { return Sequential({L::Input({5, 3}), L::ZeroPadding1D({2, 1})}); }
Model upsampling1d() { return Sequential({L::Input({4, 3}), L::UpSampling1D(3)}); }

Model permute_repeat_reshape() {
  return Sequential({L::Input({3, 4}), L::Permute({2, 1}), L::Reshape({-1}), L::Dense(5), L::RepeatVector(3),
                     L::Reshape({-1, 3}), L::Dense(2)});
}

Model merges() {
  auto a = xkeras::Input({6}, "a"), b = xkeras::Input({6}, "b");
  auto da = dense(6, "tanh")(a), db = L::Dense(6)(b);
  auto sum = L::Add()({da, db});
  auto cat = L::Concatenate()({da, db});
  auto dot = L::Dot(1)({da, db});
  auto mx = L::Maximum()({da, db, sum});
  auto mn = L::Minimum()({da, db});
  auto head = L::Concatenate()({cat, dot, mx, mn});
  return Model({a, b}, {L::Dense(3)(head), sum}, "merges");
}

Model rescaling() { return Sequential({L::Input({4}), L::Rescaling(1.0 / 255, -0.5), L::Dense(3)}); }

Model normalization() {
  NormalizationOptions o;
  o.mean = ArrayValue{0.5, -1.0, 2.0};
  o.variance = ArrayValue{4.0, 0.25, 1.0};
  return Sequential({L::Input({3}), L::Normalization(o), L::Dense(2)});
}

// Two Dense(4) with equal weight shapes: "right" is created first but used second, so tfjs must match
// the weights by name, not by position.
Model two_branches() {
  auto x = xkeras::Input({5}, "x");
  auto right = dense(4, "relu", "right");
  auto left = dense(4, "tanh", "left");
  auto r = right(x);
  auto l = left(x);
  return Model(x, L::Concatenate()({l, r}), "two_branches");
}

Model nested_sequential() {
  Sequential inner({L::Input({3}), dense(4, "relu"), L::Dense(3)}, "inner_seq");
  auto x = xkeras::Input({3}, "x");
  return Model(x, L::Add()({inner(x), L::Dense(3)(x)}), "outer_seq");
}

// A Sequential without an Input, built by its call in the outer model (no construction node).
Model nested_sequential_no_input() {
  Sequential inner({dense(4, "relu"), L::Dense(3)}, "block");
  auto x = xkeras::Input({3}, "x");
  return Model(x, dense(2, "tanh")(inner(x)), "outer_block");
}

// Sequential blocks inside a Sequential.
Model sequential_in_sequential() {
  Sequential block1({dense(5, "relu"), L::Dense(4)}, "block1");
  Sequential block2({L::Input({4}), dense(2, "sigmoid")}, "block2");
  return Sequential({L::Input({6}), block1, block2});
}

// One Dense called twice: its second call is node 1.
Model shared_layer() {
  auto a = xkeras::Input({4}, "a"), b = xkeras::Input({4}, "b");
  auto shared = dense(3, "elu", "shared");
  return Model({a, b}, L::Add()({shared(a), shared(b)}), "shared_layer");
}

Model nested_functional() {
  auto i = xkeras::Input({4}, "inner_in");
  Model inner(i, dense(3, "tanh")(L::Dense(5)(i)), "inner_fn");
  auto x = xkeras::Input({4}, "x");
  auto y = inner(x);
  return Model(KerasTensors{x}, KerasTensors{L::Dense(2)(y), y}, "outer_fn");
}

Model multi_io() {
  auto a = xkeras::Input({4}, "in_a"), b = xkeras::Input({2, 3}, "in_b");
  auto fb = L::Flatten()(b);
  auto h = L::Concatenate()({dense(5, "relu")(a), fb});
  return Model({a, b}, {dense(2, "softmax")(h), L::Dense(1)(h)}, "multi_io");
}

// 1100 * 1000 + 1000 floats = 4.2 MiB: two shards, a kernel straddling them. tanh and the 1/32 keep the
// outputs near 0.1: at |y| ~ 5, float32 summation order over 1000 terms alone differs by ~1e-5 (xkeras
// and tfjs were both ~8e-6 from a float64 evaluation), the round trip's tolerance. A misplaced weight
// would still show (> 1e-3).
Model sharded() {
  return Sequential({L::Input({1100}), dense(1000, "tanh"), L::Rescaling(1.0 / 32), L::Dense(2)});
}

}  // namespace

const std::vector<SaveCase>& save_cases() {
  static const std::vector<SaveCase> cases = {
      {"mlp_dense_bn_dropout", mlp, {{2, 8}}},
      {"conv2d_pool_flatten", conv2d_pool_flatten, {{2, 9, 8, 3}}},
      {"conv2d_bn_global_pool", conv2d_global_pool, {{2, 6, 6, 2}}},
      {"conv1d_causal", conv1d_causal, {{2, 10, 3}}},
      {"conv1d_same_pool", conv1d_same_pool, {{2, 11, 3}}},
      {"conv2d_transpose", conv2d_transpose, {{2, 4, 5, 3}}},
      {"conv1d_transpose", conv1d_transpose, {{2, 6, 3}}},
      {"depthwise_separable", depthwise_separable, {{2, 7, 7, 3}}},
      {"activation_layers", activation_layers, {{2, 12}}},
      {"activations", activations, {{2, 10}}},
      {"crop_pad_upsample", crop_pad_upsample, {{2, 7, 6, 2}}},
      {"upsampling2d_bilinear", upsampling2d_bilinear, {{2, 3, 4, 2}}},
      {"cropping1d", cropping1d, {{2, 8, 3}}},
      {"zero_padding1d", zero_padding1d, {{2, 5, 3}}},
      {"upsampling1d", upsampling1d, {{2, 4, 3}}},
      {"permute_repeat_reshape", permute_repeat_reshape, {{2, 3, 4}}},
      {"merges", merges, {{2, 6}, {2, 6}}},
      {"rescaling", rescaling, {{2, 4}}},
      {"normalization", normalization, {{2, 3}}},
      {"two_branches", two_branches, {{2, 5}}},
      {"nested_sequential", nested_sequential, {{2, 3}}},
      {"nested_functional", nested_functional, {{2, 4}}},
      {"nested_sequential_no_input", nested_sequential_no_input, {{2, 3}}},
      {"sequential_in_sequential", sequential_in_sequential, {{2, 6}}},
      {"shared_layer", shared_layer, {{2, 4}, {2, 4}}},
      {"multi_io", multi_io, {{2, 4}, {2, 2, 3}}},
      {"recurrent", recurrent, {{2, 5, 3}}},
      {"sharded", sharded, {{1, 1100}}},
  };
  return cases;
}

void seed_weights(const Model& m, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> centred(-0.5f, 0.5f), positive(0.5f, 1.5f);
  for (const auto& v : m->weights()) {
    const bool variance = v->name == "moving_variance" || v->name == "variance";
    for (auto& x : v->value.mutable_value()) x = variance ? positive(gen) : centred(gen);
  }
}

Tensors seeded_inputs(const std::vector<Shape>& shapes, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> dist(-2.0f, 2.0f);
  Tensors xs;
  for (const auto& s : shapes) {
    std::vector<float> v(shape_size(s));
    for (auto& x : v) x = dist(gen);
    xs.push_back(Tensor::from(s, v));
  }
  return xs;
}

}  // namespace tfjs_save
