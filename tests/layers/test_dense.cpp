#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/ops.hpp>

#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

namespace {
Array arr(const Shape& s, const std::vector<float>& v) { return Tensor::from(s, v).value(); }
}  // namespace

TEST_CASE("Dense: Keras dense_test correctness values") {
  // keras/src/layers/core/dense_test.py::test_dense_correctness
  layers::Dense d(2, "relu");
  const Tensor x = Tensor::from({1, 2}, {-1, 2});
  d(x);  // builds
  d->set_weights({arr({2, 2}, {1, -2, 3, -4}), arr({2}, {5, -6})});
  check_close(d(x), {10, 0});

  layers::Dense nb(2, {.use_bias = false});
  nb(x);
  REQUIRE(nb->weights().size() == 1);
  nb->set_weights({arr({2, 2}, {1, -2, 3, -4})});
  check_close(nb(x), {5, -6});
}

TEST_CASE("Dense: weights are kernel (in, units) then bias (units,), named like Keras") {
  layers::Dense d(3, {.activation = "tanh", .name = "proj"});
  d(random_tensor({2, 5}));
  const auto w = d->weights();
  REQUIRE(w.size() == 2);
  CHECK(w[0]->name == "kernel");
  CHECK(w[0]->shape() == Shape{5, 3});
  CHECK(w[0]->path() == "proj/kernel");
  CHECK(w[1]->name == "bias");
  CHECK(w[1]->shape() == Shape{3});
  CHECK(d->count_params() == 18);
  CHECK(d->trainable_weights().size() == 2);
  // default bias initializer is zeros
  for (float b : w[1]->value.to_vector()) CHECK(b == 0.0f);
  // glorot_uniform: |w| <= sqrt(6 / (5 + 3))
  for (float k : w[0]->value.to_vector()) CHECK(std::fabs(k) <= std::sqrt(6.0f / 8.0f));
}

TEST_CASE("Dense: auto-names follow Keras") {
  clear_session();
  CHECK(layers::Dense(1)->name() == "dense");
  CHECK(layers::Dense(1)->name() == "dense_1");
  CHECK(layers::Dense(1, {.name = "head"})->name() == "head");
}

TEST_CASE("Dense: a rank-3 input contracts its last axis") {
  layers::Dense d(2, {.bias_initializer = "ones"});
  const Tensor x = Tensor::from({1, 2, 3}, {1, 2, 3, 4, 5, 6});
  d(x);
  d->set_weights({arr({3, 2}, {1, 0, 0, 1, 1, 1}), arr({2}, {0.5f, -0.5f})});
  // row [1,2,3] -> [1+3, 2+3] + b; row [4,5,6] -> [4+6, 5+6] + b
  const Tensor y = d(x);
  CHECK(y.shape() == Shape{1, 2, 2});
  check_close(y, {4.5f, 4.5f, 10.5f, 10.5f});
  testing::check_output_shape(*d, {x});
}

TEST_CASE("Dense: compute_output_shape equals the real output shape") {
  layers::Dense d(7);
  testing::check_output_shape(*d, {random_tensor({4, 5})});
  const KerasTensor y = d(Input({5}));
  CHECK(y.shape() == TensorShape{None, 7});
}

TEST_CASE("Dense: gradients of the input, kernel and bias") {
  layers::Dense d(3, "tanh");
  Tensor x = random_tensor({4, 5}, 7);
  d(x);
  check_gradients([&] { return d(x); }, {x, d->kernel()->value, d->bias()->value});
  layers::Dense r(2, "sigmoid");
  Tensor x3 = random_tensor({2, 3, 4}, 8);
  r(x3);
  check_gradients([&] { return r(x3); }, {x3, r->kernel()->value, r->bias()->value});
}

TEST_CASE("Dense: config keys, values and round trip") {
  layers::Dense d(4, {.activation = "relu", .name = "dense_cfg"});
  const json c = d->get_config();
  testing::check_key_order(c, {"name", "trainable", "dtype", "units", "activation", "use_bias", "kernel_initializer",
                               "bias_initializer", "kernel_regularizer", "bias_regularizer", "kernel_constraint",
                               "bias_constraint"});
  CHECK(c["name"] == "dense_cfg");
  CHECK(c["trainable"] == true);
  CHECK(c["dtype"]["config"]["name"] == "float32");
  CHECK(c["units"] == 4);
  CHECK(c["activation"] == "relu");
  CHECK(c["use_bias"] == true);
  CHECK(c["kernel_initializer"]["class_name"] == "GlorotUniform");
  CHECK(c["kernel_initializer"]["module"] == "keras.initializers");
  CHECK(c["bias_initializer"]["class_name"] == "Zeros");
  CHECK(c["kernel_regularizer"].is_null());
  CHECK(c["bias_constraint"].is_null());
  testing::check_config_round_trip(*d);

  layers::Dense plain(3);
  CHECK(plain->get_config()["activation"] == "linear");  // Keras writes None as "linear"
  d->set_trainable(false);
  auto again = testing::check_config_round_trip(*d);
  CHECK_FALSE(again->trainable());
}

TEST_CASE("Dense: build_config records the input shape") {
  layers::Dense d(2);
  CHECK(d->build_config().is_null());
  d(Input({6}));
  CHECK(d->build_config() == json::parse(R"({"input_shape": [null, 6]})"));
}

TEST_CASE("Dense: reads a real Keras 3 config") {
  // From the Keras 3 Sequential dump in the reference (section 3.2).
  const json c = json::parse(R"({"name": "dense_1", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy",
    "config": {"name": "float32"}, "registered_name": null}, "units": 8, "activation": "relu", "use_bias": true,
    "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null},
    "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null},
    "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null,
    "quantization_config": null})");
  auto l = std::dynamic_pointer_cast<layers::DenseImpl>(layer_from_config("Dense", c, "config"));
  REQUIRE(l);
  CHECK(l->name() == "dense_1");
  CHECK(l->units() == 8);
  CHECK(l->activation() == "relu");
  // tf.keras 2.x: plain dtype string and activity_regularizer: null
  const json tfk = json::parse(R"({"name": "dense_4", "trainable": true, "dtype": "float32", "units": 122, "activation": "relu",
    "use_bias": true, "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}},
    "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null, "bias_regularizer": null,
    "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null})");
  auto t = std::dynamic_pointer_cast<layers::DenseImpl>(layer_from_config("Dense", tfk, "config"));
  REQUIRE(t);
  CHECK(t->units() == 122);
}

TEST_CASE("Dense: argument errors") {
  CHECK_THROWS_AS(layers::Dense(0), ValueError);
  CHECK_THROWS_WITH(layers::Dense(-3), Catch::Contains("units") && Catch::Contains("positive integer") &&
                                            Catch::Contains("units=-3"));
  CHECK_THROWS_WITH(layers::Dense(2, "relux"), Catch::Contains("relux"));
  try {
    layer_from_config("Dense", json{{"units", -4}}, "config.layers[3]");
    FAIL("expected ConfigError");
  } catch (const ConfigError& e) {
    CHECK(std::string(e.what()) == "config.layers[3].config.units: expected a positive integer, got -4");
  }
  CHECK_THROWS_AS(layer_from_config("Dense", json{{"units", 2}, {"activation", "nope"}}, "config"), ConfigError);
}

TEST_CASE("Dense: Keras-style error for a wrong input shape") {
  layers::Dense d(8, {.name = "dense_in64"});
  d(Input({64}));
  CHECK_THROWS_WITH(d(Input({32})), "Input 0 of layer \"dense_in64\" is incompatible with the layer: expected axis -1 "
                                    "of input shape to have value 64, but received input with shape (None, 32)");
  CHECK_THROWS_WITH(d(random_tensor({2, 32})), Catch::Contains("dense_in64") && Catch::Contains("value 64") &&
                                                   Catch::Contains("(2, 32)"));
  layers::Dense e(2, {.name = "dense_rank"});
  CHECK_THROWS_WITH(e(Tensor::from({3}, {1, 2, 3})), Catch::Contains("dense_rank") && Catch::Contains("min_ndim=2"));
  layers::Dense f(2, {.name = "dense_none"});
  CHECK_THROWS_WITH(f(Input({None})), Catch::Contains("dense_none") && Catch::Contains("should be defined"));
}
