// Model::save / load_model: bit-exact weights, size on disk, atomic replacement, and every kind
// of broken file rejected with the JSON path of the problem.
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "helpers.hpp"
#include "xkeras/layers/dense.hpp"
#include "xkeras/layers/input_layer.hpp"
#include "xkeras/layers/lambda.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/layers/merging.hpp"
#include "xkeras/models/sequential.hpp"

using namespace xkeras;
using namespace sertest;
namespace fs = std::filesystem;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// input (5) -> Dense(4, relu) -> TestScale -> Dense(2): trainable and non-trainable weights.
Model small_model() {
  clear_session();
  auto x = Input({5});
  auto h = (*TestScale())(layers::Dense(4, "relu")(x));
  Model m(x, layers::Dense(2)(h), "small");
  randomize_weights(m, 11);
  return m;
}

Tensor batch() {
  return Tensor::from({3, 5}, {0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 1, 2, 3, 4, 5, -1e-3f, 7.5f, -2.25f, 0.f, 3.14159f});
}

// Saves the small model and returns the parsed file, for tests that then break it.
json saved_small_model(const std::string& path) {
  small_model().save(path);
  return parse(slurp(path));
}

std::string load_error(const std::string& path, const json& doc) {
  write(path, doc.dump());
  return config_error([&] { load_model(path); });
}

}  // namespace

TEST_CASE("save then load gives bit-identical predictions and weights") {
  const std::string dir = scratch_dir("bit_exact");
  const Model m = small_model();
  // Values whose bits a decimal round trip would be likely to disturb.
  m.get_layer("dense")->own_variables()[1]->value.mutable_value() = Array{1.0f / 3.0f, -0.0f, 1e-38f, 3.4e38f};
  m.save(dir + "/m.json");
  const Model again = load_model(dir + "/m.json");
  CHECK(again.name() == "small");
  const auto w1 = m.get_weights(), w2 = again.get_weights();
  REQUIRE(w1.size() == w2.size());
  for (std::size_t i = 0; i < w1.size(); ++i) {
    REQUIRE(w1[i].shape() == w2[i].shape());
    CHECK(std::memcmp(w1[i].data(), w2[i].data(), 4 * w1[i].size()) == 0);
  }
  CHECK(bit_equal(run(m, batch()), run(again, batch())));
}

TEST_CASE("the file layout: format, model object, weights by path in weights() order") {
  const std::string dir = scratch_dir("layout");
  const json doc = saved_small_model(dir + "/m.json");
  CHECK(doc["format"] == "xkeras");
  CHECK(doc["format_version"] == 1);
  CHECK(doc["model"]["class_name"] == "Functional");
  std::vector<std::string> paths;
  for (const auto& w : doc["weights"]) {
    paths.push_back(w["path"]);
    CHECK(w["dtype"] == "float32");
  }
  // trainable first, then the non-trainable shift (Keras's weights order)
  CHECK(paths == std::vector<std::string>{"dense/kernel", "dense/bias", "test_scale/gamma", "dense_1/kernel",
                                          "dense_1/bias", "test_scale/shift"});
  CHECK(doc["weights"][0]["shape"] == json::array({5, 4}));
}

TEST_CASE("nested models save their weights under the sub-model's name") {
  const std::string dir = scratch_dir("nested");
  clear_session();
  Sequential encoder({layers::Input({6}), layers::Dense(3, "relu")}, "encoder");
  Sequential decoder({layers::Input({3}), layers::Dense(6, "sigmoid")}, "decoder");
  auto x = Input({6});
  Model ae(x, decoder(encoder(x)), "autoencoder");
  randomize_weights(ae, 5);
  ae.save(dir + "/ae.json");
  const json doc = parse(slurp(dir + "/ae.json"));
  std::vector<std::string> paths;
  for (const auto& w : doc["weights"]) paths.push_back(w["path"]);
  CHECK(paths == std::vector<std::string>{"encoder/dense/kernel", "encoder/dense/bias", "decoder/dense_1/kernel",
                                          "decoder/dense_1/bias"});
  const Model again = load_model(dir + "/ae.json");
  const Tensor in = Tensor::from({1, 6}, {1, 2, 3, 4, 5, 6});
  CHECK(bit_equal(run(ae, in), run(again, in)));
}

TEST_CASE("the file takes at most 6 bytes per parameter") {
  const std::string dir = scratch_dir("size");
  clear_session();
  Sequential m({layers::Input({784}), layers::Dense(64, "relu"), layers::Dense(784, "sigmoid")});
  m.save(dir + "/m.json");
  const auto bytes = fs::file_size(dir + "/m.json");
  INFO(bytes << " bytes for " << m.count_params() << " parameters");
  CHECK(static_cast<double>(bytes) <= 6.0 * static_cast<double>(m.count_params()));
}

TEST_CASE("a failing save leaves the old file intact and no temporary file") {
  const std::string dir = scratch_dir("atomic");
  const std::string path = dir + "/m.json";
  small_model().save(path);
  const std::string before = slurp(path);
  // A model with a layer that cannot describe itself.
  auto x = Input({5});
  Model bad(x, (*std::make_shared<TestOpaqueImpl>())(x));
  CHECK_THROWS_AS(bad.save(path), ValueError);
  CHECK(slurp(path) == before);
  // The same with a Lambda made from an unnamed closure (trains, but cannot be saved).
  auto y = layers::Lambda([](const Tensor& t) { return ops::scale(t, 2.0f); })(x);
  CHECK_THROWS(Model(x, y).save(path));
  CHECK(slurp(path) == before);
  CHECK(files_in(dir) == std::vector<std::string>{"m.json"});
  // The target is a directory: the rename fails after the temporary file was written.
  fs::create_directory(dir + "/taken");
  CHECK_THROWS_AS(small_model().save(dir + "/taken"), IOError);
  CHECK(fs::is_directory(dir + "/taken"));
  CHECK(files_in(dir) == std::vector<std::string>{"m.json", "taken"});
  // A missing directory.
  CHECK_THROWS_AS(small_model().save(dir + "/no/such/dir/m.json"), IOError);
  // Saving over an existing file replaces it.
  clear_session();
  Sequential other({layers::Input({2}), layers::Dense(1)}, "other");
  other.save(path);
  CHECK(load_model(path).name() == "other");
}

TEST_CASE("load_model: files that cannot be read") {
  const std::string dir = scratch_dir("io");
  CHECK_THROWS_AS(load_model(dir + "/missing.json"), IOError);
  CHECK_THROWS_AS(load_model(dir), IOError);  // a directory
  const std::string path = dir + "/m.json";
  const std::string good = (small_model().save(path), slurp(path));
  write(path, good.substr(0, good.size() - 100));
  CHECK_THAT(config_error([&] { load_model(path); }), Catch::StartsWith(path + ": invalid JSON"));
}

TEST_CASE("load_model: bad format markers") {
  const std::string dir = scratch_dir("format");
  const std::string path = dir + "/m.json";
  json doc = saved_small_model(path);
  doc["format"] = "keras";
  CHECK_THAT(load_error(path, doc), Catch::StartsWith("format: expected \"xkeras\""));
  doc = saved_small_model(path);
  doc["format_version"] = 2;
  CHECK_THAT(load_error(path, doc), Catch::StartsWith("format_version: ") && Catch::Contains("newer xkeras"));
  doc = saved_small_model(path);
  doc.erase("weights");
  CHECK_THAT(load_error(path, doc), Catch::StartsWith("weights: missing required key"));
  doc = saved_small_model(path);
  doc["model"]["config"]["layers"][1]["config"]["units"] = -4;
  CHECK_THAT(load_error(path, doc), Catch::StartsWith("model.config.layers[1].config.units: expected a positive integer, got -4"));
}

TEST_CASE("load_model: broken weights") {
  const std::string dir = scratch_dir("weights");
  const std::string path = dir + "/m.json";
  json doc = saved_small_model(path);
  std::string data = doc["weights"][1]["data"];
  data[5] = '*';
  doc["weights"][1]["data"] = data;
  CHECK_THAT(load_error(path, doc), Catch::StartsWith("weights[1].data: invalid base64 character '*' at offset 5"));

  doc = saved_small_model(path);
  doc["weights"][0]["data"] = doc["weights"][0]["data"].get<std::string>().substr(4);
  CHECK_THAT(load_error(path, doc), Catch::StartsWith("weights[0].data: expected 108 base64 characters (80 bytes"));

  doc = saved_small_model(path);
  doc["weights"][0]["shape"] = {4, 5};
  CHECK_THAT(load_error(path, doc), Catch::StartsWith("weights[0].shape: weight \"dense/kernel\" has shape (5, 4) in the model, but the file gives (4, 5)"));

  doc = saved_small_model(path);
  doc["weights"][0]["shape"] = {5, -4};
  CHECK_THAT(load_error(path, doc), Catch::StartsWith("weights[0].shape[1]: expected an integer"));

  doc = saved_small_model(path);
  doc["weights"].erase(5);
  CHECK_THAT(load_error(path, doc), Catch::StartsWith("weights: missing weight \"test_scale/shift\" (shape (4,))"));

  doc = saved_small_model(path);
  doc["weights"].push_back(doc["weights"][0]);
  CHECK_THAT(load_error(path, doc), Catch::StartsWith("weights[6].path: weight \"dense/kernel\" is given twice (also weights[0])"));

  doc = saved_small_model(path);
  doc["weights"][2]["path"] = "nope/gamma";
  CHECK_THAT(load_error(path, doc), Catch::StartsWith("weights[2].path: the model has no weight \"nope/gamma\""));

  doc = saved_small_model(path);
  doc["weights"][2]["dtype"] = "float16";
  CHECK_THAT(load_error(path, doc), Catch::StartsWith("weights[2].dtype: expected \"float32\""));

  doc = saved_small_model(path);
  doc["weights"][3]["data"] = 12;
  CHECK_THAT(load_error(path, doc), Catch::StartsWith("weights[3].data: expected a string"));
}

TEST_CASE("a compiled model saves its compile_config and optimizer state, and training resumes exactly") {
  const std::string dir = scratch_dir("compiled");
  const Model m = small_model();
  m.compile(optimizers::Adam(0.01f), "mse", {"mae"});
  const Tensor x = batch();
  const Tensor y = Tensor::from({3, 2}, {1, 0, 0, 1, 0.5f, 0.5f});
  m.train_on_batch(x, y);
  m.train_on_batch(x, y);
  m.save(dir + "/m.json");
  const json doc = parse(slurp(dir + "/m.json"));
  REQUIRE(doc["model"].contains("compile_config"));
  CHECK(doc["model"]["compile_config"]["optimizer"]["class_name"] == "Adam");
  CHECK(doc["model"]["compile_config"]["loss"] == "mse");
  CHECK(doc["model"]["compile_config"]["metrics"] == json::array({"mae"}));
  REQUIRE(doc.contains("optimizer_state"));
  CHECK(doc["optimizer_state"]["iterations"] == 2);

  const Model again = load_model(dir + "/m.json");
  REQUIRE(again->compiled() != nullptr);
  // One more step on each: identical Adam moments and iteration count give identical weights.
  m.train_on_batch(x, y);
  again.train_on_batch(x, y);
  const auto w1 = m.get_weights(), w2 = again.get_weights();
  REQUIRE(w1.size() == w2.size());
  for (std::size_t i = 0; i < w1.size(); ++i) CHECK(std::memcmp(w1[i].data(), w2[i].data(), 4 * w1[i].size()) == 0);
}
