// The attention layers through Layer's call machinery: keyword arguments (attention_mask,
// use_causal_mask, return_attention_scores), masks carried on tensors, symbolic calls and their
// files (Keras 3 kwargs, tf.keras's {"value": ...} node, the wild tf.keras 2.13 file, TensorFlow.js).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <xkeras/errors.hpp>
#include <xkeras/layers/attention.hpp>
#include <xkeras/layers/multi_head_attention.hpp>
#include <xkeras/models/model.hpp>
#include <xkeras/xkeras.hpp>

#include "support/gradcheck.hpp"
#include "wild/wild_dir.hpp"

using namespace xkeras;
using layers::AttentionCallOptions;
using xkeras::testing::check_close;
using xkeras::testing::random_tensor;

namespace {

std::vector<float> values(const Tensor& t) { return std::vector<float>(t.data(), t.data() + t.size()); }

Tensor mask_of(std::initializer_list<std::initializer_list<float>> rows) {
  Array a = Array::from_shape({rows.size(), rows.begin()->size()});
  std::size_t i = 0;
  for (const auto& r : rows)
    for (float v : r) a.data()[i++] = v;
  return Tensor(std::move(a));
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("MultiHeadAttention takes attention_mask and options as call keyword arguments", "[attention][calls]") {
  layers::MultiHeadAttention mha(2, 3, {.seed = 1});
  const Tensor q = random_tensor({2, 4, 5}, 1), v = random_tensor({2, 3, 5}, 2);
  const Tensor m = mask_of({{1, 0, 1}, {1, 1, 0}, {0, 1, 1}, {1, 1, 1}});
  CallKwargs kw;
  kw.tensors = {{"attention_mask", {m}}};
  kw.options = {{"use_causal_mask", true}, {"return_attention_scores", true}};
  const Tensors out = mha.call({q, v}, kw);
  REQUIRE(out.size() == 2);
  CHECK(out[1].shape() == Shape{2, 2, 4, 3});
  AttentionCallOptions o;
  o.attention_mask = m;
  o.use_causal_mask = true;
  o.return_attention_scores = true;
  const Tensors want = mha->attend(q, v, Tensor(), o, false);
  check_close(out[0], values(want[0]), 1e-6);
  check_close(out[1], values(want[1]), 1e-6);
  // Query step 0 sees value steps 0 (causal) and not 1, 2 (the mask): all its weight on step 0.
  CHECK(out[1].value()(1, 0, 0, 0) == Approx(1.0f));
  // An int mask works like the float one (Keras's masks are often bool or int).
  CallKwargs ikw;
  ikw.tensors = {{"attention_mask", {Tensor::from_ints({4, 3}, {1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1})}}};
  ikw.options = {{"use_causal_mask", true}};
  check_close(mha.call({q, v}, ikw)[0], values(want[0]), 1e-6);
  // tf.keras's spelling: the value as a keyword tensor.
  CallKwargs tk;
  tk.tensors = {{"value", {v}}};
  check_close(mha.call({q}, tk)[0], values(mha({q, v}, false)[0]), 1e-6);
  CallKwargs bad;
  bad.options = {{"use_casual_mask", true}};
  CHECK_THROWS_WITH(mha.call({q, v}, bad), Catch::Contains("does not take the keyword argument \"use_casual_mask\""));
  CallKwargs bad_tensor;
  bad_tensor.tensors = {{"bias", {m}}};
  CHECK_THROWS_WITH(mha.call({q, v}, bad_tensor), Catch::Contains("keyword tensor argument \"bias\""));
}

TEST_CASE("MultiHeadAttention reads the masks its inputs carry and gives the query's to its output", "[attention][calls]") {
  layers::MultiHeadAttention mha(2, 3, {.seed = 2});
  Tensor q = random_tensor({2, 4, 5}, 3), v = random_tensor({2, 3, 5}, 4);
  const Tensor qm = mask_of({{1, 1, 1, 0}, {1, 1, 0, 0}}), vm = mask_of({{1, 0, 1}, {1, 1, 0}});
  q.set_keras_mask(qm);
  v.set_keras_mask(vm);
  const Tensor y = mha({q, v}, false)[0];
  AttentionCallOptions o;
  o.query_mask = qm;
  o.value_mask = vm;
  check_close(y, values(mha->attend(q, v, Tensor(), o, false)[0]), 1e-6);
  REQUIRE(y.keras_mask().defined());
  check_close(y.keras_mask(), values(qm), 0.0);
}

TEST_CASE("Attention and AdditiveAttention read tensor masks and call options", "[attention][calls]") {
  layers::Attention att;
  Tensor q = random_tensor({1, 2, 2}, 5), v = random_tensor({1, 2, 2}, 6);
  q.set_keras_mask(mask_of({{1, 0}}));
  v.set_keras_mask(mask_of({{1, 0}}));
  CallKwargs kw;
  kw.options = {{"return_attention_scores", true}};
  const Tensors out = att.call({q, v}, kw);
  REQUIRE(out.size() == 2);
  check_close(out[1], {1, 0, 1, 0}, 1e-6);  // value step 1 is masked
  check_close(out[0], {v.data()[0], v.data()[1], 0, 0}, 1e-6);  // query step 1 is masked: zero row
  REQUIRE(out[0].keras_mask().defined());
  check_close(out[0].keras_mask(), {1, 0}, 0.0);
  CallKwargs causal;
  causal.options = {{"use_causal_mask", true}};
  const Tensor c = layers::AdditiveAttention({.use_scale = false})({random_tensor({1, 2, 2}, 7), v}, false)[0];
  CHECK(c.shape() == Shape{1, 2, 2});
  const Tensor plain_v = random_tensor({1, 3, 2}, 8);
  const Tensor cz = att.call({random_tensor({1, 3, 2}, 9), plain_v}, causal)[0];
  check_close(ops::slice(cz, 1, 0, 1), {plain_v.data()[0], plain_v.data()[1]}, 1e-6);  // step 0 sees only v0
}

TEST_CASE("Symbolic attention calls with keyword arguments save and load as Keras 3 files", "[attention][calls]") {
  auto q = Input({4, 6}, "q");
  auto v = Input({3, 6}, "v");
  auto m = Input({4, 3}, "m");
  SymbolicKwargs kw;
  kw.tensors = {{"attention_mask", {m}}};
  kw.options = {{"return_attention_scores", true}, {"use_causal_mask", true}};
  layers::MultiHeadAttention mha(2, 3, {.name = "mha"});
  const KerasTensors outs = mha.apply({q, v}, kw);
  REQUIRE(outs.size() == 2);
  CHECK(outs[1].shape() == TensorShape{None, 2, 4, 3});
  SymbolicKwargs akw;
  akw.options = {{"return_attention_scores", true}};
  const KerasTensors a = layers::Attention({.name = "att"})->apply({outs[0], v}, true, akw);
  REQUIRE(a.size() == 2);
  CHECK(a[1].shape() == TensorShape{None, 4, 3});
  Model model({q, v, m}, KerasTensors{outs[0], outs[1], a[0], a[1]});
  const std::string text = model.to_json();
  CHECK(text.find("\"attention_mask\":{\"class_name\":\"__keras_tensor__\"") != std::string::npos);
  CHECK(text.find("\"use_causal_mask\":true") != std::string::npos);
  Model again = model_from_json(text);
  CHECK(again.to_json() == text);
  again.set_weights(model.get_weights());
  Array mm = xt::ones<float>({2, 4, 3});
  mm(0, 1, 0) = 0.0f;
  const Tensors in{random_tensor({2, 4, 6}, 1), random_tensor({2, 3, 6}, 2), Tensor(mm)};
  const Tensors want = model.predict(in), got = again.predict(in);
  REQUIRE(got.size() == 4);
  for (std::size_t i = 0; i < 4; ++i) check_close(got[i], values(want[i]), 1e-6);
  CHECK(got[1].value()(0, 0, 0, 1) == 0.0f);  // causal
  CHECK(got[1].value()(0, 1, 1, 1) == 1.0f);  // step 1 may not see step 0 (mask) nor step 2 (causal)
}

TEST_CASE("A tf.keras node calling MultiHeadAttention with a value keyword loads", "[attention][calls]") {
  const std::string text = R"({"class_name": "Functional", "config": {"name": "model", "layers": [
    {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 5, 8], "dtype": "float32", "sparse": false,
     "ragged": false, "name": "x"}, "name": "x", "inbound_nodes": []},
    {"class_name": "MultiHeadAttention", "config": {"name": "mha", "trainable": true, "dtype": "float32", "num_heads": 2,
     "key_dim": 4, "value_dim": 4, "dropout": 0.0, "use_bias": true, "output_shape": null, "attention_axes": [1],
     "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}},
     "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null, "bias_regularizer": null,
     "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null,
     "query_shape": [null, 5, 8], "key_shape": [null, 5, 8], "value_shape": [null, 5, 8]},
     "name": "mha", "inbound_nodes": [[["x", 0, 0, {"value": ["x", 0, 0], "use_causal_mask": true}]]]}],
    "input_layers": [["x", 0, 0]], "output_layers": [["mha", 0, 0]]}, "keras_version": "2.13.1", "backend": "tensorflow"})";
  Model m = model_from_json(text);
  const Tensor x = random_tensor({2, 5, 8}, 3);
  auto* mha = dynamic_cast<layers::MultiHeadAttentionImpl*>(m->layers()[1].get());
  REQUIRE(mha);
  AttentionCallOptions o;
  o.use_causal_mask = true;
  check_close(m.predict(x), values(mha->attend(x, x, Tensor(), o, false)[0]), 1e-6);
}

TEST_CASE("The wild tf.keras 2.13 EfficientNet + MultiHeadAttention file loads and runs", "[attention][calls]") {
  const std::string text = slurp(wildtest::shared_dir() / "wild_keras_models" / "effnet_mha_hybrid.json");
  Model m = model_from_json(text);
  std::shared_ptr<layers::MultiHeadAttentionImpl> mha;
  for (const auto& l : m->layers())
    if (auto p = std::dynamic_pointer_cast<layers::MultiHeadAttentionImpl>(l)) mha = p;
  REQUIRE(mha);
  CHECK(mha->name() == "multi_head_attention_3");
  const auto ws = mha->weights();
  REQUIRE(ws.size() == 8);
  CHECK(ws[0]->shape() == Shape{1280, 4, 128});
  CHECK(ws[6]->shape() == Shape{4, 128, 1280});
  CHECK(mha->inbound_nodes().size() == 1);
  CHECK(mha->inbound_nodes()[0]->inputs.size() == 2);  // query and the {"value": ...} keyword, bound positionally
  // Written back in Keras 3's layout (positional [query, value]) and read again: the same model.
  const std::string k3 = m.to_json();
  CHECK(model_from_json(k3).to_json() == k3);
}

TEST_CASE("MultiHeadAttention saved for TensorFlow.js is called as tf.keras does", "[attention][calls]") {
  namespace fs = std::filesystem;
  auto q = Input({4, 6}, "q");
  auto v = Input({3, 5}, "v");
  layers::MultiHeadAttention mha(2, 3, {.name = "mha"});
  SymbolicKwargs kw;
  kw.options = {{"use_causal_mask", true}};
  Model m({q, v}, mha.apply({q, v}, kw)[0]);
  const fs::path dir = fs::path(XKERAS_BINARY_DIR) / "attention_tfjs_mha_kwargs";
  fs::remove_all(dir);
  m.save_tfjs(dir.string());
  const json mj = json::parse(slurp(dir / "model.json"));
  const json& node = mj["modelTopology"]["config"]["layers"][2]["inbound_nodes"][0];
  CHECK(node == json::parse(R"([["q", 0, 0, {"use_causal_mask": true, "value": ["v", 0, 0]}]])"));
  Model again = load_model((dir / "model.json").string());
  const Tensors in{random_tensor({2, 4, 6}, 1), random_tensor({2, 3, 5}, 2)};
  check_close(again.predict(in)[0], values(m.predict(in)[0]), 0.0);
}

TEST_CASE("A model with MultiHeadAttention and Attention trains: the loss falls", "[attention][calls]") {
  set_random_seed(3);
  auto x = Input({6, 8});
  layers::MultiHeadAttention mha(2, 4);
  auto h = layers::Attention({.use_scale = true})->apply({mha(KerasTensors{x, x}), x}, true)[0];
  Model m(x, h);
  m.compile(optimizers::Adam(1e-2f), "mse");
  const Tensor in = random_tensor({16, 6, 8}, 4), target = random_tensor({16, 6, 8}, 5, -0.5f, 0.5f);
  const double first = m.train_on_batch(in, target).at("loss");
  double last = first;
  for (int i = 0; i < 60; ++i) last = m.train_on_batch(in, target).at("loss");
  INFO("first " << first << ", last " << last);
  CHECK(last < 0.8 * first);  // 0.140 -> 0.100 here: Attention outputs mixtures of the inputs, random targets stay out of reach
}
