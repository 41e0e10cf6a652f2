// The README's "What it looks like" example, run on 64 random images so that it stays true: it must
// compile as written and produce the files it names.
#include <catch2/catch.hpp>

#include <filesystem>
#include <unistd.h>

#include <xkeras/layers.hpp>
#include <xkeras/xkeras.hpp>

#include "support/gradcheck.hpp"

using namespace xkeras;

TEST_CASE("the README example runs as written") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("xkeras_readme_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path old = fs::current_path();
  fs::current_path(dir);  // the snippet writes into the current folder
  Tensor images = ops::scale(ops::add(testing::random_tensor({64, 784}, 7), Tensor(Array({1.0f}))), 0.5f);

  // ---- as in README.md
  Sequential encoder({layers::Input({784}), layers::Dense(256, "relu"), layers::Dense(64, "relu"),
                      layers::Lambda("l2_normalize", {{"axis", 1}})});
  Sequential decoder({layers::Input({64}), layers::Dense(256, "relu"), layers::Dense(784, "sigmoid")});
  auto x = Input({784});
  Model autoencoder(x, decoder(encoder(x)));
  autoencoder.compile(optimizers::Adam(optimizers::schedules::CosineDecay(1e-3, 2000)), "mse");
  History h = autoencoder.fit(images, images,
      FitOptions().with_epochs(3).with_batch_size(16).with_validation_split(0.25).with_verbose(0)
          .with_callbacks({callbacks::EarlyStopping(callbacks::EarlyStoppingOptions().with_patience(3)),
                           callbacks::ModelCheckpoint("best.keras", callbacks::ModelCheckpointOptions().with_save_best_only(true)),
                           callbacks::CSVLogger("log.csv")}));
  autoencoder.save("autoencoder.keras");
  Model again = load_model("autoencoder.keras");
  encoder.save_weights("encoder.weights.h5");
  visualization::plot_history(h, "curves.png");
  utils::plot_model(autoencoder, "model.png", utils::PlotModelOptions().with_show_shapes(true));
  // ----

  CHECK(h.epoch == std::vector<int>{0, 1, 2});
  for (const char* f : {"best.keras", "log.csv", "autoencoder.keras", "encoder.weights.h5", "curves.png", "model.png"})
    CHECK(fs::exists(f));
  const Tensor a = autoencoder.predict(images), b = again.predict(images);
  CHECK(a.value() == b.value());
  fs::current_path(old);
  fs::remove_all(dir);
}
