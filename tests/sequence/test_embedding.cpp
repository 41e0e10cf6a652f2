// Embedding: Keras's embedding_test values, masks, errors, gradients, configs of every Keras dialect.
#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/models/model.hpp>
#include <xkeras/models/sequential.hpp>
#include <xkeras/tape.hpp>

#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using Catch::Matchers::Contains;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

TEST_CASE("Embedding: Keras test_correctness values with int32 and float ids") {
  // K3 embedding_test.py: E = [[0,0],[2,2],[3,3]], x = [2, 1, 0] -> [[3,3],[2,2],[0,0]]
  auto e = layers::Embedding(3, 2);
  Tensor ids = Tensor::from_ints({3}, {2, 1, 0});
  e(ids);
  e->set_weights({Tensor::from({3, 2}, {0, 0, 2, 2, 3, 3}).value()});
  const Tensor y = e(ids);
  REQUIRE(y.shape() == Shape{3, 2});
  check_close(y, {3, 3, 2, 2, 0, 0});
  // float ids are truncated as Keras casts them: 2.7 -> 2, 1.2 -> 1
  check_close(e(Tensor::from({3}, {2.7f, 1.2f, 0.0f})), {3, 3, 2, 2, 0, 0});
  // any input rank: (2, 2) ids -> (2, 2, 2)
  const Tensor y2 = e(Tensor::from_ints({2, 2}, {1, 2, 0, 1}));
  REQUIRE(y2.shape() == Shape{2, 2, 2});
  check_close(y2, {2, 2, 3, 3, 0, 0, 2, 2});
}

TEST_CASE("Embedding: weights, default initializer range and output shape") {
  auto e = layers::Embedding(50, 4);
  const Tensor y = e(Tensor::from_ints({2, 3}, {0, 1, 2, 3, 4, 49}));
  REQUIRE(y.shape() == Shape{2, 3, 4});
  REQUIRE(e->weights().size() == 1);
  CHECK(e->weights()[0]->name == "embeddings");
  CHECK(e->weights()[0]->path() == e->name() + "/embeddings");
  CHECK(e->weights()[0]->shape() == Shape{50, 4});
  // "uniform" is RandomUniform(-0.05, 0.05)
  for (float v : e->weights()[0]->value.to_vector()) {
    CHECK(v >= -0.05f);
    CHECK(v < 0.05f);
  }
  CHECK(e->compute_output_shape({{None, 7}}) == std::vector<TensorShape>{{None, 7, 4}});
  CHECK(e->compute_output_shape({{None}}) == std::vector<TensorShape>{{None, 4}});
}

TEST_CASE("Embedding: mask_zero gives the Keras test_masking mask, row 0 is still E[0]") {
  auto e = layers::Embedding(3, 2, {.mask_zero = true});
  Tensor ids = Tensor::from_ints({1, 3}, {2, 1, 0});
  e(ids);
  e->set_weights({Tensor::from({3, 2}, {7, 7, 2, 2, 3, 3}).value()});
  const Tensor y = e(ids);
  check_close(y, {3, 3, 2, 2, 7, 7});
  const Tensor m = y.keras_mask();
  REQUIRE(m.defined());
  REQUIRE(m.shape() == Shape{1, 3});
  check_close(m, {1, 1, 0});
  // without mask_zero there is no mask
  auto plain = layers::Embedding(3, 2);
  CHECK_FALSE(plain(ids).keras_mask().defined());
}

TEST_CASE("Embedding: out-of-range ids are a ValueError naming the id and input_dim") {
  auto e = layers::Embedding(5, 2);
  REQUIRE_THROWS_WITH(e(Tensor::from_ints({3}, {0, 5, 1})), Contains("index 5") && Contains("[-5, 5)") &&
                                                                 Contains("input_dim=5") && Contains(e->name()));
  REQUIRE_THROWS_WITH(e(Tensor::from_ints({1}, {-6})), Contains("index -6"));
  REQUIRE_THROWS_AS(e(Tensor::from({1}, {1e10f})), ValueError);
}

TEST_CASE("Embedding: bad input_dim and output_dim values are rejected") {
  // K3 rejects input_dim in 3.7, 4.0, "3", None, True, False, -1, 0
  for (int bad : {0, -1}) {
    REQUIRE_THROWS_WITH(layers::Embedding(bad, 2), Contains("input_dim"));
    REQUIRE_THROWS_WITH(layers::Embedding(2, bad), Contains("output_dim"));
  }
  for (const char* v : {"3.7", "4.0", "\"3\"", "null", "true", "false", "-1", "0"}) {
    INFO(v);
    const json c = json::parse(std::string(R"({"name": "e", "input_dim": )") + v + R"(, "output_dim": 2})");
    REQUIRE_THROWS_WITH(layer_from_config("Embedding", c, "config"), Contains("config.input_dim"));
  }
  REQUIRE_THROWS_WITH(layer_from_config("Embedding", json::parse(R"({"input_dim": 3})"), "config"), Contains("output_dim"));
  // a table past the weight limit is refused before any allocation
  REQUIRE_THROWS_AS(layers::Embedding(1 << 30, 1 << 30)(Tensor::from_ints({1}, {0})), ValueError);
  REQUIRE_THROWS_WITH(
      layer_from_config("Embedding", json::parse(R"({"input_dim": 3, "output_dim": 2, "input_length": -4})"), "config"),
      Contains("config.input_length"));
  REQUIRE_THROWS_WITH(layer_from_config("Embedding",
                                        json::parse(R"({"input_dim": 3, "output_dim": 2, "activity_regularizer": "l2"})"),
                                        "config"),
                      Contains("config.activity_regularizer"));
}

TEST_CASE("Embedding: gradient of the table against central differences, repeated ids add up") {
  auto e = layers::Embedding(6, 3);
  const Tensor ids = Tensor::from_ints({2, 4}, {1, 5, 1, 0, 3, 3, 3, 1});
  e(ids);
  Tensor table = e->weights()[0]->value;
  check_gradients([&] { return e(ids); }, {table});
}

TEST_CASE("Embedding: Keras 3 config, keys in order, round trip") {
  clear_session();
  auto e = layers::Embedding(138137, 64);
  const json c = e->get_config();
  testing::check_key_order(c, {"name", "trainable", "dtype", "input_dim", "output_dim", "embeddings_initializer",
                               "embeddings_regularizer", "activity_regularizer", "embeddings_constraint", "mask_zero"});
  CHECK(c["name"] == "embedding");
  CHECK(c["input_dim"] == 138137);
  CHECK(c["output_dim"] == 64);
  CHECK(c["embeddings_initializer"]["class_name"] == "RandomUniform");
  CHECK(c["embeddings_initializer"]["config"]["minval"].get<double>() == Approx(-0.05));
  CHECK(c["embeddings_initializer"]["config"]["maxval"].get<double>() == Approx(0.05));
  CHECK(c["embeddings_regularizer"].is_null());
  CHECK(c["activity_regularizer"].is_null());
  CHECK(c["mask_zero"] == false);
  auto m = layers::Embedding(10, 3, {.embeddings_initializer = "zeros", .mask_zero = true, .name = "emb"});
  LayerPtr again = testing::check_config_round_trip(*m);
  CHECK(again->supports_masking());
}

TEST_CASE("Embedding: reads the real Keras 3 and tf.keras configs") {
  // K3 ~3.1-3.3 dump (keras_reference_layers2.md section 1)
  const json k3 = json::parse(R"({"name": "embedding", "trainable": true, "dtype": "float32", "input_dim": 138137,
    "output_dim": 64, "embeddings_initializer": {"module": "keras.initializers", "class_name": "RandomUniform",
    "config": {"minval": -0.05, "maxval": 0.05, "seed": null}, "registered_name": null}, "embeddings_regularizer": null,
    "activity_regularizer": null, "embeddings_constraint": null, "mask_zero": false})");
  auto a = std::dynamic_pointer_cast<layers::EmbeddingImpl>(layer_from_config("Embedding", k3, "config"));
  REQUIRE(a);
  CHECK(a->input_dim() == 138137);
  CHECK(a->output_dim() == 64);
  // tf.keras 2.2.4-tf dump inside a tfjs model.json
  const json tfk = json::parse(R"({"name": "embedding", "trainable": true, "batch_input_shape": [null, null],
    "dtype": "float32", "input_dim": 44000, "output_dim": 32, "embeddings_initializer": {"class_name": "RandomUniform",
    "config": {"minval": -0.05, "maxval": 0.05, "seed": null}}, "embeddings_regularizer": null,
    "activity_regularizer": null, "embeddings_constraint": null, "mask_zero": true, "input_length": null})");
  auto b = std::dynamic_pointer_cast<layers::EmbeddingImpl>(layer_from_config("Embedding", tfk, "config"));
  REQUIRE(b);
  CHECK(b->input_dim() == 44000);
  CHECK(b->mask_zero());
}

TEST_CASE("Embedding: a tf.keras Sequential with input_length loads through model_from_json") {
  const std::string text = R"({"class_name": "Sequential", "config": {"name": "sequential", "layers": [
    {"class_name": "Embedding", "config": {"name": "embedding", "trainable": true, "batch_input_shape": [null, 4],
     "dtype": "float32", "input_dim": 10, "output_dim": 3, "embeddings_initializer": {"class_name": "RandomUniform",
     "config": {"minval": -0.05, "maxval": 0.05, "seed": null}}, "embeddings_regularizer": null,
     "activity_regularizer": null, "embeddings_constraint": null, "mask_zero": false, "input_length": 4}},
    {"class_name": "Flatten", "config": {"name": "flatten", "trainable": true, "dtype": "float32", "data_format": "channels_last"}},
    {"class_name": "Dense", "config": {"name": "dense", "trainable": true, "dtype": "float32", "units": 1,
     "activation": "sigmoid", "use_bias": true, "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}},
     "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null, "bias_regularizer": null,
     "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null}}]},
    "keras_version": "2.4.0", "backend": "tensorflow"})";
  Model m = model_from_json(text);
  REQUIRE(m.get_weights().size() == 3);
  CHECK(m->get_weights()[0].shape()[0] == 10);
  const Tensor y = m.predict(Tensor::from({2, 4}, {1, 2, 3, 4, 0, 0, 9, 9}));
  CHECK(y.shape() == Shape{2, 1});
}
