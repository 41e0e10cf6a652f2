// Naive reference loops for the image tests, written the way Keras's own tests write them
// (conv_test.py::np_conv2d, max_pooling_test.py::np_maxpool2d): explicit padding with the
// test-side rule `pad = max(k - s, 0) if n % s == 0 else max(k - n % s, 0)`, split before = pad // 2.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include <xkeras/tensor.hpp>

namespace xkeras::testing {

struct Pad1D {
  long before = 0, out = 0;
};

/// Keras conv_test's _same_padding (with the dilated kernel size) or valid.
inline Pad1D reference_pad(long n, long k, long s, long d, const std::string& padding) {
  const long k_eff = (k - 1) * d + 1;
  if (padding == "valid") return {0, (n - k_eff) / s + 1};
  const long pad = n % s == 0 ? std::max(k_eff - s, 0L) : std::max(k_eff - n % s, 0L);
  const long before = pad / 2;
  return {before, (n + pad - k_eff) / s + 1};
}

struct ConvCase {
  int filters;
  int kh, kw;
  int sh, sw;
  std::string padding;
  int dh = 1, dw = 1;
  int groups = 1;
};

/// y[n, oh, ow, f] = b[f] + sum x[n, oh*sh + i*dh - pt, ow*sw + j*dw - pl, g*Cg + c] * k[i, j, c, f]
inline Array reference_conv2d(const Array& x, const Array& k, const Array* b, const ConvCase& cc) {
  const long N = long(x.shape()[0]), H = long(x.shape()[1]), W = long(x.shape()[2]), C = long(x.shape()[3]);
  const long KH = long(k.shape()[0]), KW = long(k.shape()[1]), CG = long(k.shape()[2]), F = long(k.shape()[3]);
  const long FG = F / cc.groups;
  const Pad1D ph = reference_pad(H, KH, cc.sh, cc.dh, cc.padding), pw = reference_pad(W, KW, cc.sw, cc.dw, cc.padding);
  Array y = Array::from_shape({std::size_t(N), std::size_t(ph.out), std::size_t(pw.out), std::size_t(F)});
  for (long n = 0; n < N; ++n)
    for (long oh = 0; oh < ph.out; ++oh)
      for (long ow = 0; ow < pw.out; ++ow)
        for (long f = 0; f < F; ++f) {
          const long g = f / FG;
          double s = b ? (*b)(f) : 0.0;
          for (long i = 0; i < KH; ++i)
            for (long j = 0; j < KW; ++j) {
              const long ih = oh * cc.sh + i * cc.dh - ph.before, iw = ow * cc.sw + j * cc.dw - pw.before;
              if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
              for (long c = 0; c < CG; ++c) s += double(x(n, ih, iw, g * CG + c)) * double(k(i, j, c, f));
            }
          y(n, oh, ow, f) = float(s);
        }
  (void)C;
  return y;
}

/// Max or average pooling with explicit -inf padding (max) or valid-cell counting (average).
inline Array reference_pool2d(const Array& x, int ph_, int pw_, int sh, int sw, const std::string& padding, bool max) {
  const long N = long(x.shape()[0]), H = long(x.shape()[1]), W = long(x.shape()[2]), C = long(x.shape()[3]);
  const Pad1D ph = reference_pad(H, ph_, sh, 1, padding), pw = reference_pad(W, pw_, sw, 1, padding);
  Array y = Array::from_shape({std::size_t(N), std::size_t(ph.out), std::size_t(pw.out), std::size_t(C)});
  for (long n = 0; n < N; ++n)
    for (long oh = 0; oh < ph.out; ++oh)
      for (long ow = 0; ow < pw.out; ++ow)
        for (long c = 0; c < C; ++c) {
          double best = -std::numeric_limits<double>::infinity(), sum = 0;
          long count = 0;
          for (long i = 0; i < ph_; ++i)
            for (long j = 0; j < pw_; ++j) {
              const long ih = oh * sh + i - ph.before, iw = ow * sw + j - pw.before;
              if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;  // -inf for max, not counted for mean
              best = std::max(best, double(x(n, ih, iw, c)));
              sum += x(n, ih, iw, c);
              ++count;
            }
          y(n, oh, ow, c) = float(max ? best : sum / double(count));
        }
  return y;
}

/// Distinct values (multiples of 0.1, shuffled), so a finite-difference step of 1e-2 never
/// changes which element is a maximum.
inline Tensor distinct_tensor(const Shape& shape, unsigned seed = 7) {
  Array a = Array::from_shape(shape);
  std::vector<float> v(a.size());
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = 0.1f * float(i) - 0.05f * float(v.size());
  std::mt19937 rng(seed);
  std::shuffle(v.begin(), v.end(), rng);
  std::copy(v.begin(), v.end(), a.begin());
  return Tensor(std::move(a));
}

/// max |a - b| <= rtol * max|b| + atol over all elements, with shapes equal.
inline bool all_close(const Array& a, const Array& b, double rtol, double atol = 1e-6) {
  if (a.shape() != b.shape()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double x = a.data()[i], y = b.data()[i];
    if (std::fabs(x - y) > atol + rtol * std::fabs(y)) return false;
  }
  return true;
}

}  // namespace xkeras::testing
