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

namespace xkeras::testing {

/// y[n, p, q, r, f] = b[f] + sum x[n, p*s0 + a*d0 - b0, q*s1 + b*d1 - b1, r*s2 + c*d2 - b2, g*Cg + c'] * k[a, b, c, c', f]
inline Array ref_conv3d(const Array& x, const Array& k, const Array* b, const long s[3], const std::string& padding,
                        const long d[3], long groups) {
  const long N = long(x.shape()[0]), C = long(x.shape()[4]);
  const long in[3] = {long(x.shape()[1]), long(x.shape()[2]), long(x.shape()[3])};
  const long K[3] = {long(k.shape()[0]), long(k.shape()[1]), long(k.shape()[2])};
  const long CG = long(k.shape()[3]), F = long(k.shape()[4]), FG = F / groups;
  RefAxis a[3];
  for (int i = 0; i < 3; ++i) a[i] = ref_axis(in[i], K[i], s[i], d[i], padding);
  Array y = Array::from_shape({std::size_t(N), std::size_t(a[0].out), std::size_t(a[1].out), std::size_t(a[2].out), std::size_t(F)});
  for (long n = 0; n < N; ++n)
    for (long p = 0; p < a[0].out; ++p)
      for (long q = 0; q < a[1].out; ++q)
        for (long r = 0; r < a[2].out; ++r)
          for (long f = 0; f < F; ++f) {
            double acc = b ? (*b)(f) : 0.0;
            for (long i = 0; i < K[0]; ++i)
              for (long j = 0; j < K[1]; ++j)
                for (long l = 0; l < K[2]; ++l) {
                  const long z = p * s[0] + i * d[0] - a[0].before, h = q * s[1] + j * d[1] - a[1].before,
                             w = r * s[2] + l * d[2] - a[2].before;
                  if (z < 0 || z >= in[0] || h < 0 || h >= in[1] || w < 0 || w >= in[2]) continue;
                  for (long c = 0; c < CG; ++c) acc += double(x(n, z, h, w, (f / FG) * CG + c)) * double(k(i, j, l, c, f));
                }
            y(n, p, q, r, f) = float(acc);
          }
  (void)C;
  return y;
}

/// The 3-D scatter form: y[n, i*s + a*d - before, ..., f] += x[n, i, j, l, c] * k[a, b, e, f, c], + b[f].
inline Array ref_conv3d_transpose(const Array& x, const Array& k, const Array* b, const long s[3],
                                  const std::string& padding, const long op[3], const long d[3]) {
  const long N = long(x.shape()[0]), C = long(x.shape()[4]), F = long(k.shape()[3]);
  const long in[3] = {long(x.shape()[1]), long(x.shape()[2]), long(x.shape()[3])};
  const long K[3] = {long(k.shape()[0]), long(k.shape()[1]), long(k.shape()[2])};
  RefAxis a[3];
  for (int i = 0; i < 3; ++i) a[i] = ref_transpose_axis(in[i], K[i], s[i], d[i], padding, op[i]);
  Array y = Array::from_shape({std::size_t(N), std::size_t(a[0].out), std::size_t(a[1].out), std::size_t(a[2].out), std::size_t(F)});
  for (std::size_t i = 0; i < y.size(); ++i) y.data()[i] = b ? (*b)(long(i) % F) : 0.0f;
  for (long n = 0; n < N; ++n)
    for (long i = 0; i < in[0]; ++i)
      for (long j = 0; j < in[1]; ++j)
        for (long l = 0; l < in[2]; ++l)
          for (long ka = 0; ka < K[0]; ++ka)
            for (long kb = 0; kb < K[1]; ++kb)
              for (long kc = 0; kc < K[2]; ++kc) {
                const long o0 = i * s[0] + ka * d[0] - a[0].before, o1 = j * s[1] + kb * d[1] - a[1].before,
                           o2 = l * s[2] + kc * d[2] - a[2].before;
                if (o0 < 0 || o0 >= a[0].out || o1 < 0 || o1 >= a[1].out || o2 < 0 || o2 >= a[2].out) continue;
                for (long f = 0; f < F; ++f) {
                  double acc = 0;
                  for (long c = 0; c < C; ++c) acc += double(x(n, i, j, l, c)) * double(k(ka, kb, kc, f, c));
                  y(n, o0, o1, o2, f) += float(acc);
                }
              }
  return y;
}

}  // namespace xkeras::testing
