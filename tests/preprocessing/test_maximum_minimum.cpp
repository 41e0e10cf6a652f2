// Maximum / Minimum merge layers: values, Keras's broadcasting, the gradient on ties (TensorFlow's
// rule: the earliest input holding the extremum takes it all), configs.
#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/tape.hpp>

#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

namespace {
// merging_test.py mask-test inputs (values only)
const Tensor x1 = Tensor::from({1, 4, 2}, {0, 0, 1, 2, 0, 0, 3, 4});
const Tensor x2 = Tensor::from({1, 4, 2}, {0, 0, 0, 0, 1, 2, 3, 4});

// The gradients of sum(y) with respect to each input.
std::vector<Array> grads_of_sum(const std::function<Tensor(const Tensors&)>& f, Tensors xs) {
  Tape::current().clear();
  for (auto& x : xs) {
    x = Tensor(x.value());  // fresh leaves
    x.set_requires_grad(true);
  }
  Tape::current().backward(f(xs));
  std::vector<Array> out;
  for (const auto& x : xs) out.push_back(x.grad());
  return out;
}
}  // namespace

TEST_CASE("Maximum / Minimum: elementwise over two and more inputs") {
  check_close(layers::Maximum()({x1, x2}), {0, 0, 1, 2, 1, 2, 3, 4});
  check_close(layers::Minimum()({x1, x2}), {0, 0, 0, 0, 0, 0, 3, 4});
  const Tensor a = Tensor::from({2, 3}, {1, 5, 3, -1, 0, 7}), b = Tensor::from({2, 3}, {4, 2, 3, -2, 1, 6}),
               c = Tensor::from({2, 3}, {0, 6, -3, 5, -5, 6});
  check_close(layers::Maximum()({a, b, c}), {4, 6, 3, 5, 1, 7});
  check_close(layers::Minimum()({a, b, c}), {0, 2, -3, -2, -5, 6});
  check_close(layers::Maximum()(Tensors{a}), a.to_vector());  // one input: itself
  // random (2, 4, 5) pairs equal np.maximum / np.minimum
  const Tensor r1 = random_tensor({2, 4, 5}, 1), r2 = random_tensor({2, 4, 5}, 2);
  const Tensor mx = layers::Maximum()({r1, r2}), mn = layers::Minimum()({r1, r2});
  for (std::size_t i = 0; i < r1.size(); ++i) {
    CHECK(mx.data()[i] == std::max(r1.data()[i], r2.data()[i]));
    CHECK(mn.data()[i] == std::min(r1.data()[i], r2.data()[i]));
  }
}

TEST_CASE("Maximum / Minimum: Keras's rank rule (size-1 axes inserted at axis 1) and shapes") {
  const Tensor a = Tensor::from({2, 3}, {0, 5, 10, 0, 5, 10}), b = Tensor::from({2, 2, 3}, {1, 1, 1, 9, 9, 9, 2, 2, 2, 3, 3, 3});
  check_close(layers::Maximum()({a, b}), {1, 5, 10, 9, 9, 10, 2, 5, 10, 3, 5, 10});
  check_close(layers::Minimum()({b, a}), {0, 1, 1, 0, 5, 9, 0, 2, 2, 0, 3, 3});
  CHECK(layers::Maximum()({Input({3}), Input({5, 3})}).shape() == TensorShape{None, 5, 3});
  testing::check_output_shape(*layers::Minimum(), {random_tensor({2, 1, 3}), random_tensor({2, 4, 1})});
  CHECK_THROWS_WITH(layers::Maximum("max_bad")({Input({3}), Input({4})}),
                    Catch::Contains("max_bad") && Catch::Contains("incompatible shapes"));
  CHECK_THROWS_AS(layers::Minimum()({random_tensor({2, 3}), random_tensor({3, 3})}), ValueError);
}

TEST_CASE("Maximum / Minimum: gradients, and ties go to the earliest input (TensorFlow's rule)") {
  Tensor a = random_tensor({2, 4}, 3), b = random_tensor({2, 4}, 4), c = random_tensor({2, 1, 4}, 5);
  layers::Maximum mx;
  layers::Minimum mn;
  check_gradients([&] { return mx({a, b, c}); }, {a, b, c});
  check_gradients([&] { return mn({a, b, c}); }, {a, b, c});
  // ties: x = [1, 2, 7], y = [1, 3, 7], z = [1, 3, 0]
  const Tensors xs{Tensor::from({1, 3}, {1, 2, 7}), Tensor::from({1, 3}, {1, 3, 7}), Tensor::from({1, 3}, {1, 3, 0})};
  auto gmax = grads_of_sum([&](const Tensors& t) { return mx(t); }, xs);
  check_close(Tensor(gmax[0]), {1, 0, 1});
  check_close(Tensor(gmax[1]), {0, 1, 0});  // 3 == 3: y is earlier than z
  check_close(Tensor(gmax[2]), {0, 0, 0});
  auto gmin = grads_of_sum([&](const Tensors& t) { return mn(t); }, xs);
  check_close(Tensor(gmin[0]), {1, 1, 0});
  check_close(Tensor(gmin[1]), {0, 0, 0});
  check_close(Tensor(gmin[2]), {0, 0, 1});
}

TEST_CASE("Maximum / Minimum: base configs and round trips") {
  for (LayerPtr l : {LayerPtr(layers::Maximum("maximum")), LayerPtr(layers::Minimum("minimum"))}) {
    testing::check_key_order(l->get_config(), {"name", "trainable", "dtype"});
    testing::check_config_round_trip(*l);
    CHECK(l->takes_list());
  }
  CHECK_THROWS_AS(layer_from_config("Maximum", json{{"name", 3}}, "config"), ConfigError);
  CHECK_THROWS_AS(layer_from_config("Minimum", json{{"trainable", "no"}}, "config"), ConfigError);
}
