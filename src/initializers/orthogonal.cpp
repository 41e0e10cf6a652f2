// Orthogonal (Keras 3 / tf.keras / TFJS: QR of a normal matrix with the sign fix) and Identity.
#include <cmath>

#include <xtensor-blas/xlinalg.hpp>
#include <xtensor/xtensor.hpp>

#include "initializers/draw.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::initializers {

namespace {

class OrthogonalInit : public InitializerImpl {
 public:
  OrthogonalInit(float gain, std::optional<std::uint64_t> seed) : gain_(gain), seed_(seed) {}

  // rows = prod(shape[:-1]), cols = shape[-1]; A ~ N(0, 1) of (max, min); A = QR (reduced);
  // column j of Q times sign(R[j, j]) makes the factorization unique; transposed when rows < cols,
  // so the result has orthonormal columns (rows >= cols) or rows (rows < cols), times gain.
  Array operator()(const Shape& shape) const override {
    if (shape.size() < 2)
      throw ValueError("Orthogonal: the tensor to initialize must be at least two-dimensional, got shape " + shape_str(shape));
    const std::size_t cols = shape.back();
    const std::size_t rows = shape_size(shape) / std::max<std::size_t>(cols, 1);
    const std::size_t big = std::max(rows, cols), small = std::min(rows, cols);
    // The QR costs about 4 * big * small^2 flops: a file must not buy hours of it. 2^40 (a minute or
    // so) covers every recurrent kernel real models use (units 4096: 2^38).
    if (double(big) * double(small) * double(small) * 4.0 > std::ldexp(1.0, 40))
      throw ValueError("Orthogonal: a (" + std::to_string(rows) + ", " + std::to_string(cols) +
                       ") matrix needs a QR decomposition of more than 2^40 operations; use another initializer");
    Array out = Array::from_shape(shape);
    if (out.size() == 0) return out;
    std::normal_distribution<float> n(0.0f, 1.0f);
    const Array a = detail::draw({big, small}, seed_, [&](auto& rng) { return n(rng); });
    xt::xtensor<double, 2> ad = xt::cast<double>(a);
    auto [q, r] = xt::linalg::qr(ad, xt::linalg::qrmode::reduced);  // LAPACK geqrf + orgqr
    float* po = out.data();
    for (std::size_t i = 0; i < big; ++i)
      for (std::size_t j = 0; j < small; ++j) {
        const double v = q(i, j) * (r(j, j) < 0 ? -1.0 : 1.0) * gain_;
        // rows >= cols: out is Q (rows x cols); otherwise out is Q^T (rows = small x cols = big).
        if (rows >= cols) po[i * cols + j] = static_cast<float>(v);
        else po[j * cols + i] = static_cast<float>(v);
      }
    return out;
  }
  std::string class_name() const override { return "Orthogonal"; }  // Keras >= 3.7 ("OrthogonalInitializer" before)
  json get_config() const override { return {{"seed", detail::seed_json(seed_)}, {"gain", gain_}}; }

 private:
  float gain_;
  std::optional<std::uint64_t> seed_;
};

class IdentityInit : public InitializerImpl {
 public:
  explicit IdentityInit(float gain) : gain_(gain) {}
  Array operator()(const Shape& shape) const override {
    if (shape.size() != 2)
      throw ValueError("Identity: the identity matrix initializer can only be used for 2D matrices, got shape " +
                       shape_str(shape));
    Array out = xt::zeros<float>(shape);
    for (std::size_t i = 0; i < std::min(shape[0], shape[1]); ++i) out(i, i) = gain_;
    return out;
  }
  std::string class_name() const override { return "Identity"; }  // Keras >= 3.7 ("IdentityInitializer" before)
  // Keras 3 writes {} (it does not serialize gain); we add gain only when it is not the default,
  // which Keras 3 reads back too, so a non-default gain survives the round trip.
  json get_config() const override { return gain_ == 1.0f ? json::object() : json{{"gain", gain_}}; }

 private:
  float gain_;
};

void check_gain(const char* who, float gain) {
  if (!std::isfinite(gain)) throw ValueError(std::string(who) + ": gain must be finite, got " + std::to_string(gain));
}

}  // namespace

Initializer Orthogonal(float gain, std::optional<std::uint64_t> seed) {
  check_gain("Orthogonal", gain);
  return Initializer(std::make_shared<OrthogonalInit>(gain, seed));
}

Initializer Identity(float gain) {
  check_gain("Identity", gain);
  return Initializer(std::make_shared<IdentityInit>(gain));
}

}  // namespace xkeras::initializers
