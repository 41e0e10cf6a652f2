// Naive loops for the convolution-variant tests: direct sums written from Keras's definitions
// (keras_reference_layers2.md §4), independent of the oneDNN code they check.
#pragma once

#include <algorithm>
#include <string>

#include <xkeras/tensor.hpp>

namespace xkeras::testing {

/// Padding before and output length of one axis of a forward convolution: valid, TF same
/// (total = max((out-1)s + k_eff - n, 0), before = total / 2) or causal ((k-1)d before, same's length).
struct RefAxis {
  long before = 0, out = 0;
};
inline RefAxis ref_axis(long n, long k, long s, long d, const std::string& padding) {
  const long k_eff = (k - 1) * d + 1;
  if (padding == "valid") return {0, n >= k_eff ? (n - k_eff) / s + 1 : 0};
  const long out = (n + s - 1) / s;
  if (padding == "causal") return {k_eff - 1, out};
  return {std::max((out - 1) * s + k_eff - n, 0L) / 2, out};
}

/// y[n, t, f] = b[f] + sum_{j, c} x[n, t*s + j*d - before, g*Cg + c] * k[j, c, f]
inline Array ref_conv1d(const Array& x, const Array& k, const Array* b, long s, const std::string& padding, long d,
                        long groups) {
  const long N = long(x.shape()[0]), T = long(x.shape()[1]);
  const long K = long(k.shape()[0]), CG = long(k.shape()[1]), F = long(k.shape()[2]), FG = F / groups;
  const RefAxis a = ref_axis(T, K, s, d, padding);
  Array y = Array::from_shape({std::size_t(N), std::size_t(a.out), std::size_t(F)});
  for (long n = 0; n < N; ++n)
    for (long t = 0; t < a.out; ++t)
      for (long f = 0; f < F; ++f) {
        double acc = b ? (*b)(f) : 0.0;
        for (long j = 0; j < K; ++j) {
          const long i = t * s + j * d - a.before;
          if (i < 0 || i >= T) continue;
          for (long c = 0; c < CG; ++c) acc += double(x(n, i, (f / FG) * CG + c)) * double(k(j, c, f));
        }
        y(n, t, f) = float(acc);
      }
  return y;
}

/// Keras's transposed output length and padding before (§4.2); op < 0 means output_padding=None.
inline RefAxis ref_transpose_axis(long n, long k, long s, long d, const std::string& padding, long op) {
  const long k_eff = (k - 1) * d + 1;
  long out;
  if (padding == "valid") out = op < 0 ? (n - 1) * s + std::max(k_eff, s) : (n - 1) * s + k_eff + op;
  else out = op < 0 ? n * s : (n - 1) * s + k_eff % 2 + op;
  const long before = padding == "same" ? std::max((n - 1) * s + k_eff - out, 0L) / 2 : 0;
  return {before, out};
}

/// The scatter form: y[n, i*sh + a*dh - top, j*sw + b*dw - left, f] += x[n, i, j, c] * k[a, b, f, c], + b[f].
inline Array ref_conv2d_transpose(const Array& x, const Array& k, const Array* b, long sh, long sw,
                                  const std::string& padding, long oph, long opw, long dh, long dw) {
  const long N = long(x.shape()[0]), H = long(x.shape()[1]), W = long(x.shape()[2]), C = long(x.shape()[3]);
  const long KH = long(k.shape()[0]), KW = long(k.shape()[1]), F = long(k.shape()[2]);
  const RefAxis ah = ref_transpose_axis(H, KH, sh, dh, padding, oph), aw = ref_transpose_axis(W, KW, sw, dw, padding, opw);
  Array y = Array::from_shape({std::size_t(N), std::size_t(ah.out), std::size_t(aw.out), std::size_t(F)});
  for (long n = 0; n < N; ++n)
    for (long o1 = 0; o1 < ah.out; ++o1)
      for (long o2 = 0; o2 < aw.out; ++o2)
        for (long f = 0; f < F; ++f) y(n, o1, o2, f) = b ? (*b)(f) : 0.0f;
  for (long n = 0; n < N; ++n)
    for (long i = 0; i < H; ++i)
      for (long j = 0; j < W; ++j)
        for (long a = 0; a < KH; ++a)
          for (long bb = 0; bb < KW; ++bb) {
            const long o1 = i * sh + a * dh - ah.before, o2 = j * sw + bb * dw - aw.before;
            if (o1 < 0 || o1 >= ah.out || o2 < 0 || o2 >= aw.out) continue;
            for (long f = 0; f < F; ++f) {
              double acc = 0;
              for (long c = 0; c < C; ++c) acc += double(x(n, i, j, c)) * double(k(a, bb, f, c));
              y(n, o1, o2, f) += float(acc);
            }
          }
  return y;
}

/// y[n, i, j, c*M + m] = b[c*M + m] + sum_{a, b} x[n, i*sh + a*dh - top, j*sw + b*dw - left, c] * k[a, b, c, m]
inline Array ref_depthwise_conv2d(const Array& x, const Array& k, const Array* b, long sh, long sw,
                                  const std::string& padding, long dh, long dw) {
  const long N = long(x.shape()[0]), H = long(x.shape()[1]), W = long(x.shape()[2]), C = long(x.shape()[3]);
  const long KH = long(k.shape()[0]), KW = long(k.shape()[1]), M = long(k.shape()[3]);
  const RefAxis ah = ref_axis(H, KH, sh, dh, padding), aw = ref_axis(W, KW, sw, dw, padding);
  Array y = Array::from_shape({std::size_t(N), std::size_t(ah.out), std::size_t(aw.out), std::size_t(C * M)});
  for (long n = 0; n < N; ++n)
    for (long o1 = 0; o1 < ah.out; ++o1)
      for (long o2 = 0; o2 < aw.out; ++o2)
        for (long c = 0; c < C; ++c)
          for (long m = 0; m < M; ++m) {
            double acc = b ? (*b)(c * M + m) : 0.0;
            for (long a = 0; a < KH; ++a)
              for (long bb = 0; bb < KW; ++bb) {
                const long i = o1 * sh + a * dh - ah.before, j = o2 * sw + bb * dw - aw.before;
                if (i < 0 || i >= H || j < 0 || j >= W) continue;
                acc += double(x(n, i, j, c)) * double(k(a, bb, c, m));
              }
            y(n, o1, o2, c * M + m) = float(acc);
          }
  return y;
}

}  // namespace xkeras::testing
