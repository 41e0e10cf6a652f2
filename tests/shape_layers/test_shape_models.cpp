// The new layers inside models: a Keras 3 Sequential JSON (written the way Keras 3 writes it)
// loads through model_from_json and computes what the same layers compute eagerly; a functional
// model of the 2-D/3-D layers survives the JSON round trip with identical predictions.
#include <catch2/catch.hpp>

#include <xkeras/layers.hpp>
#include <xkeras/models/model.hpp>
#include <xkeras/models/sequential.hpp>

#include "image/reference.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::all_close;
using xkeras::testing::random_tensor;

namespace {

// One Keras 3 layer entry of a Sequential config.
std::string entry(const std::string& cls, const std::string& own, const std::string& build = "") {
  static int count = 0;
  std::string s = R"({"module": "keras.layers", "class_name": ")" + cls + R"(", "config": {"name": "l)" +
                  std::to_string(count++) + R"(", "trainable": true, "dtype": "float32")" + (own.empty() ? "" : ", " + own) +
                  R"(}, "registered_name": null)";
  if (!build.empty()) s += R"(, "build_config": {"input_shape": )" + build + "}";
  return s + "}";
}

std::string sequence_model_json() {
  const std::string layers[] = {
      R"({"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 10, 3], "dtype": "float32", "sparse": false, "ragged": false, "name": "input_layer", "optional": false}, "registered_name": null})",
      entry("ZeroPadding1D", R"("padding": [1, 2], "data_format": "channels_last")", "[null, 10, 3]"),
      entry("Cropping1D", R"("cropping": [2, 1])", "[null, 13, 3]"),
      entry("MaxPooling1D", R"("pool_size": [2], "padding": "valid", "strides": [2], "data_format": "channels_last")"),
      entry("UpSampling1D", R"("size": 2)", "[null, 5, 3]"),
      entry("AveragePooling1D", R"("pool_size": [3], "padding": "same", "strides": [1], "data_format": "channels_last")"),
      entry("Permute", R"("dims": [2, 1])", "[null, 10, 3]"),
      entry("GlobalAveragePooling1D", R"("data_format": "channels_last", "keepdims": false)"),
      entry("RepeatVector", R"("n": 4)", "[null, 10]"),
      entry("Reshape", R"("target_shape": [-1, 5])"),
      entry("GlobalMaxPooling1D", R"("data_format": "channels_last", "keepdims": false)")};
  std::string list;
  for (const auto& l : layers) list += (list.empty() ? "" : ", ") + l;
  return R"({"module": "keras", "class_name": "Sequential", "config": {"name": "sequence", "trainable": true, "dtype": "float32", "layers": [)" +
         list + R"(], "build_input_shape": [null, 10, 3]}, "registered_name": null, "build_config": {"input_shape": [null, 10, 3]}})";
}

}  // namespace

TEST_CASE("Shape layers model: a Keras 3 Sequential JSON loads and matches the eager layers") {
  Model m = model_from_json(sequence_model_json());
  const Tensor x = random_tensor({4, 10, 3}, 21);
  const Tensor y = m.predict(x);
  REQUIRE(y.shape() == Shape{4, 5});
  Tensor e = layers::ZeroPadding1D({1, 2})(x);
  e = layers::Cropping1D({2, 1})(e);
  e = layers::MaxPooling1D(2)(e);
  e = layers::UpSampling1D(2)(e);
  e = layers::AveragePooling1D(3, {.strides = 1, .padding = "same"})(e);
  e = layers::Permute({2, 1})(e);
  e = layers::GlobalAveragePooling1D()(e);
  e = layers::RepeatVector(4)(e);
  e = layers::Reshape({-1, 5})(e);
  e = layers::GlobalMaxPooling1D()(e);
  CHECK(all_close(y.value(), e.value(), 0, 0));
  // and it writes itself back in the same layout
  const std::string text = m.to_json();
  Model again = model_from_json(text);
  CHECK(again.to_json() == text);
  CHECK(all_close(again.predict(x).value(), y.value(), 0, 0));
}

TEST_CASE("Shape layers model: 2-D and 3-D layers in a functional model, JSON round trip, gradients") {
  auto in = Input({4, 6, 6, 2});
  auto v = layers::ZeroPadding3D(1)(in);                                // 6 8 8
  v = layers::Cropping3D({{1, 1}, {0, 2}, {2, 0}})(v);                  // 4 6 6
  v = layers::MaxPooling3D(2)(v);                                       // 2 3 3
  v = layers::UpSampling3D({1, 2, 2})(v);                               // 2 6 6
  v = layers::AveragePooling3D(2, {.strides = 1, .padding = "same"})(v);  // 2 6 6
  v = layers::Reshape({12, 6, 2})(v);
  v = layers::Cropping2D({{1, 1}, {0, 2}})(v);                          // 10 4 2
  v = layers::UpSampling2D({1, 2}, {.interpolation = "bilinear"})(v);   // 10 8 2
  v = layers::GlobalAveragePooling3D()(layers::Reshape({5, 2, 8, 2})(v));
  auto out = layers::Dense(3)(v);
  Model m(in, out, "volumes");
  REQUIRE(out.shape() == TensorShape{None, 3});
  const Tensor x = random_tensor({2, 4, 6, 6, 2}, 22);
  const Tensor y = m.predict(x);
  REQUIRE(y.shape() == Shape{2, 3});
  const std::string text = m.to_json();
  Model again = model_from_json(text);
  again.set_weights(m.get_weights());
  CHECK(again.to_json() == text);
  CHECK(all_close(again.predict(x).value(), y.value(), 0, 0));
  // the whole chain differentiates: input gradient against central differences
  Tensor small = random_tensor({1, 4, 6, 6, 2}, 23);
  testing::check_gradients([&] { return m(small); }, {small});
}
