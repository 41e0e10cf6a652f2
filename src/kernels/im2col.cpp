#include "kernels/im2col.hpp"

#include <algorithm>
#include <cstring>

namespace xkeras::kernels {
namespace {

// The span of one kernel row (taps j = 0..kw-1 at dilation 1) that lies inside the image:
// taps [j0, j1) read input columns iw0 + j0 ..; taps outside it read the zero padding.
struct TapSpan {
  std::int64_t j0, j1;
};
inline TapSpan inside_span(std::int64_t iw0, std::int64_t kw, std::int64_t W) {
  const std::int64_t j0 = std::clamp<std::int64_t>(-iw0, 0, kw);
  const std::int64_t j1 = std::clamp<std::int64_t>(W - iw0, j0, kw);
  return {j0, j1};
}

// Calls fn(row_in_chunk, n, oh, ow) for the output pixels of rows [r0, r1), walking (n, oh, ow)
// incrementally instead of dividing per row.
template <class Fn>
void for_each_row(const ConvGeometry& g, std::size_t r0, std::size_t r1, Fn&& fn) {
  if (r0 >= r1) return;
  const std::size_t per_image = g.oh * g.ow;
  std::size_t n = r0 / per_image, oh = (r0 % per_image) / g.ow, ow = r0 % g.ow;
  for (std::size_t r = r0; r < r1; ++r) {
    fn(r - r0, n, static_cast<std::int64_t>(oh), static_cast<std::int64_t>(ow));
    if (++ow == g.ow) {
      ow = 0;
      if (++oh == g.oh) oh = 0, ++n;
    }
  }
}

}  // namespace

// One input row of a kernel row is contiguous in NHWC when dilation_w == 1 and groups == 1:
// taps j0..j1 are (j1 - j0) * C consecutive floats, so each kernel row is at most one copy and
// two zero fills. Other cases go tap by tap (and group by group, into group-major columns).
void im2col(const ConvGeometry& g, const float* x, std::size_t r0, std::size_t r1, float* col) {
  const std::size_t cols = g.cols(), gcols = g.group_cols(), cg = g.c / g.groups, C = g.c;
  const auto H = static_cast<std::int64_t>(g.h), W = static_cast<std::int64_t>(g.w);
  const auto KW = static_cast<std::int64_t>(g.kw);
  const bool contiguous = g.groups == 1 && g.dw == 1;
  for_each_row(g, r0, r1, [&](std::size_t row, std::size_t n, std::int64_t oh, std::int64_t ow) {
    float* dst = col + row * cols;
    const float* image = x + n * g.h * g.w * C;
    const std::int64_t iw0 = ow * static_cast<std::int64_t>(g.sw) - g.pad_left;
    for (std::size_t i = 0; i < g.kh; ++i) {
      const std::int64_t ih = oh * static_cast<std::int64_t>(g.sh) + static_cast<std::int64_t>(i * g.dh) - g.pad_top;
      const bool row_inside = ih >= 0 && ih < H;
      if (contiguous) {
        float* d = dst + i * g.kw * C;
        if (!row_inside) {
          std::fill(d, d + g.kw * C, 0.0f);
          continue;
        }
        const TapSpan s = inside_span(iw0, KW, W);
        std::fill(d, d + s.j0 * C, 0.0f);
        if (s.j1 > s.j0) {
          const float* src = image + (ih * W + iw0 + s.j0) * static_cast<std::int64_t>(C);
          std::copy(src, src + (s.j1 - s.j0) * C, d + s.j0 * C);
        }
        std::fill(d + s.j1 * C, d + g.kw * C, 0.0f);
        continue;
      }
      for (std::size_t j = 0; j < g.kw; ++j) {
        const std::int64_t iw = iw0 + static_cast<std::int64_t>(j * g.dw);
        const bool inside = row_inside && iw >= 0 && iw < W;
        const float* src = inside ? image + (ih * W + iw) * static_cast<std::int64_t>(C) : nullptr;
        for (std::size_t grp = 0; grp < g.groups; ++grp) {
          float* d = dst + grp * gcols + (i * g.kw + j) * cg;
          if (inside) std::copy(src + grp * cg, src + (grp + 1) * cg, d);
          else std::fill(d, d + cg, 0.0f);
        }
      }
    }
  });
}

// The adjoint, with the same contiguous fast path: each column entry is added back into the
// input cell it was copied from; padding entries are dropped.
void col2im_add(const ConvGeometry& g, const float* col, std::size_t r0, std::size_t r1, float* dx) {
  const std::size_t cols = g.cols(), gcols = g.group_cols(), cg = g.c / g.groups, C = g.c;
  const auto H = static_cast<std::int64_t>(g.h), W = static_cast<std::int64_t>(g.w);
  const auto KW = static_cast<std::int64_t>(g.kw);
  const bool contiguous = g.groups == 1 && g.dw == 1;
  for_each_row(g, r0, r1, [&](std::size_t row, std::size_t n, std::int64_t oh, std::int64_t ow) {
    const float* src = col + row * cols;
    float* image = dx + n * g.h * g.w * C;
    const std::int64_t iw0 = ow * static_cast<std::int64_t>(g.sw) - g.pad_left;
    for (std::size_t i = 0; i < g.kh; ++i) {
      const std::int64_t ih = oh * static_cast<std::int64_t>(g.sh) + static_cast<std::int64_t>(i * g.dh) - g.pad_top;
      if (ih < 0 || ih >= H) continue;
      if (contiguous) {
        const TapSpan s = inside_span(iw0, KW, W);
        if (s.j1 <= s.j0) continue;
        const float* sp = src + (static_cast<std::int64_t>(i * g.kw) + s.j0) * static_cast<std::int64_t>(C);
        float* d = image + (ih * W + iw0 + s.j0) * static_cast<std::int64_t>(C);
        const std::size_t len = static_cast<std::size_t>(s.j1 - s.j0) * C;
        for (std::size_t t = 0; t < len; ++t) d[t] += sp[t];
        continue;
      }
      for (std::size_t j = 0; j < g.kw; ++j) {
        const std::int64_t iw = iw0 + static_cast<std::int64_t>(j * g.dw);
        if (iw < 0 || iw >= W) continue;
        float* d = image + (ih * W + iw) * static_cast<std::int64_t>(C);
        for (std::size_t grp = 0; grp < g.groups; ++grp) {
          const float* sp = src + grp * gcols + (i * g.kw + j) * cg;
          float* dg = d + grp * cg;
          for (std::size_t c = 0; c < cg; ++c) dg[c] += sp[c];
        }
      }
    }
  });
}

}  // namespace xkeras::kernels
