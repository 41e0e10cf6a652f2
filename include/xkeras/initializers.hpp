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
  /// Accepts a string name, a Keras 3 object or a tf.keras {"class_name","config"} object.
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
}  // namespace initializers

}  // namespace xkeras
