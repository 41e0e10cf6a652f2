// How the TensorFlow.js reader decodes shards and matches weight names, against hand-computed values:
// int32 and quantized entries (uint8/uint16 affine x = q * scale + min, float16 with subnormals and -0),
// shards split mid-value, "./" paths, ":0" suffixes, sub-model and cell scopes, optimizer entries,
// and the converter's model_config given as a JSON string (keras_reference_layers2.md §12).
#include <catch2/catch.hpp>

#include <cmath>

#include "tfjs_case.hpp"
#include "xkeras/errors.hpp"

using namespace xkeras;
using namespace tfjstest;

namespace {

using Floats = std::vector<float>;

const Floats kKernel{1, 2, 3, 4, 5, 6}, kBias{0.5f, -0.5f, 0.25f};

// y = [1, 1] . kernel + bias for dense_shard(): column sums (5, 7, 9) plus the bias.
void check_dense_predicts(const Model& m) {
  const Tensor y = m.predict(Tensor::from({1, 2}, {1, 1}));
  REQUIRE(y.size() == 3);
  CHECK(Floats(y.data(), y.data() + 3) == Floats{5.5f, 6.5f, 9.25f});
}

Model load_dense(const std::string& test, const json& manifest, const Files& files) {
  return load_model(write_model(test, document(dense_topology(), manifest), files));
}

}  // namespace

TEST_CASE("tfjs decoding: float32 shards split mid-value are joined in manifest order") {
  const std::string b = dense_shard();  // 36 bytes, cut inside the 2nd and the 6th value
  json manifest = dense_manifest();
  manifest[0]["paths"] = {"group1-shard1of3.bin", "group1-shard2of3.bin", "group1-shard3of3.bin"};
  const Model m = load_dense("split", manifest,
                             {{"group1-shard1of3.bin", b.substr(0, 6)}, {"group1-shard2of3.bin", b.substr(6, 17)},
                              {"group1-shard3of3.bin", b.substr(23)}});
  CHECK(weight(m, "d1/kernel") == kKernel);
  CHECK(weight(m, "d1/bias") == kBias);
  check_dense_predicts(m);
}

TEST_CASE("tfjs decoding: int32 entries become floats") {
  json manifest = dense_manifest();
  manifest[0]["weights"][0]["dtype"] = "int32";
  const std::string shard = bytes_of(std::vector<std::int32_t>{1, -2, 3, -4, 2147483647, -2147483647 - 1}) + f32(kBias);
  const Model m = load_dense("int32", manifest, {{"group1-shard1of1.bin", shard}});
  CHECK(weight(m, "d1/kernel") == Floats{1, -2, 3, -4, 2147483648.0f, -2147483648.0f});
  CHECK(weight(m, "d1/bias") == kBias);
}

TEST_CASE("tfjs decoding: uint8 and uint16 entries are affine, x = q * scale + min") {
  json manifest = dense_manifest();
  manifest[0]["weights"][0]["quantization"] = {{"dtype", "uint8"}, {"min", -1.0}, {"scale", 0.5}};
  manifest[0]["weights"][1]["quantization"] = {{"dtype", "uint16"}, {"min", -2.0}, {"scale", 0.001}, {"original_dtype", "float32"}};
  const std::string shard = bytes_of(std::vector<std::uint8_t>{0, 1, 2, 127, 128, 255}) +
                            bytes_of(std::vector<std::uint16_t>{0, 1, 65535});  // 6 + 6 bytes
  const Model m = load_dense("affine", manifest, {{"group1-shard1of1.bin", shard}});
  CHECK(weight(m, "d1/kernel") == Floats{-1, -0.5f, 0, 62.5f, 63, 126.5f});
  CHECK(weight(m, "d1/bias") == Floats{-2, -1.999f, 63.535f});
}

TEST_CASE("tfjs decoding: float16 entries, with subnormals, -0 and the largest half") {
  json manifest = dense_manifest();
  manifest[0]["weights"][0]["quantization"] = {{"dtype", "float16"}};
  manifest[0]["weights"][1]["quantization"] = {{"dtype", "float16"}};
  // 1, -2, 2^-24 (smallest subnormal), -0, 65504 (largest finite), 0x3555 = 1365/4096;
  // 1023 * 2^-24 (largest subnormal), 2^-14 (smallest normal), -1.
  const std::string shard =
      bytes_of(std::vector<std::uint16_t>{0x3C00, 0xC000, 0x0001, 0x8000, 0x7BFF, 0x3555, 0x03FF, 0x0400, 0xBC00});
  const Model m = load_dense("half", manifest, {{"group1-shard1of1.bin", shard}});
  const Floats k = weight(m, "d1/kernel");
  CHECK(k == Floats{1, -2, 5.9604644775390625e-08f, 0, 65504, 0.333251953125f});
  CHECK(std::signbit(k[3]));
  CHECK(weight(m, "d1/bias") == Floats{6.097555160522461e-05f, 6.103515625e-05f, -1});
}

TEST_CASE("tfjs decoding: ./ paths, :0 suffixes and optimizer entries") {
  json manifest = json::array({group({"./model.weights.bin"}, json::array({
                                   {{"name", "Adam/iter"}, {"shape", json::array()}, {"dtype", "int32"}, {"group", "optimizer"}},
                                   entry("d1/kernel:0", {2, 3}),
                                   entry("d1/bias:0", {3}),
                               }))});
  // The optimizer entry's 4 bytes come first: the weights after it start at offset 4.
  const Model m = load_dense("download", manifest, {{"model.weights.bin", bytes_of(std::vector<std::int32_t>{7}) + dense_shard()}});
  CHECK(weight(m, "d1/kernel") == kKernel);
  CHECK(weight(m, "d1/bias") == kBias);
  check_dense_predicts(m);
}

TEST_CASE("tfjs decoding: names with a sub-model scope or a cell scope find the Dense inside a nested model") {
  // outer: in1 -> Sequential sub [Dense inner(3)] -> Dense head(1), in tfjs-layers' functional layout.
  const json topology = {
      {"class_name", "Model"},
      {"config",
       {{"name", "outer"},
        {"layers",
         {{{"name", "in1"}, {"class_name", "InputLayer"},
           {"config", {{"batch_input_shape", {nullptr, 2}}, {"dtype", "float32"}, {"sparse", false}, {"name", "in1"}}},
           {"inbound_nodes", json::array()}},
          {{"name", "sub"}, {"class_name", "Sequential"},
           {"config", {{"name", "sub"}, {"layers", {dense_layer("inner", 3, 2)}}}},
           {"inbound_nodes", {{{"in1", 0, 0, json::object()}}}}},
          {{"name", "head"}, {"class_name", "Dense"}, {"config", dense_layer("head", 1)["config"]},
           {"inbound_nodes", {{{"sub", 1, 0, json::object()}}}}}}},
        {"input_layers", {{"in1", 0, 0}}},
        {"output_layers", {{"head", 0, 0}}}}},
      {"keras_version", "tfjs-layers 4.22.0"},
      {"backend", "tensor_flow.js"}};
  const json manifest = json::array({group({"group1-shard1of1.bin"}, json::array({
                                               entry("sub/inner/kernel", {2, 3}),      // the sub-model's scope
                                               entry("inner/inner_cell/bias", {3}),    // "lstm/lstm_cell/bias" style
                                               entry("outer/head/kernel:0", {3, 1}),  // the outer model's scope
                                               entry("head/bias", {1}),
                                           }))});
  const std::string shard = dense_shard() + f32({1, -1, 2, 0.125f});
  const Model m = load_model(write_model("scopes", document(topology, manifest), {{"group1-shard1of1.bin", shard}}));
  CHECK(weight(m, "inner/kernel") == kKernel);
  CHECK(weight(m, "inner/bias") == kBias);
  CHECK(weight(m, "head/kernel") == Floats{1, -1, 2});
  CHECK(weight(m, "head/bias") == Floats{0.125f});
  // [5.5, 6.5, 9.25] . [1, -1, 2] + 0.125
  const Tensor y = m.predict(Tensor::from({1, 2}, {1, 1}));
  REQUIRE(y.size() == 1);
  CHECK(y.data()[0] == 17.625f);
}

TEST_CASE("tfjs decoding: the converter's model_config may be a JSON string") {
  const json inner = dense_topology();
  const json topology = {{"keras_version", "2.15.0"},
                         {"backend", "tensorflow"},
                         {"model_config", json({{"class_name", inner["class_name"]}, {"config", inner["config"]}}).dump()}};
  const std::string path = write_model("string_config", document(topology, dense_manifest()), {{"group1-shard1of1.bin", dense_shard()}});
  const Model s = load_model(path);
  CHECK(weight(s, "d1/kernel") == kKernel);
  check_dense_predicts(s);

  // A string that is not JSON is refused, naming where it was.
  json bad = topology;
  bad["model_config"] = "{\"class_name\": ";
  const std::string bad_path = write_model("string_config_bad", document(bad, dense_manifest()), {{"group1-shard1of1.bin", dense_shard()}});
  CHECK_THAT(error_of<ConfigError>([&] { load_model(bad_path); }), Catch::StartsWith("modelTopology.model_config: invalid JSON"));
}
