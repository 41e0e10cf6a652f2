// Shapes that overflow or pass every sane size: each must end in a ValueError or ConfigError that
// names the layer, never in wrapped arithmetic, an out-of-bounds walk or an allocation failure.
#include <catch2/catch.hpp>

#include <xkeras/layers.hpp>
#include <xkeras/xkeras.hpp>

#include "helpers.hpp"

using namespace xkeras;
using Catch::Contains;

namespace {

std::string layer_json(const std::string& cls, const std::string& config) {
  return R"({"module": "keras.layers", "class_name": ")" + cls + R"(", "config": )" + config +
         R"(, "registered_name": null})";
}

std::string sequential_json(const std::string& batch_shape, const std::vector<std::string>& layer_list) {
  std::string layers = layer_json("InputLayer", R"({"batch_shape": )" + batch_shape + R"(, "name": "in"})");
  for (const auto& l : layer_list) layers += ", " + l;
  return R"({"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": [)" + layers +
         R"(]}, "registered_name": null})";
}

constexpr Dim kHuge = Dim(1) << 40;

}  // namespace

TEST_CASE("three UpSampling2D(1, 2^20), ZeroPadding2D and a Lambda: a ConfigError naming the layer, not a heap overflow") {
  // Before the fix the traced Lambda's dummy input had a shape whose product wrapped mod 2^64, and
  // softmax/antirectifier walked outside both buffers (SIGSEGV in model_from_json).
  const std::string up = layer_json("UpSampling2D", R"({"size": [1, 1048576]})");
  for (const char* fn : {"softmax", "antirectifier", "l2_normalize", "square"}) {
    const std::string lambda = layer_json("Lambda", std::string(R"({"function": ")") + fn + R"("})");
    const std::string text =
        sequential_json("[null, 4, 1, 8]", {up, up, up, layer_json("ZeroPadding2D", R"({"padding": 1})"), lambda});
    const std::string e = sertest::config_error([&] { model_from_json(text); });
    CHECK_THAT(e, Contains("config.layers[2]"));  // the second UpSampling2D: (None, 4, 2^40, 8)
    CHECK_THAT(e, Contains("UpSampling2D"));
    CHECK_THAT(e, Contains("2^26"));
  }
}

TEST_CASE("UpSampling2D's compute_output_shape checks its products") {
  layers::UpSampling2D up({1 << 24, 1 << 24});
  const std::vector<TensorShape> huge{{None, kHuge, kHuge, 8}};
  CHECK_THROWS_WITH(up->compute_output_shape(huge), Contains("up_sampling2d") && Contains("2^26"));
  CHECK(up->compute_output_shape({{None, 2, 3, 1}}) == std::vector<TensorShape>{{None, 2 << 24, 3 << 24, 1}});
}

TEST_CASE("Flatten's compute_output_shape checks its product") {
  layers::Flatten flat;
  // (2^40)^2 * 8 wraps to 0 mod 2^64 in 64-bit arithmetic (signed overflow before the fix).
  CHECK_THROWS_WITH(flat->compute_output_shape({{None, kHuge, kHuge, 8}}), Contains("flatten") && Contains("2^26"));
  CHECK(flat->compute_output_shape({{None, 2, None, 8}}) == std::vector<TensorShape>{{None, None}});
  CHECK(flat->compute_output_shape({{None, 2, 3, 8}}) == std::vector<TensorShape>{{None, 48}});
}

TEST_CASE("a layer whose output would hold more than 2^26 values per sample is refused when it is called") {
  auto x = Input({4096, 64});  // kernel (64, 32768) is fine; the output (None, 4096, 32768) is not
  CHECK_THROWS_WITH(layers::Dense(1 << 15)(x), Contains("dense") && Contains("2^26"));
  auto y = Input({8, 8, 1});
  CHECK_THROWS_WITH(layers::UpSampling2D({1 << 12, 1 << 12})(y), Contains("up_sampling2d") && Contains("2^26"));
}

TEST_CASE("Input shapes past the sample limit are refused by the API too") {
  CHECK_THROWS_WITH(Input({kHuge}), Contains("2^26"));
  CHECK_THROWS_WITH(Input({1 << 14, 1 << 14}), Contains("2^26"));
  CHECK_THROWS_AS(Input({-5}), ValueError);
}

TEST_CASE("a Conv2D with a huge dilation is a ConfigError at load, naming the layer") {
  // Before: it loaded, and predict failed inside oneDNN with a padding of 549755289600.
  const std::string conv = layer_json(
      "Conv2D", R"({"name": "c", "filters": 1, "kernel_size": [524289, 1], "dilation_rate": [1048576, 1], "padding": "same"})");
  const std::string e = sertest::config_error([&] { model_from_json(sequential_json("[null, 8, 8, 1]", {conv})); });
  CHECK_THAT(e, Contains("config.layers[1]"));
  CHECK_THAT(e, Contains("dilation"));
  CHECK_THROWS_WITH(ops::conv_window(8, 524289, 1, 1 << 20, "same"), Contains("dilation") && Contains("2^26"));
  // A large dilation that still fits the limit works as in Keras: only the centre tap meets the input.
  layers::Conv2D wide(1, 3, {.padding = "same", .dilation_rate = 1 << 20, .kernel_initializer = "ones"});
  CHECK(wide(Tensor::full({1, 8, 8, 1}, 2.0f)).to_vector() == std::vector<float>(64, 2.0f));
}

TEST_CASE("shape products that overflow are ValueErrors, not wrapped sizes") {
  CHECK_THROWS_AS(shape_size({std::size_t(1) << 40, std::size_t(1) << 40}), ValueError);
  CHECK_THROWS_AS(Tensor::zeros({std::size_t(1) << 40, std::size_t(1) << 40}), ValueError);
  CHECK_THROWS_AS(ops::broadcast_to(Tensor::scalar(1.0f), {std::size_t(1) << 33, std::size_t(1) << 33}), ValueError);
  CHECK_THROWS_AS(ops::reshape(Tensor::zeros({4}), Shape{std::size_t(1) << 62, 4}), ValueError);
  CHECK(shape_size({2, 3, 4}) == 24);
}
