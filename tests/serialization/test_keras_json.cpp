// Model JSON against Keras's own: writing the Keras 3 layout and reading Keras 3 and tf.keras 2.x
// files (keras_reference.md §3.2-§3.5, quoted verbatim in reference_json.hpp).
#include <type_traits>

#include "helpers.hpp"
#include "reference_json.hpp"
#include "xkeras/layers/dense.hpp"
#include "xkeras/layers/input_layer.hpp"
#include "xkeras/layers/merging.hpp"
#include "xkeras/models/sequential.hpp"
#include "xkeras/registry.hpp"

using namespace xkeras;
using namespace sertest;
using ojson = nlohmann::ordered_json;

namespace {

// xkeras leaves Keras >= 3.13's "quantization_config": null out of Dense (layers/dense.cpp says why).
json without_quantization(json j) {
  for (auto& l : j["config"]["layers"])
    if (l["class_name"] == "Dense") l["config"].erase("quantization_config");
  return j;
}

std::vector<std::string> keys(const ojson& o) {
  std::vector<std::string> k;
  for (const auto& [key, value] : o.items()) k.push_back(key);
  return k;
}

using Keys = std::vector<std::string>;

// inp = Input((4,)); a = Dense(3)(inp); b = Dense(3)(inp); Model(inp, Add()([a, b]))
Model add_model() {
  clear_session();
  auto inp = Input({4});
  auto a = layers::Dense(3)(inp);
  auto b = layers::Dense(3)(inp);
  return Model(inp, layers::Add()({a, b}));
}

void check_same(const json& got, const json& want) {
  INFO("JSON patch from the expected to the written JSON: " << json::diff(want, got).dump());
  CHECK(got == want);
}

// (x·K1 + b1) + (x·K2 + b2) for the §3.3/§3.5 model with fixed weights: x = [1, 2, 3, 4].
void check_add_model_output(const Model& m) {
  m.get_layer(m->layers()[1]->name())->set_weights({Array{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 1}}, Array{0.5f, 0.f, -0.5f}});
  m.get_layer(m->layers()[2]->name())->set_weights({Array(std::vector<std::size_t>{4, 3}, 0.25f), Array{1.f, 2.f, 3.f}});
  const Tensor y = run(m, Tensor::from({1, 4}, {1, 2, 3, 4}));
  // dense: [1+4, 2+4, 3+4] + b1 = [5.5, 6, 6.5]; dense_1: 0.25 * 10 + b2 = [3.5, 4.5, 5.5]
  CHECK(y.to_vector() == std::vector<float>{9.0f, 10.5f, 12.0f});
}

}  // namespace

TEST_CASE("to_json of the Functional Add model equals Keras 3's JSON (reference 3.3)") {
  const Model m = add_model();
  check_same(parse(m.to_json()), without_quantization(parse(reference_json::kKeras3FunctionalAdd)));

  // Keras's key order for everything the model writer builds itself.
  const ojson o = ojson::parse(m.to_json(2));
  CHECK(keys(o) == Keys{"module", "class_name", "config", "registered_name", "build_config"});
  CHECK(keys(o["config"]) == Keys{"name", "trainable", "layers", "input_layers", "output_layers"});
  CHECK(keys(o["config"]["layers"][0]) == Keys{"module", "class_name", "config", "registered_name", "name", "inbound_nodes"});
  CHECK(keys(o["config"]["layers"][3]) ==
        Keys{"module", "class_name", "config", "registered_name", "build_config", "name", "inbound_nodes"});
  const ojson& node = o["config"]["layers"][3]["inbound_nodes"][0];
  CHECK(keys(node) == Keys{"args", "kwargs"});
  CHECK(keys(node["args"][0][0]) == Keys{"class_name", "config"});
  CHECK(keys(node["args"][0][0]["config"]) == Keys{"shape", "dtype", "keras_history"});
  // Inside layer configs the order is the layer's own; it survives only with an ordered json type.
  if constexpr (std::is_same_v<json, ojson>) {
    const ojson want = ojson::parse(reference_json::kKeras3FunctionalAdd);
    Keys dense_keys = keys(want["config"]["layers"][1]["config"]);
    dense_keys.pop_back();  // quantization_config
    CHECK(keys(o["config"]["layers"][1]["config"]) == dense_keys);
    CHECK(keys(o["config"]["layers"][0]["config"]) == keys(want["config"]["layers"][0]["config"]));
  }
}

TEST_CASE("Keras 3 Functional JSON loads and writes back unchanged (reference 3.3)") {
  const Model m = model_from_json(reference_json::kKeras3FunctionalAdd);
  CHECK(m.name() == "functional");
  REQUIRE(m->layers().size() == 4);
  CHECK(m->layers()[3]->name() == "add");
  CHECK(m.count_params() == 30);
  check_same(parse(m.to_json()), without_quantization(parse(reference_json::kKeras3FunctionalAdd)));
  check_add_model_output(m);
}

TEST_CASE("tf.keras 2.x Functional JSON loads (reference 3.5) and is rewritten in the Keras 3 layout") {
  const Model m = model_from_json(reference_json::kTfKerasFunctionalAdd);
  CHECK(m.name() == "model");
  std::vector<std::string> names;
  for (const auto& l : m->layers()) names.push_back(l->name());
  CHECK(names == std::vector<std::string>{"input_1", "dense", "dense_1", "add"});
  CHECK(m->outputs()[0].shape() == TensorShape{None, 3});
  check_add_model_output(m);

  const json out = parse(m.to_json());
  CHECK(out["module"] == "keras.src.models.functional");
  CHECK(out["config"]["input_layers"] == json::array({"input_1", 0, 0}));  // flat triple in Keras 3
  CHECK(out["config"]["output_layers"] == json::array({"add", 0, 0}));
  const json& add_args = out["config"]["layers"][3]["inbound_nodes"][0]["args"];
  CHECK(add_args[0][1]["config"]["keras_history"] == json::array({"dense_1", 0, 0}));
  CHECK(out["config"]["layers"][0]["config"]["batch_shape"] == json::array({nullptr, 4}));
}

TEST_CASE("real Keras 3 Sequential dump loads and writes back (reference 3.2)") {
  const Model m = model_from_json(reference_json::kKeras3SequentialDump);
  CHECK(m.name() == "sequential");
  CHECK(m->layers().size() == 3);
  CHECK(m.count_params() == 8 * 12 + 12 + 12 * 8 + 8 + 8 + 1);
  json want = parse(reference_json::kKeras3SequentialDump);
  want.erase("compile_config");  // model_from_json does not compile (as Keras)
  json got = parse(m.to_json());
  got["config"]["layers"][0]["config"].erase("optional");  // InputLayer key added in Keras 3.13
  check_same(got, want);
}

TEST_CASE("real tf.keras 2.10 Sequential loads (reference 3.4)") {
  json doc = parse(reference_json::kTfKerasSequential);
  const bool conv = has_layer("Conv1D") && has_layer("MaxPooling1D");
  if (!conv) {  // without the 1-D layers: InputLayer (None, 4, 2) -> Flatten -> Dense(122) -> Dense(1)
    json kept = json::array();
    for (const auto& l : doc["config"]["layers"])
      if (l["class_name"] != "Conv1D" && l["class_name"] != "MaxPooling1D") kept.push_back(l);
    doc["config"]["layers"] = kept;
    WARN("Conv1D/MaxPooling1D are not registered: testing the dump without them");
  }
  const Model m = model_from_json(doc.dump());
  CHECK(m.name() == "sequential_2");
  CHECK(m->inputs()[0].layer().name() == "conv1d_4_input");
  CHECK(m->inputs()[0].shape() == TensorShape{None, 4, 2});
  CHECK(m->outputs()[0].shape() == TensorShape{None, 1});
  if (conv) {
    CHECK(m->layers().size() == 7);
    // conv1d_4 2*2*15+15, conv1d_5 15*51+51, dense_4 (3*51)*122+122, dense_5 122+1
    CHECK(m.count_params() == 75 + 816 + 18788 + 123);
  } else {
    CHECK(m->layers().size() == 3);
    CHECK(m.count_params() == 8 * 122 + 122 + 123);
  }
  const json out = parse(m.to_json());
  CHECK(out["config"]["layers"][0]["class_name"] == "InputLayer");
  CHECK(out["config"]["build_input_shape"] == json::array({nullptr, 4, 2}));
}

TEST_CASE("a tf.keras Sequential with batch_input_shape on its first layer gets an input") {
  json doc = parse(reference_json::kTfKerasSequential);
  json kept = json::array();
  for (const auto& l : doc["config"]["layers"])
    if (l["class_name"] == "Dense") kept.push_back(l);
  kept[0]["config"]["batch_input_shape"] = {nullptr, 7};
  doc["config"]["layers"] = kept;
  const Model m = model_from_json(doc.dump());
  CHECK(m->inputs()[0].shape() == TensorShape{None, 7});
  CHECK(m.count_params() == 7 * 122 + 122 + 123);
}

TEST_CASE("tf.keras counts a nested model's own node: references to it start at node 1") {
  // Hand-written in the tf.keras 2.12 layout (functional.py::get_network_config with
  // _should_skip_first_node): the outer model reads the nested "inner" model's call as node 1.
  const char* text = R"json({
    "class_name": "Functional",
    "config": {"name": "outer", "trainable": true, "layers": [
      {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4], "dtype": "float32", "name": "input_2"},
       "name": "input_2", "inbound_nodes": []},
      {"class_name": "Functional", "config": {"name": "inner", "trainable": true, "layers": [
          {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4], "dtype": "float32", "name": "input_1"},
           "name": "input_1", "inbound_nodes": []},
          {"class_name": "Dense", "config": {"name": "dense", "trainable": true, "dtype": "float32", "units": 3},
           "name": "dense", "inbound_nodes": [[["input_1", 0, 0, {}]]]}],
        "input_layers": [["input_1", 0, 0]], "output_layers": [["dense", 0, 0]]},
       "name": "inner", "inbound_nodes": [[["input_2", 0, 0, {}]]]},
      {"class_name": "Dense", "config": {"name": "dense_1", "trainable": true, "dtype": "float32", "units": 2},
       "name": "dense_1", "inbound_nodes": [[["inner", 1, 0, {}]]]}],
    "input_layers": [["input_2", 0, 0]],
    "output_layers": [["dense_1", 0, 0], ["inner", 1, 0]]},
    "keras_version": "2.12.0", "backend": "tensorflow"})json";
  const Model m = model_from_json(text);
  REQUIRE(m->outputs().size() == 2);
  CHECK(m->outputs()[0].shape() == TensorShape{None, 2});
  CHECK(m->outputs()[1].shape() == TensorShape{None, 3});
  CHECK(m.count_params() == 4 * 3 + 3 + 3 * 2 + 2);
  // Rewritten in Keras 3's convention: call args count from 0, output_layers from 1.
  const json out = parse(m.to_json());
  CHECK(out["config"]["layers"][2]["inbound_nodes"][0]["args"][0]["config"]["keras_history"] == json::array({"inner", 0, 0}));
  CHECK(out["config"]["output_layers"] == json::parse(R"([["dense_1", 0, 0], ["inner", 1, 0]])"));
  // A reference to the nested model's own node 0 does not exist in this model.
  json bad = parse(text);
  bad["config"]["layers"][2]["inbound_nodes"][0][0][1] = 0;
  CHECK_THAT(config_error([&] { model_from_json(bad.dump()); }),
             Catch::StartsWith("config.layers[2].inbound_nodes[0][0]: node index 0 of layer \"inner\" is out of range"));
}
