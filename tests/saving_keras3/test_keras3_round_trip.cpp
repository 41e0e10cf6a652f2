// Models saved as .keras and as .weights.h5 come back with every weight bit for bit and the same
// predictions; a compiled Adam model comes back with its optimizer state.
#include <catch2/catch.hpp>

#include <fstream>
#include <functional>

#include "../../models/compiled_state.hpp"
#include "../../saving/h5_file.hpp"
#include "k3_helpers.hpp"
#include "xkeras/models/sequential.hpp"

using namespace xkeras;
using namespace k3test;

namespace {

void check_round_trip(const Model& m, const std::string& dir) {
  const Tensors xs = inputs_for(m, 99);
  const Tensors want = run(m, xs);

  m.save(dir + "/m.keras");
  const Model again = load_model(dir + "/m.keras");
  CHECK(again.name() == m.name());
  CHECK(same_weights(m, again));
  const Tensors got = run(again, xs);
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) CHECK(bit_equal(got[i], want[i]));

  // Weights only, into a copy of the architecture whose weights are different.
  m.save_weights(dir + "/m.weights.h5");
  const Model fresh = model_from_json(m.to_json());
  randomize_weights(fresh, 12345);
  REQUIRE_FALSE(same_weights(m, fresh));
  fresh.load_weights(dir + "/m.weights.h5");
  CHECK(same_weights(m, fresh));
  // load_weights also reads the weights of a .keras archive.
  randomize_weights(fresh, 54321);
  fresh.load_weights(dir + "/m.keras");
  CHECK(same_weights(m, fresh));
}

}  // namespace

TEST_CASE("keras3 round trip: Sequential with BatchNormalization and Dropout") {
  check_round_trip(sequential_mlp(), scratch_dir("rt_sequential"));
}

TEST_CASE("keras3 round trip: Functional with two inputs") {
  check_round_trip(functional_two_inputs(), scratch_dir("rt_two_inputs"));
}

TEST_CASE("keras3 round trip: a Sequential and a Functional nested in a Functional") {
  check_round_trip(nested_models(), scratch_dir("rt_nested"));
}

TEST_CASE("keras3 round trip: LSTM GRU Bidirectional(SimpleRNN) TimeDistributed(Dense)") {
  check_round_trip(recurrent_stack(), scratch_dir("rt_recurrent"));
}

TEST_CASE("keras3 round trip: Embedding MultiHeadAttention LayerNormalization") {
  check_round_trip(attention_model(), scratch_dir("rt_attention"));
}

TEST_CASE("keras3 round trip: a compiled Adam model keeps its optimizer state") {
  const std::string dir = scratch_dir("rt_adam");
  const Model m = trained_adam_mlp();
  m.save(dir + "/m.keras");
  const Model again = load_model(dir + "/m.keras");
  REQUIRE(again->compiled() != nullptr);
  const auto& a = *m->compiled()->optimizer.ptr();
  const auto& b = *again->compiled()->optimizer.ptr();
  CHECK(b.class_name() == "Adam");
  CHECK(b.iterations() == 3);
  CHECK(b.learning_rate() == a.learning_rate());
  // The slots (base64 of their float32 bits, keyed by variable path) are identical.
  CHECK(b.get_state() == a.get_state());
  CHECK(same_weights(m, again));
  // Both then take the same next step, bit for bit.
  const Tensor x = inputs_for(m, 8)[0], y = Tensor::zeros({2, 2});
  m.train_on_batch(x, y);
  again.train_on_batch(x, y);
  CHECK(same_weights(m, again));

  // load_model(compile=false) leaves the model uncompiled.
  CHECK(load_model(dir + "/m.keras", false)->compiled() == nullptr);

  // load_weights into a compiled model restores the optimizer from a .weights.h5 too.
  m.save_weights(dir + "/m.weights.h5");
  const Model other = model_from_json(m.to_json());
  other.compile(optimizers::Adam(0.5f), "mse");
  other.load_weights(dir + "/m.weights.h5");
  CHECK(other->compiled()->optimizer->iterations() == 4);
  CHECK(other->compiled()->optimizer->learning_rate() == a.learning_rate());
  CHECK(other->compiled()->optimizer->get_state() == m->compiled()->optimizer->get_state());
}

TEST_CASE("keras3 round trip: a compiled model that never trained writes zero slots") {
  const std::string dir = scratch_dir("rt_untrained");
  Model m = sequential_mlp();
  m.compile(optimizers::Adam(0.01f), "mse");
  m.save(dir + "/m.keras");
  const Model again = load_model(dir + "/m.keras");
  REQUIRE(again->compiled() != nullptr);
  CHECK(again->compiled()->optimizer->iterations() == 0);
  CHECK(same_weights(m, again));
}

TEST_CASE("keras3 round trip: AMSGrad RMSprop(momentum centered) and SGD(momentum) state") {
  const std::string dir = scratch_dir("rt_optimizers");
  for (const Optimizer& opt : {optimizers::Adam(0.01f, 0.9f, 0.999f, 1e-7f, true),
                               optimizers::RMSprop(0.01f, 0.9f, 0.5f, 1e-7f, true), optimizers::SGD(0.01f, 0.9f)}) {
    const Model m = trained_mlp(opt);
    INFO(opt->class_name());
    m.save(dir + "/m.keras");
    const Model again = load_model(dir + "/m.keras");
    REQUIRE(again->compiled() != nullptr);
    CHECK(again->compiled()->optimizer->class_name() == opt->class_name());
    CHECK(again->compiled()->optimizer->get_state() == opt->get_state());
  }
}

TEST_CASE("keras3 read: MultiHeadAttention weights at the paths of Keras 3.0 to 3.2 (_query_dense ...)") {
  namespace h5 = xkeras::saving::h5;
  const std::string dir = scratch_dir("mha_old_paths");
  const Model m = attention_model();
  m.save_weights(dir + "/new.weights.h5");
  // Copy every dataset, renaming "<attr>_dense" groups under multi_head_attention to "_<attr>_dense".
  const h5::File in = h5::File::open(dir + "/new.weights.h5");
  h5::File out = h5::File::create("old");
  int renamed = 0;
  std::function<void(const h5::Group&, const std::string&)> copy = [&](const h5::Group& g, const std::string& to) {
    for (const auto& c : g.children()) {
      std::string name = c;
      if (g.path() == "/layers/multi_head_attention" && c.size() > 6 && c.substr(c.size() - 6) == "_dense") {
        name = "_" + c;
        ++renamed;
      }
      const std::string target = to.empty() ? name : to + "/" + name;
      if (g.has_dataset(c)) {
        const auto info = g.dataset_info(c);
        std::vector<float> v(shape_size(info.shape));
        g.read_floats(c, v.data(), v.size());
        const auto slash = target.rfind('/');
        h5::Group parent = out.create_group(target.substr(0, slash));
        parent.write_floats(target.substr(slash + 1), info.shape, v.data());
      } else {
        out.create_group(target);
        copy(g.group(c), target);
      }
    }
  };
  copy(in, "");
  CHECK(renamed == 4);
  {
    std::ofstream f(dir + "/old.weights.h5", std::ios::binary);
    f << out.image();
  }
  const Model fresh = model_from_json(m.to_json());
  randomize_weights(fresh, 77);
  fresh.load_weights(dir + "/old.weights.h5");
  CHECK(same_weights(m, fresh));
}
