// Small builders shared by the recurrent tests.
#pragma once

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include <xkeras/ops/recurrent.hpp>
#include <xkeras/tensor.hpp>

namespace xkeras::testing {

/// 0, 1, 2, ... in the given shape (numpy's arange(n).reshape(shape)).
inline Tensor arange(const Shape& shape) {
  Tensor t = Tensor::zeros(shape);
  for (std::size_t i = 0; i < t.size(); ++i) t.data()[i] = static_cast<float>(i);
  return t;
}

inline Tensor constant(const Shape& shape, float v) { return Tensor::full(shape, v); }

/// Row b of a (B, u) tensor holds `per_row[b]` in every unit (Keras's constant-initializer tests).
inline void check_rows(const Tensor& t, const std::vector<float>& per_row, double tol = 2e-6) {
  REQUIRE(t.ndim() == 2);
  REQUIRE(t.dim(0) == per_row.size());
  const std::size_t u = t.dim(1);
  for (std::size_t b = 0; b < per_row.size(); ++b)
    for (std::size_t j = 0; j < u; ++j) {
      INFO("row " << b << " unit " << j << ": got " << t.data()[b * u + j] << " expected " << per_row[b]);
      CHECK(std::fabs(t.data()[b * u + j] - per_row[b]) <= tol);
    }
}

/// The same for a (B, T, u) sequence: expected[b][t] in every unit.
inline void check_sequence(const Tensor& t, const std::vector<std::vector<float>>& expected, double tol = 2e-6) {
  REQUIRE(t.ndim() == 3);
  const std::size_t T = t.dim(1), u = t.dim(2);
  for (std::size_t b = 0; b < expected.size(); ++b)
    for (std::size_t s = 0; s < T; ++s)
      for (std::size_t j = 0; j < u; ++j) {
        const float got = t.data()[(b * T + s) * u + j];
        INFO("sample " << b << " step " << s << " unit " << j << ": got " << got << " expected " << expected[b][s]);
        CHECK(std::fabs(got - expected[b][s]) <= tol);
      }
}

/// A (B, T) 0/1 mask from booleans.
inline Tensor mask_of(const std::vector<std::vector<int>>& m) {
  Tensor t = Tensor::zeros({m.size(), m[0].size()});
  for (std::size_t b = 0; b < m.size(); ++b)
    for (std::size_t s = 0; s < m[b].size(); ++s) t.data()[b * m[b].size() + s] = m[b][s] ? 1.0f : 0.0f;
  return t;
}

/// Keras's constant-initializer setup: kernel 0.01, recurrent kernel 0.02, bias 0.03.
inline ops::RecurrentInputs constant_cell(const Tensor& x, std::size_t gates, std::size_t units, bool use_bias = true,
                                          bool two_row_bias = false) {
  ops::RecurrentInputs in;
  in.x = x;
  in.kernel = constant({x.dim(2), gates * units}, 0.01f);
  in.recurrent_kernel = constant({units, gates * units}, 0.02f);
  if (use_bias) in.bias = two_row_bias ? constant({2, gates * units}, 0.03f) : constant({gates * units}, 0.03f);
  return in;
}

}  // namespace xkeras::testing
