// Shared by the xkeras-convert tests: running the built binary, scratch folders, small models with
// seeded weights, and exact comparison of predictions.
#pragma once

#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <xkeras/layers/conv2d.hpp>
#include <xkeras/layers/dense.hpp>
#include <xkeras/layers/flatten.hpp>
#include <xkeras/layers/input_layer.hpp>
#include <xkeras/layers/merging.hpp>
#include <xkeras/layers/batch_normalization.hpp>
#include <xkeras/models/model.hpp>
#include <xkeras/models/sequential.hpp>

namespace clitest {

using namespace xkeras;

struct Run {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

/// Runs build/cli/xkeras-convert with `args` (each quoted for the shell).
inline Run convert(const std::vector<std::string>& args) {
  std::string cmd = std::string(XKERAS_BINARY_DIR) + "/cli/xkeras-convert";
  for (const auto& a : args) {
    std::string q = "'";
    for (char c : a) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    cmd += " " + q + "'";
  }
  cmd += " 2>&1";
  Run r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  while (fgets(buf.data(), buf.size(), p)) r.output += buf.data();
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

/// A fresh empty folder under the build tree.
inline std::string scratch(const std::string& name) {
  const std::string dir = std::string(XKERAS_BINARY_DIR) + "/tests/cli_scratch/" + name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

/// Deterministic values in [-0.5, 0.5) (a 32-bit LCG), never round.
inline std::vector<float> lcg_values(std::size_t n, std::uint32_t seed) {
  std::vector<float> v(n);
  std::uint32_t s = seed * 2654435761u + 1u;
  for (auto& x : v) {
    s = s * 1664525u + 1013904223u;
    x = static_cast<float>(s >> 8) / 16777216.0f - 0.5f;
  }
  return v;
}

/// Every weight of `m` from lcg_values (BatchNormalization's variances in [0.5, 1.5)).
inline void seed_weights(const Model& m, std::uint32_t seed) {
  const auto ws = m->weights();
  for (std::size_t i = 0; i < ws.size(); ++i) {
    const auto v = lcg_values(ws[i]->value.size(), seed + static_cast<std::uint32_t>(i));
    const float shift = ws[i]->name == "moving_variance" ? 1.0f : 0.0f;
    float* dst = ws[i]->value.data();
    for (std::size_t k = 0; k < v.size(); ++k) dst[k] = v[k] + shift;
  }
}

inline Tensor input_for(const Shape& shape, std::uint32_t seed) {
  std::size_t n = 1;
  for (auto d : shape) n *= d;
  auto v = lcg_values(n, seed);
  for (auto& x : v) x *= 4.0f;
  return Tensor::from(shape, v);
}

inline bool bit_equal(const Tensor& a, const Tensor& b) {
  if (a.shape() != b.shape()) return false;
  const auto va = a.to_vector(), vb = b.to_vector();
  for (std::size_t i = 0; i < va.size(); ++i)
    if (std::memcmp(&va[i], &vb[i], sizeof(float)) != 0) return false;
  return true;
}

/// Dense(5, relu) -> Dense(3): 4*5 + 5 + 5*3 + 3 = 43 parameters.
inline Model dense_model() {
  clear_session();
  Sequential m({layers::Input({4}), layers::Dense(5, "relu"), layers::Dense(3)}, "mlp");
  seed_weights(m, 11);
  return m;
}

/// Two branches on one 6x6x2 image: Conv2D(3, 3x3) -> BatchNormalization -> Flatten, and Flatten;
/// concatenated, then Dense(2, softmax). Weights of several kinds, a non-chain graph.
inline Model conv_model() {
  clear_session();
  auto x = Input({6, 6, 2});
  auto a = layers::Flatten()(layers::BatchNormalization()(layers::Conv2D(3, 3, {.activation = "relu"})(x)));
  auto b = layers::Flatten()(x);
  auto y = layers::Dense(2, "softmax")(layers::Concatenate()({a, b}));
  Model m(x, y, "two_branches");
  seed_weights(m, 23);
  return m;
}

}  // namespace clitest
