#include <catch2/catch.hpp>

#include <numeric>

#include <xkeras/errors.hpp>
#include <xkeras/layers.hpp>

#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

TEST_CASE("Reshape: row-major order and -1 inference") {
  std::vector<float> v(24);
  std::iota(v.begin(), v.end(), 0.0f);
  const Tensor x = Tensor::from({2, 12}, v);
  const Tensor y = layers::Reshape({3, 4})(x);
  CHECK(y.shape() == Shape{2, 3, 4});
  check_close(y, v);
  CHECK(layers::Reshape({-1, 2})(x).shape() == Shape{2, 6, 2});
  CHECK(layers::Reshape({2, 3, -1})(x).shape() == Shape{2, 2, 3, 2});
  const Tensor z = layers::Reshape({12})(layers::Reshape({4, 3})(x));
  check_close(z, v);
}

TEST_CASE("Reshape: symbolic shapes") {
  CHECK(layers::Reshape({4, -1})(Input({3, 4})).shape() == TensorShape{None, 4, 3});
  CHECK(layers::Reshape({2, 6})(Input({12})).shape() == TensorShape{None, 2, 6});
  // an unknown input size leaves the -1 unknown
  CHECK(layers::Reshape({-1, 2})(Input({None, 4})).shape() == TensorShape{None, None, 2});
  layers::Reshape r({6, -1});
  testing::check_output_shape(*r, {random_tensor({5, 3, 4})});
}

TEST_CASE("Reshape: gradient and config round trip") {
  layers::Reshape r({2, -1}, "rs");
  Tensor x = random_tensor({3, 8}, 2);
  check_gradients([&] { return r(x); }, {x});
  const json c = r->get_config();
  testing::check_key_order(c, {"name", "trainable", "dtype", "target_shape"});
  CHECK(c["target_shape"] == json::parse("[2, -1]"));
  testing::check_config_round_trip(*r);
  r(Input({8}));
  CHECK(r->build_config().is_null());
}

TEST_CASE("Reshape: errors with Keras's messages") {
  CHECK_THROWS_WITH(layers::Reshape({-1, -1}), Catch::Contains("There must be at most one unknown dimension (-1) in `target_shape`"));
  CHECK_THROWS_WITH(layers::Reshape({-2, 5}), Catch::Contains("must be a non-negative integer, or `-1`"));
  CHECK_THROWS_AS(layers::Reshape(std::vector<Dim>{0, 3}), ValueError);  // ({0, 3}) would also match shared_ptr(nullptr, deleter)
  CHECK_THROWS_WITH(layers::Reshape({5}, "rs_bad")(Input({3, 4})),
                    Catch::Contains("rs_bad") && Catch::Contains("total size of the tensor must be unchanged") &&
                        Catch::Contains("(3, 4)"));
  CHECK_THROWS_WITH(layers::Reshape({5, -1})(random_tensor({2, 12})), Catch::Contains("cannot be divided"));
  CHECK_THROWS_AS(layer_from_config("Reshape", json{{"target_shape", {-1, -1}}}, "config"), ConfigError);
  CHECK_THROWS_AS(layer_from_config("Reshape", json{{"target_shape", "3"}}, "config"), ConfigError);
  CHECK_THROWS_AS(layer_from_config("Reshape", json::object(), "config"), ConfigError);
}
