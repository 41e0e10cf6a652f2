// The real .keras and .weights.h5 files of ../shared/wild_keras_files (written by Keras 3.2-3.15 and
// tf.keras 2.13; see its MANIFEST.md): each loads and predicts finite values, or fails with the
// reason asserted here. Reference values: the optimizer iterations and learning rates were read from
// the files with h5py; the "name" attribute Keras >= 3.8 gives each vars group names the layer that
// owns it, which must be the layer xkeras loaded from there; and two models also saved by their
// authors as legacy .h5 must hold the same weights, bit for bit, read from the .h5 by layer name.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <fstream>
#include <iostream>

#include "../../models/compiled_state.hpp"
#include "../../saving/atomic_write.hpp"
#include "../../saving/h5_file.hpp"
#include "../../saving/keras3_paths.hpp"
#include "../../saving/zip_archive.hpp"
#include "k3_helpers.hpp"
#include "xkeras/layers/dense.hpp"
#include "xkeras/layers/flatten.hpp"
#include "xkeras/layers/gru.hpp"
#include "xkeras/layers/input_layer.hpp"
#include "xkeras/layers/lstm.hpp"
#include "xkeras/layers/time_distributed.hpp"
#include "xkeras/models/sequential.hpp"

using namespace xkeras;
using namespace k3test;
namespace h5 = xkeras::saving::h5;
using Catch::Contains;

namespace {

std::string wild(const std::string& name) { return (wild_dir() / name).string(); }

bool all_finite(const Tensors& ys) {
  for (const auto& y : ys)
    for (std::size_t i = 0; i < y.size(); ++i)
      if (!std::isfinite(y.data()[i])) return false;
  return !ys.empty();
}

// Every vars group with a "name" attribute names the layer whose variables xkeras read from it
// (cells carry the cell's name, e.g. "gru_cell", which the walk gives them too).
void check_name_attributes(const Model& m, const h5::Group& root) {
  int checked = 0;
  for (const auto& e : saving::keras3::walk(*m, saving::keras3::Layout::keras3)) {
    const std::string p = saving::keras3::vars_path(e.path);
    h5::Group g = root;
    bool found = true;
    std::size_t start = 0;
    while (found) {
      const auto slash = p.find('/', start);
      const std::string part = p.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
      found = g.has_group(part);
      if (found) g = g.group(part);
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    if (!found || !g.has_attr("name")) continue;
    INFO("group " << p);
    CHECK(g.attr_string("name") == e.name);
    ++checked;
  }
  CHECK(checked > 0);
}

h5::File weights_of_archive(const std::string& path) {
  saving::zip::Reader z(saving::read_file(path), path);
  return h5::File::open_image(z.read("model.weights.h5", std::size_t(1) << 30), path);
}

// The legacy .h5 of the same model: model_weights/<layer name>/ lists weight_names, in the layer's
// weights() order; each must equal what the .keras gave, bit for bit.
void check_same_as_legacy_h5(const Model& m, const std::string& h5_path) {
  const h5::File f = h5::File::open(h5_path);
  const h5::Group mw = f.group("model_weights");
  int compared = 0;
  for (const auto& layer : m.layers()) {
    const auto ws = layer->weights();
    if (ws.empty()) continue;
    const h5::Group layer_group = mw.group(layer->name());
    const auto names = layer_group.attr_strings("weight_names");
    REQUIRE(names.size() == ws.size());
    for (std::size_t i = 0; i < ws.size(); ++i) {
      // A weight name "sequential/lstm/lstm_cell/kernel" is a dataset in nested groups.
      const auto slash = names[i].rfind('/');
      const h5::Group g = slash == std::string::npos ? layer_group : layer_group.group(names[i].substr(0, slash));
      const std::string leaf = slash == std::string::npos ? names[i] : names[i].substr(slash + 1);
      std::vector<float> v(ws[i]->value.size());
      REQUIRE(g.dataset_info(leaf).shape == ws[i]->shape());
      g.read_floats(leaf, v.data(), v.size());
      INFO(layer->name() << " " << names[i]);
      CHECK(std::memcmp(v.data(), ws[i]->value.data(), 4 * v.size()) == 0);
      ++compared;
    }
  }
  CHECK(compared > 0);
}

struct OptimizerRef {
  std::string class_name;
  std::int64_t iterations;
  float learning_rate;
};

void check_optimizer(const Model& m, const OptimizerRef& want) {
  REQUIRE(m->compiled() != nullptr);
  const auto& opt = *m->compiled()->optimizer.ptr();
  CHECK(opt.class_name() == want.class_name);
  CHECK(opt.iterations() == want.iterations);
  CHECK(opt.learning_rate() == want.learning_rate);
}

}  // namespace

TEST_CASE("keras3 wild: Keras 3 archives load and predict") {
  // file -> (optimizer read from the file with h5py: class, iterations, learning_rate as float32)
  const std::vector<std::pair<std::string, OptimizerRef>> files = {
      {"ecg_arrhythmia.keras", {"Adam", 60000, 0.0005f}},         // Keras 3.2.1, no name attributes
      {"fashion_cnn_k310.keras", {"Adam", 17500, 0.001f}},        // 3.10.0
      {"flownet_ann_final.keras", {"Adam", 21600, 0.001f}},       // 3.9.2
      {"melody_lstm_k312.keras", {"Adam", 29555, 0.002f}},        // 3.12.1
      {"temp4cast_gru.keras", {"Adam", 1584, 0.001f}},            // 3.8.0, GRU reset_after
      {"temp4cast_simplernn.keras", {"Adam", 1170, 0.001f}},      // 3.8.0
  };
  for (const auto& [file, opt] : files) {
    INFO(file);
    const Model m = load_model(wild(file));
    CHECK(all_finite(run(m, inputs_for(m, 3))));
    check_optimizer(m, opt);
    const h5::File weights = weights_of_archive(wild(file));
    if (file != "ecg_arrhythmia.keras") check_name_attributes(m, weights);
    // Written back by xkeras and read again: the same weights, bit for bit.
    const std::string dir = scratch_dir("wild_rewrite");
    m.save(dir + "/again.keras");
    CHECK(same_weights(m, load_model(dir + "/again.keras")));
  }
}

TEST_CASE("keras3 wild: renewable_lstm.keras has a custom loss and loads uncompiled") {
  // compile_config's loss is the user's Python function "RMSE": Keras too cannot compile it without
  // the code; the weights load, and the optimizer state is not needed.
  const Model m = load_model(wild("renewable_lstm.keras"));
  CHECK(m->compiled() == nullptr);
  CHECK(all_finite(run(m, inputs_for(m, 4))));
  check_name_attributes(m, weights_of_archive(wild("renewable_lstm.keras")));
  check_same_as_legacy_h5(m, wild("renewable_lstm.h5"));
}

TEST_CASE("keras3 wild: ecg_arrhythmia.keras holds the weights of ecg_arrhythmia.h5") {
  const Model m = load_model(wild("ecg_arrhythmia.keras"));
  check_same_as_legacy_h5(m, wild("ecg_arrhythmia.h5"));
}

TEST_CASE("keras3 wild: the tf.keras 2.13 archive style_transfer_k213.keras") {
  // Weights under _layer_checkpoint_dependencies/<class>_<n>, layers with weights numbered twice.
  const Model m = load_model(wild("style_transfer_k213.keras"));
  CHECK(m->compiled() == nullptr);
  std::size_t weights = m->weights().size();
  CHECK(weights == 34);
  // Batch 1 at 24 x 24 (the model's input is (None, 24, 24, 96)).
  Tensor x = Tensor::zeros({1, 24, 24, 96});
  for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = std::sin(0.01f * float(i));
  CHECK(all_finite(run(m, {x})));
  // Every weight of the file was used: with the doubled numbering a wrong mapping would pair shapes wrongly.
  const h5::File f = weights_of_archive(wild("style_transfer_k213.keras"));
  CHECK(saving::keras3::stored_values(f) == m->count_params());
}

TEST_CASE("keras3 wild: Keras's own subclassed-model test archive is refused with its class") {
  // NestedDenseModel is a Python subclass (registered_name legacy_nested_container>NestedDenseModel):
  // config.json has no layer graph to build.
  const std::string e = config_error([] { load_model(wild("keras_testdata_nested_container.keras")); });
  CHECK_THAT(e, Contains("keras_testdata_nested_container.keras: config.json") && Contains("NestedDenseModel"));
}

TEST_CASE("keras3 wild: weights files with their architecture JSON") {
  std::ifstream in(wild("arch_json/diabetes_mlp.weights.json"));
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const Model m = model_from_json(text);
  m.compile(optimizers::Adam(0.5f), "binary_crossentropy");
  m.load_weights(wild("diabetes_mlp.weights.h5"));
  CHECK(all_finite(run(m, inputs_for(m, 5))));
  check_optimizer(m, {"Adam", 5850, 0.001f});
  check_name_attributes(m, h5::File::open(wild("diabetes_mlp.weights.h5")));
}

TEST_CASE("keras3 wild: weights files whose architecture is rebuilt from the shapes they hold") {
  clear_session();  // layer names as Keras gave them in these files (dense, dense_1, ...)
  SECTION("congestion_gru: five GRU(70) on one feature and TimeDistributed(Dense(1)), Adam state") {
    std::vector<LayerPtr> ls{layers::Input({12, 1})};
    for (int i = 0; i < 5; ++i) ls.push_back(layers::GRU(70, {.return_sequences = true}));
    ls.push_back(layers::TimeDistributed(layers::Dense(1)));
    Sequential m(ls);
    m.compile(optimizers::Adam(), "mse");
    m.load_weights(wild("congestion_gru.weights.h5"));
    CHECK(all_finite(run(m, inputs_for(m, 6))));
    check_optimizer(m, {"Adam", 642, 0.001f});
  }
  SECTION("congestion_lstm: five LSTM(70) and TimeDistributed(Dense(1)); 19 optimizer variables = RMSprop") {
    std::vector<LayerPtr> ls{layers::Input({12, 1})};
    for (int i = 0; i < 5; ++i) ls.push_back(layers::LSTM(70, {.return_sequences = true}));
    ls.push_back(layers::TimeDistributed(layers::Dense(1)));
    Sequential m(ls);
    m.compile(optimizers::RMSprop(), "mse");
    m.load_weights(wild("congestion_lstm.weights.h5"));
    CHECK(all_finite(run(m, inputs_for(m, 7))));
    check_optimizer(m, {"RMSprop", 1605, 0.001f});
  }
  SECTION("digits_aimed: Flatten and Dense 128 64 10") {
    Sequential m({layers::Input({28, 28}), layers::Flatten(), layers::Dense(128, "relu"), layers::Dense(64, "relu"),
                  layers::Dense(10, "softmax")},
                 "sequential");
    m.compile(optimizers::Adam(), "sparse_categorical_crossentropy");
    m.load_weights(wild("digits_aimed.weights.h5"));
    CHECK(all_finite(run(m, inputs_for(m, 8))));
    check_optimizer(m, {"Adam", 10500, 0.001f});
    check_name_attributes(m, h5::File::open(wild("digits_aimed.weights.h5")));
  }
  SECTION("a wrong architecture fails with the path and the shapes") {
    Sequential m({layers::Input({28, 28}), layers::Flatten(), layers::Dense(100), layers::Dense(10)});
    CHECK_THAT(config_error([&] { m.load_weights(wild("digits_aimed.weights.h5")); }),
               Contains("digits_aimed.weights.h5: /layers/dense/vars") && Contains("(784, 100) in the model") &&
                   Contains("(784, 128)"));
  }
}
