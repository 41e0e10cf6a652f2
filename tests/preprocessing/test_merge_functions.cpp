// Keras's functional merge helpers (layers::add, dot, ...): the layer class and auto-name they
// leave in the graph, eager forms, and a model built with them through JSON.
#include <catch2/catch.hpp>

#include <cmath>

#include <xkeras/errors.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/models/model.hpp>

#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::random_tensor;

TEST_CASE("Merge helpers: each builds its layer class with Keras's auto-name") {
  clear_session();
  const KerasTensor a = Input({3}), b = Input({3});
  struct Expect {
    KerasTensor t;
    const char* cls;
    const char* name;
  };
  const std::vector<Expect> got = {
      {layers::add({a, b}), "Add", "add"},
      {layers::subtract({a, b}), "Subtract", "subtract"},
      {layers::multiply({a, b}), "Multiply", "multiply"},
      {layers::average({a, b}), "Average", "average"},
      {layers::maximum({a, b}), "Maximum", "maximum"},
      {layers::minimum({a, b}), "Minimum", "minimum"},
      {layers::concatenate({a, b}), "Concatenate", "concatenate"},
      {layers::dot({a, b}), "Dot", "dot"},
      {layers::add({a, b}, "my_add"), "Add", "my_add"},
  };
  for (const auto& e : got) {
    CHECK(e.t.layer().class_name() == e.cls);
    CHECK(e.t.layer().name() == e.name);
    CHECK(e.t.node()->list_call);
  }
  CHECK(got[6].t.shape() == TensorShape{None, 6});
  CHECK(got[7].t.shape() == TensorShape{None, 1});                         // dot's default axes=-1
  CHECK(got[7].t.layer().get_config()["axes"] == -1);
  CHECK(layers::concatenate({Input({2, 3}), Input({2, 4})}, -1).shape() == TensorShape{None, 2, 7});
  CHECK(layers::dot({Input({5, 2}), Input({2, 5})}, {1, 2}).shape() == TensorShape{None, 2, 2});
  CHECK(layers::dot({a, b}, 1, true).layer().get_config()["normalize"] == true);
}

TEST_CASE("Merge helpers: eager forms compute the layers' values") {
  const Tensor x = Tensor::from({1, 3}, {1, 5, 3}), y = Tensor::from({1, 3}, {4, 2, 3});
  check_close(layers::add({x, y}), {5, 7, 6});
  check_close(layers::subtract({x, y}), {-3, 3, 0});
  check_close(layers::multiply({x, y}), {4, 10, 9});
  check_close(layers::average({x, y}), {2.5f, 3.5f, 3});
  check_close(layers::maximum({x, y}), {4, 5, 3});
  check_close(layers::minimum({x, y}), {1, 2, 3});
  check_close(layers::concatenate({x, y}), {1, 5, 3, 4, 2, 3});
  check_close(layers::dot({x, y}), {23});
  check_close(layers::dot({x, y}, 1, true), {23.0f / (std::sqrt(35.0f) * std::sqrt(29.0f))});
  CHECK_THROWS_AS(layers::subtract({x, y, x}), ValueError);
}

TEST_CASE("Merge helpers: a model built with them saves and loads as the layer classes") {
  const KerasTensor a = Input({4}), b = Input({4});
  const KerasTensor d1 = layers::Dense(4)(a), d2 = layers::Dense(4)(b);
  const KerasTensor m = layers::concatenate({layers::maximum({d1, d2}), layers::minimum({d1, d2})});
  const KerasTensor out = layers::add({layers::dot({d1, d2}, -1, true), layers::dot({m, m})});
  Model model(KerasTensors{a, b}, out);
  const Tensors xs{random_tensor({3, 4}, 1), random_tensor({3, 4}, 2)};
  const Tensor y = model.predict(xs)[0];
  REQUIRE(y.shape() == Shape{3, 1});
  const std::string text = model.to_json();
  CHECK(text.find("\"class_name\":\"Dot\"") != std::string::npos);
  CHECK(text.find("\"class_name\":\"Maximum\"") != std::string::npos);
  Model again = model_from_json(text);
  again.set_weights(model.get_weights());
  CHECK(again.to_json() == text);
  check_close(again.predict(xs)[0], y.to_vector(), 1e-6);
}
