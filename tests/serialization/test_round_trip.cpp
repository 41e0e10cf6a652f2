// to_json -> model_from_json -> to_json for every model shape: Sequential, several inputs and
// outputs, a shared layer, nested models (seeds 003 and 004). The reloaded model, given the
// same weights, computes bit-identical outputs.
#include "helpers.hpp"
#include "xkeras/layers/dense.hpp"
#include "xkeras/layers/input_layer.hpp"
#include "xkeras/layers/lambda.hpp"
#include "xkeras/layers/merging.hpp"
#include "xkeras/models/sequential.hpp"

using namespace xkeras;
using namespace sertest;

namespace {

Tensor input_of(const Shape& s, float base) {
  std::vector<float> v(shape_size(s));
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = base + 0.37f * static_cast<float>(i % 11) - 0.11f * static_cast<float>(i % 7);
  return Tensor::from(s, v);
}

// The JSON survives a round trip unchanged, and the reloaded model computes the same outputs.
Model round_trip(const Model& m, const Tensors& xs) {
  randomize_weights(m, 7);
  const std::string text = m.to_json();
  const Model again = model_from_json(text);
  CHECK(again.to_json() == text);
  REQUIRE(again.get_weights().size() == m.get_weights().size());
  again.set_weights(m.get_weights());
  const Tensors a = run(m, xs), b = run(again, xs);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(bit_equal(a[i], b[i]));
  return again;
}

}  // namespace

TEST_CASE("Sequential round trip, custom layer included") {
  clear_session();
  Sequential m({layers::Input({8}), layers::Dense(12, "relu"), TestScale(), layers::Dense(1, "sigmoid")});
  const json j = parse(m.to_json());
  CHECK(j["class_name"] == "Sequential");
  CHECK(j["config"]["layers"].size() == 4);
  CHECK(j["config"]["layers"][2]["class_name"] == "TestScale");
  CHECK(j["config"]["layers"][2]["registered_name"] == "xkeras_tests>TestScale");
  CHECK(j["build_config"]["input_shape"] == json::array({nullptr, 8}));
  round_trip(m, {input_of({3, 8}, 0.2f)});
}

TEST_CASE("Functional round trip with two inputs and two outputs") {
  clear_session();
  auto a = Input({4}, "a"), b = Input({6}, "b");
  auto s = layers::Add()({layers::Dense(5)(a), layers::Dense(5, "tanh")(b)});
  auto o1 = layers::Dense(2, "softmax")(s);
  auto o2 = layers::Dense(3)((*TestScale())(s));
  Model m({a, b}, {o1, o2}, "two_by_two");
  const json j = parse(m.to_json());
  CHECK(j["config"]["input_layers"] == json::parse(R"([["a", 0, 0], ["b", 0, 0]])"));
  CHECK(j["config"]["output_layers"] == json::parse(R"([["dense_2", 0, 0], ["dense_3", 0, 0]])"));
  const Model again = round_trip(m, {input_of({2, 4}, 0.1f), input_of({2, 6}, -0.3f)});
  CHECK(again->inputs().size() == 2);
  CHECK(again->outputs().size() == 2);
}

TEST_CASE("a shared layer is written once with two inbound nodes") {
  clear_session();
  auto a = Input({4}), b = Input({4});
  layers::Dense shared(3);
  auto out = layers::Add()({shared(a), shared(b)});
  Model m({a, b}, out);
  const json j = parse(m.to_json());
  REQUIRE(j["config"]["layers"].size() == 4);  // input_layer, input_layer_1, dense, add
  const json& dense = j["config"]["layers"][2];
  CHECK(dense["name"] == "dense");
  REQUIRE(dense["inbound_nodes"].size() == 2);
  CHECK(dense["inbound_nodes"][1]["args"][0]["config"]["keras_history"] == json::array({"input_layer_1", 0, 0}));
  const json& add_args = j["config"]["layers"][3]["inbound_nodes"][0]["args"][0];
  CHECK(add_args[0]["config"]["keras_history"] == json::array({"dense", 0, 0}));
  CHECK(add_args[1]["config"]["keras_history"] == json::array({"dense", 1, 0}));
  const Model again = round_trip(m, {input_of({2, 4}, 0.5f), input_of({2, 4}, -0.5f)});
  CHECK(again.get_layer("dense")->inbound_nodes().size() == 2);
  CHECK(again.count_params() == 15);
}

TEST_CASE("nested Sequential models: the seed 004 autoencoder") {
  clear_session();
  Sequential encoder({layers::Input({16}), layers::Dense(8, "relu"), TestScale()}, "encoder");
  Sequential decoder({layers::Input({8}), layers::Dense(16, "sigmoid")}, "decoder");
  auto x = Input({16});
  Model autoencoder(x, decoder(encoder(x)), "autoencoder");
  const json j = parse(autoencoder.to_json());
  REQUIRE(j["config"]["layers"].size() == 3);
  CHECK(j["config"]["layers"][1]["class_name"] == "Sequential");
  CHECK(j["config"]["layers"][1]["name"] == "encoder");
  CHECK(j["config"]["layers"][1]["config"]["layers"].size() == 3);
  CHECK(j["config"]["output_layers"] == json::array({"decoder", 0, 0}));
  const Model again = round_trip(autoencoder, {input_of({2, 16}, 0.0f)});
  CHECK(again.count_params() == 16 * 8 + 8 + 8 + 8 + 8 * 16 + 16);
}

TEST_CASE("Sequential blocks inside a Sequential (seed 003), built from the outer input") {
  clear_session();
  Sequential block1({layers::Dense(8, "relu"), TestScale()});
  Sequential block2({layers::Dense(4)});
  Sequential model({layers::Input({6}), block1, block2});
  const json j = parse(model.to_json());
  REQUIRE(j["config"]["layers"].size() == 3);
  CHECK(j["config"]["layers"][1]["class_name"] == "Sequential");
  CHECK(j["config"]["layers"][1]["config"]["build_input_shape"] == json::array({nullptr, 6}));
  round_trip(model, {input_of({3, 6}, 0.4f)});
}

TEST_CASE("a nested Functional model counts Keras 3's built-in node in output_layers only") {
  clear_session();
  auto i = Input({5});
  Model inner(i, layers::Dense(3)(i), "inner");
  auto x = Input({5});
  auto y = inner(x);
  auto z = layers::Dense(2)(y);
  Model outer(KerasTensors{x}, KerasTensors{y, z}, "outer");
  const json j = parse(outer.to_json());
  CHECK(j["config"]["layers"][1]["class_name"] == "Functional");
  CHECK(j["config"]["output_layers"] == json::parse(R"([["inner", 1, 0], ["dense_1", 0, 0]])"));
  CHECK(j["config"]["layers"][2]["inbound_nodes"][0]["args"][0]["config"]["keras_history"] == json::array({"inner", 0, 0}));
  round_trip(outer, {input_of({2, 5}, 0.3f)});
}

TEST_CASE("layers listed before the layers they read are deferred, as Keras does") {
  clear_session();
  auto x = Input({3});
  Model m(x, layers::Dense(2)(layers::Dense(4)(x)));
  json j = parse(m.to_json());
  std::swap(j["config"]["layers"][1], j["config"]["layers"][2]);  // dense_1 (reads dense) comes first
  const Model again = model_from_json(j.dump());
  again.set_weights(m.get_weights());
  const Tensor in = input_of({2, 3}, 0.0f);
  CHECK(bit_equal(run(m, in), run(again, in)));
}

TEST_CASE("seed 002: two Lambda-scaled branches fused by Add") {
  clear_session();
  auto a = Input({8}), b = Input({8});
  auto fused = layers::Add()({layers::Lambda("scale", {{"factor", 0.8}})(a), layers::Lambda("scale", {{"factor", 0.2}})(b)});
  Model fusion({a, b}, fused, "fusion");
  const json j = parse(fusion.to_json());
  CHECK(j["config"]["layers"][2]["class_name"] == "Lambda");
  const Tensor xa = input_of({2, 8}, 1.0f), xb = input_of({2, 8}, -2.0f);
  const Model again = round_trip(fusion, {xa, xb});
  const Tensor y = run(again, Tensors{xa, xb}).at(0);
  for (std::size_t i = 0; i < y.size(); ++i) CHECK(y.data()[i] == 0.8f * xa.data()[i] + 0.2f * xb.data()[i]);
}
