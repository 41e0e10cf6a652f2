// Every real Keras file of ../shared/wild_keras_files/ (.keras, legacy .h5, .weights.h5; MANIFEST.md there
// says where each came from): whole models through load_model, weights-only files through the
// architecture JSON their repository ships beside them (arch_json/) and load_weights. Each loads and
// predicts finite values on fixed inputs, or fails with the reason this test expects. Where the same
// model exists in two files, both predict the same. Prints "WILD-FILES" lines and the count.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <xkeras/xkeras.hpp>

#include "wild_dir.hpp"

using namespace xkeras;
namespace fs = std::filesystem;

namespace {

fs::path files_dir() { return wildtest::shared_dir() / "wild_keras_files"; }

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Fixed inputs: values spread over [-1, 1] (ids 1..7 for integer inputs); unknown axes get 6 steps
// (sequences) or 32 (images), the batch 2 samples unless the file fixes it.
Tensors inputs_for(const Model& m) {
  Tensors xs;
  for (const auto& in : m->inputs()) {
    Shape s;
    const auto& shape = in.shape();
    for (std::size_t i = 0; i < shape.size(); ++i)
      s.push_back(shape[i] >= 0 ? std::size_t(shape[i]) : i == 0 ? 2 : shape.size() == 3 ? 6 : 32);
    const std::size_t n = shape_size(s);
    if (in.dtype() == DType::int32) {
      IntArray ids = xt::zeros<int>(s);
      for (std::size_t k = 0; k < n; ++k) ids.data()[k] = int(1 + k % 7);
      xs.push_back(Tensor(ids));
    } else {
      Array v = xt::zeros<float>(s);
      for (std::size_t k = 0; k < n; ++k) v.data()[k] = float(std::sin(0.37 * double(k) + 0.1));
      xs.push_back(Tensor(v));
    }
  }
  return xs;
}

Model load_any(const fs::path& p) {
  const std::string name = p.filename().string();
  const fs::path arch = files_dir() / "arch_json" / (name.substr(0, name.size() - 3) + ".json");
  if (name.size() > 3 && name.substr(name.size() - 3) == ".h5" && fs::exists(arch)) {
    Model m = model_from_json(slurp(arch));
    m.load_weights(p.string());
    return m;
  }
  return load_model(p.string());
}

Tensors predict_fixed(const Model& m) {
  const Tensors xs = inputs_for(m);
  return m.predict(xs, xs.empty() ? 32 : int(xs[0].dim(0)));
}

// "" = loads and predicts finite values; otherwise a substring of the error it must fail with.
const std::map<std::string, std::string> kExpected = {
    {"accel_nn.h5", ""},
    {"aireporter_embedding.h5", ""},
    {"aireporter_softmax.h5", ""},
    {"battery_lstm_tfk224.h5", ""},
    {"churn_ann_clf.h5", ""},
    {"classifysound_autoencoder_k231.h5", ""},
    {"classifysound_cnn_k231.h5", ""},
    // Keras 3 save_weights() files whose repositories ship no architecture file (their architecture is
    // rebuilt in C++ in tests/saving_keras3/test_keras3_wild.cpp, where they load).
    {"congestion_gru.weights.h5", "holds weights only"},
    {"congestion_lstm.weights.h5", "holds weights only"},
    {"digits_aimed.weights.h5", "holds weights only"},
    {"cse5393_gru.h5", ""},
    {"dga_embed_lstm_weights.h5", ""},
    {"diabetes_mlp.weights.h5", ""},
    {"dl4j_12net_prelu_k220.h5", ""},
    {"dl4j_bidirectional_lstm_k213.h5", ""},
    {"dl4j_cnn1d_flatten_k213.h5", ""},
    {"dl4j_cnn_batch_norm_k213.h5", ""},
    {"dl4j_dense_keras1.h5", ""},
    {"dl4j_dense_reshape_bn_conv2d_k213.h5", ""},
    {"dl4j_embedding_conv1d_k213.h5", ""},
    {"dl4j_lstm_functional_k208.h5", ""},
    {"dl4j_mnist_mlp_k206_weights.h5", ""},
    {"dl4j_sepconv2d_k213.h5", ""},
    {"dl4j_simple_flatten_lstm_k213.h5", ""},
    {"dl4j_simple_flatten_rnn_k213.h5", ""},
    {"dl4j_simple_lstm_k206.h5", ""},
    {"dl4j_simple_lstm_keras1_tf.h5", ""},
    {"dl4j_simple_rnn_k213.h5", ""},
    {"dl4j_tfscope_keras1.h5", ""},
    {"dqn_cartpole.h5", ""},
    {"ecg_arrhythmia.h5", ""},
    {"ecg_arrhythmia.keras", ""},
    {"fashion_cnn_k310.keras", ""},
    {"flownet_ann_final.keras", ""},
    {"fraud_mlp_k205.h5", ""},
    {"gnudisme_mnist_cnn.h5", ""},
    // Keras's own test data: a subclassed model, whose config.json has no layer graph.
    {"keras_testdata_nested_container.keras", "NestedDenseModel"},
    {"kerasmnist_tfkeras2017.h5", ""},
    {"lstm_multi.h5", ""},
    {"melody_lstm_k312.keras", ""},
    {"renewable_lstm.h5", ""},
    {"renewable_lstm.keras", ""},
    {"rtsld_lstm_dense.h5", ""},
    {"seizure_conv1d_full.h5", ""},
    {"seizure_conv1d_weights.h5", ""},
    {"style_transfer_k213.keras", ""},
    {"swrd_cnn.h5", ""},
    {"swrd_dnn.h5", ""},
    {"teachable_machine_mobilenet.h5", ""},
    {"temp4cast_gru.keras", ""},
    {"temp4cast_simplernn.keras", ""},
    {"tfcert_cat1.h5", ""},
    {"tfcert_cat2.h5", ""},
    {"tfcert_cat4.h5", ""},
    {"tfcert_cat5.h5", ""},
};

double max_abs_diff(const Tensors& a, const Tensors& b) {
  REQUIRE(a.size() == b.size());
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    REQUIRE(a[i].shape() == b[i].shape());
    for (std::size_t k = 0; k < a[i].size(); ++k)
      worst = std::max(worst, double(std::abs(a[i].value().data()[k] - b[i].value().data()[k])));
  }
  return worst;
}

}  // namespace

TEST_CASE("every wild Keras file loads and predicts or fails as expected", "[wild]") {
  int loaded = 0, total = 0;
  for (const auto& entry : fs::directory_iterator(files_dir())) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || (entry.path().extension() != ".h5" && entry.path().extension() != ".keras")) continue;
    ++total;
    std::string error;
    try {
      const Tensors ys = predict_fixed(load_any(entry.path()));
      for (const auto& y : ys)
        for (float v : y.value())
          if (!std::isfinite(v)) error = "non-finite prediction";
    } catch (const std::exception& e) {
      error = e.what();
    }
    if (error.empty()) ++loaded;
    std::cout << "WILD-FILES " << (error.empty() ? "ok   " : "FAIL ") << name
              << (error.empty() ? "" : "  -- " + error.substr(0, 300)) << "\n";
    auto want = kExpected.find(name);
    INFO("file " << name << ": " << (error.empty() ? "loaded" : error));
    REQUIRE(want != kExpected.end());  // a new file in the folder needs its line in kExpected
    if (want->second.empty()) CHECK(error.empty());
    else CHECK(error.find(want->second) != std::string::npos);
  }
  std::cout << "WILD-FILES-COUNT " << loaded << "/" << total << "\n";
  CHECK(total == int(kExpected.size()));
}

TEST_CASE("wild files holding the same model in two formats predict the same", "[wild]") {
  // The MANIFEST says each pair was saved from one model (for seizure: save() and save_weights()).
  const std::pair<const char*, const char*> pairs[] = {{"ecg_arrhythmia.h5", "ecg_arrhythmia.keras"},
                                                       {"renewable_lstm.h5", "renewable_lstm.keras"},
                                                       {"seizure_conv1d_full.h5", "seizure_conv1d_weights.h5"}};
  for (const auto& [a, b] : pairs) {
    const Model ma = load_any(files_dir() / a), mb = load_any(files_dir() / b);
    const double worst = max_abs_diff(predict_fixed(ma), predict_fixed(mb));
    INFO(a << " vs " << b << ": worst difference " << worst);
    CHECK(worst == 0.0);
  }
}
