// Legacy .h5 files written by tools/make_h5_fixtures.py with h5py in the layouts tf.keras, Keras 1 and
// Keras 3 use; the expected outputs were computed there with numpy from the stored float32 values.
#include "../../models/compiled_state.hpp"
#include "saving_h5/h5_test_util.hpp"
#include "wild/wild_dir.hpp"
#include "../../src/optimizers/array_codec.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/layers/dense.hpp"
#include "xkeras/layers/input_layer.hpp"
#include "xkeras/models/sequential.hpp"

using namespace xkeras;
using h5test::fixture;

namespace {

// The numbers in the file, bit for bit: kernel and bias of a layer against h5py's values in expected.json
// are not stored there, so compare two loads of the same arrays instead where needed.
std::vector<float> flat(const Array& a) { return std::vector<float>(a.begin(), a.end()); }

}  // namespace

TEST_CASE("tf.keras layout with fixed-length strings loads and predicts what numpy computed") {
  Model m = load_model(fixture("mlp_fixed.h5"));
  h5test::check_output("mlp", m.predict(h5test::input_of("mlp")), 1e-6);
}

TEST_CASE("training_config becomes the compile state (optimizer_config and MeanMetricWrapper metrics)") {
  Model m = load_model(fixture("mlp_fixed.h5"));
  REQUIRE(m->compiled() != nullptr);
  const json cfg = json::parse(m.to_json());
  REQUIRE(cfg.contains("compile_config"));
  CHECK(cfg["compile_config"]["optimizer"]["class_name"] == "Adam");
  CHECK(cfg["compile_config"]["optimizer"]["config"]["learning_rate"].get<double>() == Approx(0.0025));
  Model plain = load_model(fixture("mlp_fixed.h5"), /*compile=*/false);
  CHECK(plain->compiled() == nullptr);
}

TEST_CASE("variable-length strings and Keras 3 weight paths give the same weights bit for bit") {
  Model a = load_model(fixture("mlp_fixed.h5"));
  Model b = load_model(fixture("mlp_vlen.h5"));
  const auto wa = a.get_weights(), wb = b.get_weights();
  REQUIRE(wa.size() == 4);
  REQUIRE(wb.size() == 4);
  for (std::size_t i = 0; i < wa.size(); ++i) CHECK(flat(wa[i]) == flat(wb[i]));
  h5test::check_output("mlp", b.predict(h5test::input_of("mlp")), 1e-6);
}

TEST_CASE("an optimizer xkeras does not know leaves the model loadable and uncompiled") {
  Model m = load_model(fixture("mlp_vlen.h5"));
  CHECK(m->compiled() == nullptr);
}

TEST_CASE("layer_names and weight_names split in chunks (name0 name1) are read whole") {
  Model m = load_model(fixture("mlp_chunked.h5"));
  h5test::check_output("mlp", m.predict(h5test::input_of("mlp")), 1e-6);
}

TEST_CASE("Keras 1 LSTM and GRU per-gate arrays are joined in Keras 2 gate order") {
  Model m = load_model(fixture("keras1_lstm_gru.h5"));
  // hard_sigmoid here is Keras 1's clip(0.2x + 0.5): numpy computed it the same way.
  h5test::check_output("keras1_lstm_gru", m.predict(h5test::input_of("keras1_lstm_gru")), 1e-5);
  const auto lstm = m.get_layer("lstm_1");
  REQUIRE(lstm->weights().size() == 3);
  CHECK(lstm->weights()[0]->shape() == Shape{2, 12});
  CHECK(lstm->weights()[2]->shape() == Shape{12});
  CHECK(m.get_layer("gru_1")->weights()[2]->shape() == Shape{6});
}

TEST_CASE("a nested model's flat weight list (trainable first then moving statistics) loads in order") {
  Model m = load_model(fixture("nested.h5"));
  h5test::check_output("nested", m.predict(h5test::input_of("nested")), 1e-5);
}

namespace {

Model two_dense() {
  return Sequential({layers::Input({2}), layers::Dense(3, layers::DenseOptions{.activation = "relu", .name = "first"}),
                     layers::Dense(2, layers::DenseOptions{.name = "second"})});
}

}  // namespace

TEST_CASE("load_weights of a save_weights file by name ignores order and unknown layers") {
  Model m = two_dense();
  m.load_weights(fixture("by_name.h5"), /*by_name=*/true);
  h5test::check_output("two_dense", m.predict(h5test::input_of("two_dense")), 1e-6);
}

TEST_CASE("load_weights by topology pairs layers with weights in order whatever their names") {
  Model m = two_dense();
  m.load_weights(fixture("by_topology.h5"));
  h5test::check_output("two_dense", m.predict(h5test::input_of("two_dense")), 1e-6);
  // The same values under the names of by_name.h5.
  Model n = two_dense();
  n.load_weights(fixture("by_name.h5"), true);
  for (std::size_t i = 0; i < 4; ++i) CHECK(flat(m.get_weights()[i]) == flat(n.get_weights()[i]));
}

TEST_CASE("load_weights by topology refuses a file with another number of weighted layers") {
  Model m = two_dense();
  const auto before = m.get_weights();
  REQUIRE_THROWS_WITH(m.load_weights(fixture("by_name.h5")),
                      Catch::Contains("by_name.h5: /") && Catch::Contains("layer count mismatch") &&
                          Catch::Contains("\"second\", \"extra\", \"first\""));
  for (std::size_t i = 0; i < before.size(); ++i) CHECK(flat(m.get_weights()[i]) == flat(before[i]));
}

TEST_CASE("load_weights by name with skip_mismatch skips a layer whose shapes differ") {
  Model m = Sequential({layers::Input({2}), layers::Dense(3, layers::DenseOptions{.activation = "relu", .name = "first"}),
                        layers::Dense(4, layers::DenseOptions{.name = "second"})});
  const auto second_before = m.get_layer("second")->get_weights();
  REQUIRE_THROWS_WITH(m.load_weights(fixture("by_name.h5"), true),
                      Catch::Contains("/second") && Catch::Contains("(3, 4)") && Catch::Contains("(3, 2)"));
  m.load_weights(fixture("by_name.h5"), true, /*skip_mismatch=*/true);
  CHECK(flat(m.get_layer("second")->get_weights()[0]) == flat(second_before[0]));
  Model ref = two_dense();
  ref.load_weights(fixture("by_name.h5"), true);
  CHECK(flat(m.get_layer("first")->get_weights()[0]) == flat(ref.get_layer("first")->get_weights()[0]));
}

TEST_CASE("Keras 1 Conv1D kernels in both old layouts become (length input_dim filters)") {
  for (const char* file : {"keras1_conv1d.h5", "keras1_conv1d_old.h5"}) {
    INFO(file);
    Model m = load_model(fixture(file));
    CHECK(m.get_layer("convolution1d_1")->weights()[0]->shape() == Shape{2, 2, 3});
    h5test::check_output("keras1_conv1d", m.predict(h5test::input_of("keras1_conv1d")), 1e-6);
  }
}

TEST_CASE("tf.keras optimizer_weights restore Adam's iterations and slots (OptimizerV2 and 2.11+ names)") {
  const auto& want = h5test::expected().at("mlp_optimizer");
  for (const char* file : {"mlp_fixed.h5", "mlp_newopt.h5"}) {
    INFO(file);
    Model m = load_model(fixture(file));
    REQUIRE(m->compiled() != nullptr);
    const json state = m->compiled()->optimizer->get_state();
    CHECK(state.at("iterations") == 7);
    const auto& vars = state.at("variables");
    const auto slot = [&](const std::string& layer, const std::string& weight, const char* name) {
      return array_codec::decode(vars.at(m.get_layer(layer)->name() + "/" + weight).at(name), "state");
    };
    const Array mom = slot("dense", "kernel", "momentum"), vel = slot("dense_1", "bias", "velocity");
    const auto& wm = want.at("momentum dense/kernel");
    const auto& wv = want.at("velocity dense_1/bias");
    REQUIRE(mom.size() == wm.size());
    for (std::size_t i = 0; i < wm.size(); ++i) CHECK(mom.data()[i] == static_cast<float>(wm[i].get<double>()));
    REQUIRE(vel.size() == wv.size());
    for (std::size_t i = 0; i < wv.size(); ++i) CHECK(vel.data()[i] == static_cast<float>(wv[i].get<double>()));
  }
}

TEST_CASE("optimizer_weights whose names fit no weight leave a fresh optimizer (Keras 2.0 Variable_n names)") {
  Model m = load_model((wildtest::shared_dir() / "wild_keras_files" / "dl4j_simple_lstm_k206.h5").string());
  REQUIRE(m->compiled() != nullptr);
  CHECK(m->compiled()->optimizer->get_state().at("iterations") == 0);
}

TEST_CASE("Bidirectional arrays go forward then backward and TimeDistributed to its inner layer") {
  Model m = load_model(fixture("bidirectional_td.h5"));
  h5test::check_output("bidirectional_td", m.predict(h5test::input_of("bidirectional_td")), 1e-6);
}

TEST_CASE("a GRU bias of the other reset_after is refused with the reason") {
  REQUIRE_THROWS_WITH(load_model(fixture("bad_gru_reset_after.h5")),
                      Catch::Contains("bad_gru_reset_after.h5: /model_weights/gru") && Catch::Contains("(2, 6)") &&
                          Catch::Contains("(6,)") && Catch::Contains("reset_after=False"));
}
