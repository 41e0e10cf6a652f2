// The functional API guide's ticket classifier (3 inputs, 2 outputs) on the guide's random data.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <sstream>

#include <xkeras/xkeras.hpp>

#include "examples/run_example.hpp"

using namespace xkeras;
using xkeras::testing::number_after;
using xkeras::testing::run_example;

namespace {

// The numbers on the history line "  <key>: v1 v2 ...".
std::vector<double> history_values(const std::string& output, const std::string& key) {
  const std::string label = "  " + key + ":";
  const auto pos = output.find(label);
  if (pos == std::string::npos) return {};
  std::istringstream line(output.substr(pos + label.size(), output.find('\n', pos) - pos - label.size()));
  std::vector<double> v;
  for (double x; line >> x;) v.push_back(x);
  return v;
}

}  // namespace

TEST_CASE("ticket_classifier example: the guide's parameter count, a falling finite loss, an identical reload") {
  const std::string out = "ticket_classifier_out";
  std::filesystem::create_directories(out);
  auto r = run_example("ticket_classifier", "--epochs 4 --verbose 0 --seed 3 --out " + out);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);

  // By hand, as the guide's summary:
  //   two Embedding(10000, 64):                 2 * 10000 * 64           = 1 280 000
  //   LSTM(128) on 64 features: 4 * 128 * (64 + 128 + 1)                 =    98 816
  //   LSTM(32) on 64 features:  4 * 32 * (64 + 32 + 1)                    =    12 416
  //   concatenate: 128 + 32 + 12 tags = 172 features
  //   priority Dense(1): 172 + 1                                          =       173
  //   department Dense(4): 172 * 4 + 4                                    =       692
  //   total                                                               = 1 392 097
  constexpr std::size_t expected = 2 * 10000 * 64 + 4 * 128 * (64 + 128 + 1) + 4 * 32 * (64 + 32 + 1) + 173 + 692;
  static_assert(expected == 1392097);
  CHECK(r.output.find("Total params: 1,392,097") != std::string::npos);

  // Random targets: the model can still fit their statistics (and memorize), so the training loss falls.
  const auto loss = history_values(r.output, "loss");
  const auto priority = history_values(r.output, "priority_loss");
  const auto department = history_values(r.output, "department_loss");
  REQUIRE(loss.size() == 4);
  REQUIRE(priority.size() == 4);
  REQUIRE(department.size() == 4);
  for (std::size_t e = 0; e < 4; ++e) {
    CHECK(std::isfinite(loss[e]));
    // Without loss_weights, the total is the plain sum of the two outputs' losses (printed to 4 decimals).
    CHECK(loss[e] == Approx(priority[e] + department[e]).margin(2e-4));
  }
  CHECK(loss.back() < loss.front());

  CHECK(number_after(r.output, "predictions differ by at most ") == 0.0);
  Model loaded = load_model(out + "/ticket_classifier.json");
  CHECK(loaded.count_params() == expected);
  CHECK(loaded->inputs().size() == 3);
  CHECK(loaded->outputs().size() == 2);
  std::filesystem::remove_all(out);
}
