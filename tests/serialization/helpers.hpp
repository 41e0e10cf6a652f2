// Shared by the serialization tests: two small test layers registered under their own class
// names, error capture, and a scratch directory.
#pragma once

#include <functional>
#include <string>

#include <catch2/catch.hpp>

#include "xkeras/errors.hpp"
#include "xkeras/layer.hpp"
#include "xkeras/models/model.hpp"

namespace sertest {

using namespace xkeras;

/// y = x * gamma + shift; gamma (features,) trainable, shift (features,) non-trainable. Class
/// "TestScale": exercises custom-layer registration and non-trainable weights.
class TestScaleImpl : public Layer {
 public:
  explicit TestScaleImpl(std::string name = "") : Layer("TestScale", std::move(name)) {}
  void build(const TensorShape& input_shape) override;
  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& s) override { return s; }
  json registered_name() const override { return "xkeras_tests>TestScale"; }
  std::string module() const override { return "xkeras_tests"; }
  static std::shared_ptr<TestScaleImpl> from_config(const json& config, const std::string& path);
};
LayerPtr TestScale(const std::string& name = "");

/// A layer that cannot describe itself (like a Lambda made from an unnamed C++ closure).
class TestOpaqueImpl : public Layer {
 public:
  TestOpaqueImpl() : Layer("TestOpaque") {}
  Tensor call(const Tensor& x, bool) override { return x; }
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& s) override { return s; }
  json get_config() const override;
};

/// The message of the ConfigError `f` throws (fails the test if it throws anything else or nothing).
std::string config_error(const std::function<void()>& f);
/// Fills every weight of the model with distinct, non-round values (seeded).
void randomize_weights(const Model& m, unsigned seed);
/// The model's eager output for one input (inference mode, no tape).
Tensor run(const Model& m, const Tensor& x);
Tensors run(const Model& m, const Tensors& xs);
/// Exact equality of shapes and float bits.
bool bit_equal(const Tensor& a, const Tensor& b);
/// A fresh empty directory under the build tree for this test's files.
std::string scratch_dir(const std::string& name);
/// Parses text as JSON.
json parse(const std::string& text);

}  // namespace sertest
