// The new optimizers in files: a model saved mid-training as .keras (and its state through
// get_state/set_state) takes the same next step as the uninterrupted run, bit for bit; the
// optimizer/vars list follows Keras's build() order.
#include <catch2/catch.hpp>

#include <filesystem>
#include <functional>

#include <xkeras/layers.hpp>
#include <xkeras/models/sequential.hpp>
#include <xkeras/optimizers.hpp>

#include "../../models/compiled_state.hpp"
#include "../../saving/h5_file.hpp"
#include "opt_helpers.hpp"

using namespace xkeras;
using namespace opttest;
namespace sch = xkeras::optimizers::schedules;
namespace fs = std::filesystem;

namespace {

std::string scratch(const std::string& name) {
  const fs::path dir = fs::path(XKERAS_BINARY_DIR) / "tests" / "optimizers_scratch" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

const std::vector<std::pair<std::string, std::function<Optimizer()>>>& cases() {
  static const std::vector<std::pair<std::string, std::function<Optimizer()>>> c{
      {"adamw", [] { return optimizers::AdamW(0.01, 0.01f, 0.9f, 0.999f, 1e-7f, true); }},
      {"adagrad", [] { return optimizers::Adagrad(0.05, 0.2f); }},
      {"adadelta", [] { return optimizers::Adadelta(1.0, 0.9f); }},
      {"adamax", [] { return optimizers::Adamax(0.01); }},
      {"nadam", [] { return optimizers::Nadam(0.01); }},
      {"lion", [] { return optimizers::Lion(0.001); }},
      {"ftrl", [] {
         return optimizers::Ftrl(0.05, optimizers::FtrlOptions()
                                           .with_l1_regularization_strength(0.001f)
                                           .with_l2_shrinkage_regularization_strength(0.01f)
                                           .with_beta(0.1f));
       }},
      {"nadam_schedule", [] { return optimizers::Nadam(sch::CosineDecayRestarts(0.01, 2)); }},
      {"adagrad_schedule", [] { return optimizers::Adagrad(sch::InverseTimeDecay(0.1, 1, 0.5)); }},
  };
  return c;
}

Model trained(const Optimizer& opt, Tensor& x, Tensor& y) {
  Sequential m({layers::Input({3}), layers::Dense(4, "tanh"), layers::Dense(2)}, "mlp");
  m.compile(opt, "mse");
  std::vector<float> xv(12), yv(8);
  for (int i = 0; i < 12; ++i) xv[i] = 0.1f * static_cast<float>(i % 5) - 0.2f;
  for (int i = 0; i < 8; ++i) yv[i] = 0.3f * static_cast<float>(i % 3);
  x = Tensor::from({4, 3}, xv);
  y = Tensor::from({4, 2}, yv);
  for (int i = 0; i < 3; ++i) m.train_on_batch(x, y);
  return m;
}

bool same_weights(const Model& a, const Model& b) {
  const auto wa = a.get_weights(), wb = b.get_weights();
  if (wa.size() != wb.size()) return false;
  for (std::size_t i = 0; i < wa.size(); ++i)
    if (!(wa[i] == wb[i])) return false;
  return true;
}

}  // namespace

TEST_CASE("each new optimizer resumes from a .keras file and from xkeras JSON bit for bit") {
  const std::string dir = scratch("keras");
  for (const std::string ext : {".keras", ".json"}) {
    for (const auto& [name, make] : cases()) {
      INFO(name << ext);
      Tensor x, y;
      const Optimizer opt = make();
      const Model m = trained(opt, x, y);
      m.save(dir + "/" + name + ext);
      const Model again = load_model(dir + "/" + name + ext);
      REQUIRE(again->compiled() != nullptr);
      const Optimizer& back = again->compiled()->optimizer;
      CHECK(back->class_name() == opt->class_name());
      CHECK(back->has_schedule() == opt->has_schedule());
      CHECK(back->iterations() == 3);
      CHECK(back->learning_rate() == opt->learning_rate());
      CHECK(back->get_state() == opt->get_state());
      CHECK(back.to_json() == opt.to_json());
      // The uninterrupted run and the reloaded one take the same two next steps.
      for (int i = 0; i < 2; ++i) {
        m.train_on_batch(x, y);
        again.train_on_batch(x, y);
      }
      CHECK(same_weights(m, again));
    }
  }
}

TEST_CASE("each new optimizer resumes from get_state and set_state bit for bit") {
  for (const auto& [name, make] : cases()) {
    INFO(name);
    auto w = variable({0.5f, -1.0f, 2.0f}, "kernel");
    Optimizer a = make();
    for (int s = 0; s < 3; ++s) {
      set_grad(w, {0.3f * s + 0.1f, -0.2f, 0.05f * s});
      a->apply_gradients({w});
    }
    const json state = a->get_state();
    auto w2 = variable(w->value.to_vector(), "kernel");
    Optimizer b = make();
    b->set_state(json::parse(state.dump()), {w2}, "optimizer_state");
    for (int s = 0; s < 2; ++s) {
      set_grad(w, {0.7f, 0.1f * s, -0.3f});
      set_grad(w2, {0.7f, 0.1f * s, -0.3f});
      a->apply_gradients({w});
      b->apply_gradients({w2});
    }
    CHECK(w->value.to_vector() == w2->value.to_vector());
    CHECK(a->get_state() == b->get_state());
  }
  // Nadam's u_product travels in "scalars"; a bad value names its path.
  Optimizer n = optimizers::Nadam();
  auto w = variable({1.0f}, "kernel");
  set_grad(w, {1.0f});
  n->apply_gradients({w});
  json state = n->get_state();
  REQUIRE(state.contains("scalars"));
  CHECK(state["scalars"]["u_product"].get<double>() == Approx(0.9 * (1 - 0.5 * 0.96)).epsilon(1e-6));
  state["scalars"]["u_product"] = "x";
  CHECK_THROWS_WITH(optimizers::Nadam()->set_state(state, {w}, "s"), Catch::StartsWith("s.scalars.u_product:"));
}

TEST_CASE("optimizer/vars follows Keras's build order") {
  namespace h5 = xkeras::saving::h5;
  const std::string dir = scratch("order");
  // Per optimizer: whether Keras keeps a learning_rate variable, the slot groups of build()
  // (a group's slots interleaved per weight), and the scalars after them.
  struct Want {
    std::string name;
    Optimizer opt;
    std::vector<std::vector<std::size_t>> groups;
  };
  const std::vector<Want> wants{
      {"adamw_amsgrad", optimizers::AdamW(0.01, 0.004f, 0.9f, 0.999f, 1e-7f, true), {{0, 1}, {2}}},
      {"adagrad", optimizers::Adagrad(), {{0}}},
      {"adadelta", optimizers::Adadelta(), {{0, 1}}},
      {"adamax", optimizers::Adamax(), {{0, 1}}},
      {"nadam", optimizers::Nadam(), {{0, 1}}},
      {"lion", optimizers::Lion(), {{0}}},
      {"ftrl", optimizers::Ftrl(), {{0, 1}}},
      {"nadam_schedule", optimizers::Nadam(sch::ExponentialDecay(0.01, 10, 0.9)), {{0, 1}}},
  };
  for (const auto& want : wants) {
    INFO(want.name);
    Tensor x, y;
    const Model m = trained(want.opt, x, y);
    m.save_weights(dir + "/" + want.name + ".weights.h5");
    const h5::File f = h5::File::open(dir + "/" + want.name + ".weights.h5");
    const h5::Group g = f.group("optimizer/vars");
    std::int64_t it = -1;
    g.read_ints("0", &it, 1);
    CHECK(it == 3);
    std::size_t index = 1;
    if (!want.opt->has_schedule()) {
      float lr = 0;
      g.read_floats("1", &lr, 1);
      CHECK(lr == want.opt->learning_rate());
      index = 2;
    }
    const auto vars = m->trainable_weights();
    for (const auto& group : want.groups)
      for (const auto& v : vars)
        for (std::size_t slot : group) {
          INFO("dataset " << index << " slot " << want.opt->slot_names()[slot] << " of " << v->path());
          const Array& a = want.opt->slot_arrays(v)[slot];
          Array got = Array::from_shape(v->shape());
          REQUIRE(g.dataset_info(std::to_string(index)).shape == v->shape());
          g.read_floats(std::to_string(index++), got.data(), got.size());
          const bool same = got == a;
          CHECK(same);
        }
    for (float s : want.opt->scalars()) {
      float got = 0;
      g.read_floats(std::to_string(index++), &got, 1);
      CHECK(got == s);
    }
    CHECK_FALSE(g.has_dataset(std::to_string(index)));  // nothing else
  }
}

TEST_CASE("a compiled model that never trained reloads with fresh accumulators") {
  const std::string dir = scratch("untrained");
  Sequential m({layers::Input({3}), layers::Dense(2)}, "mlp");
  m.compile(optimizers::Adagrad(0.1, 0.7f), "mse");
  m.save(dir + "/m.keras");
  const Model again = load_model(dir + "/m.keras");
  const Optimizer& opt = again->compiled()->optimizer;
  CHECK(opt->iterations() == 0);
  for (const auto& v : again->trainable_weights())
    for (float a : opt->slot_arrays(v)[0]) CHECK(a == 0.7f);
}

TEST_CASE("a schedule survives a legacy h5 file and the optimizer resumes from it") {
  const std::string dir = scratch("legacy");
  Tensor x, y;
  const Optimizer opt = optimizers::Adam(sch::PolynomialDecay(0.01, 10, 0.001, 2.0));
  const Model m = trained(opt, x, y);
  m.save(dir + "/m.h5");
  const Model again = load_model(dir + "/m.h5");
  REQUIRE(again->compiled() != nullptr);
  const Optimizer& back = again->compiled()->optimizer;
  REQUIRE(back->has_schedule());
  CHECK(optimizers::schedules::serialize(*back->schedule()) == optimizers::schedules::serialize(*opt->schedule()));
  CHECK(back->iterations() == 3);
  CHECK(back->get_state() == opt->get_state());
  m.train_on_batch(x, y);
  again.train_on_batch(x, y);
  CHECK(same_weights(m, again));
}
