// Model files and graphs built to break the loader: each must end in a clear exception, never a crash.
#include <catch2/catch.hpp>

#include <xkeras/layers.hpp>
#include <xkeras/xkeras.hpp>

using namespace xkeras;

namespace {

std::string sequential_json(const std::string& batch_shape, const std::string& layer) {
  return R"({"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": [
    {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": )" + batch_shape +
         R"(, "name": "in"}, "registered_name": null}, )" + layer + R"(]}, "registered_name": null})";
}

}  // namespace

TEST_CASE("a Reshape whose target dimensions overflow is a ConfigError or ValueError, not a crash") {
  const std::string reshape = R"({"module": "keras.layers", "class_name": "Reshape", "config": {"name": "r",
      "target_shape": [1099511627776, 1099511627776, -1]}, "registered_name": null})";
  CHECK_THROWS_AS(model_from_json(sequential_json("[null, 4]", reshape)), std::exception);
}

TEST_CASE("an input whose samples would hold more than 2^26 values is refused before anything is allocated") {
  const std::string square = R"({"module": "keras.layers", "class_name": "Lambda", "config": {"name": "l",
      "function": "square", "arguments": {}}, "registered_name": null})";
  try {
    model_from_json(sequential_json("[null, 30000, 30000]", square));
    FAIL("expected ConfigError");
  } catch (const ConfigError& e) {
    CHECK(std::string(e.what()).find("batch_shape") != std::string::npos);
    CHECK(std::string(e.what()).find("2^26") != std::string::npos);
  }
}

TEST_CASE("a graph 60 000 layers deep builds and runs without overflowing the stack") {
  auto x = Input({2});
  KerasTensor y = x;
  auto relu = layers::Activation("relu");
  for (int i = 0; i < 60000; ++i) y = layers::Activation("linear")(y);
  Model m(x, relu(y));
  CHECK(m.layers().size() == 60002);
  Tensor out = m.predict(Tensor::from({1, 2}, {-1.0f, 3.0f}));
  CHECK(out.to_vector() == std::vector<float>{0.0f, 3.0f});
}

TEST_CASE("unknown non-batch dimensions stay unknown through a traced Lambda") {
  auto x = Input({None, 8});
  auto y = layers::Lambda("square")(x);
  CHECK(y.shape() == TensorShape{None, None, 8});
  Model m(x, y);
  CHECK(m.predict(Tensor::full({2, 5, 8}, 2.0f)).shape() == Shape{2, 5, 8});
}
