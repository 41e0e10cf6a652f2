// 2-D convolution (cross-correlation) on NHWC tensors; the arithmetic is oneDNN's (kernels/conv2d).
#include <algorithm>
#include <stdexcept>
#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

#include "kernels/conv2d.hpp"
#include "ops/image_common.hpp"

namespace xkeras::ops {
namespace {

// Scratch reused across calls on the same thread (training calls conv2d with the same sizes every step).
float* scratch(int which, std::size_t n) {
  thread_local std::vector<float> buffers[3];
  auto& b = buffers[which];
  if (b.size() < n) b.resize(n);
  return b.data();
}

// Adds `n` floats of src into dst, or copies them when dst is a fresh (unzeroed) gradient buffer.
void add_or_copy(bool fresh, const float* src, std::size_t n, float* dst) {
  if (fresh) std::copy(src, src + n, dst);
  else
    for (std::size_t i = 0; i < n; ++i) dst[i] += src[i];
}

[[noreturn]] void rethrow_dnnl(const dnnl::error& e, const kernels::ConvGeometry& g) {
  throw std::runtime_error("conv2d: oneDNN failed on input (" + std::to_string(g.n) + ", " + std::to_string(g.h) + ", " +
                           std::to_string(g.w) + ", " + std::to_string(g.c) + ") with a " + std::to_string(g.kh) + "x" +
                           std::to_string(g.kw) + " kernel, " + std::to_string(g.f) + " filters, strides (" +
                           std::to_string(g.sh) + ", " + std::to_string(g.sw) + "), dilation (" + std::to_string(g.dh) +
                           ", " + std::to_string(g.dw) + "), padding before (" + std::to_string(g.pad_top) + ", " +
                           std::to_string(g.pad_left) + ") and " + std::to_string(g.groups) + " groups: " + e.what());
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
  g.f = ks[3];
  g.bias = bias.defined();
  return g;
}

}  // namespace

// y[n, i, j, f] = bias[f] + sum over (a, b, c) of x[n, i*sh + a*dh - pad_top, j*sw + b*dw - pad_left, c] * K[a, b, c, f]
// (zero outside the image; with groups, c runs over the group of f). With G = dL/dy:
//   dL/dK[a, b, c, f] = sum over (n, i, j) of x[n, i*sh + a*dh - pad_top, ...] * G[n, i, j, f]
//   dL/dbias[f]       = sum over (n, i, j) of G[n, i, j, f]
//   dL/dx[n, p, q, c] = sum over the (i, j, a, b, f) that read x[n, p, q, c] of K[a, b, c, f] * G[n, i, j, f]
// oneDNN computes all three (backward-weights gives the kernel and bias gradients together).
Tensor conv2d(const Tensor& x, const Tensor& kernel, const Tensor& bias, Size2 strides, const std::string& padding,
              Size2 dilation_rate, int groups) {
  const kernels::ConvGeometry g = geometry(x, kernel, bias, strides, padding, dilation_rate, groups);
  const std::size_t F = g.f, rows = g.n * g.oh * g.ow;
  Tensor y(detail::empty(Shape{g.n, g.oh, g.ow, F}));
  float* py = y.data();
  // Empty batches, images or channel sets never reach oneDNN: the output is the bias alone.
  const bool empty = rows == 0 || g.c == 0 || F == 0;
  std::shared_ptr<kernels::ConvPlan> plan;
  if (empty) {
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t f = 0; f < F; ++f) py[r * F + f] = bias.defined() ? bias.data()[f] : 0.0f;
  } else {
    try {
      plan = kernels::conv2d_plan(g);
      kernels::conv2d_forward(*plan, x.data(), kernel.data(), bias.defined() ? bias.data() : nullptr, py);
    } catch (const dnnl::error& e) {
      rethrow_dnnl(e, g);
    }
  }
  Tensors ins{x, kernel};
  if (bias.defined()) ins.push_back(bias);
  if (Tape::wants(ins)) {
    Tape::current().record("conv2d", ins, y, [x, kernel, bias, y, g, F, rows, plan]() {
      const float* G = y.impl()->grad.data();
      const bool want_b = bias.defined() && bias.requires_grad();
      if (!plan) {  // empty convolution: x's and the kernel's gradients are zero, the bias's sums G
        if (x.requires_grad()) x.grad_buffer();  // grad_buffer() of an unused tensor is all zeros
        if (kernel.requires_grad()) kernel.grad_buffer();
        if (want_b) {
          float* gb = bias.grad_buffer().data();
          for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t f = 0; f < F; ++f) gb[f] += G[r * F + f];
        }
        return;
      }
      try {
        if (kernel.requires_grad() || want_b) {
          const std::size_t nk = kernel.size();
          float* dk = scratch(0, nk);
          float* db = bias.defined() ? scratch(1, F) : nullptr;
          kernels::conv2d_backward_weights(*plan, x.data(), G, dk, db);
          bool fresh = false;
          if (kernel.requires_grad()) {
            float* gk = kernel.grad_buffer_for_write(fresh).data();
            add_or_copy(fresh, dk, nk, gk);
          }
          if (want_b) {
            float* gb = bias.grad_buffer_for_write(fresh).data();
            add_or_copy(fresh, db, F, gb);
          }
        }
        if (x.requires_grad()) {
          kernels::conv2d_prepare_backward_data(*plan);  // may throw: before x's gradient is claimed
          bool fresh = false;
          float* gx = x.grad_buffer_for_write(fresh).data();
          if (fresh) {
            kernels::conv2d_backward_data(*plan, G, kernel.data(), gx);
          } else {
            float* dx = scratch(2, x.size());
            kernels::conv2d_backward_data(*plan, G, kernel.data(), dx);
            add_or_copy(false, dx, x.size(), gx);
          }
        }
      } catch (const dnnl::error& e) {
        rethrow_dnnl(e, g);
      }
    });
  }
  return y;
}

}  // namespace xkeras::ops
