// Optimizers: Keras's own test values (reference §5), config JSON, state round trip.
#include <catch2/catch.hpp>

#include <cmath>

#include <xkeras/errors.hpp>
#include <xkeras/optimizers.hpp>
#include <xkeras/regularizers.hpp>

#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;

namespace {

// A free-standing variable with a given value and gradient, as Keras's tests use.
VariablePtr variable(const std::vector<float>& value, const std::string& name = "v") {
  auto v = std::make_shared<Variable>();
  v->name = name;
  v->value = Tensor::from({value.size()}, value);
  v->value.set_requires_grad(true);
  return v;
}

void set_grad(const VariablePtr& v, const std::vector<float>& g) {
  v->value.zero_grad();
  Array& buf = v->value.grad_buffer();
  std::copy(g.begin(), g.end(), buf.begin());
}

std::vector<float> one_step(Optimizer opt) {
  auto v = variable({1, 2, 3, 4});
  set_grad(v, {1, 6, 7, 2});
  opt->apply_gradients({v});
  return v->value.to_vector();
}

// Keras's golden test: x = ones(10), first grad 0.01, then grads 0.1, 0.2, ..., 1.0.
void golden(Optimizer opt, const std::vector<std::vector<float>>& rows) {
  auto x = variable(std::vector<float>(10, 1.0f));
  std::vector<float> grads;
  for (int i = 1; i <= 10; ++i) grads.push_back(0.1f * static_cast<float>(i));
  set_grad(x, std::vector<float>(10, 0.01f));
  opt->apply_gradients({x});
  for (const auto& row : rows) {
    const auto got = x->value.to_vector();
    for (std::size_t i = 0; i < 10; ++i) {
      const float want = row.size() == 1 ? row[0] : row[i];
      INFO("element " << i << " got " << got[i] << " want " << want);
      CHECK(std::fabs(got[i] - want) <= 5e-4 + 5e-4 * std::fabs(want));
    }
    set_grad(x, grads);
    opt->apply_gradients({x});
  }
}

}  // namespace

TEST_CASE("SGD, Adam and RMSprop single steps match Keras's tests") {
  check_close(Tensor::from({4}, one_step(optimizers::SGD(0.5f))), {0.5f, -1.0f, -0.5f, 3.0f}, 1e-6);
  check_close(Tensor::from({4}, one_step(optimizers::Adam(0.5f))), {0.5f, 1.5f, 2.5f, 3.5f}, 1e-4);
  check_close(Tensor::from({4}, one_step(optimizers::RMSprop(0.5f))), {-0.5811f, 0.4189f, 1.4189f, 2.4189f}, 1e-4);
}

TEST_CASE("optimizer golden sequences: nesterov SGD, amsgrad Adam, centered RMSprop") {
  std::vector<float> r1, r2, r3, r4;
  for (int i = 1; i <= 10; ++i) {
    r1.push_back(0.9999f - 0.001f * i);
    r2.push_back(0.9999f - 0.002f * i);
    r3.push_back(0.9999f - 0.003f * i);
    r4.push_back(0.9999f - 0.004f * i);
  }
  golden(optimizers::SGD(0.01f, 0.0f, true), {{0.9999f}, r1, r2, r3, r4});
  golden(optimizers::Adam(0.001f, 0.9f, 0.999f, 1e-7f, true), {{0.999f}, {0.9982f}, {0.9974f}, {0.9965f}, {0.9955f}});
  golden(optimizers::RMSprop(0.001f, 0.9f, 0.0f, 1e-7f, true), {{0.9967f}, {0.9933f}, {0.9908f}, {0.9885f}, {0.9864f}});
}

TEST_CASE("SGD with momentum follows m = mu m - lr g, w += m") {
  auto v = variable({1.0f});
  Optimizer opt = optimizers::SGD(0.1f, 0.9f);
  set_grad(v, {1.0f});
  opt->apply_gradients({v});  // m = -0.1, w = 0.9
  set_grad(v, {1.0f});
  opt->apply_gradients({v});  // m = -0.09 - 0.1 = -0.19, w = 0.71
  CHECK(v->value.item() == Approx(0.71f).epsilon(1e-6));
  CHECK(opt->iterations() == 2);
}

TEST_CASE("decoupled weight decay: a variable shared by three optimizers") {
  // Keras adam_test::test_weight_decay: 2 * (1 - 0.004)^3 with zero gradients and lr 1.
  auto v = variable({2.0f});
  for (int i = 0; i < 3; ++i) {
    Optimizer opt = optimizers::Adam(1.0f, 0.9f, 0.999f, 1e-7f, false, {.weight_decay = 0.004f});
    set_grad(v, {0.0f});
    opt->apply_gradients({v});
  }
  CHECK(v->value.item() == Approx(1.9760959f).epsilon(1e-6));
}

TEST_CASE("gradient clipping: clipnorm, clipvalue, global_clipnorm") {
  // clipnorm=1 on [100, 100] gives [sqrt(2)/2, sqrt(2)/2]; SGD lr 1 exposes the clipped gradient.
  auto v = variable({0.0f, 0.0f});
  set_grad(v, {100.0f, 100.0f});
  optimizers::SGD(1.0f, 0.0f, false, {.clipnorm = 1.0f})->apply_gradients({v});
  check_close(v->value, {-std::sqrt(2.0f) / 2, -std::sqrt(2.0f) / 2}, 1e-6);
  // The variable's own gradient is left as the tape wrote it.
  check_close(Tensor(v->value.grad()), {100.0f, 100.0f});

  auto w = variable({0.0f, 0.0f});
  set_grad(w, {100.0f, -0.5f});
  optimizers::SGD(1.0f, 0.0f, false, {.clipvalue = 1.0f})->apply_gradients({w});
  check_close(w->value, {-1.0f, 0.5f});

  // global norm of [3, 4] and [12] is 13: scaled by 6.5 / 13
  auto a = variable({0.0f, 0.0f}), b = variable({0.0f}, "b");
  set_grad(a, {3.0f, 4.0f});
  set_grad(b, {12.0f});
  optimizers::SGD(1.0f, 0.0f, false, {.global_clipnorm = 6.5f})->apply_gradients({a, b});
  check_close(a->value, {-1.5f, -2.0f});
  check_close(b->value, {-6.0f});

  CHECK_THROWS_WITH(optimizers::SGD(1.0f, 0.0f, false, {.clipnorm = 0.1f, .clipvalue = 0.1f}),
                    Catch::Contains("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set"));
}

TEST_CASE("variables without a gradient are skipped, and constraints run after the update") {
  auto a = variable({1.0f}), b = variable({1.0f}, "b");
  set_grad(a, {1.0f});
  b->value.zero_grad();
  Optimizer opt = optimizers::SGD(0.5f);
  opt->apply_gradients({a, b});
  CHECK(a->value.item() == Approx(0.5f));
  CHECK(b->value.item() == 1.0f);
  CHECK(opt->iterations() == 1);
  opt->apply_gradients({});  // no variables: no step
  CHECK(opt->iterations() == 1);

  struct Clamp : constraints::ConstraintImpl {
    void apply(Array& w) const override {
      for (auto& x : w) x = std::max(x, 0.0f);
    }
    std::string class_name() const override { return "NonNeg"; }
    json get_config() const override { return json::object(); }
  };
  auto c = variable({0.1f, 1.0f}, "c");
  c->constraint = Constraint(std::make_shared<Clamp>());
  set_grad(c, {1.0f, 1.0f});
  optimizers::SGD(0.5f)->apply_gradients({c});
  check_close(c->value, {0.0f, 0.5f});
}

TEST_CASE("optimizer config JSON is Keras's") {
  const json adam = Optimizer("adam").to_json();
  const json want = json::parse(R"({"module": "keras.optimizers", "class_name": "Adam", "config": {"name": "adam",
    "learning_rate": 0.0010000000474974513, "weight_decay": null, "clipnorm": null, "global_clipnorm": null,
    "clipvalue": null, "use_ema": false, "ema_momentum": 0.99, "ema_overwrite_frequency": null,
    "loss_scale_factor": null, "gradient_accumulation_steps": null, "beta_1": 0.9, "beta_2": 0.999,
    "epsilon": 1e-07, "amsgrad": false}, "registered_name": null})");
  CHECK(adam == want);

  const json sgd = optimizers::SGD(0.1f, 0.9f, true, {.clipnorm = 1.5f})->get_config();
  CHECK(sgd["name"] == "SGD");
  CHECK(sgd["learning_rate"].get<double>() == double(0.1f));
  CHECK(sgd["momentum"] == 0.9);
  CHECK(sgd["nesterov"] == true);
  CHECK(sgd["clipnorm"] == 1.5);
  const json rms = Optimizer("RMSprop")->get_config();
  CHECK(rms["name"] == "rmsprop");
  CHECK(rms["rho"] == 0.9);
  CHECK(rms["centered"] == false);

  for (const Optimizer& o : {optimizers::SGD(0.2f, 0.5f, true), optimizers::Adam(0.01f, 0.8f, 0.99f, 1e-5f, true),
                             optimizers::RMSprop(0.02f, 0.8f, 0.5f, 1e-6f, true, {.weight_decay = 0.01f})}) {
    const json j = o.to_json();
    const Optimizer back = Optimizer::from_json(j, "compile_config.optimizer");
    CHECK(back.to_json() == j);
  }
  CHECK(Optimizer::from_json("sgd", "p")->class_name() == "SGD");
}

TEST_CASE("optimizer JSON errors name the path") {
  json j = Optimizer("adam").to_json();
  j["config"]["beta_1"] = "x";
  CHECK_THROWS_AS(Optimizer::from_json(j, "compile_config.optimizer"), ConfigError);
  CHECK_THROWS_WITH(Optimizer::from_json(j, "compile_config.optimizer"),
                    Catch::StartsWith("compile_config.optimizer.config.beta_1: expected a number"));
  CHECK_THROWS_WITH(Optimizer::from_json(json{{"class_name", "Adafactor"}, {"config", json::object()}}, "o"),
                    Catch::StartsWith("o.class_name: unsupported optimizer \"Adafactor\""));
  j = Optimizer("sgd").to_json();
  j["config"]["learning_rate"] = {{"class_name", "ExponentialDecay"}};  // a schedule without its config
  CHECK_THROWS_WITH(Optimizer::from_json(j, "o"), Catch::StartsWith("o.config.learning_rate.config: expected an object"));
  j = Optimizer("sgd").to_json();
  j["config"]["bogus"] = 1;
  CHECK_THROWS_WITH(Optimizer::from_json(j, "o"), Catch::StartsWith("o.config.bogus: unknown argument"));
  // tf.keras 2.x configs carry "decay" and "is_legacy_optimizer": accepted and ignored.
  const json legacy = json::parse(R"({"class_name": "Adam", "config": {"name": "Adam", "learning_rate": 0.001,
      "decay": 0.0, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": false, "is_legacy_optimizer": false}})");
  CHECK(Optimizer::from_json(legacy, "o")->name() == "Adam");
  CHECK_THROWS_AS(Optimizer("adafactor"), ValueError);
  CHECK_THROWS_AS(optimizers::SGD(0.1f, 1.5f), ValueError);
}

TEST_CASE("optimizer state round trip: resuming gives the same next step") {
  for (const char* name : {"adam", "rmsprop", "sgd"}) {
    INFO(name);
    auto make = [&] {
      if (std::string(name) == "sgd") return optimizers::SGD(0.1f, 0.9f, true);
      if (std::string(name) == "rmsprop") return optimizers::RMSprop(0.01f, 0.9f, 0.5f, 1e-7f, true);
      return optimizers::Adam(0.01f, 0.9f, 0.999f, 1e-7f, true);
    };
    auto w = variable({0.5f, -1.0f, 2.0f}, "kernel");
    Optimizer a = make();
    for (int s = 0; s < 3; ++s) {
      set_grad(w, {0.3f * s + 0.1f, -0.2f, 0.05f * s});
      a->apply_gradients({w});
    }
    const json state = a->get_state();
    CHECK(state["iterations"] == 3);
    // A fresh optimizer restored from the state, on a copy of the weights, takes the same step.
    auto w2 = variable(w->value.to_vector(), "kernel");
    Optimizer b = make();
    b->set_state(json::parse(state.dump()), {w2}, "optimizer_state");
    CHECK(b->iterations() == 3);
    set_grad(w, {0.7f, 0.1f, -0.3f});
    set_grad(w2, {0.7f, 0.1f, -0.3f});
    a->apply_gradients({w});
    b->apply_gradients({w2});
    CHECK(w->value.to_vector() == w2->value.to_vector());
    CHECK(a->get_state() == b->get_state());
  }
}

TEST_CASE("optimizer set_state validates shapes and paths") {
  auto w = variable({1.0f, 2.0f}, "kernel");
  Optimizer a = optimizers::Adam();
  set_grad(w, {1.0f, 1.0f});
  a->apply_gradients({w});
  const json state = a->get_state();
  REQUIRE(state["variables"].contains("kernel"));

  auto wrong = variable({1.0f, 2.0f, 3.0f}, "kernel");
  Optimizer b = optimizers::Adam();
  CHECK_THROWS_AS(b->set_state(state, {wrong}, "optimizer"), ConfigError);
  CHECK_THROWS_WITH(b->set_state(state, {wrong}, "optimizer"),
                    Catch::StartsWith("optimizer.variables[\"kernel\"].momentum: expected shape (3,) (the variable's), got (2,)"));
  auto other = variable({1.0f, 2.0f}, "bias");
  CHECK_THROWS_WITH(b->set_state(state, {other}, "optimizer"),
                    Catch::StartsWith("optimizer.variables[\"kernel\"]: no trainable variable"));
  json broken = state;
  broken["variables"]["kernel"]["velocity"]["data"] = "AAAA";
  CHECK_THROWS_WITH(b->set_state(broken, {w}, "optimizer"), Catch::StartsWith("optimizer.variables[\"kernel\"].velocity.data:"));
  broken = state;
  broken["iterations"] = -1;
  CHECK_THROWS_WITH(b->set_state(broken, {w}, "optimizer"), Catch::StartsWith("optimizer.iterations:"));
  CHECK(b->iterations() == 0);  // a failed set_state leaves the optimizer untouched
  // SGD without momentum keeps no slots.
  CHECK(optimizers::SGD()->slot_names().empty());
}
