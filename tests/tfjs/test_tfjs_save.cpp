// Model::save_tfjs then load_model("dir/model.json"): the same weights and bit-identical predictions
// for one model per layer family (save_cases.cpp), the written model.json in tf.keras 2's layout,
// 4 MiB shards, replacing an earlier save, and what cannot be saved. Each case is also left in
// ${XKERAS_BINARY_DIR}/tfjs_round_trip/<case>/ with xkeras_io.json (inputs and xkeras's outputs), which
// tools/tfjs/round_trip.sh loads in TensorFlow.js.
#include <catch2/catch.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "save_cases.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/json.hpp"
#include "xkeras/layers.hpp"
#include "xkeras/models/sequential.hpp"
#include "xkeras/tape.hpp"

using namespace xkeras;
using namespace tfjs_save;
namespace fs = std::filesystem;

namespace {

const fs::path kOut = fs::path(XKERAS_BINARY_DIR) / "tfjs_round_trip";

json read_json(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return json::parse(s.str());
}

Tensors predict(const Model& m, const Tensors& xs) {
  NoGrad no_grad;
  return (*m)(xs, false);
}

bool bit_equal(const float* a, const float* b, std::size_t n) { return std::memcmp(a, b, 4 * n) == 0; }

json tensor_json(const Tensor& t) {
  json j;
  j["shape"] = t.shape();
  json data = json::array();
  for (std::size_t i = 0; i < t.size(); ++i) data.push_back(double(t.data()[i]));  // exact: float -> double
  j["data"] = std::move(data);
  return j;
}

void write_io(const fs::path& dir, const Tensors& xs, const Tensors& ys) {
  json io;
  io["inputs"] = json::array();
  for (const auto& x : xs) io["inputs"].push_back(tensor_json(x));
  io["outputs"] = json::array();
  for (const auto& y : ys) io["outputs"].push_back(tensor_json(y));
  std::ofstream(dir / "xkeras_io.json") << io.dump() << "\n";
}

// tf.keras 2's layout everywhere in the topology: no Keras 3 keys, dtypes as strings, InputLayers with
// batch_input_shape, nodes as [[layer, node, tensor, kwargs], ...].
void check_keras2_layout(const json& j, const std::string& where) {
  if (j.is_array()) {
    for (const auto& x : j) check_keras2_layout(x, where);
    return;
  }
  if (!j.is_object()) return;
  INFO(where);
  CHECK_FALSE(j.contains("module"));
  CHECK_FALSE(j.contains("registered_name"));
  CHECK_FALSE(j.contains("build_config"));
  CHECK_FALSE(j.contains("batch_shape"));
  if (j.contains("dtype")) CHECK(j["dtype"].is_string());
  if (j.value("class_name", "") == "InputLayer") CHECK(j["config"]["batch_input_shape"].is_array());
  if (j.contains("inbound_nodes")) {
    for (const auto& node : j["inbound_nodes"]) {
      REQUIRE(node.is_array());
      for (const auto& t : node) {
        REQUIRE(t.is_array());
        REQUIRE(t.size() == 4);
        CHECK(t[0].is_string());
        CHECK(t[1].is_number_integer());
        CHECK(t[2].is_number_integer());
        CHECK(t[3].is_object());
      }
    }
  }
  for (const auto& [k, v] : j.items()) check_keras2_layout(v, where + "/" + k);
}

// Saves into root/<case>, reloads and compares; returns the parsed model.json. CTest runs the test cases
// in parallel processes, so each test case writes under its own root (kOut is round_trip.sh's).
json save_and_compare(const SaveCase& c, unsigned seed, const fs::path& root = kOut) {
  clear_session();
  const Model m = c.build();
  seed_weights(m, seed);
  const Tensors xs = seeded_inputs(c.input_shapes, seed + 1000);
  const Tensors ys = predict(m, xs);
  const fs::path dir = root / c.name;
  fs::remove_all(dir);
  fs::create_directories(root);
  m.save_tfjs(dir.string());
  const Model back = load_model((dir / "model.json").string());
  const auto w0 = m.get_weights(), w1 = back.get_weights();
  REQUIRE(w0.size() == w1.size());
  for (std::size_t i = 0; i < w0.size(); ++i) {
    INFO("weight " << i);
    REQUIRE(w0[i].shape() == w1[i].shape());
    CHECK(bit_equal(w0[i].data(), w1[i].data(), w0[i].size()));
  }
  const Tensors again = predict(back, xs);
  REQUIRE(again.size() == ys.size());
  for (std::size_t i = 0; i < ys.size(); ++i) {
    INFO("output " << i);
    REQUIRE(again[i].shape() == ys[i].shape());
    CHECK(bit_equal(again[i].data(), ys[i].data(), ys[i].size()));
  }
  write_io(dir, xs, ys);
  return read_json(dir / "model.json");
}

std::vector<std::string> manifest_names(const json& doc) {
  std::vector<std::string> names;
  for (const auto& e : doc["weightsManifest"][0]["weights"]) names.push_back(e["name"]);
  return names;
}

}  // namespace

TEST_CASE("save_tfjs then load_model gives the same weights and bit-identical predictions", "[tfjs][tfjs_save]") {
  unsigned seed = 1;
  for (const auto& c : save_cases()) {
    INFO("case " << c.name);
    const json doc = save_and_compare(c, seed++);
    CHECK(doc["format"] == "layers-model");
    CHECK(doc["convertedBy"].is_null());
    CHECK(doc["modelTopology"]["backend"] == "tensor_flow.js");
    check_keras2_layout(doc["modelTopology"], c.name);
  }
}

TEST_CASE("the written model.json has tf.keras 2 keys and names the weights layer/weight", "[tfjs][tfjs_save]") {
  const auto& cases = save_cases();
  auto find = [&](const std::string& name) {
    for (std::size_t i = 0; i < cases.size(); ++i)
      if (cases[i].name == name) return save_and_compare(cases[i], unsigned(100 + i), kOut.parent_path() / "tfjs_save_spot_checks");
    FAIL("no case " << name);
    return json();
  };
  const json mlp = find("mlp_dense_bn_dropout");
  const json& seq = mlp["modelTopology"];
  CHECK(seq["class_name"] == "Sequential");
  CHECK(seq["config"]["layers"][0]["class_name"] == "InputLayer");
  CHECK(seq["config"]["layers"][0]["config"]["batch_input_shape"] == json::parse("[null, 8]"));
  CHECK(seq["config"]["layers"][1]["config"]["dtype"] == "float32");
  // model.weights() order, as Keras and tfjs: the trainable weights first, then the moving statistics.
  CHECK(manifest_names(mlp) == std::vector<std::string>{"dense/kernel", "dense/bias", "batch_normalization/gamma",
                                                        "batch_normalization/beta", "dense_1/kernel", "dense_1/bias",
                                                        "batch_normalization/moving_mean",
                                                        "batch_normalization/moving_variance"});
  CHECK(mlp["weightsManifest"][0]["paths"] == json::parse(R"(["group1-shard1of1.bin"])"));

  const json merges = find("merges").at("modelTopology");
  CHECK(merges["class_name"] == "Functional");
  CHECK(merges["config"]["input_layers"] == json::parse(R"([["a", 0, 0], ["b", 0, 0]])"));
  for (const auto& l : merges["config"]["layers"])
    if (l["name"] == "add") CHECK(l["inbound_nodes"] == json::parse(R"([[["dense", 0, 0, {}], ["dense_1", 0, 0, {}]]])"));

  // tf.keras counts a nested model's construction as its node 0: the outer call is node 1.
  const json nested = find("nested_functional").at("modelTopology").at("config");
  for (const auto& l : nested["layers"])
    if (l["name"] == "dense_2") CHECK(l["inbound_nodes"] == json::parse(R"([[["inner_fn", 1, 0, {}]]])"));
  CHECK(nested["output_layers"] == json::parse(R"([["dense_2", 0, 0], ["inner_fn", 1, 0]])"));

  // Keras 3 spellings that tf.keras 2 (and so TensorFlow.js) did not have.
  const json act_layers = find("activation_layers");
  for (const auto& l : act_layers["modelTopology"]["config"]["layers"])
    if (l["class_name"] == "LeakyReLU") {
      CHECK(l["config"]["alpha"] == double(0.2f));
      CHECK_FALSE(l["config"].contains("negative_slope"));
    }
  std::vector<std::string> acts;
  const json activations = find("activations");
  for (const auto& l : activations["modelTopology"]["config"]["layers"])
    if (l["config"].contains("activation")) acts.push_back(l["config"]["activation"]);
  CHECK(acts == std::vector<std::string>{"hard_sigmoid", "gelu", "mish", "selu", "softplus", "softsign", "swish", "relu6",
                                         "sigmoid", "log_softmax"});

  // Reshape's -1 resolved from the known input shape (tfjs 4.22 cannot infer it with a batch of None).
  std::vector<json> targets;
  const json reshapes = find("permute_repeat_reshape");
  for (const auto& l : reshapes["modelTopology"]["config"]["layers"])
    if (l["class_name"] == "Reshape") targets.push_back(l["config"]["target_shape"]);
  CHECK(targets == std::vector<json>{json::parse("[12]"), json::parse("[5, 3]")});

  // Recurrent weights carry the cell's scope, as tf.keras >= 2.2 writes them.
  CHECK(manifest_names(find("recurrent")) ==
        std::vector<std::string>{"lstm/lstm_cell/kernel", "lstm/lstm_cell/recurrent_kernel", "lstm/lstm_cell/bias",
                                 "gru/gru_cell/kernel", "gru/gru_cell/recurrent_kernel", "gru/gru_cell/bias",
                                 "simple_rnn/simple_rnn_cell/kernel", "simple_rnn/simple_rnn_cell/recurrent_kernel",
                                 "simple_rnn/simple_rnn_cell/bias"});

  const json dw = find("depthwise_separable");
  CHECK(manifest_names(dw)[0] == "depthwise_conv2d/depthwise_kernel");
  CHECK(manifest_names(dw)[2] == "separable_conv2d/depthwise_kernel");
  CHECK(manifest_names(dw)[3] == "separable_conv2d/pointwise_kernel");
}

TEST_CASE("weights over 4 MiB are split into 4 MiB shards and read back", "[tfjs][tfjs_save]") {
  const auto& cases = save_cases();
  const SaveCase& c = cases.back();
  REQUIRE(c.name == "sharded");
  // Its own root: the first test case writes every case, "sharded" too, into kOut at the same time.
  const fs::path root = kOut.parent_path() / "tfjs_save_sharded";
  const json doc = save_and_compare(c, 77, root);  // also compares the reloaded weights and outputs
  CHECK(doc["weightsManifest"][0]["paths"] == json::parse(R"(["group1-shard1of2.bin", "group1-shard2of2.bin"])"));
  const std::uintmax_t total = 4u * (1100 * 1000 + 1000 + 1000 * 2 + 2);  // Rescaling has no weights
  CHECK(fs::file_size(root / "sharded" / "group1-shard1of2.bin") == 4194304u);
  CHECK(fs::file_size(root / "sharded" / "group1-shard2of2.bin") == total - 4194304u);
}

TEST_CASE("saving over an existing folder replaces the model and its shards", "[tfjs][tfjs_save]") {
  const fs::path dir = fs::path(XKERAS_BINARY_DIR) / "tests" / "tfjs_scratch" / "replace";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "notes.txt") << "not ours\n";
  clear_session();
  const Model big = Sequential({layers::Input({1100}), layers::Dense(1000)});
  big.save_tfjs(dir.string());
  REQUIRE(fs::exists(dir / "group1-shard2of2.bin"));
  const Model small = Sequential({layers::Input({3}), layers::Dense(2)});
  seed_weights(small, 5);
  small.save_tfjs(dir.string());
  CHECK(read_json(dir / "model.json")["weightsManifest"][0]["paths"] == json::parse(R"(["group1-shard1of1.bin"])"));
  CHECK(fs::file_size(dir / "group1-shard1of1.bin") == 4u * (3 * 2 + 2));
  // The shards only the old model.json named are gone; other files stay.
  CHECK_FALSE(fs::exists(dir / "group1-shard1of2.bin"));
  CHECK_FALSE(fs::exists(dir / "group1-shard2of2.bin"));
  CHECK(fs::exists(dir / "notes.txt"));
  const Model back = load_model((dir / "model.json").string());
  const Tensors xs = seeded_inputs({{2, 3}}, 9);
  CHECK(bit_equal(predict(back, xs)[0].data(), predict(small, xs)[0].data(), 4));
}

TEST_CASE("saving over a model of the same size never overwrites the shards the old model.json reads", "[tfjs][tfjs_save]") {
  // The old model stays whole until the new model.json replaces it in one rename: the new shards take
  // other names while the old ones are in use, and the old ones go only after the switch.
  const fs::path dir = fs::path(XKERAS_BINARY_DIR) / "tests" / "tfjs_scratch" / "same_size";
  fs::remove_all(dir);
  clear_session();
  const Model a = Sequential({layers::Input({3}), layers::Dense(2)});
  seed_weights(a, 1);
  const Model b = Sequential({layers::Input({3}), layers::Dense(2)});
  seed_weights(b, 2);
  auto paths = [&] { return read_json(dir / "model.json")["weightsManifest"][0]["paths"]; };
  a.save_tfjs(dir.string());
  CHECK(paths() == json::parse(R"(["group1-shard1of1.bin"])"));
  b.save_tfjs(dir.string());
  CHECK(paths() == json::parse(R"(["group1-shard1of1-b.bin"])"));
  CHECK_FALSE(fs::exists(dir / "group1-shard1of1.bin"));
  const Tensors xs = seeded_inputs({{2, 3}}, 9);
  CHECK(bit_equal(predict(load_model((dir / "model.json").string()), xs)[0].data(), predict(b, xs)[0].data(), 4));
  a.save_tfjs(dir.string());  // and back
  CHECK(paths() == json::parse(R"(["group1-shard1of1.bin"])"));
  CHECK_FALSE(fs::exists(dir / "group1-shard1of1-b.bin"));
  CHECK(bit_equal(predict(load_model((dir / "model.json").string()), xs)[0].data(), predict(a, xs)[0].data(), 4));
}

TEST_CASE("Keras 3 hard_sigmoid cannot be saved for TensorFlow.js and nothing is written", "[tfjs][tfjs_save]") {
  const fs::path dir = fs::path(XKERAS_BINARY_DIR) / "tests" / "tfjs_scratch" / "hard_sigmoid";
  fs::remove_all(dir);
  clear_session();
  layers::DenseOptions o;
  o.activation = "hard_sigmoid";
  const Model m = Sequential({layers::Input({3}), layers::Dense(2, o)});
  CHECK_THROWS_AS(m.save_tfjs(dir.string()), NotImplementedError);
  CHECK_FALSE(fs::exists(dir));
  // Over an earlier save, the earlier files stay as they were.
  const Model ok = Sequential({layers::Input({3}), layers::Dense(2)});
  ok.save_tfjs(dir.string());
  const std::string before = read_json(dir / "model.json").dump();
  const Model act = Sequential({layers::Input({3}), layers::Activation("hard_sigmoid")});
  try {
    act.save_tfjs(dir.string());
    FAIL("expected NotImplementedError");
  } catch (const NotImplementedError& e) {
    CHECK_THAT(e.what(), Catch::Contains("hard_sigmoid"));
  }
  CHECK(read_json(dir / "model.json").dump() == before);
  CHECK(fs::exists(dir / "group1-shard1of1.bin"));
}

TEST_CASE("save_tfjs into a path that is a file is an IOError", "[tfjs][tfjs_save]") {
  const fs::path dir = fs::path(XKERAS_BINARY_DIR) / "tests" / "tfjs_scratch";
  fs::create_directories(dir);
  std::ofstream(dir / "a_file") << "x";
  clear_session();
  const Model m = Sequential({layers::Input({3}), layers::Dense(2)});
  CHECK_THROWS_AS(m.save_tfjs((dir / "a_file").string()), IOError);
}

TEST_CASE("a Reshape whose input size is unknown keeps its -1 in model.json", "[tfjs][tfjs_save]") {
  const fs::path dir = fs::path(XKERAS_BINARY_DIR) / "tests" / "tfjs_scratch" / "reshape_unknown";
  fs::create_directories(dir.parent_path());
  fs::remove_all(dir);
  clear_session();
  const Model m = Sequential({layers::Input({None, 4}), layers::Reshape({-1, 2})});
  m.save_tfjs(dir.string());
  const json doc = read_json(dir / "model.json");
  CHECK(doc["modelTopology"]["config"]["layers"][1]["config"]["target_shape"] == json::parse("[-1, 2]"));
  const Model back = load_model((dir / "model.json").string());
  const Tensors xs = seeded_inputs({{1, 3, 4}}, 3);
  const Tensor y = predict(back, xs)[0];
  CHECK(y.shape() == Shape{1, 6, 2});
  CHECK(bit_equal(y.data(), xs[0].data(), 12));
}
