// Writes the fuzz seed corpora: valid inputs only, small, covering every layer, model shape and
// file section the readers know (libFuzzer mutates from here; a seed it cannot parse teaches it
// nothing). Built with public API calls so the seeds follow the writers when the format changes.
//   fuzz_make_corpus DIR [TFJS]   (the build's `fuzz_corpus` target passes fuzz/corpus tests/data/tfjs)
// DIR/model_json, DIR/load_model, DIR/idx, DIR/idx_stream and DIR/tfjs are emptied and rewritten; so are the files directly
// in DIR/h5, DIR/keras_archive and DIR/weights_h5 (Keras's .h5 / .keras / .weights.h5 as xkeras writes them),
// whose handmade/ folders (make_handmade_seeds.py: written by h5py and zipfile) are kept. DIR/tfjs holds the
// TensorFlow.js fixtures of TFJS (made by TensorFlow.js itself) in the encoding of tfjs_bundle.hpp. Each model seed is read
// back through the same code the fuzz target runs; one that fails is reported and left out.
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include <xkeras/datasets.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/xkeras.hpp>

#include "fuzz_common.hpp"
#include "make_corpus.hpp"
#include "fuzz_models.hpp"
#include "tfjs_bundle.hpp"
#include "serialization/reference_json.hpp"  // Keras's own output, quoted by the tests

using namespace xkeras;
namespace fs = std::filesystem;

namespace make_corpus {

fs::path out_dir;
int written = 0, failed = 0;

void write_file(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
  ++written;
}

// Seeds must be accepted by the reader and run by predict_small; report and skip any that are not.
bool check(const std::string& what, const std::function<void()>& f) {
  try {
    f();
    return true;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "make_corpus: %s left out: %s\n", what.c_str(), e.what());
    ++failed;
    return false;
  }
}

}  // namespace make_corpus

using namespace make_corpus;

namespace {

void model_json_seed(const std::string& name, const std::string& text) {
  if (check("model_json/" + name, [&] { xkeras_fuzz::predict_small(model_from_json(text)); }))
    write_file(out_dir / "model_json" / (name + ".json"), text);
}

// Model::save writes optimizer_state.variables in an order that changes from run to run; sorted,
// a regenerated corpus differs from the committed one only where the format did.
void canonicalize(const fs::path& saved) {
  std::ifstream in(saved, std::ios::binary);
  json doc = json::parse(in);
  in.close();
  if (doc.contains("optimizer_state") && doc["optimizer_state"].contains("variables")) {
    json& vars = doc["optimizer_state"]["variables"];
    std::vector<std::string> keys;
    for (const auto& kv : vars.items()) keys.push_back(kv.key());
    std::sort(keys.begin(), keys.end());
    json sorted = json::object();
    for (const auto& k : keys) sorted[k] = vars[k];
    vars = sorted;
  }
  std::ofstream(saved, std::ios::binary | std::ios::trunc) << doc.dump();
}

// The same model as Keras's .keras archive and legacy .h5 (for the h5 and keras_archive targets): a
// few models of each kind, so the seeds stay small.
void keras_file_seeds(const std::string& name, const Model& m) {
  static const std::set<std::string> chosen = {
      "sequential_dense", "functional_merges", "functional_shared_layer", "lambdas", "conv_batchnorm_minmax",
      "nested_autoencoder", "nested_functional_in_functional", "compiled_adam", "compiled_conv_adam"};
  if (!chosen.count(name)) return;
  for (const auto& [target, ext] : {std::pair<const char*, const char*>{"keras_archive", ".keras"}, {"h5", ".h5"}}) {
    const fs::path saved = out_dir / target / (name + ext);
    if (check(std::string(target) + "/" + name, [&] {
          m.save(saved.string());
          xkeras_fuzz::predict_small(load_model(saved.string()));
        }))
      ++written;
    else
      fs::remove(saved);
  }
}

// One model -> its config (compact, and indented for a few so both spellings are seeds) and its
// saved file. `build` runs after clear_session() and a fixed seed: the files are reproducible.
void model_seeds(const std::string& name, const std::function<Model()>& build, bool indented = false) {
  clear_session();
  set_random_seed(1234);
  Model m = build();
  model_json_seed(name, m.to_json(indented ? 2 : -1));
  const fs::path saved = out_dir / "load_model" / (name + ".json");
  if (!check("load_model/" + name, [&] {
        m.save(saved.string());
        canonicalize(saved);
        xkeras_fuzz::predict_small(load_model(saved.string()));
      })) {
    fs::remove(saved);
    return;
  }
  ++written;
  keras_file_seeds(name, m);
}

/// One Adam (or other) step so that optimizer_state holds real slots and a nonzero iteration count.
void train_once(const Model& m, const Tensors& x, const Tensors& y) { m.train_on_batch(x, y); }

Tensor ramp(const Shape& s, float scale = 0.1f) {
  std::vector<float> v(shape_size(s));
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = scale * static_cast<float>(static_cast<int>(i % 11) - 5);
  return Tensor::from(s, v);
}

void models() {
  using namespace layers;
  model_seeds("sequential_dense", [] {
    return Sequential({layers::Input({4}), Dense(3, "relu"), Dense(2)});
  }, true);
  model_seeds("sequential_no_input", [] { return Sequential({Dense(3, "tanh"), Dense(1, "sigmoid")}); });
  model_seeds("sequential_activations", [] {
    return Sequential({layers::Input({5}), Dense(4, DenseOptions{.activation = "elu", .use_bias = false}), Activation("softmax"),
                       Dropout(0.5, 7), Dense(2, "softplus")});
  });
  model_seeds("functional_add", [] {
    auto a = xkeras::Input({3}, "a"), b = xkeras::Input({3}, "b");
    return Model({a, b}, Add()({Dense(2)(a), Dense(2)(b)}), "fusion");
  }, true);
  model_seeds("functional_merges", [] {
    auto a = xkeras::Input({3}), b = xkeras::Input({3});
    auto s = Subtract()({a, b}), m = Multiply()({a, b}), v = Average()({a, b});
    return Model({a, b}, Concatenate(-1)({s, m, v}));
  });
  model_seeds("functional_multi_output", [] {
    auto x = xkeras::Input({4});
    auto h = Dense(3, "relu")(x);
    return Model(KerasTensors{x}, KerasTensors{Dense(2)(h), Dense(1, "sigmoid")(h)});
  });
  model_seeds("functional_shared_layer", [] {
    auto a = xkeras::Input({3}), b = xkeras::Input({3});
    auto d = Dense(2, "relu");
    return Model({a, b}, Concatenate()({d(a), d(b)}));
  });
  model_seeds("lambdas", [] {
    auto x = xkeras::Input({4});
    auto h = Lambda("scale", {{"factor", 0.5}})(x);
    h = Lambda("antirectifier")(h);
    h = Lambda("square")(Dense(3)(h));
    h = Lambda("softmax", {{"axis", -1}})(h);
    return Model(x, Lambda("l2_normalize", {{"axis", 1}})(h));
  });
  model_seeds("unit_and_layer_norm", [] {
    return Sequential({layers::Input({6}), Dense(4), LayerNormalization(), UnitNormalization(), BatchNormalization()});
  });
  model_seeds("conv_pool", [] {
    return Sequential({layers::Input({6, 6, 2}), Conv2D(3, 3, "relu"), MaxPooling2D(2), Flatten(), Dense(2, "softmax")});
  }, true);
  model_seeds("conv_same_strides", [] {
    return Sequential({layers::Input({5, 5, 1}),
                       Conv2D(2, {3, 2}, Conv2DOptions{.strides = 2, .padding = "same", .use_bias = false}),
                       AveragePooling2D(2, Pooling2DOptions{.strides = 1, .padding = "same"}),
                       GlobalAveragePooling2D()});
  });
  model_seeds("conv_dilated_keepdims", [] {
    return Sequential({layers::Input({7, 7, 2}), Conv2D(2, 2, Conv2DOptions{.dilation_rate = 2}),
                       GlobalMaxPooling2D(GlobalPooling2DOptions{.keepdims = true}), Flatten()});
  });
  model_seeds("conv_batchnorm_minmax", [] {
    auto x = xkeras::Input({4, 4, 2});
    auto h = BatchNormalization()(Conv2D(2, 3, Conv2DOptions{.padding = "same"})(x));
    h = Activation("relu")(h);
    h = Lambda("min_max_normalize", {{"axes", {1, 2}}})(h);
    return Model(x, LayerNormalization(LayerNormalizationOptions{.axis = {1, 2, 3}})(h));
  });
  model_seeds("reshape_upsample_pad", [] {
    return Sequential({layers::Input({8}), Reshape({2, 2, 2}), UpSampling2D(2), ZeroPadding2D(Padding2D({0, 1}, {1, 0})),
                       Flatten()});
  });
  model_seeds("unknown_spatial_dims", [] {
    auto x = xkeras::Input({None, None, 2});
    return Model(x, GlobalAveragePooling2D()(Conv2D(2, 1)(x)));
  });
  model_seeds("fixed_batch_size", [] {
    auto x = xkeras::Input({3}, "fixed", 2);
    return Model(x, Dense(2)(x));
  });
  model_seeds("nested_autoencoder", [] {
    Sequential encoder({layers::Input({6}), Dense(3, "relu"), Lambda("l2_normalize", {{"axis", 1}})}, "encoder");
    Sequential decoder({layers::Input({3}), Dense(6, "sigmoid")}, "decoder");
    auto x = xkeras::Input({6});
    return Model(x, decoder(encoder(x)), "autoencoder");
  });
  model_seeds("nested_sequential_blocks", [] {
    auto block = [](int filters) {
      return Sequential({Conv2D(filters, 3, Conv2DOptions{.padding = "same"}), BatchNormalization(), Activation("relu")});
    };
    return Sequential({layers::Input({4, 4, 1}), block(2), block(2), MaxPooling2D(2), Flatten(), Dense(2)});
  });
  model_seeds("nested_functional_in_functional", [] {
    auto i = xkeras::Input({3});
    Model inner(i, Dense(2, "relu")(i), "inner");
    auto a = xkeras::Input({3}), b = xkeras::Input({3});
    return Model({a, b}, Add()({inner(a), inner(b)}), "outer");
  });
  // Compiled models: compile_config, and after one step optimizer_state with Adam's slots.
  model_seeds("compiled_adam", [] {
    Sequential m({layers::Input({4}), Dense(3, "relu"), Dense(1)});
    m.compile(optimizers::Adam(1e-3), "mse", {"mae"});
    train_once(m, {ramp({2, 4})}, {ramp({2, 1})});
    return m;
  }, true);
  model_seeds("compiled_adam_multi_output", [] {
    auto x = xkeras::Input({3});
    auto h = Dense(2)(x);
    Model m(KerasTensors{x}, KerasTensors{Dense(2, "softmax")(h), Dense(1)(h)});
    m.compile(optimizers::Adam(1e-2, 0.8f, 0.99f, 1e-6f, true), std::vector<Loss>{"categorical_crossentropy", "mae"});
    train_once(m, {ramp({2, 3})}, {Tensor::from({2, 2}, {1, 0, 0, 1}), ramp({2, 1})});
    return m;
  });
  model_seeds("compiled_conv_adam", [] {
    Sequential m({layers::Input({4, 4, 1}), Conv2D(2, 3), BatchNormalization(), Flatten(), Dense(3, "softmax")});
    m.compile(optimizers::Adam(), "sparse_categorical_crossentropy", {"accuracy"});
    train_once(m, {ramp({2, 4, 4, 1})}, {Tensor::from({2}, {0, 2})});
    return m;
  });
  model_seeds("compiled_sgd_momentum", [] {
    Sequential m({layers::Input({3}), Dense(2, "sigmoid")});
    m.compile(optimizers::SGD(0.1f, 0.9f, true, {.clipnorm = 1.0f}), "binary_crossentropy", {"binary_accuracy"});
    train_once(m, {ramp({2, 3})}, {Tensor::from({2, 2}, {1, 0, 0, 1})});
    return m;
  });
  model_seeds("compiled_rmsprop_uncalled", [] {
    Sequential m({layers::Input({3}), Dense(2)});
    m.compile(optimizers::RMSprop(1e-3f, 0.9f, 0.1f), "mse");  // compiled, never trained: empty slots
    return m;
  });
}

// Keras's own JSON, as the serialization tests quote it: the layouts we did not write ourselves.
// Its tf.keras Sequential uses Conv1D, which xkeras does not have (a clean ConfigError, so not a
// seed); the same file cut down to the layers xkeras has keeps that layout in the corpus, once with
// its InputLayer entry and once without (batch_input_shape on the first layer, as tf.keras 2.x
// writes it when the model was built from an input_shape argument).
void keras_reference_seeds() {
  model_json_seed("keras3_sequential_dump", reference_json::kKeras3SequentialDump);
  model_json_seed("keras3_functional_add", reference_json::kKeras3FunctionalAdd);
  model_json_seed("tf_keras_functional_add", reference_json::kTfKerasFunctionalAdd);
  json seq = json::parse(reference_json::kTfKerasSequential);
  json& layers = seq["config"]["layers"];
  json kept = json::array();
  for (const json& l : layers)
    if (l["class_name"] != "Conv1D" && l["class_name"] != "MaxPooling1D") kept.push_back(l);
  layers = kept;
  model_json_seed("tf_keras_sequential_dense", seq.dump(2));
  layers.erase(layers.begin());
  layers[0]["config"]["batch_input_shape"] = {nullptr, 4, 2};
  model_json_seed("tf_keras_sequential_no_input_layer", seq.dump());
}

// The weight-file targets' fixed models (fuzz_models.hpp) as save_weights and save write them, each
// loaded back into a fresh copy the way the target does.
void weights_seeds() {
  using Builder = Model (*)();
  const std::vector<std::pair<std::string, Builder>> models = {{"nested", xkeras_fuzz::weights_model_nested},
                                                               {"recurrent", xkeras_fuzz::weights_model_recurrent},
                                                               {"dense", xkeras_fuzz::weights_model_dense}};
  for (const auto& [name, build] : models) {
    const fs::path w = out_dir / "weights_h5" / (name + ".weights.h5");
    if (check("weights_h5/" + name, [&, build = build] {
          build().save_weights(w.string());
          build().load_weights(w.string());
        }))
      ++written;
    else
      fs::remove(w);
  }
  // For the h5 and keras_archive targets, whose second step loads weights into weights_model_dense.
  for (const char* ext : {".h5", ".keras"}) {
    const fs::path p = out_dir / (ext == std::string(".h5") ? "h5" : "keras_archive") / (std::string("weights_model_dense") + ext);
    if (check(p.filename().string(), [&] {
          xkeras_fuzz::weights_model_dense().save(p.string());
          xkeras_fuzz::weights_model_dense().load_weights(p.string());
          xkeras_fuzz::predict_small(load_model(p.string()));
        }))
      ++written;
    else
      fs::remove(p);
  }
}

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Each fixture folder (model.json, its shards in manifest order) becomes one input, checked through
// the target's own decoding and loader. Shard names are taken from the folder: every fixture uses
// "group1-shard<k>of<n>.bin" or "model.weights.bin", which the encoding recreates.
void tfjs_seeds(const fs::path& fixtures) {
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(fixtures))
    if (e.is_directory() && fs::exists(e.path() / "model.json")) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  for (const auto& d : dirs) {
    std::vector<fs::path> bins;
    for (const auto& e : fs::directory_iterator(d))
      if (e.path().extension() == ".bin") bins.push_back(e.path());
    std::sort(bins.begin(), bins.end());  // shard1ofN < shard2ofN < ... for N < 10
    std::vector<std::string> shards;
    for (const auto& b : bins) shards.push_back(read_bytes(b));
    const std::string input = xkeras_fuzz::tfjs_input(read_bytes(d / "model.json"), shards);
    const std::string name = d.filename().string();
    if (xkeras_fuzz::tfjs_files(input).size() != (shards.empty() ? 1 : shards.size() + 2)) {
      std::fprintf(stderr, "make_corpus: tfjs/%s left out: a shard holds the separator\n", name.c_str());
      ++failed;
      continue;
    }
    const bool ok = check("tfjs/" + name, [&] {
      const std::string& dir = xkeras_fuzz::write_scratch_files(xkeras_fuzz::tfjs_files(input));
      xkeras_fuzz::predict_small(load_model(dir + "/model.json"));
    });
    if (ok) write_file(out_dir / "tfjs" / (name + ".tfjs"), input);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    std::fprintf(stderr, "usage: %s OUT_DIR [TFJS_FIXTURES]   (writes OUT_DIR/model_json, load_model, h5, keras_archive, weights_h5, idx, idx_stream, tfjs)\n", argv[0]);
    return 2;
  }
  out_dir = argv[1];
  const fs::path fixtures = argc == 3 ? fs::path(argv[2]) : out_dir / ".." / ".." / "tests" / "data" / "tfjs";
  for (const char* sub : {"model_json", "load_model", "idx", "idx_stream", "tfjs"}) {
    fs::remove_all(out_dir / sub);
    fs::create_directories(out_dir / sub);
  }
  for (const char* sub : {"h5", "keras_archive", "weights_h5"}) {
    fs::create_directories(out_dir / sub);
    for (const auto& e : fs::directory_iterator(out_dir / sub))
      if (e.is_regular_file()) fs::remove(e.path());
  }
  set_num_threads(1);
  models();
  keras_reference_seeds();
  weights_seeds();
  idx_seeds();
  tfjs_seeds(fixtures);
  std::printf("make_corpus: wrote %d files into %s (%d left out)\n", written, out_dir.c_str(), failed);
  return failed ? 1 : 0;
}
