// A user-defined layer: subclass Layer, create weights in build, compose ops in call, describe
// yourself in get_config, register once. It then gets exact gradients and loads by class name.
#include <catch2/catch.hpp>

#include <xkeras/config.hpp>
#include <xkeras/errors.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/ops.hpp>
#include <xkeras/registry.hpp>

#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

namespace {

/// y = gain * tanh(x · w): a weight matrix and a per-unit gain, both trainable.
class GainDense : public Layer {
 public:
  explicit GainDense(int units, float initial_gain = 1.0f, std::string name = "")
      : Layer("GainDense", std::move(name)), units_(units), initial_gain_(initial_gain) {
    if (units <= 0) throw ValueError("GainDense: units must be positive, got " + std::to_string(units));
  }

  void build(const TensorShape& input_shape) override {
    const auto in = static_cast<std::size_t>(input_shape.back());
    w_ = add_weight("w", {in, static_cast<std::size_t>(units_)}, "glorot_uniform");
    gain_ = add_weight("gain", {static_cast<std::size_t>(units_)}, initializers::Constant(initial_gain_));
  }

  Tensor call(const Tensor& x, bool) override { return ops::mul(ops::tanh(ops::matmul(x, w_->value)), gain_->value); }

  json get_config() const override {
    json c = base_config();
    c["units"] = units_;
    c["initial_gain"] = initial_gain_;
    return c;
  }
  json registered_name() const override { return "MyLayers>GainDense"; }

  static std::shared_ptr<GainDense> from_config(const json& config, const std::string& path) {
    ConfigReader r(config, path);
    auto l = std::make_shared<GainDense>(r.positive_int("units"), r.get_float("initial_gain", 1.0f), r.name());
    r.apply_base(*l);
    return l;
  }

  const VariablePtr& w() const { return w_; }
  const VariablePtr& gain() const { return gain_; }

 private:
  int units_;
  float initial_gain_;
  VariablePtr w_, gain_;
};
XKERAS_REGISTER_LAYER(GainDense);

/// A broken layer: its output ignores the input.
class ConstantOutput : public Layer {
 public:
  ConstantOutput() : Layer("ConstantOutput") {}
  Tensor call(const Tensor& x, bool) override { return Tensor::full(x.shape(), 1.0f); }
};

}  // namespace

TEST_CASE("Custom layer: builds its weights and computes the expected values") {
  auto layer = make_layer<GainDense>(2, 3.0f);
  const Tensor x = Tensor::from({1, 2}, {1, -1});
  layer(x);
  REQUIRE(layer->weights().size() == 2);
  CHECK(layer->weights()[0]->path() == layer->name() + "/w");
  check_close(layer->gain()->value, {3, 3});
  layer->set_weights({Tensor::from({2, 2}, {0.5f, 1, 0.25f, -1}).value(), Tensor::from({2}, {2, -1}).value()});
  // x·w = [0.25, 2] -> gain * tanh
  check_close(layer(x), {2 * std::tanh(0.25f), -std::tanh(2.0f)});
  CHECK(layer->name() == "gain_dense");
}

TEST_CASE("Custom layer: the default compute_output_shape traces the call") {
  auto layer = make_layer<GainDense>(3);
  CHECK(layer(Input({4})).shape() == TensorShape{None, 3});
  testing::check_output_shape(*layer, {random_tensor({5, 4})});
}

TEST_CASE("Custom layer: exact gradients of the input and both weights, with no backward written") {
  auto layer = make_layer<GainDense>(3, 0.7f);
  Tensor x = random_tensor({4, 5}, 12);
  layer(x);
  check_gradients([&] { return layer(x); }, {x, layer->w()->value, layer->gain()->value});
}

TEST_CASE("Custom layer: config round trip through the registry") {
  auto layer = make_layer<GainDense>(6, 0.5f, "custom");
  const json c = layer->get_config();
  testing::check_key_order(c, {"name", "trainable", "dtype", "units", "initial_gain"});
  CHECK(c["units"] == 6);
  CHECK(has_layer("GainDense"));
  auto again = testing::check_config_round_trip(*layer);
  CHECK(again->registered_name() == "MyLayers>GainDense");
  CHECK(again->name() == "custom");
  CHECK_THROWS_WITH(layer_from_config("GainDense", json{{"units", 0}}, "model"),
                    "model.config.units: expected a positive integer, got 0");
}

TEST_CASE("Custom layer: an output not connected to the input is a ValueError on the symbolic call") {
  auto broken = make_layer<ConstantOutput>();
  CHECK_THROWS_AS(broken(Input({3})), ValueError);
  CHECK_THROWS_WITH(broken(Input({3})), Catch::Contains(broken->name()) && Catch::Contains("not connected"));
}
