// Central-difference gradient checks shared by the tests.
#pragma once

#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <random>
#include <sstream>

#include <xkeras/ops.hpp>
#include <xkeras/tape.hpp>
#include <xkeras/tensor.hpp>

namespace xkeras::testing {

/// A tensor of the given shape with uniform values in [lo, hi), from a fixed seed.
inline Tensor random_tensor(const Shape& shape, unsigned seed = 1, float lo = -1.0f, float hi = 1.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(lo, hi);
  Array a = Array::from_shape(shape);
  for (auto& v : a) v = u(rng);
  return Tensor(std::move(a));
}

/// Checks the tape's gradient of L = sum(r * f(...)) (r a fixed random projection, so every output
/// element matters) with respect to each tensor in `wrt` against central differences.
/// `f` must read the tensors in `wrt` (their values are perturbed in place).
inline void check_gradients(const std::function<Tensor()>& f, std::vector<Tensor> wrt, double eps = 1e-2,
                            double rtol = 2e-2, double atol = 2e-3) {
  Tape::current().clear();
  for (auto& t : wrt) {
    t.set_requires_grad(true);
    t.zero_grad();
  }
  Tensor y = f();
  const Tensor r = random_tensor(y.shape(), 99, -1.0f, 1.0f);
  auto loss_value = [&]() {
    NoGrad ng;
    Tensor out = f();
    double s = 0;
    for (std::size_t i = 0; i < out.size(); ++i) s += double(out.data()[i]) * double(r.data()[i]);
    return s;
  };
  Tape::current().backward(y, r.value());
  for (std::size_t k = 0; k < wrt.size(); ++k) {
    Tensor& t = wrt[k];
    const Array analytic = t.grad();
    for (std::size_t i = 0; i < t.size(); ++i) {
      const float orig = t.data()[i];
      t.data()[i] = orig + static_cast<float>(eps);
      const double up = loss_value();
      t.data()[i] = orig - static_cast<float>(eps);
      const double down = loss_value();
      t.data()[i] = orig;
      const double numeric = (up - down) / (2 * eps);
      const double a = analytic.data()[i];
      INFO("input " << k << " element " << i << ": analytic " << a << " numeric " << numeric);
      CHECK(std::fabs(a - numeric) <= atol + rtol * std::fabs(numeric));
    }
  }
}

/// Elementwise closeness of a tensor to expected values (row-major).
inline void check_close(const Tensor& t, const std::vector<float>& expected, double tol = 1e-5) {
  REQUIRE(t.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("element " << i << ": got " << t.data()[i] << " expected " << expected[i]);
    CHECK(std::fabs(double(t.data()[i]) - double(expected[i])) <= tol * std::max(1.0, std::fabs(double(expected[i]))));
  }
}

}  // namespace xkeras::testing
