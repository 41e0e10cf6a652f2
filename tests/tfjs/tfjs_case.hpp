// Small TensorFlow.js models written by hand for the hostile-input and decoding tests: a model.json in
// tfjs-layers' own layout, its weightsManifest and the shard bytes, in a fresh folder per test.
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#include "xkeras/json.hpp"
#include "xkeras/models/model.hpp"

namespace tfjstest {

using xkeras::json;
namespace fs = std::filesystem;
using Files = std::vector<std::pair<std::string, std::string>>;  // (name in the model's folder, bytes)

// Little-endian bytes of the values, as the shards hold them.
template <class T>
std::string bytes_of(const std::vector<T>& v) {
  std::string s;
  for (T x : v) {
    unsigned char b[sizeof(T)];
    std::memcpy(b, &x, sizeof(T));  // the test machines are little-endian, like the format
    s.append(reinterpret_cast<const char*>(b), sizeof(T));
  }
  return s;
}
inline std::string f32(const std::vector<float>& v) { return bytes_of(v); }

/// A layer config of tfjs-layers' Dense (the keys it writes that matter here).
inline json dense_layer(const std::string& name, int units, int input_dim = 0) {
  json c = {{"name", name}, {"units", units}, {"activation", "linear"}, {"use_bias", true}, {"trainable", true}};
  if (input_dim > 0) c["batch_input_shape"] = json::array({nullptr, input_dim}), c["dtype"] = "float32";
  return {{"class_name", "Dense"}, {"config", c}};
}

/// modelTopology of Sequential([Dense(units) on input_dim features]) named `name`, as tfjs-layers saves it.
inline json dense_topology(int input_dim = 2, int units = 3, const std::string& name = "d1") {
  return {{"class_name", "Sequential"},
          {"config", {{"name", "seq"}, {"layers", json::array({dense_layer(name, units, input_dim)})}}},
          {"keras_version", "tfjs-layers 4.22.0"},
          {"backend", "tensor_flow.js"}};
}

inline json entry(const std::string& name, const std::vector<std::size_t>& shape, const std::string& dtype = "float32") {
  return {{"name", name}, {"shape", shape}, {"dtype", dtype}};
}

inline json group(const std::vector<std::string>& paths, const json& weights) {
  return {{"paths", paths}, {"weights", weights}};
}

inline json document(const json& topology, const json& manifest) {
  return {{"format", "layers-model"}, {"generatedBy", "TensorFlow.js tfjs-layers v4.22.0"}, {"convertedBy", nullptr},
          {"modelTopology", topology}, {"weightsManifest", manifest}};
}

/// The manifest of dense_topology(2, 3): d1/kernel [2, 3] then d1/bias [3] in group1-shard1of1.bin.
inline json dense_manifest() {
  return json::array({group({"group1-shard1of1.bin"}, json::array({entry("d1/kernel", {2, 3}), entry("d1/bias", {3})}))});
}
/// Its 36 bytes: kernel 1..6 (row-major), bias 0.5, -0.5, 0.25.
inline std::string dense_shard() { return f32({1, 2, 3, 4, 5, 6, 0.5f, -0.5f, 0.25f}); }

/// A fresh folder for one test under the build tree.
inline std::string folder(const std::string& test) {
  const fs::path d = fs::path(XKERAS_BINARY_DIR) / "test_scratch" / "tfjs" / test;
  fs::remove_all(d);
  fs::create_directories(d);
  return d.string();
}

inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << bytes;
  REQUIRE(f.good());
}

/// Writes model.json (`text`, verbatim) and `files` into folder(test); returns model.json's path.
inline std::string write_model_text(const std::string& test, const std::string& text, const Files& files) {
  const std::string dir = folder(test);
  write_bytes(dir + "/model.json", text);
  for (const auto& [name, bytes] : files) write_bytes(dir + "/" + name, bytes);
  return dir + "/model.json";
}
inline std::string write_model(const std::string& test, const json& doc, const Files& files) {
  return write_model_text(test, doc.dump(), files);
}

/// What `f` throws, which must be exactly an E (not a subclass, not a sibling): its message.
template <class E>
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    INFO("threw " << typeid(e).name() << ": " << e.what());
    CHECK(typeid(e) == typeid(E));
    return e.what();
  }
  FAIL("nothing was thrown");
  return "";
}

/// The values of the weight "<owning layer>/<weight>" of a loaded model (searched through sub-models).
inline std::vector<float> weight(const xkeras::Model& m, const std::string& path) {
  for (const auto& v : m->weights()) {
    if (v->owner && v->owner->name() + "/" + v->name == path) {
      const float* p = v->value.data();
      return std::vector<float>(p, p + v->value.size());
    }
  }
  FAIL("no weight " << path);
  return {};
}

}  // namespace tfjstest
