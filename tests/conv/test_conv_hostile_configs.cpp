// Hostile configs for every convolution variant, loaded through model_from_json: huge windows,
// strides, dilations, filters, depth multipliers and output paddings, and values of the wrong
// type. Each must be a ConfigError or a ValueError that names where; none may crash or allocate
// without limit.
#include <catch2/catch.hpp>

#include <string>
#include <typeinfo>

#include <xkeras/errors.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/models/model.hpp>

using namespace xkeras;

namespace {

// A Sequential of an InputLayer of `shape` and one layer.
std::string model_with(const char* class_name, const json& config, const json& shape) {
  json input{{"class_name", "InputLayer"}, {"config", {{"batch_shape", shape}, {"name", "in"}}}};
  json layer{{"class_name", class_name}, {"config", config}};
  return json{{"class_name", "Sequential"}, {"config", {{"name", "s"}, {"layers", json::array({input, layer})}}}}.dump();
}

// The error's message, or "" when loading succeeded; fails on anything but xkeras's own errors.
std::string load_error(const std::string& text) {
  try {
    model_from_json(text);
  } catch (const ConfigError& e) {
    return e.what();
  } catch (const ValueError& e) {
    return e.what();
  } catch (const std::exception& e) {
    FAIL("unexpected " << typeid(e).name() << ": " << e.what());
  }
  return "";
}

json with(json base, const json& extra) {
  for (auto it = extra.begin(); it != extra.end(); ++it) base[it.key()] = it.value();
  return base;
}

}  // namespace

TEST_CASE("hostile conv-variant configs are ConfigErrors or ValueErrors naming the layer or path") {
  const int big = 1 << 20;
  struct Case {
    const char* class_name;
    json config;
    json shape;
    const char* where;  // expected in the message
  };
  const json f2{{"filters", 2}, {"kernel_size", 3}, {"name", "victim"}};
  const json dw{{"kernel_size", 3}, {"name", "victim"}};
  const json seq{nullptr, 16, 3}, img{nullptr, 8, 8, 3}, vol{nullptr, 4, 4, 4, 3};
  const std::vector<Case> cases = {
      {"Conv1D", with(f2, {{"kernel_size", big}}), seq, "victim"},                       // window larger than the input
      {"Conv1D", with(f2, {{"kernel_size", 5}, {"dilation_rate", big}}), seq, "victim"},  // dilated window past 2^26
      {"Conv1D", with(f2, {{"filters", 1 << 30}}), seq, "victim"},                       // a 2^32-value kernel
      {"Conv1D", with(f2, {{"kernel_size", "3"}}), seq, "kernel_size"},
      {"Conv1D", with(f2, {{"strides", 0}}), seq, "strides"},
      {"Conv1D", with(f2, {{"groups", 7}}), seq, "groups"},
      {"Conv2DTranspose", with(f2, {{"strides", big}}), img, "victim"},                  // a 2^46-value image
      {"Conv2DTranspose", with(f2, {{"kernel_size", big}}), img, "victim"},              // a 2^40-value kernel
      {"Conv2DTranspose", with(f2, {{"strides", 2}, {"output_padding", 2}}), img, "output padding"},
      {"Conv2DTranspose", with(f2, {{"output_padding", json::array({-1, 0})}}), img, "output_padding"},
      {"Conv2DTranspose", with(f2, {{"output_padding", 1.5}}), img, "output_padding"},
      {"Conv1DTranspose", with(f2, {{"strides", big}, {"kernel_size", big}, {"filters", 8}}), seq, "victim"},  // 2^27 values
      {"Conv3DTranspose", with(f2, {{"strides", 1 << 12}}), vol, "victim"},
      {"Conv3D", with(f2, {{"kernel_size", json::array({big, 1, 1})}}), vol, "victim"},
      {"Conv3D", with(f2, {{"filters", 1 << 30}, {"kernel_size", 1}}), vol, "victim"},
      {"DepthwiseConv2D", with(dw, {{"depth_multiplier", big}}), json{nullptr, 8, 8, 1024}, "victim"},
      {"DepthwiseConv2D", with(dw, {{"depth_multiplier", 1 << 30}}), img, "depth_multiplier"},
      {"DepthwiseConv2D", with(dw, {{"kernel_size", json::array({3, big})}}), img, "victim"},
      {"DepthwiseConv1D", with(dw, {{"depth_multiplier", 0}}), seq, "depth_multiplier"},
      {"SeparableConv2D", with(f2, {{"depth_multiplier", big}}), json{nullptr, 8, 8, 1024}, "victim"},
      {"SeparableConv2D", with(f2, {{"filters", 1 << 30}}), img, "victim"},
      {"SeparableConv1D", with(f2, {{"dilation_rate", big}, {"kernel_size", 65}}), seq, "victim"},
  };
  for (const auto& c : cases) {
    const std::string text = model_with(c.class_name, c.config, c.shape);
    INFO(text);
    const std::string error = load_error(text);
    CHECK_THAT(error, Catch::Contains(c.where));
  }
}
