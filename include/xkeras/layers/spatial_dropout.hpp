// SpatialDropout1D/2D/3D: dropout of whole feature maps (Keras's layers/regularization/spatial_dropout.py).
//
//   auto y = layers::SpatialDropout2D(0.2)(x);   // (B, H, W, C): each (b, c) map kept or zeroed whole
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "xkeras/layers/noise.hpp"

namespace xkeras::layers {

/// Inverted dropout with one mask entry per (sample, channel): in training each channel of each
/// sample is zeroed with probability `rate` for every position, the rest are scaled by
/// 1 / (1 - rate); rate 1 gives zeros. The mask is a constant of the tape, so dL/dx = dL/dy * mask.
/// `rank` is 3, 4 or 5 (SpatialDropout1D, 2D, 3D); the channel axis is the last one
/// ("channels_last", the default) or axis 1 ("channels_first"; 2D and 3D only, as in Keras).
class SpatialDropoutImpl : public RandomLayerImpl {
 public:
  SpatialDropoutImpl(int rank, double rate, const std::string& data_format = "",
                     std::optional<std::uint64_t> seed = std::nullopt, std::string name = "");

  Tensor call(const Tensor& x, bool training) override;
  /// Keras 3's own dict, not the base one: rate, seed, name, dtype ("float32", a string), then
  /// data_format for 2D and 3D.
  json get_config() const override;

  /// `rank` 3, 4 or 5 picks the class. Also reads tf.keras configs (base keys plus noise_shape, which tf.keras ignores too).
  static std::shared_ptr<SpatialDropoutImpl> from_config_rank(int rank, const json& config, const std::string& path);

  double rate() const { return rate_; }
  const std::string& data_format() const { return data_format_; }

 private:
  int rank_;
  double rate_;
  std::string data_format_;  // "channels_last" or "channels_first"
};

/// `layers::SpatialDropout1D(0.2)`, `layers::SpatialDropout1D(0.2, 42)`.
class SpatialDropout1D : public Holder<SpatialDropoutImpl> {
 public:
  explicit SpatialDropout1D(double rate, std::optional<std::uint64_t> seed = std::nullopt, const std::string& name = "");
  SpatialDropout1D(std::shared_ptr<SpatialDropoutImpl> impl) : Holder<SpatialDropoutImpl>(std::move(impl)) {}  // NOLINT
};

/// `layers::SpatialDropout2D(0.2)`, `layers::SpatialDropout2D(0.2, "channels_first", 42)` (Keras's argument order).
class SpatialDropout2D : public Holder<SpatialDropoutImpl> {
 public:
  explicit SpatialDropout2D(double rate, const std::string& data_format = "",
                            std::optional<std::uint64_t> seed = std::nullopt, const std::string& name = "");
  SpatialDropout2D(std::shared_ptr<SpatialDropoutImpl> impl) : Holder<SpatialDropoutImpl>(std::move(impl)) {}  // NOLINT
};

/// `layers::SpatialDropout3D(0.2)`, `layers::SpatialDropout3D(0.2, "channels_first", 42)`.
class SpatialDropout3D : public Holder<SpatialDropoutImpl> {
 public:
  explicit SpatialDropout3D(double rate, const std::string& data_format = "",
                            std::optional<std::uint64_t> seed = std::nullopt, const std::string& name = "");
  SpatialDropout3D(std::shared_ptr<SpatialDropoutImpl> impl) : Holder<SpatialDropoutImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
