#include "saving/keras1_config.hpp"

#include <map>
#include <utility>
#include <vector>

#include "saving/json_util.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::saving {

namespace {

using Renames = std::vector<std::pair<const char*, const char*>>;

// Keras 2.0's legacy/interfaces.py, by layer family.
const Renames kWeights = {{"init", "kernel_initializer"},     {"W_regularizer", "kernel_regularizer"},
                          {"b_regularizer", "bias_regularizer"}, {"W_constraint", "kernel_constraint"},
                          {"b_constraint", "bias_constraint"},   {"bias", "use_bias"}};
const Renames kConv = {{"nb_filter", "filters"}, {"subsample", "strides"}, {"border_mode", "padding"},
                       {"dim_ordering", "data_format"}, {"atrous_rate", "dilation_rate"}};
const Renames kConv1D = {{"nb_filter", "filters"}, {"filter_length", "kernel_size"}, {"subsample_length", "strides"},
                         {"border_mode", "padding"}, {"atrous_rate", "dilation_rate"}};
const Renames kPool1D = {{"pool_length", "pool_size"}, {"stride", "strides"}, {"border_mode", "padding"}};
const Renames kPool2D = {{"border_mode", "padding"}, {"dim_ordering", "data_format"}};
const Renames kImage = {{"dim_ordering", "data_format"}};
const Renames kRecurrent = {{"output_dim", "units"},
                            {"init", "kernel_initializer"},
                            {"inner_init", "recurrent_initializer"},
                            {"inner_activation", "recurrent_activation"},
                            {"W_regularizer", "kernel_regularizer"},
                            {"U_regularizer", "recurrent_regularizer"},
                            {"b_regularizer", "bias_regularizer"},
                            {"W_constraint", "kernel_constraint"},
                            {"U_constraint", "recurrent_constraint"},
                            {"b_constraint", "bias_constraint"},
                            {"dropout_W", "dropout"},
                            {"dropout_U", "recurrent_dropout"}};

const std::map<std::string, std::vector<const Renames*>>& families() {
  static const Renames dense = {{"output_dim", "units"}};
  static const Renames dropout = {{"p", "rate"}};
  static const Renames noise = {{"sigma", "stddev"}};
  static const Renames embedding = {{"init", "embeddings_initializer"}, {"W_regularizer", "embeddings_regularizer"},
                                    {"W_constraint", "embeddings_constraint"}};
  static const Renames bn = {{"beta_init", "beta_initializer"}, {"gamma_init", "gamma_initializer"},
                             {"beta_regularizer", "beta_regularizer"}, {"gamma_regularizer", "gamma_regularizer"}};
  static const Renames prelu = {{"init", "alpha_initializer"}};
  static const Renames upsample1d = {{"length", "size"}};
  static const std::map<std::string, std::vector<const Renames*>> f = {
      {"Dense", {&dense, &kWeights}},
      {"Dropout", {&dropout}},
      {"SpatialDropout1D", {&dropout, &kImage}},
      {"SpatialDropout2D", {&dropout, &kImage}},
      {"SpatialDropout3D", {&dropout, &kImage}},
      {"GaussianDropout", {&dropout}},
      {"GaussianNoise", {&noise}},
      {"Embedding", {&embedding}},
      {"Conv1D", {&kConv1D, &kWeights}},
      {"Conv2D", {&kConv, &kWeights}},
      {"Conv3D", {&kConv, &kWeights}},
      {"Conv2DTranspose", {&kConv, &kWeights}},
      {"SeparableConv2D", {&kConv, &kWeights}},
      {"MaxPooling1D", {&kPool1D}},
      {"AveragePooling1D", {&kPool1D}},
      {"MaxPooling2D", {&kPool2D}},
      {"AveragePooling2D", {&kPool2D}},
      {"MaxPooling3D", {&kPool2D}},
      {"AveragePooling3D", {&kPool2D}},
      {"GlobalMaxPooling2D", {&kImage}},
      {"GlobalAveragePooling2D", {&kImage}},
      {"UpSampling1D", {&upsample1d}},
      {"UpSampling2D", {&kImage}},
      {"ZeroPadding2D", {&kImage}},
      {"Cropping2D", {&kImage}},
      {"BatchNormalization", {&bn}},
      {"PReLU", {&prelu}},
      {"SimpleRNN", {&kRecurrent}},
      {"LSTM", {&kRecurrent}},
      {"GRU", {&kRecurrent}},
  };
  return f;
}

std::string upgrade_value(const std::string& key, const json& v, const std::string& path) {
  const std::string s = v.get<std::string>();
  if (key == "data_format") {
    if (s == "tf" || s == "default") return "channels_last";
    if (s == "th") return "channels_first";
  }
  if (key == "padding" && s == "full")
    throw ConfigError(path, "Keras 1's border_mode \"full\" has no Keras 2 equivalent (expected \"valid\" or \"same\")");
  return s;
}

}  // namespace

std::string keras1_class_name(const std::string& c) {
  static const std::map<std::string, std::string> renames = {
      {"Convolution1D", "Conv1D"},           {"Convolution2D", "Conv2D"},
      {"Convolution3D", "Conv3D"},           {"AtrousConvolution1D", "Conv1D"},
      {"AtrousConvolution2D", "Conv2D"},     {"Deconvolution2D", "Conv2DTranspose"},
      {"SeparableConvolution2D", "SeparableConv2D"}};
  auto it = renames.find(c);
  return it == renames.end() ? c : it->second;
}

json upgrade_keras1_config(const std::string& class_name, const json& config, const std::string& path) {
  if (!config.is_object()) return config;
  json out = config;
  // Every Keras 1 layer: input_dtype is the dtype; input_dim alone stands for batch_input_shape [None, input_dim].
  if (out.contains("input_dtype") && !out.contains("dtype")) out["dtype"] = out["input_dtype"];
  out.erase("input_dtype");
  if (out.contains("input_dim") && out["input_dim"].is_number_integer() && !out.contains("batch_input_shape"))
    out["batch_input_shape"] = json::array({nullptr, out["input_dim"]});
  auto fam = families().find(keras1_class_name(class_name));
  if (fam == families().end()) return out;
  for (const Renames* renames : fam->second)
    for (const auto& [old_key, new_key] : *renames) {
      if (!out.contains(old_key) || out.contains(new_key)) continue;
      json v = out[old_key];
      if (v.is_string()) v = upgrade_value(new_key, v, join_path(path, old_key));
      out[new_key] = std::move(v);
      out.erase(old_key);
    }
  // Conv2D's kernel was two keys.
  if (out.contains("nb_row") && out.contains("nb_col") && !out.contains("kernel_size")) {
    out["kernel_size"] = json::array({out["nb_row"], out["nb_col"]});
    out.erase("nb_row");
    out.erase("nb_col");
  }
  if (class_name == "BatchNormalization" && out.contains("mode") && out["mode"] != 0)
    throw ConfigError(join_path(path, "mode"), "Keras 1's BatchNormalization mode " + shown(out["mode"]) +
                                                   " (per-sample normalization) has no Keras 2 equivalent; expected mode 0");
  if (fam->first == "LSTM" || fam->first == "GRU" || fam->first == "SimpleRNN") {
    // forget_bias_init "one" is Keras 2's unit_forget_bias.
    if (out.contains("forget_bias_init") && !out.contains("unit_forget_bias"))
      out["unit_forget_bias"] = out["forget_bias_init"] == "one";
    out.erase("forget_bias_init");
  }
  return out;
}

}  // namespace xkeras::saving
