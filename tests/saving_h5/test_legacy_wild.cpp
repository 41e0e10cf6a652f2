// The legacy .h5 files of ../shared/wild_keras_files (real files from public projects, MANIFEST.md
// there): every full model loads and predicts finite values; the save_weights files load into the
// model of their arch_json/*.json; where DL4J stored Keras's own predictions (reference_io/*.io.h5)
// xkeras must give them; two files of the same model must predict the same.
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>

#include "../../models/compiled_state.hpp"
#include "../../saving/h5_file.hpp"
#include "../../src/optimizers/array_codec.hpp"
#include "saving_h5/h5_test_util.hpp"
#include "wild/wild_dir.hpp"
#include "xkeras/errors.hpp"

using namespace xkeras;
namespace fs = std::filesystem;

namespace {

fs::path wild() { return wildtest::shared_dir() / "wild_keras_files"; }

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

bool has_class(const Layer& l, const std::string& cls) {
  if (l.class_name() == cls) return true;
  for (const auto& s : l.sublayers())
    if (has_class(*s, cls)) return true;
  return false;
}

// A seeded input for each model input: uniform(-1, 1), or token ids 0..2 when the model embeds tokens.
// Unknown dimensions: 2 samples; 32 pixels for images, 6 steps for sequences.
Tensors inputs_for(const Model& m) {
  std::mt19937 rng(12);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  const bool ids = has_class(*m.get(), "Embedding");
  Tensors xs;
  for (const auto& in : m->inputs()) {
    Shape s;
    for (std::size_t i = 0; i < in.shape().size(); ++i)
      s.push_back(in.shape()[i] >= 0 ? std::size_t(in.shape()[i]) : i == 0 ? 2 : in.shape().size() == 4 ? 32 : 6);
    std::vector<float> v(shape_size(s));
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = ids ? float(i % 3) : u(rng);
    xs.push_back(Tensor::from(s, v));
  }
  return xs;
}

void check_finite(const std::string& name, const Tensors& ys) {
  for (const auto& y : ys)
    for (std::size_t i = 0; i < y.size(); ++i) {
      INFO(name << " output value " << i);
      REQUIRE(std::isfinite(y.data()[i]));
    }
}

// The full-model legacy files: all of them load (InputLayer, Dense, Conv1D/2D, SeparableConv2D,
// DepthwiseConv2D, BatchNormalization, LayerNormalization, PReLU, Embedding, SimpleRNN, LSTM, GRU,
// Bidirectional, nested Sequential/Functional models; Keras 1.2.2, 2.0-2.13 and Keras 3 "hybrid" files).
const char* kFullModels[] = {
    "aireporter_embedding", "aireporter_softmax", "churn_ann_clf", "cse5393_gru", "dl4j_12net_prelu_k220",
    "dl4j_bidirectional_lstm_k213", "dl4j_cnn1d_flatten_k213", "dl4j_cnn_batch_norm_k213", "dl4j_dense_keras1",
    "dl4j_dense_reshape_bn_conv2d_k213", "dl4j_embedding_conv1d_k213", "dl4j_lstm_functional_k208",
    "dl4j_sepconv2d_k213", "dl4j_simple_flatten_lstm_k213", "dl4j_simple_flatten_rnn_k213", "dl4j_simple_lstm_k206",
    "dl4j_simple_lstm_keras1_tf", "dl4j_simple_rnn_k213", "dl4j_tfscope_keras1", "ecg_arrhythmia", "gnudisme_mnist_cnn",
    "kerasmnist_tfkeras2017", "lstm_multi", "renewable_lstm", "rtsld_lstm_dense", "seizure_conv1d_full", "swrd_cnn",
    "swrd_dnn", "teachable_machine_mobilenet", "tfcert_cat1", "tfcert_cat2", "tfcert_cat4", "tfcert_cat5"};

// save_weights() files, each with the model JSON its repository ships (arch_json/<name>.json).
const char* kWeightFiles[] = {"accel_nn", "battery_lstm_tfk224", "classifysound_autoencoder_k231",
                              "classifysound_cnn_k231", "dga_embed_lstm_weights", "dl4j_mnist_mlp_k206_weights",
                              "dqn_cartpole", "fraud_mlp_k205", "seizure_conv1d_weights"};

Model model_with_weights(const std::string& name) {
  Model m = model_from_json(slurp(wild() / "arch_json" / (name + ".json")));
  m.load_weights((wild() / (name + ".h5")).string());
  return m;
}

// Keras's predictions that DL4J stored next to a model: the one dataset of "inputs" and of "predictions".
struct Reference {
  Tensor input;
  std::vector<float> predictions;
  Shape shape;
};

Reference reference_io(const std::string& name) {
  const auto f = saving::h5::File::open((wild() / "reference_io" / (name + ".io.h5")).string());
  Reference r;
  const auto in = f.group("inputs"), out = f.group("predictions");
  const auto in_name = in.children().at(0), out_name = out.children().at(0);
  const auto in_info = in.dataset_info(in_name), out_info = out.dataset_info(out_name);
  std::vector<float> x(shape_size(in_info.shape));
  in.read_floats(in_name, x.data(), x.size());
  r.input = Tensor::from(in_info.shape, x);
  r.predictions.resize(shape_size(out_info.shape));
  out.read_floats(out_name, r.predictions.data(), r.predictions.size());
  r.shape = out_info.shape;
  return r;
}

// Worst |xkeras - Keras| / max(1, |Keras|) over the stored predictions.
double worst_error(const Model& m, const Reference& r) {
  const Tensor y = m.predict(r.input, 1000);
  REQUIRE(y.shape() == r.shape);
  double worst = 0;
  for (std::size_t i = 0; i < r.predictions.size(); ++i)
    worst = std::max(worst, std::abs(double(y.data()[i]) - r.predictions[i]) / std::max(1.0, std::abs(double(r.predictions[i]))));
  return worst;
}

}  // namespace

TEST_CASE("every legacy full-model h5 in wild_keras_files loads and predicts finite values") {
  for (const char* name : kFullModels) {
    INFO(name);
    Model m = load_model((wild() / (std::string(name) + ".h5")).string());
    check_finite(name, m.predict(inputs_for(m)));
  }
}

TEST_CASE("every legacy save_weights h5 in wild_keras_files loads into its arch_json model") {
  for (const char* name : kWeightFiles) {
    INFO(name);
    Model m = model_with_weights(name);
    check_finite(name, m.predict(inputs_for(m)));
  }
}

TEST_CASE("wild legacy h5 models predict what Keras predicted (DL4J reference_io files)") {
  // Keras's predictions are float32; xkeras's kernels sum in another order: 1e-5 relative is ~100 ulp.
  const double tol = 1e-5;
  const std::map<std::string, std::string> full = {{"dl4j_simple_flatten_lstm_k213", "dl4j_simple_flatten_lstm_k213"},
                                                   {"dl4j_simple_flatten_rnn_k213", "dl4j_simple_flatten_rnn_k213"},
                                                   {"dl4j_simple_lstm_keras1_tf", "dl4j_simple_lstm_keras1_tf"},
                                                   {"dl4j_simple_rnn_k213", "dl4j_simple_rnn_k213"}};
  for (const auto& [file, io] : full) {
    const double e = worst_error(load_model((wild() / (file + ".h5")).string()), reference_io(io));
    std::cout << "legacy h5 vs Keras predictions: " << file << " worst relative error " << e << "\n";
    INFO(file << " worst relative error " << e);
    CHECK(e <= tol);
  }
  const double e = worst_error(model_with_weights("dl4j_mnist_mlp_k206_weights"), reference_io("dl4j_mnist_mlp_k206"));
  std::cout << "legacy h5 vs Keras predictions: dl4j_mnist_mlp_k206_weights worst relative error " << e << "\n";
  CHECK(e <= tol);
}

TEST_CASE("the seizure model as a full h5 and as save_weights plus JSON gives the same weights and predictions") {
  Model full = load_model((wild() / "seizure_conv1d_full.h5").string());
  Model split = model_with_weights("seizure_conv1d_weights");
  const auto xs = inputs_for(full);
  const Tensor a = full.predict(xs)[0], b = split.predict(xs)[0];
  REQUIRE(a.shape() == b.shape());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(a.data()[i] == b.data()[i]);
  const auto wa = full.get_weights(), wb = split.get_weights();
  REQUIRE(wa.size() == 10);
  for (std::size_t i = 0; i < wa.size(); ++i) CHECK(wa[i] == wb[i]);
  // load_weights of the full file (its model_weights group) into the JSON's model, by topology and by name.
  for (bool by_name : {false, true}) {
    Model w = model_from_json(slurp(wild() / "arch_json" / "seizure_conv1d_weights.json"));
    w.load_weights((wild() / "seizure_conv1d_full.h5").string(), by_name);
    const auto ww = w.get_weights();
    for (std::size_t i = 0; i < wa.size(); ++i) CHECK(ww[i] == wa[i]);
  }
}

// The .h5/.keras twins (ecg_arrhythmia, renewable_lstm) are compared in tests/wild/test_wild_files.cpp.

TEST_CASE("wild training_config becomes the compile state where xkeras has the optimizer and loss") {
  const auto compile_of = [](const char* name) {
    Model m = load_model((wild() / (std::string(name) + ".h5")).string());
    const json j = json::parse(m.to_json());
    return j.contains("compile_config") ? j["compile_config"] : json(nullptr);
  };
  // tf.keras 2.4 Adam with a MeanMetricWrapper metric.
  const json a = compile_of("tfcert_cat4");
  REQUIRE(a.is_object());
  CHECK(a["optimizer"]["class_name"] == "Adam");
  CHECK(a["optimizer"]["config"]["learning_rate"].get<double>() == Approx(0.001));
  CHECK(a["loss"] == "binary_crossentropy");
  // tf.keras 2.13's "Custom>Adam"; Keras 2.0.6's RMSprop with "lr".
  CHECK(compile_of("rtsld_lstm_dense")["optimizer"]["class_name"] == "Adam");
  CHECK(compile_of("dl4j_simple_lstm_k206")["optimizer"]["class_name"] == "RMSprop");
  // Keras 2.0.4's metric "fmeasure" is dropped, the rest stays.
  CHECK(compile_of("cse5393_gru")["loss"] == "categorical_crossentropy");
  // Keras 2.0.4's Adadelta (lr 1.0, rho 0.95, epsilon 1e-08); its "Variable:0" slots are not
  // restored (a warning), the optimizer starts fresh.
  const json adadelta = compile_of("kerasmnist_tfkeras2017");
  REQUIRE(adadelta.is_object());
  CHECK(adadelta["optimizer"]["class_name"] == "Adadelta");
  CHECK(adadelta["optimizer"]["config"]["learning_rate"] == 1.0);
  CHECK(adadelta["optimizer"]["config"]["rho"] == 0.95);
  CHECK(adadelta["optimizer"]["config"]["epsilon"] == 1e-08);
  // A user's loss function "RMSE": loaded uncompiled, as Keras warns.
  CHECK(compile_of("renewable_lstm").is_null());
}

TEST_CASE("wild tf.keras optimizer_weights restore the optimizer (iterations as h5py reads them)") {
  const auto state_of = [](const char* name) {
    Model m = load_model((wild() / (std::string(name) + ".h5")).string());
    REQUIRE(m->compiled() != nullptr);
    return m->compiled()->optimizer->get_state();
  };
  // Values read with h5py: Adam/iter:0 (tf.keras 2.4, 2.2.4-tf) and iteration:0 (tf.keras 2.13).
  CHECK(state_of("tfcert_cat4").at("iterations") == 6250);
  CHECK(state_of("swrd_cnn").at("iterations") == 6000);
  CHECK(state_of("seizure_conv1d_full").at("iterations") == 37000);
  CHECK(state_of("rtsld_lstm_dense").at("iterations") == 1000);
  // Keras 3.8 / 3.9 hybrid files: adam/iteration, adam/sequential_dense_kernel_momentum.
  CHECK(state_of("gnudisme_mnist_cnn").at("iterations") == 9380);
  const json churn = state_of("churn_ann_clf");
  CHECK(churn.at("iterations") == 3500);
  const Array k = array_codec::decode(churn.at("variables").at("dense/kernel").at("momentum"), "momentum");
  CHECK(k.data()[0] == Approx(0.00492993).epsilon(1e-6));
  CHECK(k.data()[1] == Approx(-0.00013768).epsilon(1e-4));  // numpy printed 5 digits
  // Keras 2.0's "Variable_28:0" names say nothing: a fresh optimizer.
  CHECK(state_of("cse5393_gru").at("iterations") == 0);
  // tfcert_cat4's Adam/embedding/embeddings/m:0 starts -0.00773829, 0.01006184, 0.00098539 (h5py).
  const json s = state_of("tfcert_cat4");
  const json* emb = nullptr;
  for (const auto& [path, slots] : s.at("variables").items())
    if (path.find("embeddings") != std::string::npos) emb = &slots;
  REQUIRE(emb != nullptr);
  const Array m = array_codec::decode(emb->at("momentum"), "momentum");
  CHECK(m.data()[0] == Approx(-0.00773829).epsilon(1e-6));
  CHECK(m.data()[1] == Approx(0.01006184).epsilon(1e-6));
  CHECK(m.data()[2] == Approx(0.00098539).epsilon(1e-5));
}
