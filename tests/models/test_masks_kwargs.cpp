// The sequence foundation: int32 tensors through a graph, Keras masks that travel on tensors, and
// per-call keyword arguments (Keras's node "kwargs"), each through eager calls, models and JSON.
#include <catch2/catch.hpp>

#include <xkeras/config.hpp>
#include <xkeras/errors.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/ops.hpp>
#include <xkeras/registry.hpp>
#include <xkeras/xkeras.hpp>

using namespace xkeras;

namespace {

/// Reads int32 ids and returns them as floats times 10: proves the ids arrive as int32.
class IdsTimesTen : public Layer {
 public:
  explicit IdsTimesTen(std::string name = "") : Layer("IdsTimesTen", std::move(name)) {}
  bool accepts_int_inputs() const override { return true; }
  Tensor call(const Tensor& x, bool) override {
    if (!x.is_int()) throw ValueError("IdsTimesTen expected int32 ids");
    return ops::scale(ops::cast(x, DType::float32), 10.0f);
  }
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& s) override { return s; }
  static std::shared_ptr<IdsTimesTen> from_config(const json& c, const std::string& p) {
    ConfigReader r(c, p);
    return std::make_shared<IdsTimesTen>(r.name());
  }
};
XKERAS_REGISTER_LAYER(IdsTimesTen);

/// Masks every step whose first feature is 0 (a small Masking): the mask is (batch, time).
class ZeroStepMask : public Layer {
 public:
  explicit ZeroStepMask(std::string name = "") : Layer("ZeroStepMask", std::move(name)) {}
  bool supports_masking() const override { return true; }
  Tensor call(const Tensor& x, bool) override { return ops::scale(x, 1.0f); }
  Tensors compute_mask(const Tensors& xs, const Tensors&) override {
    const Shape s = xs[0].shape();
    Array m = Array::from_shape({s[0], s[1]});
    for (std::size_t b = 0; b < s[0]; ++b)
      for (std::size_t t = 0; t < s[1]; ++t) m(b, t) = xs[0].value()(b, t, 0) != 0.0f ? 1.0f : 0.0f;
    return {Tensor(std::move(m))};
  }
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& s) override { return s; }
  static std::shared_ptr<ZeroStepMask> from_config(const json& c, const std::string& p) {
    ConfigReader r(c, p);
    return std::make_shared<ZeroStepMask>(r.name());
  }
};
XKERAS_REGISTER_LAYER(ZeroStepMask);

/// Sums the unmasked steps over time: (B, T, F) -> (B, F).
class MaskedTimeSum : public Layer {
 public:
  explicit MaskedTimeSum(std::string name = "") : Layer("MaskedTimeSum", std::move(name)) {}
  Tensors call_args(const Tensors& xs, const CallArgs& args) override {
    Tensor x = xs[0];
    if (args.masks[0].defined()) x = ops::mul(x, ops::expand_dims(args.masks[0], -1));
    return {ops::sum(x, {1})};
  }
  Tensor call(const Tensor& x, bool training) override { return call_args({x}, CallArgs{{Tensor()}, {}, training})[0]; }
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& s) override {
    return {{s[0][0], s[0][2]}};
  }
  static std::shared_ptr<MaskedTimeSum> from_config(const json& c, const std::string& p) {
    ConfigReader r(c, p);
    return std::make_shared<MaskedTimeSum>(r.name());
  }
};
XKERAS_REGISTER_LAYER(MaskedTimeSum);

/// x + shift (a keyword tensor), times 2 when the call's option "double" is true.
class ShiftBy : public Layer {
 public:
  explicit ShiftBy(std::string name = "") : Layer("ShiftBy", std::move(name)) {}
  Tensors call_args(const Tensors& xs, const CallArgs& args) override {
    const Tensors* shift = args.kwargs.find("shift");
    if (!shift) throw ValueError("ShiftBy needs shift=");
    Tensor y = ops::add(xs[0], (*shift)[0]);
    if (args.kwargs.options.value("double", false)) y = ops::scale(y, 2.0f);
    return {y};
  }
  static std::shared_ptr<ShiftBy> from_config(const json& c, const std::string& p) {
    ConfigReader r(c, p);
    return std::make_shared<ShiftBy>(r.name());
  }
};
XKERAS_REGISTER_LAYER(ShiftBy);

}  // namespace

TEST_CASE("cast converts between float32 and int32 as tf.cast does") {
  Tensor f = Tensor::from({4}, {2.7f, -2.7f, 0.0f, 7.0f});
  Tensor i = ops::cast(f, DType::int32);
  REQUIRE(i.is_int());
  CHECK(std::vector<int>(i.idata(), i.idata() + 4) == std::vector<int>{2, -2, 0, 7});
  Tensor back = ops::cast(i, DType::float32);
  CHECK(back.to_vector() == std::vector<float>{2.0f, -2.0f, 0.0f, 7.0f});
  CHECK_THROWS_WITH(i.value(), Catch::Contains("holds int32 values"));
  CHECK_THROWS_WITH(ops::cast(Tensor::from({1}, {3e9f}), DType::int32), Catch::Contains("outside int32's range"));
  CHECK(dtype_from_name("int64") == DType::int32);
  // Input(shape, "int32") would name the layer "int32": refused, pointing at DType.
  CHECK_THROWS_WITH(Input({3}, "int32"), Catch::Contains("Input(shape, DType::int32)"));
  CHECK_THROWS_WITH(dtype_from_name("string"), Catch::Contains("unknown dtype \"string\""));
}

TEST_CASE("an int32 Input carries ids to a layer that reads them, and casts float data to int32") {
  auto ids = Input({3}, DType::int32);
  CHECK(ids.dtype() == DType::int32);
  auto y = make_layer<IdsTimesTen>()(ids);
  auto out = layers::Dense(1, {.use_bias = false})(y);  // an ordinary layer after it computes in float
  Model m(ids, out);
  m.get_layer(out.layer().name())->set_weights({Tensor::from({3, 1}, {1.0f, 1.0f, 1.0f}).value()});
  // Float data is cast to the Input's dtype (truncated), as Keras converts inputs.
  CHECK(m.predict(Tensor::from({2, 3}, {1.9f, 2.0f, 3.0f, 0.0f, 0.0f, 4.5f})).to_vector() == std::vector<float>{60.0f, 40.0f});
  CHECK(m.predict(Tensor::from_ints({1, 3}, {1, 2, 3})).to_vector() == std::vector<float>{60.0f});

  // The dtype is written and read back.
  const json cfg = json::parse(m.to_json());
  CHECK(cfg["config"]["layers"][0]["config"]["dtype"] == "int32");
  CHECK(cfg["config"]["layers"][1]["inbound_nodes"][0]["args"][0]["config"]["dtype"] == "int32");
  Model again = model_from_json(m.to_json());
  again.set_weights(m.get_weights());
  CHECK(again.predict(Tensor::from_ints({1, 3}, {1, 2, 3})).to_vector() == std::vector<float>{60.0f});
}

TEST_CASE("fit takes int32 inputs and int32 sparse labels") {
  set_random_seed(3);
  auto ids = Input({2}, DType::int32);
  Model m(ids, layers::Dense(3, "softmax")(make_layer<IdsTimesTen>()(ids)));
  m.compile(optimizers::Adam(1e-2f), "sparse_categorical_crossentropy", {"accuracy"});
  Tensor x = Tensor::from_ints({4, 2}, {0, 0, 0, 1, 1, 0, 1, 1});
  Tensor y = Tensor::from_ints({4}, {0, 1, 1, 2});
  History h = m.fit(x, y, {.epochs = 30, .batch_size = 2, .verbose = 0});
  CHECK(h["loss"].back() < h["loss"].front());
}

TEST_CASE("a mask travels on tensors through pass-through-free layers to the layer that reads it") {
  // steps with first feature 0 are masked: sample 0 keeps steps 0 and 2, sample 1 keeps step 1.
  Tensor x = Tensor::from({2, 3, 2}, {1, 1, 0, 5, 2, 2, 0, 7, 3, 3, 0, 9});
  auto in = Input({3, 2});
  Model m(in, make_layer<MaskedTimeSum>()(make_layer<ZeroStepMask>()(in)));
  CHECK(m.predict(x).to_vector() == std::vector<float>{3, 3, 3, 3});
  // Without the masking layer every step counts.
  auto in2 = Input({3, 2});
  Model plain(in2, make_layer<MaskedTimeSum>()(in2));
  CHECK(plain.predict(x).to_vector() == std::vector<float>{3, 8, 3, 19});
  // Eager: the mask is on the output tensor; a layer that does not support masking drops it.
  Tensor masked = make_layer<ZeroStepMask>()(x);
  REQUIRE(masked.keras_mask().defined());
  CHECK(masked.keras_mask().to_vector() == std::vector<float>{1, 0, 1, 0, 1, 0});
  CHECK_FALSE(layers::Flatten()(masked).keras_mask().defined());
  // And the model round-trips through JSON with the same result.
  CHECK(model_from_json(m.to_json()).predict(x).to_vector() == std::vector<float>{3, 3, 3, 3});
}

TEST_CASE("the training loss leaves masked steps out, as Keras 3 does") {
  // y_pred = masked input itself; mse over unmasked steps only.
  auto in = Input({3, 1});
  Model m(in, make_layer<ZeroStepMask>()(in));
  m.compile(optimizers::SGD(0.0f), "mse");
  Tensor x = Tensor::from({1, 3, 1}, {1, 0, 3});
  Tensor y = Tensor::from({1, 3, 1}, {0, 100, 0});
  // Unmasked steps 0 and 2: ((1-0)^2 + (3-0)^2) / 2 = 5; step 1 (error 100^2) does not count.
  CHECK(m.evaluate(x, y)["loss"] == Approx(5.0));
}

TEST_CASE("keyword tensors and options reach call_args, and survive Keras 3 and tf.keras JSON") {
  auto a = Input({2}, "a");
  auto b = Input({2}, "b");
  SymbolicKwargs kw;
  kw.tensors.emplace_back("shift", KerasTensors{b});
  kw.options["double"] = true;
  auto shifter = make_layer<ShiftBy>("shifter");
  Model m({a, b}, shifter.apply({a}, kw)[0]);
  Tensor xa = Tensor::from({1, 2}, {1, 2}), xb = Tensor::from({1, 2}, {10, 20});
  CHECK(m.predict({xa, xb})[0].to_vector() == std::vector<float>{22, 44});

  const json cfg = json::parse(m.to_json());
  const json& node = cfg["config"]["layers"][2]["inbound_nodes"][0];
  CHECK(node["args"].size() == 1);
  CHECK(node["kwargs"]["shift"]["config"]["keras_history"] == json::array({"b", 0, 0}));
  CHECK(node["kwargs"]["double"] == true);
  CHECK(model_from_json(m.to_json()).predict({xa, xb})[0].to_vector() == std::vector<float>{22, 44});

  // tf.keras writes keyword tensors as [layer, node, tensor] inside the first input's kwargs dict.
  json legacy = cfg;
  legacy["config"]["layers"][2]["inbound_nodes"] =
      json::parse(R"([[["a", 0, 0, {"shift": ["b", 0, 0], "double": false}]]])");
  CHECK(model_from_json(legacy.dump()).predict({xa, xb})[0].to_vector() == std::vector<float>{11, 22});

  // Eager, with the Holder's call().
  CallKwargs ekw;
  ekw.tensors.emplace_back("shift", Tensors{xb});
  CHECK(shifter.call({xa}, ekw)[0].to_vector() == std::vector<float>{11, 22});
  // A layer that takes no keyword tensors says so.
  CHECK_THROWS_WITH(layers::Dense(2).call({xa}, ekw), Catch::Contains("does not take the keyword tensor argument \"shift\""));
  // A reference to an unknown tensor in kwargs names its JSON path.
  legacy["config"]["layers"][2]["inbound_nodes"] = json::parse(R"([{"args": [{"class_name": "__keras_tensor__",
      "config": {"shape": [null, 2], "dtype": "float32", "keras_history": ["a", 0, 0]}}],
      "kwargs": {"shift": {"class_name": "__keras_tensor__", "config": {"keras_history": ["nope", 0, 0]}}}}])");
  CHECK_THROWS_WITH(model_from_json(legacy.dump()), Catch::Contains("kwargs.shift") && Catch::Contains("unknown layer \"nope\""));
}

TEST_CASE("a Sequential built by its first call on int32 ids keeps them int32") {
  Sequential s({make_layer<IdsTimesTen>()});
  CHECK(s.predict(Tensor::from_ints({1, 2}, {5, 3})).to_vector() == std::vector<float>{50.0f, 30.0f});  // IdsTimesTen throws unless it gets int32
  CHECK(s.ptr()->inputs()[0].dtype() == DType::int32);
}
