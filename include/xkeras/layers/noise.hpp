// Noise layers that act only in training and are the identity at inference: GaussianNoise,
// GaussianDropout, AlphaDropout (Keras's layers/regularization/*). SpatialDropout1D/2D/3D build on
// the same base (spatial_dropout.hpp).
//
//   auto y = layers::GaussianNoise(0.1)(x);            // x + N(0, 0.1^2) while training
//   auto z = layers::AlphaDropout(0.2, 7)(y);          // keeps SELU's mean and variance
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "xkeras/layer.hpp"

namespace xkeras::layers {

/// The shared part of the layers that draw random numbers in training only: their own generator,
/// seeded by `seed`, or without one from the global generator at construction (reproducible per
/// set_random_seed, like Keras's SeedGenerator and xkeras's Dropout); the identity shape rule; built at
/// construction (Keras's _build_at_init, so build_config is null).
class RandomLayerImpl : public Layer {
 public:
  RandomLayerImpl(std::string class_name, std::optional<std::uint64_t> seed, std::string name);

  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  json build_config() const override { return nullptr; }
  /// Keras 3 (SpatialDropout too, as a Dropout subclass): the input's mask passes through.
  bool supports_masking() const override { return true; }
  const std::optional<std::uint64_t>& seed() const { return seed_; }

 protected:
  /// ValueError naming the layer unless 0 <= value <= 1 (NaN too), Keras's wording.
  void check_fraction(const char* arg, double value) const;
  json seed_json() const { return seed_ ? json(*seed_) : json(nullptr); }

  std::optional<std::uint64_t> seed_;
  std::mt19937_64 rng_;  // advances on every training call, like Keras's SeedGenerator
};

/// y = x + N(0, stddev^2) elementwise in training (0 <= stddev <= 1, Keras's check).
/// The noise is a constant of the tape, so dL/dx = dL/dy.
class GaussianNoiseImpl : public RandomLayerImpl {
 public:
  explicit GaussianNoiseImpl(double stddev, std::optional<std::uint64_t> seed = std::nullopt, std::string name = "");
  Tensor call(const Tensor& x, bool training) override;
  /// name, trainable, dtype, stddev, seed.
  json get_config() const override;
  static std::shared_ptr<GaussianNoiseImpl> from_config(const json& config, const std::string& path);
  double stddev() const { return stddev_; }

 private:
  double stddev_;  // double so that the config writes 0.1, not 0.10000000149
};

/// y = x * N(1, rate / (1 - rate)) elementwise in training (0 <= rate <= 1; rate 1 returns x, as
/// tf.keras, where Keras 3 raises ZeroDivisionError). The factor is a constant of the tape, so
/// dL/dx = dL/dy * factor.
class GaussianDropoutImpl : public RandomLayerImpl {
 public:
  explicit GaussianDropoutImpl(double rate, std::optional<std::uint64_t> seed = std::nullopt, std::string name = "");
  Tensor call(const Tensor& x, bool training) override;
  /// name, trainable, dtype, rate, seed.
  json get_config() const override;
  static std::shared_ptr<GaussianDropoutImpl> from_config(const json& config, const std::string& path);
  double rate() const { return rate_; }

 private:
  double rate_;
};

/// Dropout that keeps SELU's self-normalization: in training, with keep mask k = [U(0,1) >= rate]
/// (of shape noise_shape; None entries take the input's size),
///   y = a * (x * k + alpha' * (1 - k)) + b,  alpha' = -1.6732632423543772 * 1.0507009873554805,
///   a = ((1 - rate)(1 + rate alpha'^2))^(-1/2),  b = -a alpha' rate.
/// dL/dx = dL/dy * a k. rate 0 and rate 1 are the identity (tf.keras; Keras 3 gives NaN for rate 1).
class AlphaDropoutImpl : public RandomLayerImpl {
 public:
  explicit AlphaDropoutImpl(double rate, std::optional<TensorShape> noise_shape = std::nullopt,
                            std::optional<std::uint64_t> seed = std::nullopt, std::string name = "");
  Tensor call(const Tensor& x, bool training) override;
  /// name, trainable, dtype, rate, seed, noise_shape (Keras 3 order).
  json get_config() const override;
  static std::shared_ptr<AlphaDropoutImpl> from_config(const json& config, const std::string& path);
  double rate() const { return rate_; }
  const std::optional<TensorShape>& noise_shape() const { return noise_shape_; }

 private:
  double rate_;
  std::optional<TensorShape> noise_shape_;
};

/// `layers::GaussianNoise(0.1)`, `layers::GaussianNoise(0.1, 42)`.
class GaussianNoise : public Holder<GaussianNoiseImpl> {
 public:
  explicit GaussianNoise(double stddev, std::optional<std::uint64_t> seed = std::nullopt, const std::string& name = "");
  GaussianNoise(std::shared_ptr<GaussianNoiseImpl> impl) : Holder<GaussianNoiseImpl>(std::move(impl)) {}  // NOLINT
};

/// `layers::GaussianDropout(0.3)`, `layers::GaussianDropout(0.3, 42)`.
class GaussianDropout : public Holder<GaussianDropoutImpl> {
 public:
  explicit GaussianDropout(double rate, std::optional<std::uint64_t> seed = std::nullopt, const std::string& name = "");
  GaussianDropout(std::shared_ptr<GaussianDropoutImpl> impl) : Holder<GaussianDropoutImpl>(std::move(impl)) {}  // NOLINT
};

/// `layers::AlphaDropout(0.1)`, `layers::AlphaDropout(0.1, TensorShape{None, 1, 8}, 42)` (Keras's argument order).
class AlphaDropout : public Holder<AlphaDropoutImpl> {
 public:
  explicit AlphaDropout(double rate, std::optional<TensorShape> noise_shape = std::nullopt,
                        std::optional<std::uint64_t> seed = std::nullopt, const std::string& name = "");
  AlphaDropout(std::shared_ptr<AlphaDropoutImpl> impl) : Holder<AlphaDropoutImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
