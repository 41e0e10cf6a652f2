// Every model architecture file in ../shared/wild_keras_models/ (real files from public projects):
// each loads and predicts on zeros, or fails with the reason this test expects. The table printed at
// the end is the load count by format.
#include <catch2/catch.hpp>

#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "wild/wild_dir.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/json.hpp"
#include "xkeras/models/model.hpp"

using namespace xkeras;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// "keras" or "tfjs" from the manifest's kind column; everything here is one of the two.
std::string kind_of(const std::string& text) {
  return text.find("\"modelTopology\"") != std::string::npos ? "tfjs" : "keras";
}

// A TensorFlow.js file's model is its modelTopology (weights are not in this folder).
std::string model_text(const std::string& text) {
  if (kind_of(text) != "tfjs") return text;
  return json::parse(text).at("modelTopology").dump();
}

Tensors zeros_for(const Model& m) {
  Tensors xs;
  for (const auto& in : m->inputs()) {
    Shape s;
    // a fixed batch size (batch_shape [64, 50]) is used as it is; otherwise one sample
    for (std::size_t i = 0; i < in.shape().size(); ++i)
      s.push_back(in.shape()[i] < 0 ? (i == 0 ? 1 : 32) : std::size_t(in.shape()[i]));
    xs.push_back(Tensor::zeros(s));
  }
  return xs;
}

// What each file must do: "" = load and predict finite numbers on zeros; otherwise a substring of the
// error it must fail with.
const std::map<std::string, std::string> kExpected = {
    {"accel_cnn_k211", ""},
    {"carnd_elu_k224", ""},
    {"compression_conv_ae_k204", ""},
    {"conv_ae_bn_upsample_k24", ""},
    {"dcgan_discriminator_leakyrelu", ""},
    {"dcgan_generator_convT", ""},
    {"denoise_ae_nested_convT", ""},
    {"dfdc_mlp_bn_k231", ""},
    {"dqn_cartpole_mlp", ""},
    {"fer_cnn_bn_k225", ""},
    {"fraud_mlp", ""},
    {"k3_drowsiness_cnn_bn", ""},
    {"k3_echohands_cnn", ""},
    {"k3_grid_conv1d", ""},
    {"k3_har_cnn", ""},
    {"k3_mobilenetv2_expression", ""},
    {"k3_resnet50_nested_in_sequential", ""},
    {"k3_unet_cropping_convT", ""},
    {"kfile_k213_style_transfer_depthwise", ""},
    {"kfile_k310_fashion_cnn", ""},
    {"mobilenet_v1_k22", ""},
    {"noise_reduction_ae_convT_k26", ""},
    {"plate_char_cnn_k212", ""},
    {"rc_car_nvidia_cnn", ""},
    {"seizure_conv1d", ""},
    {"small_cnn_k206", ""},
    {"sound_ae_nested_convT", ""},
    {"sound_cnn_functional_k231", ""},
    {"tfjs_bid_mlp_k38", ""},
    {"tfjs_bird_cnn_nested", ""},
    {"tfjs_captcha_multi_output", ""},
    {"tfjs_crypto_dense_tfjs39", ""},
    {"tfjs_doodle_cnn_k224", ""},
    {"tfjs_maternal_mlp_k215", ""},
    {"tfjs_mlp_k28", ""},
    {"tfjs_mnist_cnn_k24", ""},
    {"tfjs_mobilenet_k214", ""},
    {"tfjs_react_cnn_k24", ""},
    {"tfjs_snake_mlp", ""},
    {"tfjs_teachable_audio", ""},
    {"tfjs_teachable_image_mobilenet", ""},
    {"tfjs_teachable_pose_head", ""},
    {"vgg16_functional_k231", ""},
    {"vgg16_head_mlp", ""},
    {"wpod_net_residual_k224", ""},
    {"anomaly_stacked_lstm_k206", ""},  // SimpleRNN / LSTM / GRU
    {"battery_lstm", ""},  // SimpleRNN / LSTM / GRU
    {"bilstm_pos_tag", ""},  // Embedding / Bidirectional / TimeDistributed
    {"dga_embed_lstm", ""},  // Embedding / Bidirectional / TimeDistributed
    {"effnet_mha_hybrid", ""},  // MultiHeadAttention
    {"imdb_conv1d_lstm", ""},  // Embedding / Bidirectional / TimeDistributed
    {"intent_stacked_lstm_k205", ""},  // Embedding / Bidirectional / TimeDistributed
    {"k3_crnn_gaussnoise_bilstm", ""},  // Embedding / Bidirectional / TimeDistributed
    {"k3_sales_lstm", ""},  // SimpleRNN / LSTM / GRU
    {"kfile_k312_melody_lstm", ""},  // SimpleRNN / LSTM / GRU
    {"multi_input_cnn_lstm_concat_k26", ""},  // SimpleRNN / LSTM / GRU
    {"solar_stacked_gru", ""},  // SimpleRNN / LSTM / GRU
    {"speech_emotion_lstm", ""},  // SimpleRNN / LSTM / GRU
    {"text_similarity_siamese_k3", "serialized Python lambda"},  // (its Embedding and LSTM load)
    {"text_spatialdrop_lstm", ""},  // Embedding / Bidirectional / TimeDistributed
    {"tfjs_name_gender_lstm_k24", ""},  // SimpleRNN / LSTM / GRU
    {"yt_sentiment_embed_gap_k3", ""},  // Embedding / Bidirectional / TimeDistributed
    {"carnd_keras1_cropping_conv2d", "serialized Python lambda"},
    {"carnd_nvidia_lambda", "serialized Python lambda"},
    {"dec_clustering_custom", "register it with XKERAS_REGISTER_LAYER(ClusteringLayer)"},
    {"k3_git_conflict_markers_malformed", "invalid JSON"},
    {"kfile_k214_subclassed_vae", "A subclassed Keras model is Python code"},
    {"recommender_stringlookup_dot", "string inputs (for StringLookup or TextVectorization) are not supported"},
    {"srgan_generator_resnet_custom", "register it with XKERAS_REGISTER_LAYER(PixelShuffler)"},
};

struct Outcome {
  bool ok = false;
  std::string error;
};

Outcome try_load(const fs::path& p) {
  try {
    Model m = model_from_json(model_text(slurp(p)));
    const Tensors xs = zeros_for(m);
    Tensors ys = m.predict(xs, xs.empty() ? 32 : static_cast<int>(xs[0].dim(0)));  // one batch: a fixed batch size fits
    for (const auto& y : ys)
      for (float v : y.value())
        if (!std::isfinite(v)) return {false, "non-finite prediction"};
    return {true, ""};
  } catch (const std::exception& e) {
    return {false, e.what()};
  }
}

}  // namespace

TEST_CASE("every wild Keras model file loads or fails as expected", "[wild]") {
  const fs::path dir = wildtest::shared_dir() / "wild_keras_models";
  std::map<std::string, std::pair<int, int>> by_kind;  // kind -> (loaded, total)
  int loaded = 0, total = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    const std::string name = entry.path().stem().string();
    const std::string kind = kind_of(slurp(entry.path()));
    const Outcome o = try_load(entry.path());
    ++total;
    ++by_kind[kind].second;
    if (o.ok) ++loaded, ++by_kind[kind].first;
    std::cout << "WILD " << (o.ok ? "ok   " : "FAIL ") << kind << " " << name << (o.ok ? "" : "  -- " + o.error.substr(0, 300)) << "\n";
    auto want = kExpected.find(name);
    INFO("file " << name << ": " << (o.ok ? "loaded" : o.error));
    REQUIRE(want != kExpected.end());  // a new file in the folder needs its line in kExpected
    if (want->second.empty()) CHECK(o.ok);
    else CHECK((!o.ok && o.error.find(want->second) != std::string::npos));
  }
  for (const auto& [k, v] : by_kind) std::cout << "WILD-COUNT " << k << " " << v.first << "/" << v.second << "\n";
  std::cout << "WILD-COUNT all " << loaded << "/" << total << "\n";
  CHECK(total == int(kExpected.size()));
  CHECK(loaded >= 61);
}
