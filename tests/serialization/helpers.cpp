#include "helpers.hpp"

#include <cstring>
#include <filesystem>
#include <random>

#include "xkeras/config.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/registry.hpp"
#include "xkeras/tape.hpp"

namespace sertest {

void TestScaleImpl::build(const TensorShape& input_shape) {
  const auto n = static_cast<std::size_t>(input_shape.back());
  add_weight("gamma", {n}, Initializer("ones"), true);
  add_weight("shift", {n}, Initializer("zeros"), false);
}

Tensor TestScaleImpl::call(const Tensor& x, bool) {
  return ops::add(ops::mul(x, own_variables()[0]->value), own_variables()[1]->value);
}

std::shared_ptr<TestScaleImpl> TestScaleImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  auto l = std::make_shared<TestScaleImpl>(r.name());
  r.apply_base(*l);
  return l;
}

XKERAS_REGISTER_LAYER_NAMED(TestScaleImpl, "TestScale");

LayerPtr TestScale(const std::string& name) { return std::make_shared<TestScaleImpl>(name); }

json TestOpaqueImpl::get_config() const {
  throw ValueError("Layer \"" + name() + "\" (TestOpaque) cannot be serialized");
}

std::string config_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  } catch (const std::exception& e) {
    FAIL("expected a ConfigError, got another exception: " << e.what());
  }
  FAIL("expected a ConfigError, nothing was thrown");
  return "";
}

void randomize_weights(const Model& m, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (const auto& v : m->weights())
    for (auto& x : v->value.mutable_value()) x = dist(gen);
}

Tensor run(const Model& m, const Tensor& x) { return run(m, Tensors{x}).at(0); }

Tensors run(const Model& m, const Tensors& xs) {
  NoGrad no_grad;
  return (*m)(xs, false);
}

bool bit_equal(const Tensor& a, const Tensor& b) {
  return a.shape() == b.shape() && std::memcmp(a.data(), b.data(), 4 * a.size()) == 0;
}

std::string scratch_dir(const std::string& name) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(XKERAS_BINARY_DIR) / "tests" / "serialization_scratch" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

json parse(const std::string& text) { return json::parse(text); }

}  // namespace sertest
