// The seed examples run and report what their seeds ask for.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>

#include "examples/run_example.hpp"

using xkeras::testing::number_after;
using xkeras::testing::run_example;

TEST_CASE("unit_norm_output example (seed 000): norm 1 within 1e-5 for inputs of scale 1 and 1e-4") {
  auto r = run_example("unit_norm_output", "");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(number_after(r.output, "inputs scaled by 1: max |norm - 1| = ") <= 1e-5);
  CHECK(number_after(r.output, "inputs scaled by 0.0001: max |norm - 1| = ") <= 1e-5);
  // The seed's failure mode is shown, and the Keras >= 3.6 UnitNormalization fixes it.
  CHECK(number_after(r.output, "l2_normalize max |norm - 1| = ") > 0.5);
  CHECK(number_after(r.output, "UnitNormalization max |norm - 1| = ") <= 1e-5);
}

TEST_CASE("weighted_fusion example (seed 002): three models train, save, load and predict identically") {
  const std::string out = "weighted_fusion_out";
  std::filesystem::create_directories(out);
  auto r = run_example("weighted_fusion", "--epochs 5 --features 32 --out " + out);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  std::size_t identical = 0;
  for (auto pos = r.output.find("identical"); pos != std::string::npos; pos = r.output.find("identical", pos + 1)) ++identical;
  CHECK(identical == 3);
  for (const char* f : {"lambda_add_fusion.json", "antirectifier.json", "trainable_multiply_fusion.json"})
    CHECK(std::filesystem::exists(out + "/" + f));
  std::filesystem::remove_all(out);
}

TEST_CASE("layer_norm example (seed 001): the docstring values and weight shapes") {
  auto r = run_example("layer_norm", "");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(r.output.find("[-0.99998, 0.99998]") != std::string::npos);
  CHECK(r.output.find("gamma shape (20, 30, 40)") != std::string::npos);
  CHECK(r.output.find("beta shape (20, 30, 40)") != std::string::npos);
}

TEST_CASE("conv_conv_pool example (seed 003): both endings fit 3 epochs, the classifier learns on a subset") {
  const std::string out = "conv_conv_pool_out";
  std::filesystem::remove_all(out);
  std::filesystem::create_directories(out);
  auto r = run_example("conv_conv_pool", "--limit 3000 --epochs 2 --verbose 2 --out " + out);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  // ModelCheckpoint kept the best epoch by val_accuracy; the first epoch always improves on -inf.
  CHECK(r.output.find("Epoch 1: val_accuracy improved from -inf to ") != std::string::npos);
  CHECK(std::filesystem::exists(out + "/fashion_cnn_best.keras"));
  CHECK(r.output.find("Training images: 2700 (and 300 validating)") != std::string::npos);
  std::filesystem::remove_all(out);
  for (const std::string m : {"seed003_flatten_dense", "seed003_global_max_pool"}) {
    const double first = number_after(r.output, m + ": loss ");
    const auto arrow = r.output.find(" -> ", r.output.find(m + ": loss "));
    REQUIRE(arrow != std::string::npos);
    const double after = std::stod(r.output.substr(arrow + 4));
    INFO(m << ": " << first << " -> " << after);
    CHECK(std::isfinite(first));
    CHECK(std::isfinite(after));
    CHECK(after < first);  // the seed's fit on random targets still reduces its training loss
  }
  // 10 classes: chance is 10%. Two epochs on 3000 images (48 steps) reach about 85% training accuracy
  // (the log's last epoch line). The test accuracy after so few steps is near chance, as in Keras:
  // BatchNormalization's moving statistics (momentum 0.99) still hold 62% of their initial 0 and 1.
  // The full run (README) reaches >= 88% on the test set.
  const auto last_epoch = r.output.rfind("Epoch 2/2");
  REQUIRE(last_epoch != std::string::npos);
  const auto train_accuracy = r.output.find("accuracy: ", last_epoch);
  REQUIRE(train_accuracy != std::string::npos);
  CHECK(std::stod(r.output.substr(train_accuracy + 10)) > 0.65);
  const double test_accuracy = number_after(r.output, "Test accuracy: ");
  CHECK((test_accuracy >= 0.0 && test_accuracy <= 1.0));
}
