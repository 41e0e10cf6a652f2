// .keras -> TensorFlow.js, checked against TensorFlow.js itself: for each model of keras_tfjs_cases.cpp,
// tests/data/keras_tfjs/<case>/ holds the .keras xkeras saved, the inputs, and the outputs tfjs 4.22
// predicted after loading what xkeras-convert made of that .keras (tools/tfjs/keras_check.sh). Here,
// without node: the library reads the same .keras, converts it to TensorFlow.js and reads that back;
// both predict what tfjs predicted (1e-5).
#include <cmath>
#include <filesystem>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli_helpers.hpp"
#include "keras_tfjs_cases.hpp"

using namespace xkeras;
namespace fs = std::filesystem;


namespace {

Tensor tensor_from(const json& t) {
  Shape shape;
  for (const auto& d : t.at("shape")) shape.push_back(d.get<std::size_t>());
  return Tensor::from(shape, t.at("data").get<std::vector<float>>());
}

json tensor_json(const Tensor& t) {
  json data = json::array();
  for (float v : t.to_vector()) data.push_back(static_cast<double>(v));  // exact: float -> double
  return {{"shape", t.shape()}, {"data", data}};
}

double max_abs_diff(const Tensors& got, const json& want) {
  REQUIRE(got.size() == want.size());
  double max = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const Tensor w = tensor_from(want[i]);
    REQUIRE(got[i].shape() == w.shape());
    const auto a = got[i].to_vector(), b = w.to_vector();
    for (std::size_t k = 0; k < a.size(); ++k) {
      const double d = std::fabs(static_cast<double>(a[k]) - b[k]);
      if (!(d <= max)) max = std::isnan(d) ? INFINITY : d;
    }
  }
  return max;
}

}  // namespace

// Not run by the suite ('.' hides it): tools/tfjs/keras_check.sh runs it to (re)write the .keras files
// and inputs that tfjs then predicts on.
TEST_CASE("write the keras to tfjs fixtures", "[.keras_tfjs_write]") {
  for (const auto& c : keras_tfjs::cases()) {
    const Model m = c.build();
    const fs::path dir = fs::path(keras_tfjs::data_dir()) / c.name;
    fs::create_directories(dir);
    m.save((dir / "model.keras").string());
    json inputs = json::array();
    std::uint32_t seed = 100;
    for (const auto& in : m->inputs()) {
      Shape s{2};
      for (std::size_t k = 1; k < in.shape().size(); ++k) s.push_back(static_cast<std::size_t>(in.shape()[k]));
      inputs.push_back(tensor_json(clitest::input_for(s, seed++)));
    }
    std::ofstream(dir / "inputs.json") << json{{"case", c.name}, {"inputs", inputs}}.dump() << "\n";
  }
}

TEST_CASE("keras files converted to TensorFlow.js predict what TensorFlow.js predicts") {
  const auto cases = keras_tfjs::cases();
  for (const auto& c : cases) {
    INFO(c.name);
    const fs::path dir = fs::path(keras_tfjs::data_dir()) / c.name;
    const json inputs = json::parse(clitest::slurp((dir / "inputs.json").string()));
    const json tfjs = json::parse(clitest::slurp((dir / "tfjs_outputs.json").string()));
    CHECK(tfjs.at("tfjs_version") == "4.22.0");
    Tensors xs;
    for (const auto& t : inputs.at("inputs")) xs.push_back(tensor_from(t));

    const Model from_keras = load_model((dir / "model.keras").string());
    const Tensors ys = from_keras.predict(xs);
    CHECK(max_abs_diff(ys, tfjs.at("outputs")) <= 1e-5);

    // The library's own conversion, read back: the same float32 weights, so bit for bit the same.
    const std::string out = clitest::scratch("keras_tfjs_" + c.name);
    from_keras.save_tfjs(out);
    const Tensors again = load_model(out + "/model.json").predict(xs);
    REQUIRE(again.size() == ys.size());
    for (std::size_t i = 0; i < ys.size(); ++i) CHECK(clitest::bit_equal(again[i], ys[i]));

    // The .keras holds what the case builds today (a changed writer or case shows up here first).
    const Tensors built = c.build().predict(xs);
    for (std::size_t i = 0; i < ys.size(); ++i) CHECK(clitest::bit_equal(built[i], ys[i]));
  }
  CHECK(cases.size() == 5);
}
