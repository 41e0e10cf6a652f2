// xkeras-convert with Keras's own files: .keras, legacy .h5, .weights.h5 and an architecture JSON
// plus weights. Every conversion reloads in xkeras and predicts bit for bit what the original does
// (all these formats store float32).
#include <catch2/catch.hpp>

#include "cli_helpers.hpp"

using namespace clitest;

namespace {

void convert_ok(const std::vector<std::string>& args) {
  const Run r = convert(args);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
}

void check_same_predictions(const Model& original, const std::string& path, const Tensor& x) {
  INFO(path);
  const Model again = load_model(path);
  CHECK(again.count_params() == original.count_params());
  CHECK(bit_equal(again.predict(x), original.predict(x)));
}

}  // namespace

TEST_CASE("xkeras JSON through .keras and .h5 and TensorFlow.js and back predicts the same") {
  for (int which = 0; which < 2; ++which) {
    const Model m = which == 0 ? dense_model() : conv_model();
    const Tensor x = which == 0 ? input_for({3, 4}, 15) : input_for({2, 6, 6, 2}, 16);
    const std::string dir = scratch("keras_chain_" + std::to_string(which));
    m.save(dir + "/m.json");
    convert_ok({dir + "/m.json", dir + "/m.keras"});
    check_same_predictions(m, dir + "/m.keras", x);
    convert_ok({dir + "/m.keras", dir + "/m.h5"});
    check_same_predictions(m, dir + "/m.h5", x);
    convert_ok({dir + "/m.h5", dir + "/web/model.json"});
    check_same_predictions(m, dir + "/web/model.json", x);
    convert_ok({dir + "/web", dir + "/again.keras"});
    check_same_predictions(m, dir + "/again.keras", x);
    convert_ok({dir + "/again.keras", dir + "/back.json"});
    check_same_predictions(m, dir + "/back.json", x);
  }
}

TEST_CASE("an architecture JSON plus a weights file builds the model and loads the weights") {
  const Model m = conv_model();
  const Tensor x = input_for({2, 6, 6, 2}, 17);
  const std::string dir = scratch("arch_weights");
  write_text(dir + "/arch.json", m.to_json());
  m.save_weights(dir + "/m.weights.h5");
  m.save(dir + "/m.h5");

  // Keras 3's weights file, by position.
  convert_ok({dir + "/arch.json", dir + "/out.keras", "--weights", dir + "/m.weights.h5"});
  check_same_predictions(m, dir + "/out.keras", x);
  // A legacy full-model .h5 as the weights, by layer name.
  convert_ok({dir + "/arch.json", dir + "/by_name.json", "-w", dir + "/m.h5", "--by-name"});
  check_same_predictions(m, dir + "/by_name.json", x);
  // A .keras archive as the weights.
  convert_ok({dir + "/arch.json", dir + "/from_archive.json", "--weights", dir + "/out.keras"});
  check_same_predictions(m, dir + "/from_archive.json", x);

  // Weights only as output: the same values as the library's save_weights writes, read back.
  convert_ok({dir + "/out.keras", dir + "/again.weights.h5"});
  const Model fresh = conv_model();
  seed_weights(fresh, 99);
  fresh.load_weights(dir + "/again.weights.h5");
  CHECK(bit_equal(fresh.predict(x), m.predict(x)));
}

TEST_CASE("the to option writes Keras files under any name") {
  const Model m = dense_model();
  const Tensor x = input_for({3, 4}, 18);
  const std::string dir = scratch("to_keras");
  m.save(dir + "/m.json");
  convert_ok({"--to", "h5", dir + "/m.json", dir + "/model.bin"});
  CHECK(slurp(dir + "/model.bin").rfind("\x89HDF\r\n\x1a\n", 0) == 0);
  check_same_predictions(m, dir + "/model.bin", x);
  convert_ok({"--to", "keras", dir + "/m.json", dir + "/model.zip"});
  CHECK(slurp(dir + "/model.zip").rfind("PK\x03\x04", 0) == 0);
  check_same_predictions(m, dir + "/model.zip", x);
  // Weights only, under a legacy-looking name: load_weights reads the Keras 3 layout whatever the name.
  convert_ok({"--to", "weights", dir + "/m.json", dir + "/w.h5"});
  const Model fresh = dense_model();
  seed_weights(fresh, 77);
  fresh.load_weights(dir + "/w.h5");
  CHECK(bit_equal(fresh.predict(x), m.predict(x)));
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"m.json", "model.bin", "model.zip", "w.h5"});
}

TEST_CASE("summary option reads .keras and .h5 files") {
  const Model m = dense_model();
  const std::string dir = scratch("summary_keras");
  m.save(dir + "/m.keras");
  m.save(dir + "/m.h5");
  for (const char* name : {"/m.keras", "/m.h5"}) {
    const Run r = convert({"--summary", dir + name});
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    CHECK(r.output.find(" Total params: 43 (172.00 B)") != std::string::npos);
  }
}

TEST_CASE("a weights file that does not fit the architecture exits with code 1 and names it") {
  const std::string dir = scratch("weights_mismatch");
  write_text(dir + "/arch.json", dense_model().to_json());
  conv_model().save_weights(dir + "/other.weights.h5");
  const Run r = convert({dir + "/arch.json", dir + "/o.json", "--weights", dir + "/other.weights.h5"});
  CHECK(r.exit_code == 1);
  CHECK(r.output.find(dir + "/other.weights.h5") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir + "/o.json"));

  // With --skip-mismatch the layers that do not fit keep their weights and the model is written.
  const Run skipped = convert({dir + "/arch.json", dir + "/o.json", "--weights", dir + "/other.weights.h5", "--skip-mismatch"});
  INFO(skipped.output);
  CHECK(skipped.exit_code == 0);
  CHECK(std::filesystem::exists(dir + "/o.json"));
}
