// xkeras-convert --summary: the library's summary table, for every input type it reads.
#include <sstream>

#include <catch2/catch.hpp>

#include "cli_helpers.hpp"

using namespace clitest;

TEST_CASE("summary option prints the layer table and the parameter count") {
  const Model m = dense_model();
  const std::string dir = scratch("summary");
  m.save(dir + "/m.json");
  std::ostringstream want;
  m.summary(want);

  const Run r = convert({"--summary", dir + "/m.json"});
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(r.output == want.str());
  // Dense(4 -> 5): 4*5 + 5 = 25, Dense(5 -> 3): 5*3 + 3 = 18.
  CHECK(r.output.find("│ dense (Dense)                   │ (None, 5)              │            25 │") != std::string::npos);
  CHECK(r.output.find(" Total params: 43 (172.00 B)") != std::string::npos);
}

TEST_CASE("summary option on a TensorFlow.js folder with a branching graph") {
  const Model m = conv_model();
  const std::string dir = scratch("summary_tfjs");
  m.save_tfjs(dir + "/web");
  const Run r = convert({"-s", dir + "/web"});
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  // Conv2D 3*3*2*3 + 3 = 57; BatchNormalization 4*3 = 12 (6 trainable); Dense (48 + 72)*2 + 2 = 242.
  CHECK(r.output.find(" Total params: 311 (1.21 KB)") != std::string::npos);
  CHECK(r.output.find(" Non-trainable params: 6 (24.00 B)") != std::string::npos);
  CHECK(r.output.find("Connected to") != std::string::npos);
  CHECK(r.output.find("(Concatenate)") != std::string::npos);
}
