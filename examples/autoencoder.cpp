// Seed 004: an autoencoder whose code is L2-normalized, with encoder and decoder as separate
// Sequential models composed into one Model, trained on Fashion-MNIST.
//
//   784 -> Dense 256 relu -> Dense 64 relu -> Lambda l2_normalize(axis=1)   (encoder)
//   64  -> Dense 256 relu -> Dense 784 sigmoid                               (decoder)
//
// Adam(1e-3), MSE, batch 128, 5 epochs on the 60 000 training images, validated on the test images.
// Reports the test MSE, saves the model (config + weights) as JSON, and three pictures: the training
// curves (loss and val_loss per epoch), test images above their reconstructions, and the model's graph.
//
// --distributed trains data-parallel over the processes mpirun started (docs/distributed.md):
//   mpirun -np 2 ./build/examples/autoencoder --distributed
// Each rank trains on its half of every batch of 128; rank 0 alone prints and writes the files.
#include <chrono>
#include <cmath>
#include <iostream>

#include <CLI/CLI.hpp>
#include <xkeras/datasets.hpp>
#include <xkeras/distributed.hpp>
#include <xkeras/image.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/visualization.hpp>
#include <xkeras/xkeras.hpp>

using namespace xkeras;

int main(int argc, char** argv) {
  CLI::App app{"Train the seed-004 autoencoder on Fashion-MNIST"};
  int epochs = 5, batch_size = 128, verbose = 1;
  std::size_t limit = 0;
  std::uint64_t seed = 42;
  std::string out = ".", data_dir = datasets::fashion_mnist::default_dir();
  bool distributed = false;
  app.add_option("--epochs", epochs, "training epochs")->check(CLI::PositiveNumber);
  app.add_option("--batch-size", batch_size, "batch size")->check(CLI::PositiveNumber);
  app.add_option("--limit", limit, "use only the first N training and test images (0 = all)");
  app.add_option("--seed", seed, "random seed");
  app.add_option("--out", out, "directory for autoencoder.json, curves.png, reconstructions.png, autoencoder.png");
  app.add_option("--data", data_dir, "Fashion-MNIST directory");
  app.add_option("--verbose", verbose, "0 silent, 1 progress bar, 2 one line per epoch");
  app.add_flag("--distributed", distributed, "data-parallel training over the ranks mpirun started");
  CLI11_PARSE(app, argc, argv);
  // MPI when mpirun started us (the ranks then split every batch); one process otherwise.
  distributed::Session mpi(&argc, &argv);
  const bool chief = distributed::is_chief();

  try {
    set_random_seed(seed);
    auto [train, test] = datasets::fashion_mnist::load_data(data_dir, limit ? std::optional(limit) : std::nullopt);
    Tensor x_train, x_test;
    {
      NoGrad no_grad;  // data preparation is not part of any gradient
      x_train = ops::reshape(train.x, std::vector<long>{-1, 784}) / 255.0f;
      x_test = ops::reshape(test.x, std::vector<long>{-1, 784}) / 255.0f;
    }

    Sequential encoder({layers::Input({784}), layers::Dense(256, "relu"), layers::Dense(64, "relu"),
                        layers::Lambda("l2_normalize", {{"axis", 1}})},
                       "encoder");
    Sequential decoder({layers::Input({64}), layers::Dense(256, "relu"), layers::Dense(784, "sigmoid")}, "decoder");
    auto x = Input({784}, "image");
    Model autoencoder(x, decoder(encoder(x)), "autoencoder");
    autoencoder.compile(optimizers::Adam(1e-3f), "mse");
    if (verbose && chief) autoencoder.summary();
    if (distributed && chief)
      std::cout << "Data-parallel over " << distributed::size() << " process(es): " << batch_size / distributed::size()
                << " images per process and batch\n";

    const auto t0 = std::chrono::steady_clock::now();
    FitOptions fit_options{.epochs = epochs, .batch_size = batch_size,
                           .validation_data = ValidationData{{x_test}, {x_test}}, .verbose = verbose};
    if (distributed) fit_options.distribution = distributed::DataParallel();
    History history = autoencoder.fit(x_train, x_train, fit_options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    const double mse = autoencoder.evaluate(x_test, x_test, 256).at("loss");
    if (!chief) return 0;  // every rank holds the same model: rank 0 reports and writes
    std::cout << "Training images: " << x_train.dim(0) << ", epochs: " << epochs
              << ", mean epoch time (incl. validation): " << seconds / epochs << " s\n";
    std::cout << "Test MSE: " << mse << "\n";

    // The encoder trained as part of the composite: its codes are unit vectors.
    Tensor codes = encoder.predict(ops::slice(x_test, 0, 0, 8));
    double worst = 0;
    for (std::size_t i = 0; i < codes.dim(0); ++i) {
      double s = 0;
      for (std::size_t j = 0; j < codes.dim(1); ++j) s += double(codes.data()[i * 64 + j]) * codes.data()[i * 64 + j];
      worst = std::max(worst, std::fabs(std::sqrt(s) - 1.0));
    }
    std::cout << "Encoder code norms differ from 1 by at most " << worst << "\n";

    autoencoder.save(out + "/autoencoder.json");
    // Loss and val_loss per epoch, as a Keras user plots history.history.
    visualization::plot_history(history, out + "/curves.png");
    // 10 test images above their reconstructions, each pixel drawn 4 x 4 (112 x 112 per image).
    const std::size_t shown = std::min<std::size_t>(10, x_test.dim(0));
    Tensor originals = ops::slice(x_test, 0, 0, shown);
    Tensor recon = autoencoder.predict(originals);
    Tensor grid = ops::reshape(ops::concatenate({originals, recon}, 0), Shape{2 * shown, 28, 28});
    image::save_grid_png(out + "/reconstructions.png", grid, shown, 4);
    // keras.utils.plot_model(autoencoder, show_shapes=True, expand_nested=True)
    utils::plot_model(autoencoder, out + "/autoencoder.png",
                      utils::PlotModelOptions().with_show_shapes(true).with_expand_nested(true).with_dpi(96));
    std::cout << "Saved " << out << "/autoencoder.json, " << out << "/curves.png, " << out << "/reconstructions.png and "
              << out << "/autoencoder.png\n";
  } catch (const std::exception& e) {
    if (distributed::size() > 1) distributed::abort(e.what());  // the other ranks must not wait for this one
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
