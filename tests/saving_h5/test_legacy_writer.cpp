// Model::save("m.h5") in tf.keras's layout: xkeras reads it back bit for bit, and h5py
// (tools/h5py_check_legacy.py; a missing h5py fails the test) checks its structure and reads the same
// values, compared with xkeras's own JSON file of the model and with the Keras file it was loaded from.
#include <cstdlib>
#include <filesystem>
#include <unistd.h>

#include "../../models/compiled_state.hpp"
#include "../../saving/h5_file.hpp"
#include "saving_h5/h5_test_util.hpp"
#include "wild/wild_dir.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/layers/batch_normalization.hpp"
#include "xkeras/layers/bidirectional.hpp"
#include "xkeras/layers/dense.hpp"
#include "xkeras/layers/input_layer.hpp"
#include "xkeras/layers/lstm.hpp"
#include "xkeras/models/sequential.hpp"
#include "xkeras/optimizers.hpp"

using namespace xkeras;
namespace fs = std::filesystem;

namespace {

// One folder per test process, removed when it ends.
fs::path scratch() {
  static const struct Folder {
    fs::path path = fs::temp_directory_path() / ("xkeras_saving_h5_" + std::to_string(getpid()));
    ~Folder() {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  } folder;
  fs::create_directories(folder.path);
  return folder.path;
}

bool have_h5py() { return std::system("/usr/bin/python3 -c 'import h5py' >/dev/null 2>&1") == 0; }

// Runs the h5py checker; its report goes to the test's output.
int h5py_check(const std::string& args) {
  const std::string cmd = "/usr/bin/python3 " XKERAS_SOURCE_DIR "/tools/h5py_check_legacy.py " + args;
  return std::system(cmd.c_str());
}

void check_same_weights(const Model& a, const Model& b) {
  const auto wa = a.get_weights(), wb = b.get_weights();
  REQUIRE(wa.size() == wb.size());
  for (std::size_t i = 0; i < wa.size(); ++i) {
    REQUIRE(wa[i].shape() == wb[i].shape());
    CHECK(std::equal(wa[i].begin(), wa[i].end(), wb[i].begin()));  // bit for bit (no NaNs here)
  }
}

Model nested_model() {
  Sequential inner({layers::Input({5}), layers::Dense(4, "relu"), layers::BatchNormalization()}, "inner");
  auto x = Input({7, 5});
  auto seq = layers::Bidirectional(layers::LSTM(3, {.return_sequences = false}))(x);
  auto y = layers::Dense(5)(seq);
  auto z = inner(y);
  return Model(x, layers::Dense(2, "softmax")(z), "outer");
}

}  // namespace

TEST_CASE("a model saved as legacy h5 loads back with the same weights and predictions bit for bit") {
  Model m = nested_model();
  m.compile(optimizers::Adam(0.003), "categorical_crossentropy");
  // Give the batch-norm statistics values that are not their initial ones.
  m.fit(Tensor::full({8, 7, 5}, 0.5f), Tensor::full({8, 2}, 0.5f), {.epochs = 1, .batch_size = 4, .verbose = 0});
  const fs::path path = scratch() / "nested.h5";
  m.save(path.string());
  Model back = load_model(path.string());
  check_same_weights(m, back);
  const Tensor x = Tensor::full({3, 7, 5}, 0.25f);
  const Tensor a = m.predict(x), b = back.predict(x);
  CHECK(std::equal(a.data(), a.data() + a.size(), b.data()));
  // training_config and optimizer_weights: the optimizer comes back with its iterations and slots.
  REQUIRE(back->compiled() != nullptr);
  const json s0 = m->compiled()->optimizer->get_state(), s1 = back->compiled()->optimizer->get_state();
  CHECK(s0.at("iterations") == 2);
  CHECK(s1 == s0);  // slots as base64 of their float32 bits
  REQUIRE(have_h5py());  // never skipped: the README's test command installs python3-h5py
  CHECK(h5py_check(path.string()) == 0);
  const json c = json::parse(back.to_json())["compile_config"];
  CHECK(c["optimizer"]["class_name"] == "Adam");
  CHECK(c["optimizer"]["config"]["learning_rate"].get<double>() == Approx(0.003));
  CHECK(c["loss"] == "categorical_crossentropy");
}

TEST_CASE("a saved legacy h5 has tf.keras's layout and h5py reads xkeras's weights bit for bit") {
  Model m = nested_model();
  const fs::path dir = scratch();
  m.save((dir / "m.h5").string());
  m.save((dir / "m.json").string());  // xkeras's own file: the weights as base64 float32, for h5py to compare
  const auto f = saving::h5::File::open((dir / "m.h5").string());
  CHECK(f.attr_string("backend") == "tensorflow");
  CHECK(f.attr_string("keras_version").rfind("xkeras", 0) == 0);
  const json cfg = json::parse(f.attr_string("model_config"));
  CHECK(cfg["class_name"] == "Functional");
  CHECK_FALSE(f.has_attr("training_config"));  // not compiled
  const auto mw = f.group("model_weights");
  // Auto-names depend on what the process built before: the expected names come from the model.
  const auto ls = m.layers();
  std::vector<std::string> names;
  for (const auto& l : ls) names.push_back(l->name());
  CHECK(mw.attr_strings("layer_names") == names);
  REQUIRE(ls.size() == 5);
  const std::string bi = ls[1]->name(), fwd = ls[1]->sublayers()[0]->name(), bwd = ls[1]->sublayers()[1]->name();
  std::vector<std::string> want;
  for (const auto& dir : {fwd, bwd})
    for (const char* w : {"kernel", "recurrent_kernel", "bias"}) want.push_back(bi + "/" + dir + "/lstm_cell/" + w + ":0");
  CHECK(mw.group(bi).attr_strings("weight_names") == want);
  // A nested model's weights: its layers' own names, trainable ones first, then the moving statistics.
  const auto inner = ls[3]->sublayers();
  std::string d, bn;
  for (const auto& l : inner) {
    if (l->class_name() == "Dense") d = l->name();
    if (l->class_name() == "BatchNormalization") bn = l->name();
  }
  CHECK(mw.group("inner").attr_strings("weight_names") ==
        std::vector<std::string>{d + "/kernel:0", d + "/bias:0", bn + "/gamma:0", bn + "/beta:0", bn + "/moving_mean:0",
                                 bn + "/moving_variance:0"});
  REQUIRE(have_h5py());  // never skipped: the README's test command installs python3-h5py
  CHECK(h5py_check((dir / "m.h5").string() + " --xkeras-json " + (dir / "m.json").string()) == 0);
}

TEST_CASE("wild legacy h5 models saved again by xkeras hold the original arrays bit for bit") {
  const fs::path wild = wildtest::shared_dir() / "wild_keras_files";
  const fs::path dir = scratch();
  const bool h5py = have_h5py();
  REQUIRE(h5py);  // never skipped: the README's test command installs python3-h5py
  // Keras 1 files are left out of the h5py comparison: their per-gate arrays are joined on loading.
  for (const char* name : {"tfcert_cat4", "teachable_machine_mobilenet", "dl4j_12net_prelu_k220", "swrd_cnn",
                           "dl4j_sepconv2d_k213", "cse5393_gru", "churn_ann_clf", "rtsld_lstm_dense",
                           "classifysound_autoencoder_k231"}) {
    INFO(name);
    const std::string original = (wild / (std::string(name) + ".h5")).string();
    Model m = std::string(name) == "classifysound_autoencoder_k231"
                  ? [&] {
                      std::ifstream f(wild / "arch_json" / (std::string(name) + ".json"));
                      std::stringstream s;
                      s << f.rdbuf();
                      Model w = model_from_json(s.str());
                      w.load_weights(original);
                      return w;
                    }()
                  : load_model(original);
    const std::string written = (dir / (std::string(name) + ".h5")).string();
    m.save(written);
    check_same_weights(m, load_model(written));
    if (h5py) CHECK(h5py_check(written + " --against " + original) == 0);
  }
}

TEST_CASE("layer_names of a model with many long names are split in chunks under 64512 bytes") {
  std::vector<LayerPtr> ls{layers::Input({1})};
  const std::string pad(250, 'x');  // xkeras reads names of at most 256 characters
  for (int i = 100; i < 360; ++i) ls.push_back(layers::Dense(1, layers::DenseOptions{.name = pad + std::to_string(i)}));
  Model m = Sequential(ls);
  const fs::path path = scratch() / "chunks.h5";
  m.save(path.string());
  const auto mw = saving::h5::File::open(path.string()).group("model_weights");
  // 260 names of 253 bytes: 65 780 bytes, so np.array_split makes two chunks of 130.
  CHECK_FALSE(mw.has_attr("layer_names"));
  REQUIRE(mw.has_attr("layer_names0"));
  CHECK(mw.attr_strings("layer_names0").size() == 130);
  CHECK(mw.attr_strings("layer_names1").size() == 130);
  CHECK_FALSE(mw.has_attr("layer_names2"));
  Model back = load_model(path.string());
  check_same_weights(m, back);
  REQUIRE(have_h5py());  // never skipped: the README's test command installs python3-h5py
  CHECK(h5py_check(path.string()) == 0);
}
