// Weight initializers with Keras's names, formulas and config layout.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "xkeras/json.hpp"

#include "xkeras/tensor.hpp"

namespace xkeras {


/// Seeds the global generator. It draws the weights of initializers without their own seed (when a
/// layer builds), and the seeds of the streams that Dropout layers (at construction) and compiled
/// models (at compile, for fit's shuffling) then use on their own: training never touches it, so two
/// models trained in two threads end as when trained one after the other.
void set_random_seed(std::uint64_t seed);
/// The global generator itself, for programs that draw their own data. Not synchronized: use it
/// from one thread, or call draw_seed() instead.
std::mt19937_64& global_rng();
/// One 64-bit draw from the global generator, under its lock (thread-safe).
std::uint64_t draw_seed();

namespace initializers {

class InitializerImpl {
 public:
  virtual ~InitializerImpl() = default;
  virtual Array operator()(const Shape& shape) const = 0;
  virtual std::string class_name() const = 0;  // Keras class name, e.g. "GlorotUniform"
  virtual json get_config() const = 0;
};

/// Keras's fan computation: 2-D (in, out); conv (k..., in, out) multiplies in/out by the receptive field.
std::pair<double, double> compute_fans(const Shape& shape);

}  // namespace initializers

/// A value-type initializer: `Initializer("he_normal")`, `initializers::RandomNormal(0, 0.05)`.
class Initializer {
 public:
  Initializer(const char* name);  // NOLINT: implicit on purpose, Keras passes strings
  Initializer(const std::string& name);
  Initializer(std::shared_ptr<initializers::InitializerImpl> impl) : impl_(std::move(impl)) {}

  Array operator()(const Shape& shape) const { return (*impl_)(shape); }
  std::string class_name() const { return impl_->class_name(); }
  /// Keras 3 object: {"module": "keras.initializers", "class_name", "config", "registered_name": null}
  json to_json() const;
  /// Accepts a name or a {"class_name", "config"} object in the spellings of Keras 3 (class and
  /// snake_case names, aliases normal/uniform/one/zero), tf.keras (...V2 classes) and TensorFlow.js
  /// (glorotUniform, LeCunNormal, fanAvg, ...); errors name `path`.
  static Initializer from_json(const json& j, const std::string& path);

 private:
  std::shared_ptr<initializers::InitializerImpl> impl_;
};

namespace initializers {
Initializer Zeros();
Initializer Ones();
Initializer Constant(float value);
Initializer RandomNormal(float mean = 0.0f, float stddev = 0.05f, std::optional<std::uint64_t> seed = {});
Initializer RandomUniform(float minval = -0.05f, float maxval = 0.05f, std::optional<std::uint64_t> seed = {});
Initializer TruncatedNormal(float mean = 0.0f, float stddev = 0.05f, std::optional<std::uint64_t> seed = {});
Initializer GlorotUniform(std::optional<std::uint64_t> seed = {});
Initializer GlorotNormal(std::optional<std::uint64_t> seed = {});
Initializer HeNormal(std::optional<std::uint64_t> seed = {});
Initializer HeUniform(std::optional<std::uint64_t> seed = {});
Initializer LecunNormal(std::optional<std::uint64_t> seed = {});
Initializer LecunUniform(std::optional<std::uint64_t> seed = {});
/// Keras's VarianceScaling: variance scale / n, n = max(1, fan_in | fan_out | (fan_in + fan_out) / 2);
/// distribution "uniform" (limit sqrt(3 scale / n)), "truncated_normal" (re-drawn beyond 2 sigma,
/// sigma = sqrt(scale / n) / 0.87962566), "untruncated_normal"; "normal" means truncated_normal, and
/// the distribution is case-insensitive. Throws ValueError for scale <= 0 or an unknown mode/distribution.
Initializer VarianceScaling(double scale = 1.0, const std::string& mode = "fan_in",
                            const std::string& distribution = "truncated_normal", std::optional<std::uint64_t> seed = {});
/// A (semi-)orthogonal matrix times gain, from the QR of a normal matrix (rank >= 2; the leading
/// axes are flattened into rows).
Initializer Orthogonal(float gain = 1.0f, std::optional<std::uint64_t> seed = {});
/// gain * eye(rows, cols); 2-D shapes only.
Initializer Identity(float gain = 1.0f);
}  // namespace initializers

}  // namespace xkeras
