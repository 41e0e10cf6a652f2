// Seed 004: encoder and decoder models composed into one model share their layers.
#include <catch2/catch.hpp>

#include <xkeras/layers.hpp>
#include <xkeras/xkeras.hpp>

#include "support/gradcheck.hpp"

using namespace xkeras;

TEST_CASE("training the composite trains its parts, encoder.predict then uses the trained weights") {
  set_random_seed(5);
  Sequential encoder({layers::Input({6}), layers::Dense(4, "relu"), layers::Lambda("l2_normalize", {{"axis", 1}})});
  Sequential decoder({layers::Input({4}), layers::Dense(6, "sigmoid")});
  auto x = Input({6});
  Model autoencoder(x, decoder(encoder(x)));
  CHECK(autoencoder.count_params() == encoder.count_params() + decoder.count_params());

  Tensor data = xkeras::testing::random_tensor({32, 6}, 11, 0.0f, 1.0f);
  const Tensor codes_before = encoder.predict(data);
  const std::vector<Array> encoder_before = encoder.get_weights();
  autoencoder.compile(optimizers::Adam(1e-2f), "mse");
  History h = autoencoder.fit(data, data, {.epochs = 20, .batch_size = 8, .verbose = 0});
  CHECK(h["loss"].back() < h["loss"].front());

  // The encoder's own weights moved...
  const std::vector<Array> encoder_after = encoder.get_weights();
  REQUIRE(encoder_after.size() == encoder_before.size());
  CHECK((encoder_after[0] != encoder_before[0]));
  // ...and encoder.predict, decoder.predict compose to exactly the autoencoder's prediction.
  Tensor codes = encoder.predict(data);
  CHECK((codes.value() != codes_before.value()));
  CHECK((decoder.predict(codes).value() == autoencoder.predict(data).value()));
}
