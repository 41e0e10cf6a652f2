// Model files that used to escape with the wrong kind of error, or made the loader do unbounded
// work before its first check.
#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <fstream>

#include <xkeras/layers.hpp>
#include <xkeras/xkeras.hpp>

#include "helpers.hpp"

using namespace xkeras;
using namespace sertest;
using Catch::Contains;
using Catch::StartsWith;

namespace {

long peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
}

std::string entry(const std::string& cls, const std::string& name, const std::string& config, const std::string& src) {
  const std::string nodes =
      src.empty() ? "[]"
                  : R"([{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": [")" + src + R"(", 0, 0]}}]}])";
  return R"({"class_name": ")" + cls + R"(", "name": ")" + name + R"(", "config": )" + config +
         R"(, "inbound_nodes": )" + nodes + "}";
}

std::string functional(const std::vector<std::string>& entries, const std::string& out) {
  std::string layers;
  for (const auto& e : entries) layers += (layers.empty() ? "" : ", ") + e;
  return R"({"class_name": "Functional", "config": {"name": "f", "layers": [)" + layers +
         R"(], "input_layers": [["in", 0, 0]], "output_layers": [[")" + out + R"(", 0, 0]]}})";
}

const std::string kInput = entry("InputLayer", "in", R"({"batch_shape": [null, 3], "name": "in"})", "");

}  // namespace

TEST_CASE("a number too large for a double (1e400) is a ConfigError naming the source, not nlohmann's out_of_range") {
  const std::string text = R"({"class_name": "Sequential", "config": {"name": "s", "layers": [], "x": 1e400}})";
  CHECK_THAT(config_error([&] { model_from_json(text); }), StartsWith("(json text): invalid JSON") && Contains("1e400"));
  const std::string path = scratch_dir("huge_number") + "/m.json";
  write_text(path, R"({"format": "xkeras", "format_version": 1e400})");
  CHECK_THAT(config_error([&] { load_model(path); }), StartsWith(path + ": invalid JSON") && Contains("1e400"));
}

TEST_CASE("a functional layer entry without config.name takes the entry's name, so weights never collide") {
  // Before: the layer got an auto-name ("dense" here) equal to another layer's, and loading a saved
  // file failed with a save message ("cannot be saved: two weights have the path ...").
  clear_session();
  const std::string text =
      functional({kInput, entry("Dense", "first", R"({"units": 2})", "in"),
                  entry("Dense", "dense", R"({"name": "dense", "units": 2})", "first")},
                 "dense");
  Model m = model_from_json(text);
  CHECK(m.get_layer("first")->class_name() == "Dense");
  CHECK(m.get_layer("dense")->name() == "dense");
  const std::string path = scratch_dir("nameless") + "/m.json";
  m.save(path);
  CHECK(load_model(path).get_layer("first")->count_params() == 8);
}

TEST_CASE("two layers of one functional model with the same name are a ConfigError with the path") {
  const std::string text =
      functional({kInput, entry("Dense", "a", R"({"name": "same", "units": 2})", "in"),
                  entry("Dense", "b", R"({"name": "same", "units": 2})", "a")},
                 "b");
  CHECK_THAT(config_error([&] { model_from_json(text); }),
             StartsWith("config.layers[2]") && Contains("\"same\"") && Contains("config.layers[1]"));
  // The API refuses it too, as Keras does ("All layer names should be unique").
  auto x = Input({3});
  auto y = layers::Dense(2, {.name = "twin"})(layers::Dense(2, {.name = "twin"})(x));
  CHECK_THROWS_WITH(Model(x, y), Contains("twin") && Contains("unique"));
}

TEST_CASE("a 1 KB file that declares 3 x 1 GiB of Dense weights fails at once, before allocating them") {
  // Before: 25 s and 3 GB of initialized weights, then "missing weight".
  const std::string dense = R"({"module": "keras.layers", "class_name": "Dense", "config": {"units": 16384}})";
  const std::string text = R"({"format": "xkeras", "format_version": 1, "model": {"class_name": "Sequential",
      "config": {"name": "big", "layers": [{"class_name": "InputLayer", "config": {"batch_shape": [null, 16384]}}, )" +
                           dense + ", " + dense + ", " + dense + R"(]}}, "weights": []})";
  REQUIRE(text.size() < 1024);
  const std::string path = scratch_dir("bomb") + "/m.json";
  write_text(path, text);
  const long before = peak_rss_mib();
  const std::string e = config_error([&] { load_model(path); });
  CHECK_THAT(e, StartsWith("model.config.layers[1]") && Contains("268435456") && Contains("weights in all"));
  CHECK(peak_rss_mib() - before < 256);
}

TEST_CASE("a saved model's weights are not initialized before the file's values replace them") {
  // Loading must give the file's values whatever the initializer would have drawn; the budget is
  // exactly what the file holds.
  const std::string path = scratch_dir("exact_budget") + "/m.json";
  Sequential m({layers::Input({4}), layers::Dense(3, "relu"), layers::BatchNormalization(), layers::Dense(2)});
  randomize_weights(m, 9);
  m.save(path);
  Model again = load_model(path);
  const auto a = m.get_weights(), b = again.get_weights();
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK((a[i] == b[i]));
}

TEST_CASE("Lambdas on large samples are traced once at batch 1, within a bound on the whole load") {
  // 2^24 values per sample: one trace of one sample each, not two traces of 2 and 3 samples.
  const std::string lambda = R"({"class_name": "Lambda", "config": {"function": "square"}})";
  auto model_with = [&](int count) {
    std::string layers = R"({"class_name": "InputLayer", "config": {"batch_shape": [null, 4096, 4096]}})";
    for (int i = 0; i < count; ++i) layers += ", " + lambda;
    return R"({"class_name": "Sequential", "config": {"name": "s", "layers": [)" + layers + "]}}";
  };
  const long before = peak_rss_mib();
  Model m = model_from_json(model_with(2));
  CHECK(m->outputs()[0].shape() == TensorShape{None, 4096, 4096});
  CHECK(peak_rss_mib() - before < 400);  // one sample in and out is 128 MiB; two traces at 2+3 were 640+
  // A fixed batch stays fixed.
  const std::string fixed = R"({"class_name": "Sequential", "config": {"name": "s", "layers": [
      {"class_name": "InputLayer", "config": {"batch_shape": [1, 4096, 4096]}}, )" + lambda + "]}}";
  CHECK(model_from_json(fixed)->outputs()[0].shape() == TensorShape{1, 4096, 4096});
  // Twenty of them would trace 20 x 2^24 values: past the load's budget of 2^28, a ConfigError.
  const std::string e = config_error([&] { model_from_json(model_with(20)); });
  CHECK_THAT(e, StartsWith("config.layers[") && Contains("Lambda") && Contains("2^28"));
}
