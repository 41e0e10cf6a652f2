// Dropout: inverted dropout in training, identity in inference (Keras's layers.Dropout).
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "xkeras/layer.hpp"

namespace xkeras::layers {

class DropoutImpl : public Layer {
 public:
  /// `rate` in [0, 1] (ValueError otherwise) is the fraction of inputs dropped. With a `seed`
  /// the layer draws its masks from its own generator seeded by it (reproducible per layer); without
  /// one, from its own generator seeded from the global one at construction (reproducible per
  /// set_random_seed, as Keras's SeedGenerator). `noise_shape` (batch included,
  /// None entries take the input's size) shares one mask entry along its size-1 axes.
  explicit DropoutImpl(double rate, std::optional<std::uint64_t> seed = std::nullopt,
                       std::optional<TensorShape> noise_shape = std::nullopt, std::string name = "");

  /// training && rate > 0: x * mask, mask entries 0 (probability rate) or 1/(1-rate); the mask is
  /// a constant on the tape, so dL/dx = dL/dy * mask. Otherwise returns x unchanged.
  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// name, trainable, dtype, rate, seed, noise_shape (Keras 3 order).
  json get_config() const override;
  /// Keras 3: the input's mask passes through to the output.
  bool supports_masking() const override { return true; }
  json build_config() const override { return nullptr; }  // Keras builds it at construction

  static std::shared_ptr<DropoutImpl> from_config(const json& config, const std::string& path);

  double rate() const { return rate_; }
  const std::optional<std::uint64_t>& seed() const { return seed_; }
  const std::optional<TensorShape>& noise_shape() const { return noise_shape_; }

 private:
  Shape mask_shape(const Shape& input) const;

  double rate_;  // double so that the config writes 0.15, not 0.15000000596
  std::optional<std::uint64_t> seed_;
  std::optional<TensorShape> noise_shape_;
  std::mt19937_64 rng_;  // from `seed`, or from draw_seed() at construction; advances on every training call, like Keras's SeedGenerator
};

/// `layers::Dropout(0.5)`, `layers::Dropout(0.5, 42)`, `layers::Dropout(0.2, {}, TensorShape{None, 1, 8})`.
class Dropout : public Holder<DropoutImpl> {
 public:
  explicit Dropout(double rate, std::optional<std::uint64_t> seed = std::nullopt,
                   std::optional<TensorShape> noise_shape = std::nullopt, const std::string& name = "");
  Dropout(std::shared_ptr<DropoutImpl> impl) : Holder<DropoutImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
