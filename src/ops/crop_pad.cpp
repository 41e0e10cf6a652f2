// Zero padding and cropping of the spatial axes of channels-last tensors (1 to 3 spatial axes).
// Both move one box of cells between a larger and a smaller tensor, so one copy routine serves
// the two forwards and the two backwards.
#include <algorithm>
#include <array>
#include <cstring>

#include "ops/image_common.hpp"
#include "xkeras/ops/spatial.hpp"

namespace xkeras::ops {
namespace {

// A tensor viewed as (N, D, H, W, C): missing spatial axes are leading 1s.
using View = std::array<std::size_t, 5>;

View view_of(const Shape& s) {
  View v{s[0], 1, 1, 1, s.back()};
  const std::size_t k = s.size() - 2;
  for (std::size_t a = 0; a < k; ++a) v[4 - k + a] = s[1 + a];
  return v;
}

// dst[n, dd + p, dh + q, dw + r, :] (+)= src[n, sd + p, sh + q, sw + r, :] for the box (p, q, r) < box.
// Rows of box[3] * C values are contiguous in both tensors.
void copy_box(const float* src, const View& sv, const View& soff, float* dst, const View& dv, const View& doff,
              const View& box, bool accumulate) {
  const std::size_t C = sv[4], row = box[3] * C;
  for (std::size_t n = 0; n < box[0]; ++n)
    for (std::size_t p = 0; p < box[1]; ++p)
      for (std::size_t q = 0; q < box[2]; ++q) {
        const float* s = src + (((n * sv[1] + soff[1] + p) * sv[2] + soff[2] + q) * sv[3] + soff[3]) * C;
        float* d = dst + (((n * dv[1] + doff[1] + p) * dv[2] + doff[2] + q) * dv[3] + doff[3]) * C;
        if (accumulate)
          for (std::size_t k = 0; k < row; ++k) d[k] += s[k];
        else
          std::memcpy(d, s, row * sizeof(float));
      }
}

std::string amounts_str(const std::vector<std::pair<int, int>>& v) {
  std::string s = "(";
  for (std::size_t i = 0; i < v.size(); ++i)
    s += (i ? ", (" : "(") + std::to_string(v[i].first) + ", " + std::to_string(v[i].second) + ")";
  return s + (v.size() == 1 ? ",)" : ")");
}

// Checks rank and amounts; returns the view of x and the amounts placed on the view's axes.
void check_amounts(const Tensor& x, const std::vector<std::pair<int, int>>& amounts, const char* who, const char* what,
                   View& xv, View& before, View& after) {
  if (!x.defined()) throw ValueError(std::string(who) + ": the input tensor is undefined");
  const std::size_t k = amounts.size();
  if (k < 1 || k > 3 || x.ndim() != k + 2)
    throw ValueError(std::string(who) + ": expected a " + std::to_string(k + 2) + "-D input for " + std::to_string(k) +
                     " pairs of " + what + " amounts (1 to 3 spatial axes), got shape " + shape_str(x.shape()));
  constexpr int kMax = 1 << 24;
  for (const auto& [b, e] : amounts)
    if (b < 0 || e < 0 || b > kMax || e > kMax)
      throw ValueError(std::string(who) + ": " + what + " amounts must be non-negative integers, got " +
                       amounts_str(amounts));
  xv = view_of(x.shape());
  before = View{0, 0, 0, 0, 0};
  after = View{0, 0, 0, 0, 0};
  for (std::size_t a = 0; a < k; ++a) {
    before[4 - k + a] = static_cast<std::size_t>(amounts[a].first);
    after[4 - k + a] = static_cast<std::size_t>(amounts[a].second);
  }
}

Shape shape_from_view(const View& v, std::size_t rank) {
  Shape s{v[0]};
  for (std::size_t a = 5 - (rank - 2) - 1; a < 4; ++a) s.push_back(v[a]);
  s.push_back(v[4]);
  return s;
}

}  // namespace

// y[n, b + i, ..., c] = x[n, i, ..., c] with b the padding before each spatial axis, zeros elsewhere.
// dL/dx[n, i, ..., c] = dL/dy[n, b + i, ..., c]: the backward crops the gradient.
Tensor spatial_zero_pad(const Tensor& x, const std::vector<std::pair<int, int>>& pads) {
  View xv, before, after;
  check_amounts(x, pads, "spatial_zero_pad", "padding", xv, before, after);
  View yv = xv;
  for (std::size_t a = 1; a < 4; ++a) yv[a] = xv[a] + before[a] + after[a];
  detail::require_sane_size({yv[0], yv[1], yv[2], yv[3], yv[4]}, "spatial_zero_pad");
  Tensor y(Array(shape_from_view(yv, x.ndim()), 0.0f));
  const View zero{0, 0, 0, 0, 0};
  copy_box(x.data(), xv, zero, y.data(), yv, before, xv, false);
  if (Tape::wants({&x})) {
    Tape::current().record("spatial_zero_pad", {x}, y, [x, y, xv, yv, before, zero]() mutable {
      copy_box(y.impl()->grad.data(), yv, before, x.grad_buffer().data(), xv, zero, xv, true);
    });
  }
  return y;
}

// y[n, i, ..., c] = x[n, b + i, ..., c] with b the crop before each spatial axis.
// dL/dx[n, b + i, ..., c] = dL/dy[n, i, ..., c], zero on the cropped cells: the backward pads the gradient.
Tensor spatial_crop(const Tensor& x, const std::vector<std::pair<int, int>>& crops) {
  View xv, before, after;
  check_amounts(x, crops, "spatial_crop", "cropping", xv, before, after);
  View yv = xv;
  for (std::size_t a = 1; a < 4; ++a) {
    if (before[a] + after[a] >= xv[a] && xv[a] > 0)
      throw ValueError("spatial_crop: `cropping` must be smaller than the input on every cropped axis. Received: "
                       "input shape " + shape_str(x.shape()) + ", cropping=" + amounts_str(crops));
    yv[a] = xv[a] - std::min(xv[a], before[a] + after[a]);
  }
  Tensor y(detail::empty(shape_from_view(yv, x.ndim())));
  const View zero{0, 0, 0, 0, 0};
  copy_box(x.data(), xv, before, y.data(), yv, zero, yv, false);
  if (Tape::wants({&x})) {
    Tape::current().record("spatial_crop", {x}, y, [x, y, xv, yv, before, zero]() mutable {
      copy_box(y.impl()->grad.data(), yv, zero, x.grad_buffer().data(), xv, before, yv, true);
    });
  }
  return y;
}

}  // namespace xkeras::ops
