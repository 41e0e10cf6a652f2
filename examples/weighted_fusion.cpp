// Seed 002: two branches fused with fixed weights (Lambda x*0.8 and x*0.2, merged by Add), the
// antirectifier Lambda, and the same fusion with a trainable weighting layer — a user-defined
// Layer subclass — merged by Multiply. Each model trains, saves, loads and predicts the same.
#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/xkeras.hpp>

using namespace xkeras;

// A user-defined layer: multiplies each feature by a trainable weight, initialised to `value`.
// This is what the seed's `k.variable(np.ones(1024) * 0.8)` with Multiply() tried to be; as a layer
// it trains, saves and loads like a built-in.
class FeatureWeight : public Layer {
 public:
  explicit FeatureWeight(float value, std::string name = "") : Layer("FeatureWeight", std::move(name)), value_(value) {}

  void build(const TensorShape& input_shape) override {
    weight_ = add_weight("weight", {static_cast<std::size_t>(input_shape.back())}, initializers::Constant(value_));
  }
  Tensor call(const Tensor& x, bool) override { return ops::mul(x, weight_->value); }
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& s) override { return s; }
  json get_config() const override {
    json c = base_config();
    c["value"] = value_;
    return c;
  }
  json registered_name() const override { return "examples>FeatureWeight"; }
  std::string module() const override { return "examples"; }
  static std::shared_ptr<FeatureWeight> from_config(const json& config, const std::string& path) {
    ConfigReader r(config, path);
    auto l = std::make_shared<FeatureWeight>(r.get_float("value", 1.0f), r.name());
    r.apply_base(*l);
    return l;
  }

 private:
  float value_;
  VariablePtr weight_;
};
XKERAS_REGISTER_LAYER(FeatureWeight);  // the one registration line

namespace {

// Synthetic task: the target depends on both inputs, so both branches must learn.
std::pair<Tensors, Tensor> make_data(std::size_t n, std::size_t d) {
  std::normal_distribution<float> normal(0.0f, 1.0f);
  Array a = Array::from_shape({n, d}), b = Array::from_shape({n, d}), y = Array::from_shape({n, 1});
  for (auto& v : a) v = normal(global_rng());
  for (auto& v : b) v = normal(global_rng());
  for (std::size_t i = 0; i < n; ++i) {
    float s = 0;
    for (std::size_t j = 0; j < d; ++j) s += 0.8f * a(i, j) * (j % 2 ? 1.0f : -1.0f) + 0.2f * b(i, j);
    y(i, 0) = std::tanh(s / float(d));
  }
  return {{Tensor(a), Tensor(b)}, Tensor(y)};
}

bool train_save_load(Model model, const Tensors& x, const Tensor& y, const std::string& path, int epochs) {
  model.compile(optimizers::Adam(3e-3f), "mse");
  History h = model.fit(x, y, {.epochs = epochs, .batch_size = 32, .verbose = 0});
  std::cout << model.name() << ": loss " << h["loss"].front() << " -> " << h["loss"].back();
  model.save(path);
  Model loaded = load_model(path);
  Tensors a = model.predict(x), b = loaded.predict(x);
  bool same = a.size() == b.size();
  for (std::size_t k = 0; same && k < a.size(); ++k) same = a[k].value() == b[k].value();
  std::cout << ", saved to " << path << ", reloaded predictions " << (same ? "identical" : "DIFFER") << "\n";
  return same && h["loss"].back() < h["loss"].front();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Seed 002: weighted fusion of two branches"};
  int epochs = 10;
  std::size_t features = 64;
  std::string out = ".";
  app.add_option("--epochs", epochs, "training epochs")->check(CLI::PositiveNumber);
  app.add_option("--features", features, "features per input (the seed used 1024)")->check(CLI::PositiveNumber);
  app.add_option("--out", out, "directory for the saved models");
  CLI11_PARSE(app, argc, argv);

  try {
    set_random_seed(2);
    auto [x, y] = make_data(512, features);
    bool ok = true;

    {  // 1. fixed weights by Lambda, fused by Add (the seed's working answer)
      auto a = Input({static_cast<Dim>(features)}, "rgb"), b = Input({static_cast<Dim>(features)}, "estimate");
      auto gru1 = layers::Dense(32, "tanh")(a);
      auto gru2 = layers::Dense(32, "tanh")(b);
      auto last = layers::Add()({layers::Lambda("scale", {{"factor", 0.8}})(gru1),
                                 layers::Lambda("scale", {{"factor", 0.2}})(gru2)});
      ok &= train_save_load(Model({a, b}, layers::Dense(1)(last), "lambda_add_fusion"), x, y,
                            out + "/lambda_add_fusion.json", epochs);
    }
    {  // 2. the antirectifier Lambda (output twice as wide as its input)
      auto a = Input({static_cast<Dim>(features)}), b = Input({static_cast<Dim>(features)});
      auto merged = layers::Concatenate()({a, b});
      auto h = layers::Lambda("antirectifier")(layers::Dense(32)(merged));
      ok &= train_save_load(Model({a, b}, layers::Dense(1)(h), "antirectifier"), x, y, out + "/antirectifier.json",
                            epochs);
    }
    {  // 3. trainable weighting layer (user-defined), fused by Multiply
      auto a = Input({static_cast<Dim>(features)}), b = Input({static_cast<Dim>(features)});
      auto gru1 = layers::Dense(32, "tanh")(a);
      auto gru2 = layers::Dense(32, "tanh")(b);
      auto w1 = make_layer<FeatureWeight>(0.8f)(gru1);
      auto w2 = make_layer<FeatureWeight>(0.2f)(gru2);
      auto last = layers::Multiply()({w1, w2});
      ok &= train_save_load(Model({a, b}, layers::Dense(1)(last), "trainable_multiply_fusion"), x, y,
                            out + "/trainable_multiply_fusion.json", epochs);
    }
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
