// xkeras-convert between xkeras JSON and TensorFlow.js: every conversion reloads in xkeras and predicts
// bit for bit what the original model predicts (both formats store float32), --to overrides the name,
// the compile config goes along unless --no-compile.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <xkeras/optimizers.hpp>

#include "cli_helpers.hpp"

using namespace clitest;
namespace fs = std::filesystem;

namespace {

void check_same_predictions(const Model& original, const std::string& path, const Tensor& x) {
  const Model again = load_model(path);
  CHECK(again.count_params() == original.count_params());
  CHECK(bit_equal(again.predict(x), original.predict(x)));
}

}  // namespace

TEST_CASE("xkeras JSON to TensorFlow.js and back predicts bit for bit the same") {
  for (int which = 0; which < 2; ++which) {
    const Model m = which == 0 ? dense_model() : conv_model();
    const Tensor x = which == 0 ? input_for({3, 4}, 5) : input_for({2, 6, 6, 2}, 6);
    const std::string dir = scratch("json_tfjs_" + std::to_string(which));
    m.save(dir + "/m.json");

    Run r = convert({dir + "/m.json", dir + "/web/model.json"});
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    CHECK(r.output.find("TensorFlow.js layers model, " + std::to_string(m.count_params()) + " parameters") != std::string::npos);
    CHECK(fs::exists(dir + "/web/group1-shard1of1.bin"));
    check_same_predictions(m, dir + "/web/model.json", x);

    // Back from the folder (IN may be the folder itself) to xkeras JSON.
    r = convert({dir + "/web", dir + "/back.json"});
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    check_same_predictions(m, dir + "/back.json", x);
  }
}

TEST_CASE("the to option writes the format it names whatever the output name says") {
  const Model m = dense_model();
  const Tensor x = input_for({3, 4}, 7);
  const std::string dir = scratch("to");
  m.save(dir + "/m.json");

  // xkeras JSON under a .keras name: load_model reads the type from the first bytes, so it opens.
  Run r = convert({"--to", "xkeras", dir + "/m.json", dir + "/named.keras"});
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(slurp(dir + "/named.keras").rfind("{\"format\":\"xkeras\"", 0) == 0);
  check_same_predictions(m, dir + "/named.keras", x);

  // A folder name without a slash that does not exist yet.
  r = convert({dir + "/m.json", dir + "/webdir", "--to", "tfjs"});
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  check_same_predictions(m, dir + "/webdir/model.json", x);

  // An existing folder is a TensorFlow.js output without --to.
  fs::create_directories(dir + "/existing");
  r = convert({dir + "/m.json", dir + "/existing"});
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  check_same_predictions(m, dir + "/existing/model.json", x);

  // No temporary file is left beside the outputs.
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"existing", "m.json", "named.keras", "webdir"});
}

TEST_CASE("a compiled model keeps its compile config and optimizer state unless --no-compile") {
  const Model m = dense_model();
  m.compile(optimizers::Adam(0.01f), "mse");
  m.train_on_batch(input_for({3, 4}, 8), input_for({3, 3}, 9));
  const std::string dir = scratch("compile");
  m.save(dir + "/m.json");

  Run r = convert({dir + "/m.json", dir + "/kept.json"});
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const auto kept = nlohmann::json::parse(slurp(dir + "/kept.json"));
  CHECK(kept["model"]["compile_config"]["optimizer"]["class_name"] == "Adam");
  CHECK(kept["optimizer_state"]["iterations"] == 1);
  // The optimizer state is carried over exactly.
  const auto orig = nlohmann::json::parse(slurp(dir + "/m.json"));
  CHECK(kept["optimizer_state"] == orig["optimizer_state"]);

  r = convert({"--no-compile", dir + "/m.json", dir + "/plain.json"});
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const auto plain = nlohmann::json::parse(slurp(dir + "/plain.json"));
  CHECK_FALSE(plain["model"].contains("compile_config"));
  CHECK_FALSE(plain.contains("optimizer_state"));
  CHECK(plain["weights"] == orig["weights"]);
}
