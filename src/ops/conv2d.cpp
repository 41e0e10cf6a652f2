// 2-D convolution (cross-correlation) as im2col + one GEMM per group per chunk of output rows.
#include <algorithm>
#include <vector>

#include "kernels/gemm.hpp"
#include "kernels/im2col.hpp"
#include "ops/image_common.hpp"

namespace xkeras::ops {
namespace {

// The column buffer of one chunk stays under this many floats (32 MB), so a large batch never
// allocates an unbounded im2col matrix; the backward holds two such buffers (cols and dcols).
constexpr std::size_t kChunkFloats = std::size_t(8) << 20;

// Reused across calls on the same thread (training calls conv2d with the same sizes every step).
std::vector<float>& scratch(int which) {
  thread_local std::vector<float> buffers[2];
  return buffers[which];
}
float* scratch_data(int which, std::size_t n) {
  auto& b = scratch(which);
  if (b.size() < n) b.resize(n);
  return b.data();
}

std::size_t rows_per_chunk(const kernels::ConvGeometry& g) {
  return std::max<std::size_t>(1, kChunkFloats / std::max<std::size_t>(1, g.cols()));
}


kernels::ConvGeometry geometry(const Tensor& x, const Tensor& kernel, const Tensor& bias, Size2 strides,
                               const std::string& padding, Size2 dilation, int groups) {
  detail::require_nhwc(x, "conv2d");
  if (!kernel.defined() || kernel.ndim() != 4)
    throw ValueError("conv2d: expected a 4-D kernel (kernel_h, kernel_w, in_channels / groups, filters), got " +
                     (kernel.defined() ? shape_str(kernel.shape()) : std::string("an undefined tensor")));
  detail::require_positive(strides, "conv2d", "strides");
  detail::require_positive(dilation, "conv2d", "dilation_rate");
  if (groups <= 0) throw ValueError("conv2d: `groups` must be a positive integer, got " + std::to_string(groups));
  const Shape xs = x.shape(), ks = kernel.shape();
  const auto G = static_cast<std::size_t>(groups);
  if (ks[0] == 0 || ks[1] == 0) throw ValueError("conv2d: the kernel window " + shape_str(ks) + " is empty");
  if (ks[2] * G != xs[3])
    throw ValueError("conv2d: the kernel " + shape_str(ks) + " expects " + std::to_string(ks[2]) + " x " +
                     std::to_string(groups) + " (groups) input channels, but the input " + shape_str(xs) + " has " +
                     std::to_string(xs[3]));
  if (ks[3] % G != 0)
    throw ValueError("conv2d: the number of filters (" + std::to_string(ks[3]) +
                     ") must be divisible by groups=" + std::to_string(groups));
  if (bias.defined() && (bias.ndim() != 1 || bias.dim(0) != ks[3]))
    throw ValueError("conv2d: expected a bias of shape (" + std::to_string(ks[3]) + ",), got " + shape_str(bias.shape()));
  const std::string pad = standardize_padding(padding, "conv2d");
  if (ks[0] > (1u << 24) || ks[1] > (1u << 24)) throw ValueError("conv2d: kernel window too large: " + shape_str(ks));
  const auto win = detail::windows_2d(xs, Size2(static_cast<int>(ks[0]), static_cast<int>(ks[1])), strides, dilation,
                                      pad, "conv2d");
  kernels::ConvGeometry g;
  g.n = xs[0], g.h = xs[1], g.w = xs[2], g.c = xs[3];
  g.kh = ks[0], g.kw = ks[1];
  g.oh = static_cast<std::size_t>(std::max<std::int64_t>(0, win.h.out));
  g.ow = static_cast<std::size_t>(std::max<std::int64_t>(0, win.w.out));
  g.sh = static_cast<std::size_t>(strides.h), g.sw = static_cast<std::size_t>(strides.w);
  g.dh = static_cast<std::size_t>(dilation.h), g.dw = static_cast<std::size_t>(dilation.w);
  g.pad_top = win.h.pad_before, g.pad_left = win.w.pad_before;
  g.groups = G;
  return g;
}

}  // namespace

// Forward, per chunk of output rows R (output pixels) and per group g:
//   Y[R, g] = cols[R, g] · K[:, g] (+ bias),  with cols the im2col matrix and K the kernel viewed as
//   a (kh*kw*Cg, F) matrix (its Keras layout), [:, g] the group's Fg = F/groups columns.
// Backward with G = dL/dY (rows, F):
//   dL/dK[:, g]  += cols[:, g]ᵀ · G[:, g]         (accumulated with beta = 1, chunk by chunk)
//   dL/dbias[f]  += sum over rows of G[:, f]
//   dL/dcols[:, g] = G[:, g] · K[:, g]ᵀ,  dL/dx = col2im(dL/dcols)   (im2col's adjoint scatters back)
Tensor conv2d(const Tensor& x, const Tensor& kernel, const Tensor& bias, Size2 strides, const std::string& padding,
              Size2 dilation_rate, int groups) {
  const kernels::ConvGeometry g = geometry(x, kernel, bias, strides, padding, dilation_rate, groups);
  const std::size_t F = kernel.dim(3), Fg = F / g.groups, rows = g.rows();
  const std::size_t K = g.cols(), Kg = g.group_cols();
  Tensor y(detail::empty(Shape{g.n, g.oh, g.ow, F}));
  float* py = y.data();
  if (bias.defined()) {
    const float* pb = bias.data();
    for (std::size_t r = 0; r < rows; ++r) std::copy(pb, pb + F, py + r * F);
  } else {
    std::fill(py, py + rows * F, 0.0f);
  }
  const bool pointwise = g.is_pointwise();
  const std::size_t chunk = rows_per_chunk(g);
  if (Kg > 0) {
    for (std::size_t r0 = 0; r0 < rows; r0 += chunk) {
      const std::size_t r1 = std::min(rows, r0 + chunk), m = r1 - r0;
      const float* cols = x.data() + r0 * K;
      if (!pointwise) {
        float* buf = scratch_data(0, m * K);
        kernels::im2col(g, x.data(), r0, r1, buf);
        cols = buf;
      }
      for (std::size_t grp = 0; grp < g.groups; ++grp)
        kernels::gemm(false, false, m, Fg, Kg, 1.0f, cols + grp * Kg, K, kernel.data() + grp * Fg, F, 1.0f,
                      py + r0 * F + grp * Fg, F);
    }
  }
  Tensors ins{x, kernel};
  if (bias.defined()) ins.push_back(bias);
  if (Tape::wants(ins)) {
    Tape::current().record("conv2d", ins, y, [x, kernel, bias, y, g, F, Fg, K, Kg, rows, chunk, pointwise]() mutable {
      const float* G = y.impl()->grad.data();
      if (bias.defined() && bias.requires_grad()) {
        float* gb = bias.grad_buffer().data();
        for (std::size_t r = 0; r < rows; ++r)
          for (std::size_t f = 0; f < F; ++f) gb[f] += G[r * F + f];
      }
      const bool want_k = kernel.requires_grad(), want_x = x.requires_grad();
      if (Kg == 0 || (!want_k && !want_x)) return;
      float* gk = want_k ? kernel.grad_buffer().data() : nullptr;
      float* gx = want_x ? x.grad_buffer().data() : nullptr;
      for (std::size_t r0 = 0; r0 < rows; r0 += chunk) {
        const std::size_t r1 = std::min(rows, r0 + chunk), m = r1 - r0;
        const float* Gc = G + r0 * F;
        if (want_k) {
          const float* cols = x.data() + r0 * K;
          if (!pointwise) {  // recomputed rather than kept from the forward: memory stays bounded
            float* buf = scratch_data(0, m * K);
            kernels::im2col(g, x.data(), r0, r1, buf);
            cols = buf;
          }
          for (std::size_t grp = 0; grp < g.groups; ++grp)
            kernels::gemm(true, false, Kg, Fg, m, 1.0f, cols + grp * Kg, K, Gc + grp * Fg, F, 1.0f, gk + grp * Fg, F);
        }
        if (want_x) {
          // pointwise: dcols is dx itself, so accumulate straight into it (beta = 1)
          float* dcols = pointwise ? gx + r0 * K : scratch_data(1, m * K);
          for (std::size_t grp = 0; grp < g.groups; ++grp)
            kernels::gemm(false, true, m, Kg, Fg, 1.0f, Gc + grp * Fg, F, kernel.data() + grp * Fg, F,
                          pointwise ? 1.0f : 0.0f, dcols + grp * Kg, K);
          if (!pointwise) kernels::col2im_add(g, dcols, r0, r1, gx);
        }
      }
    });
  }
  return y;
}

}  // namespace xkeras::ops
