// Seed 003: {Conv -> BatchNormalization -> relu} x2 -> optional stride-2 Conv block, stacked as
// nested Sequential blocks inside a Sequential, followed by the answer's per-channel min/max
// normalization Lambda and both of its endings (Flatten -> Dense, and GlobalMaxPool2D), compiled
// with Adam + MSE and fitted for 3 epochs on the seed's random data. Then, as a real task, a
// Fashion-MNIST classifier of the same shape (sparse categorical crossentropy, accuracy), trained as
// Keras users do: 10% of the training images validate, EarlyStopping ends training once val_loss has
// not improved for 2 epochs (restoring the best weights), and ModelCheckpoint keeps the best model by
// val_accuracy in <out>/fashion_cnn_best.keras.
#include <chrono>
#include <iostream>

#include <CLI/CLI.hpp>
#include <xkeras/callbacks.hpp>
#include <xkeras/datasets.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/xkeras.hpp>

using namespace xkeras;

namespace {

/// The seed's conv_conv_pool(n_filters, name, pool): a Sequential block.
Sequential conv_conv_pool(const std::vector<int>& n_filters, bool pool = true) {
  Sequential net;
  for (int f : n_filters) {
    net.add(layers::Conv2D(f, 3, {.padding = "same"}));
    net.add(layers::BatchNormalization());
    net.add(layers::Activation("relu"));
  }
  if (!pool) return net;
  net.add(layers::Conv2D(n_filters.back(), 3, {.strides = {2, 2}, .padding = "same"}));
  net.add(layers::BatchNormalization());
  net.add(layers::Activation("relu"));
  return net;
}

/// The seed's model_keras(): six blocks, the last without the stride-2 convolution.
Sequential model_keras() {
  Sequential model;
  model.add(conv_conv_pool({8, 8}));
  model.add(conv_conv_pool({32, 32}));
  model.add(conv_conv_pool({32, 32}));
  model.add(conv_conv_pool({64, 64}));
  model.add(conv_conv_pool({64, 64}));
  model.add(conv_conv_pool({128, 128}, false));
  return model;
}

Tensor uniform(const Shape& shape) {
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  Array a = Array::from_shape(shape);
  for (auto& v : a) v = u(global_rng());
  return Tensor(std::move(a));
}

void seed_models(int verbose) {
  Tensor X = uniform({10, 28, 28, 3}), y = uniform({10, 128});
  // norm(): per-channel min/max normalization over axes [0, 1, 2], as in the answer.
  const json norm_args = {{"axes", {0, 1, 2}}};
  for (int ending = 1; ending <= 2; ++ending) {
    auto inp = Input({28, 28, 3});
    auto x = model_keras()(inp);
    x = layers::Lambda("min_max_normalize", norm_args)(x);
    if (ending == 1) {
      x = layers::Flatten()(x);
      x = layers::Dense(128, "relu")(x);
    } else {
      x = layers::GlobalMaxPooling2D()(x);
    }
    Model m(inp, x, ending == 1 ? "seed003_flatten_dense" : "seed003_global_max_pool");
    m.compile("adam", "mse");
    if (verbose) m.summary();
    History h = m.fit(X, y, {.epochs = 3, .verbose = verbose});
    std::cout << m.name() << ": loss " << h["loss"].front() << " -> " << h["loss"].back() << " after 3 epochs\n";
  }
}

/// The same block structure on Fashion-MNIST (28x28x1): [8, 8]+stride, [32, 32]+stride, [64, 64],
/// Flatten, Dense 10 (logits).
Model fashion_classifier() {
  auto inp = Input({28, 28, 1});
  Sequential body({conv_conv_pool({8, 8}), conv_conv_pool({32, 32}), conv_conv_pool({64, 64}, false)});
  auto logits = layers::Dense(10)(layers::Flatten()(body(inp)));
  return Model(inp, logits, "fashion_cnn");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Seed 003: conv-batchnorm-relu blocks, min/max normalization, Fashion-MNIST classifier"};
  int epochs = 3, verbose = 1;
  std::size_t limit = 0;
  bool skip_seed = false, skip_fashion = false;
  std::string out, out_dir = ".";
  app.add_option("--epochs", epochs, "Fashion-MNIST training epochs")->check(CLI::PositiveNumber);
  app.add_option("--limit", limit, "use only the first N training and test images (0 = all)");
  app.add_option("--verbose", verbose, "0 silent, 1 progress bar, 2 one line per epoch");
  app.add_option("--save", out, "save the trained classifier to this file (.keras, .h5 or xkeras JSON)");
  app.add_option("--out", out_dir, "folder for the best checkpoint, fashion_cnn_best.keras");
  app.add_flag("--skip-seed", skip_seed, "skip the seed's random-data models");
  app.add_flag("--skip-fashion", skip_fashion, "skip the Fashion-MNIST classifier");
  CLI11_PARSE(app, argc, argv);

  try {
    set_random_seed(3);
    if (!skip_seed) seed_models(verbose);
    if (skip_fashion) return 0;

    auto [train, test] = datasets::fashion_mnist::load_data(datasets::fashion_mnist::default_dir(),
                                                            limit ? std::optional(limit) : std::nullopt);
    Tensor x_train, x_test;
    {
      NoGrad no_grad;
      x_train = ops::reshape(train.x, std::vector<long>{-1, 28, 28, 1}) / 255.0f;
      x_test = ops::reshape(test.x, std::vector<long>{-1, 28, 28, 1}) / 255.0f;
    }
    Model model = fashion_classifier();
    model.compile(optimizers::Adam(1e-3f), losses::SparseCategoricalCrossentropy(true), {"accuracy"});
    if (verbose) model.summary();
    const auto t0 = std::chrono::steady_clock::now();
    auto early_stopping = std::make_shared<callbacks::EarlyStopping>(
        callbacks::EarlyStoppingOptions().with_monitor("val_loss").with_patience(2).with_restore_best_weights(true).with_verbose(1));
    auto checkpoint = std::make_shared<callbacks::ModelCheckpoint>(
        out_dir + "/fashion_cnn_best.keras",
        callbacks::ModelCheckpointOptions().with_monitor("val_accuracy").with_save_best_only(true).with_verbose(1));
    const History history = model.fit(x_train, train.y,
                                      FitOptions().with_epochs(epochs).with_batch_size(128).with_validation_split(0.1)
                                          .with_verbose(verbose).with_callbacks({early_stopping, checkpoint}));
    epochs = static_cast<int>(history.epoch.size());  // fewer when EarlyStopping ended training
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    auto result = model.evaluate(x_test, test.y, 256);
    std::cout << "Training images: " << x_train.dim(0) * 9 / 10 << " (and " << x_train.dim(0) - x_train.dim(0) * 9 / 10
              << " validating), epochs: " << epochs << ", mean epoch time: " << seconds / epochs
              << " s\n";
    std::cout << "Test loss: " << result.at("loss") << "\nTest accuracy: " << result.at("accuracy") << "\n";
    if (!out.empty()) {
      model.save(out);
      std::cout << "Saved " << out << "\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
