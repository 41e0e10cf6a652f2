// Hostile or broken model JSON: every problem is a ConfigError whose message starts with the
// JSON path of the problem; nothing crashes, recurses without bound or reads out of range.
#include "helpers.hpp"
#include "reference_json.hpp"

using namespace xkeras;
using namespace sertest;

namespace {

json add_model_json() { return parse(reference_json::kKeras3FunctionalAdd); }

std::string load_error(const json& j) {
  return config_error([&] { model_from_json(j.dump()); });
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// keras_history of input `i` of the Add call (layer 3)
json& add_history(json& j, int i) { return j["config"]["layers"][3]["inbound_nodes"][0]["args"][0][i]["config"]["keras_history"]; }

}  // namespace

TEST_CASE("truncated JSON") {
  const std::string text = reference_json::kKeras3FunctionalAdd;
  const std::string e = config_error([&] { model_from_json(text.substr(0, text.size() / 2)); });
  CHECK_THAT(e, Catch::Contains("invalid JSON"));
  CHECK(config_error([] { model_from_json(""); }).find("invalid JSON") != std::string::npos);
}

TEST_CASE("the top level must be a model object") {
  CHECK(starts_with(config_error([] { model_from_json("[1, 2]"); }), "(top level): expected a model object"));
  CHECK(starts_with(config_error([] { model_from_json(R"({"config": {}})"); }), "class_name: missing required key"));
  CHECK(starts_with(config_error([] { model_from_json(R"({"class_name": "Dense", "config": {"units": 2}})"); }),
                    "class_name: expected a model"));
  CHECK(starts_with(config_error([] { model_from_json(R"({"class_name": "Foo", "config": {}})"); }),
                    "class_name: unknown model class \"Foo\""));
}

TEST_CASE("wrong types name their path") {
  json j = add_model_json();
  j["config"]["layers"] = "dense";
  CHECK(starts_with(load_error(j), "config.layers: expected a list of layers, got \"dense\""));
  j = add_model_json();
  j["config"]["layers"][1]["inbound_nodes"] = 3;
  CHECK(starts_with(load_error(j), "config.layers[1].inbound_nodes: expected a list of nodes"));
  j = add_model_json();
  j["config"]["layers"][2] = 17;
  CHECK(starts_with(load_error(j), "config.layers[2]: expected a layer object, got 17"));
  j = add_model_json();
  add_history(j, 0)[1] = "zero";
  CHECK(starts_with(load_error(j), "config.layers[3].inbound_nodes[0].args[0][0].config.keras_history[1]: expected an integer"));
  j = add_model_json();
  j["config"]["layers"][1]["config"]["use_bias"] = "yes";
  CHECK(starts_with(load_error(j), "config.layers[1].config.use_bias: expected true or false"));
}

TEST_CASE("unknown layer class") {
  json j = add_model_json();
  j["config"]["layers"][2]["class_name"] = "Foo";
  CHECK(starts_with(load_error(j), "config.layers[2].class_name: unknown layer class \"Foo\""));
}

TEST_CASE("negative units") {
  json j = add_model_json();
  j["config"]["layers"][1]["config"]["units"] = -4;
  CHECK(starts_with(load_error(j), "config.layers[1].config.units: expected a positive integer, got -4"));
}

TEST_CASE("missing keys") {
  json j = add_model_json();
  j["config"]["layers"][1].erase("inbound_nodes");
  CHECK(starts_with(load_error(j), "config.layers[1].inbound_nodes: missing required key"));
  j = add_model_json();
  j["config"]["layers"][1].erase("config");
  CHECK(starts_with(load_error(j), "config.layers[1].config: missing required key"));
  j = add_model_json();
  j["config"].erase("output_layers");
  CHECK(starts_with(load_error(j), "config.output_layers: missing required key"));
}

TEST_CASE("references to unknown layers, nodes or tensors") {
  json j = add_model_json();
  add_history(j, 1)[0] = "nope";
  CHECK(starts_with(load_error(j), "config.layers[3].inbound_nodes[0].args[0][1].config.keras_history[0]: reference to unknown layer \"nope\""));
  j = add_model_json();
  add_history(j, 0)[1] = 5;
  CHECK_THAT(load_error(j), Catch::StartsWith("config.layers[3].inbound_nodes[0].args[0][0].config.keras_history: node index 5 of layer \"dense\" is out of range"));
  j = add_model_json();
  add_history(j, 0)[2] = 3;
  CHECK_THAT(load_error(j), Catch::StartsWith("config.layers[3].inbound_nodes[0].args[0][0].config.keras_history: tensor index 3 is out of range"));
  j = add_model_json();
  j["config"]["output_layers"] = {"add", 1, 0};
  CHECK_THAT(load_error(j), Catch::StartsWith("config.output_layers[1]: node index 1 of layer \"add\" is out of range"));
  j = add_model_json();
  j["config"]["input_layers"] = {"dense", 0, 0};
  CHECK_THAT(load_error(j), Catch::StartsWith("config.input_layers: expected an InputLayer, got layer \"dense\" (Dense)"));
}

TEST_CASE("duplicate layer names") {
  json j = add_model_json();
  j["config"]["layers"][2]["name"] = "dense";
  j["config"]["layers"][2]["config"]["name"] = "dense";
  CHECK(starts_with(load_error(j), "config.layers[2].name: duplicate layer name \"dense\" (also config.layers[1])"));
}

TEST_CASE("a graph that can never be computed (a cycle)") {
  json j = add_model_json();
  // dense reads add, which reads dense
  j["config"]["layers"][1]["inbound_nodes"][0]["args"][0]["config"]["keras_history"] = {"add", 0, 0};
  CHECK_THAT(load_error(j), Catch::Contains("can never run (the graph has a cycle)"));
  j = add_model_json();  // a layer reading its own output
  add_history(j, 0) = {"add", 0, 0};
  CHECK_THAT(load_error(j), Catch::StartsWith("config.layers[3].inbound_nodes[0].args[0][0].config.keras_history: this call of layer \"add\""));
}

TEST_CASE("a layer call that fails names the node") {
  json j = add_model_json();
  j["config"]["layers"][2]["config"]["units"] = 5;  // Add of (None, 3) and (None, 5)
  CHECK_THAT(load_error(j), Catch::StartsWith("config.layers[3].inbound_nodes[0]: calling layer \"add\" failed"));
}

TEST_CASE("tf.keras node lists are checked too") {
  json j = parse(reference_json::kTfKerasFunctionalAdd);
  j["config"]["layers"][3]["inbound_nodes"][0][1] = {"dense_1", 0};
  CHECK_THAT(load_error(j), Catch::StartsWith("config.layers[3].inbound_nodes[0][1]: expected [layer_name, node_index, tensor_index, kwargs]"));
  j = parse(reference_json::kTfKerasFunctionalAdd);
  j["config"]["layers"][3]["inbound_nodes"][0][1][1] = 2;
  CHECK_THAT(load_error(j), Catch::StartsWith("config.layers[3].inbound_nodes[0][1]: node index 2 of layer \"dense_1\" is out of range"));
}

TEST_CASE("deep nesting is refused before it can exhaust the stack") {
  const std::string brackets(100000, '[');
  CHECK_THAT(config_error([&] { model_from_json(brackets); }), Catch::Contains("nested deeper than 512 levels"));
  // Models inside models, 40 deep (each level is a valid Sequential).
  json inner = {{"class_name", "Dense"}, {"config", {{"units", 2}}}};
  for (int i = 0; i < 40; ++i)
    inner = {{"class_name", "Sequential"}, {"config", {{"name", "s" + std::to_string(i)}, {"layers", json::array({inner})}}}};
  const std::string e = config_error([&] { model_from_json(inner.dump()); });
  CHECK_THAT(e, Catch::StartsWith("config.layers[0].config.layers[0].config"));
  CHECK_THAT(e, Catch::Contains("models nested deeper than 32 levels"));
}

TEST_CASE("an InputLayer with inbound nodes, or a keyword tensor the layer does not take") {
  json j = add_model_json();
  j["config"]["layers"][0]["inbound_nodes"] = j["config"]["layers"][1]["inbound_nodes"];
  CHECK(starts_with(load_error(j), "config.layers[0].inbound_nodes: an InputLayer has no inbound nodes"));
  j = add_model_json();
  j["config"]["layers"][1]["inbound_nodes"][0]["kwargs"] = {{"initial_state", j["config"]["layers"][1]["inbound_nodes"][0]["args"][0]}};
  CHECK(starts_with(load_error(j), "config.layers[1].inbound_nodes[0]: calling layer"));
  CHECK_THAT(load_error(j), Catch::Contains("does not take the keyword tensor argument \"initial_state\""));
  // A keyword tensor that names no layer of the model is refused at its path.
  j["config"]["layers"][1]["inbound_nodes"][0]["kwargs"]["initial_state"]["config"]["keras_history"][0] = "ghost";
  CHECK(starts_with(load_error(j), "config.layers[1].inbound_nodes[0].kwargs.initial_state.config.keras_history[0]: reference to unknown layer \"ghost\""));
}
