// Configs of the attention layers: Keras 3 keys and order, tf.keras and TensorFlow.js spellings,
// round trips, model files, and hostile values.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <xkeras/errors.hpp>
#include <xkeras/layers/attention.hpp>
#include <xkeras/layers/multi_head_attention.hpp>
#include <xkeras/models/model.hpp>

#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::check_config_round_trip;
using xkeras::testing::keys_of;
using xkeras::testing::random_tensor;

namespace {
const json kGlorot = json::parse(R"({"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null})");
const json kZeros = json::parse(R"({"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null})");
}  // namespace

TEST_CASE("MultiHeadAttention config has Keras 3 keys and order and round trips", "[attention][config]") {
  layers::MultiHeadAttention mha(2, 4, {.name = "mha"});
  const json before = mha->get_config();
  CHECK(before["attention_axes"].is_null());
  mha({random_tensor({1, 3, 6}), random_tensor({1, 5, 6})}, false);
  const json c = mha->get_config();
  CHECK(keys_of(c) == std::vector<std::string>{"name", "trainable", "dtype", "num_heads", "key_dim", "value_dim", "dropout",
                                               "use_bias", "use_gate", "output_shape", "attention_axes", "sliding_window",
                                               "kernel_initializer", "bias_initializer", "kernel_regularizer",
                                               "bias_regularizer", "activity_regularizer", "kernel_constraint",
                                               "bias_constraint", "seed"});
  CHECK(c["num_heads"] == 2);
  CHECK(c["key_dim"] == 4);
  CHECK(c["value_dim"] == 4);  // None means key_dim, and Keras writes the resolved value
  CHECK(c["dropout"] == 0.0);
  CHECK(c["output_shape"].is_null());
  CHECK(c["attention_axes"] == json::array({1}));  // resolved once built
  CHECK(c["kernel_initializer"] == kGlorot);
  CHECK(c["bias_initializer"] == kZeros);
  CHECK(c["seed"].is_null());
  CHECK(mha->build_config() == json::parse(R"({"shapes_dict": {"query_shape": [null, 3, 6], "value_shape": [null, 5, 6]}})"));
  check_config_round_trip(*mha);
  layers::MultiHeadAttention custom(3, 2, {.value_dim = 5, .dropout = 0.25, .use_bias = false, .output_shape = 7, .seed = 9});
  const json cc = custom->get_config();
  CHECK(cc["output_shape"] == json::array({7}));
  CHECK(cc["value_dim"] == 5);
  CHECK(cc["seed"] == 9);
  check_config_round_trip(*custom);
}

TEST_CASE("MultiHeadAttention reads tf.keras and TensorFlow.js configs and builds from their stored shapes", "[attention][config]") {
  // The wild tf.keras 2.13 file's layer (effnet_mha_hybrid.json), smaller.
  const json tfk = json::parse(R"({"name": "multi_head_attention_3", "trainable": true, "dtype": "float32", "num_heads": 4,
      "key_dim": 8, "value_dim": 8, "dropout": 0.0, "use_bias": true, "output_shape": null, "attention_axes": [1],
      "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null},
      "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null},
      "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null,
      "bias_constraint": null, "query_shape": [null, 49, 12], "key_shape": [null, 49, 12], "value_shape": [null, 49, 12],
      "softmax_robust_masking": false})");
  auto l = std::dynamic_pointer_cast<layers::MultiHeadAttentionImpl>(layer_from_config("MultiHeadAttention", tfk, "config"));
  REQUIRE(l);
  REQUIRE(l->built());
  REQUIRE(l->weights().size() == 8);
  CHECK(l->weights()[0]->shape() == Shape{12, 4, 8});
  CHECK(l->weights()[6]->shape() == Shape{4, 8, 12});
  // TensorFlow.js (tfjs-layers' MultiHeadAttention.getConfig, snake_cased on save): tf.keras's keys, its
  // initializers spelled as TensorFlow.js writes them.
  const json tfjs = json::parse(R"({"num_heads": 2, "key_dim": 3, "value_dim": 3, "dropout": 0, "use_bias": true,
      "output_shape": null, "attention_axes": [1],
      "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}},
      "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null, "bias_regularizer": null,
      "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null,
      "query_shape": [null, 4, 5], "value_shape": [null, 6, 5], "key_shape": [null, 6, 5],
      "name": "multi_head_attention_MultiHeadAttention1", "trainable": true, "dtype": "float32"})");
  auto j = std::dynamic_pointer_cast<layers::MultiHeadAttentionImpl>(layer_from_config("MultiHeadAttention", tfjs, "config"));
  REQUIRE(j);
  CHECK(j->weights().size() == 8);
  CHECK(j->weights()[7]->shape() == Shape{5});
}

TEST_CASE("MultiHeadAttention configs with bad values fail at their JSON path", "[attention][config]") {
  const auto bad = [](const std::string& extra) {
    return json::parse(R"({"name": "m", "num_heads": 2, "key_dim": 4)" + extra + "}");
  };
  CHECK_THROWS_AS(layer_from_config("MultiHeadAttention", bad(R"(, "num_heads": -1)"), "config"), ConfigError);
  CHECK_THROWS_WITH(layer_from_config("MultiHeadAttention", bad(R"(, "key_dim": "x")"), "config.layers[2]"),
                    Catch::Contains("config.layers[2].config.key_dim"));
  CHECK_THROWS_WITH(layer_from_config("MultiHeadAttention", bad(R"(, "sliding_window": 4)"), "config"),
                    Catch::Contains("config.sliding_window"));
  CHECK_THROWS_WITH(layer_from_config("MultiHeadAttention", bad(R"(, "output_shape": [2, 3])"), "config"),
                    Catch::Contains("config.output_shape"));
  CHECK_THROWS_WITH(layer_from_config("MultiHeadAttention", bad(R"(, "dropout": 1.5)"), "config"),
                    Catch::Contains("config.dropout"));
  CHECK_THROWS_WITH(layer_from_config("MultiHeadAttention", bad(R"(, "key_dim": 1073741824)"), "config"),
                    Catch::Contains("key_dim"));
  // Huge shapes in a tf.keras config must not allocate: the weight budget refuses them.
  CHECK_THROWS_AS(layer_from_config("MultiHeadAttention",
                                    bad(R"(, "num_heads": 1000000, "key_dim": 1000000, "query_shape": [null, 2, 1000000], "value_shape": [null, 2, 3])"),
                                    "config"),
                  ConfigError);
  CHECK_THROWS_WITH(layer_from_config("MultiHeadAttention", bad(R"(, "query_shape": [null, 2], "value_shape": [null, 2, 3])"), "config"),
                    Catch::Contains("config.query_shape") && Catch::Contains("rank 3"));
}

TEST_CASE("Attention and AdditiveAttention configs: Keras 3 order, tf.keras keys, round trips", "[attention][config]") {
  layers::Attention att({.use_scale = true, .score_mode = "concat", .dropout = 0.1, .seed = 3, .name = "att"});
  const json c = att->get_config();
  CHECK(keys_of(c) == std::vector<std::string>{"name", "trainable", "dtype", "use_scale", "score_mode", "dropout", "seed"});
  CHECK(c["score_mode"] == "concat");
  CHECK(c["seed"] == 3);
  check_config_round_trip(*att);
  layers::AdditiveAttention add({.name = "add"});
  const json a = add->get_config();
  CHECK(keys_of(a) == std::vector<std::string>{"name", "trainable", "dtype", "use_scale", "dropout", "seed"});
  CHECK(a["use_scale"] == true);
  check_config_round_trip(*add);
  // tf.keras 2.x order (dropout first) and its old `causal` flag.
  const json tfk = json::parse(R"({"name": "attention", "trainable": true, "dtype": "float32", "dropout": 0.0,
                                   "use_scale": false, "score_mode": "dot", "causal": true})");
  auto l = std::dynamic_pointer_cast<layers::AttentionImpl>(layer_from_config("Attention", tfk, "config"));
  REQUIRE(l);
  Array q = Array::from_shape({1, 2, 1}), v = Array::from_shape({1, 2, 1});
  q(0, 0, 0) = 1; q(0, 1, 0) = 2; v(0, 0, 0) = 10; v(0, 1, 0) = 20;
  CHECK((*l)({Tensor(q), Tensor(v), Tensor(q)}, false)[0].data()[0] == Approx(10.0f));  // causal: step 0 sees v0 only
  CHECK_THROWS_WITH(layer_from_config("Attention", json::parse(R"({"score_mode": "sum"})"), "config"),
                    Catch::Contains("config.score_mode"));
  CHECK_THROWS_WITH(layer_from_config("AdditiveAttention", json::parse(R"({"dropout": -1})"), "config"),
                    Catch::Contains("config.dropout"));
}

TEST_CASE("A functional model with MultiHeadAttention and Attention saves and loads through JSON", "[attention][config]") {
  auto x = Input({5, 6});
  layers::MultiHeadAttention mha(2, 3, {.name = "mha"});
  auto h = mha(KerasTensors{x, x});
  auto y = layers::Attention({.use_scale = true, .name = "att"})(KerasTensors{h, x});
  Model m(x, y);
  const std::string text = m.to_json();
  Model again = model_from_json(text);
  CHECK(again.to_json() == text);
  again.set_weights(m.get_weights());
  const Tensor in = random_tensor({2, 5, 6}, 3);
  const Tensor want = m.predict(in);
  check_close(again.predict(in), std::vector<float>(want.data(), want.data() + want.size()), 1e-5);
}

TEST_CASE("A Keras 3 model file with MultiHeadAttention called on query and value loads", "[attention][config]") {
  const std::string text = R"({"module": "keras", "class_name": "Functional", "config": {"name": "f", "trainable": true,
    "layers": [
     {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 4, 6], "dtype": "float32",
      "sparse": false, "name": "q"}, "registered_name": null, "name": "q", "inbound_nodes": []},
     {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 3, 5], "dtype": "float32",
      "sparse": false, "name": "v"}, "registered_name": null, "name": "v", "inbound_nodes": []},
     {"module": "keras.layers", "class_name": "MultiHeadAttention", "config": {"name": "multi_head_attention",
      "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
      "num_heads": 2, "key_dim": 4, "value_dim": 4, "dropout": 0.0, "use_bias": true, "use_gate": false,
      "output_shape": null, "attention_axes": [1], "sliding_window": null,
      "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null},
      "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null},
      "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null,
      "bias_constraint": null, "seed": null}, "registered_name": null,
      "build_config": {"shapes_dict": {"query_shape": [null, 4, 6], "value_shape": [null, 3, 5]}},
      "name": "multi_head_attention", "inbound_nodes": [{"args": [
        {"class_name": "__keras_tensor__", "config": {"shape": [null, 4, 6], "dtype": "float32", "keras_history": ["q", 0, 0]}},
        {"class_name": "__keras_tensor__", "config": {"shape": [null, 3, 5], "dtype": "float32", "keras_history": ["v", 0, 0]}}],
        "kwargs": {}}]}],
    "input_layers": [["q", 0, 0], ["v", 0, 0]], "output_layers": [["multi_head_attention", 0, 0]]},
    "registered_name": null})";
  Model m = model_from_json(text);
  REQUIRE(m.get_weights().size() == 8);
  CHECK(m->weights()[2]->shape() == Shape{5, 2, 4});  // key/kernel: the key is the value
  const Tensor out = m.predict(Tensors{random_tensor({2, 4, 6}), random_tensor({2, 3, 5})})[0];
  CHECK(out.shape() == Shape{2, 4, 6});
}

TEST_CASE("MultiHeadAttention saves for TensorFlow.js with tf.keras's config and weight names and loads back", "[attention][config]") {
  namespace fs = std::filesystem;
  auto q = Input({4, 6}, "q");
  auto v = Input({3, 5}, "v");
  layers::MultiHeadAttention mha(2, 3, {.name = "mha"});
  Model m({q, v}, mha(KerasTensors{q, v}));
  const fs::path dir = fs::path(XKERAS_BINARY_DIR) / "attention_tfjs_mha";
  fs::remove_all(dir);
  m.save_tfjs(dir.string());
  std::ifstream f(dir / "model.json");
  const json mj = json::parse(f);
  const json& layer = mj["modelTopology"]["config"]["layers"][2];
  CHECK(layer["class_name"] == "MultiHeadAttention");
  CHECK(layer["config"]["query_shape"] == json::parse("[null, 4, 6]"));
  CHECK(layer["config"]["key_shape"] == json::parse("[null, 3, 5]"));
  CHECK(layer["config"]["value_shape"] == json::parse("[null, 3, 5]"));
  CHECK_FALSE(layer["config"].contains("use_gate"));
  CHECK_FALSE(layer["config"].contains("sliding_window"));
  std::vector<std::string> names;
  for (const auto& w : mj["weightsManifest"][0]["weights"]) names.push_back(w["name"]);
  CHECK(names == std::vector<std::string>{"mha/query/kernel", "mha/query/bias", "mha/key/kernel", "mha/key/bias",
                                          "mha/value/kernel", "mha/value/bias", "mha/attention_output/kernel",
                                          "mha/attention_output/bias"});
  Model again = load_model((dir / "model.json").string());
  const Tensors in{random_tensor({2, 4, 6}, 1), random_tensor({2, 3, 5}, 2)};
  const Tensor want = m.predict(in)[0];
  check_close(again.predict(in)[0], std::vector<float>(want.data(), want.data() + want.size()), 0.0);
  layers::MultiHeadAttention gated(2, 3, {.use_gate = true});
  Model g({q, v}, gated(KerasTensors{q, v}));
  CHECK_THROWS_WITH(g.save_tfjs((dir / "gated").string()), Catch::Contains("use_gate"));
}
