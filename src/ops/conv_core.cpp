// Forward, tape record and backward shared by the oneDNN convolution ops.
#include "ops/conv_core.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

#include "ops/common.hpp"
#include "ops/parallel.hpp"

namespace xkeras::ops::detail {
namespace {

// Scratch reused across calls on the same thread (training calls a conv with the same sizes every step).
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

[[noreturn]] void rethrow_dnnl(const char* name, const dnnl::error& e, const kernels::ConvGeometry& g) {
  throw std::runtime_error(std::string(name) + ": oneDNN failed on " + geometry_str(g) + ": " + e.what());
}

// Fills `rows` rows of F values with the bias (or zeros).
void fill_bias(float* y, std::size_t rows, std::size_t F, const Tensor& bias) {
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t f = 0; f < F; ++f) y[r * F + f] = bias.defined() ? bias.data()[f] : 0.0f;
}

// gb[f] += sum over rows of G[r, f]: the bias gradient of anything that adds a bias per channel.
void add_bias_grad(const Tensor& bias, const float* G, std::size_t rows, std::size_t F) {
  float* gb = bias.grad_buffer().data();
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t f = 0; f < F; ++f) gb[f] += G[r * F + f];
}

// Claims x's gradient buffer and runs `fill(dst)` into it, or into scratch and adds when x already has one.
template <class Fill>
void write_input_grad(const Tensor& x, Fill&& fill) {
  bool fresh = false;
  float* gx = x.grad_buffer_for_write(fresh).data();
  if (fresh) {
    fill(gx);
  } else {
    float* dx = scratch(2, x.size());
    fill(dx);
    add_or_copy(false, dx, x.size(), gx);
  }
}

// Kernel gradient through a scratch buffer, added into (or copied to) the kernel's gradient.
template <class Fill>
void write_kernel_grad(const Tensor& kernel, Fill&& fill) {
  const std::size_t nk = kernel.size();
  float* dk = scratch(0, nk);
  fill(dk);
  bool fresh = false;
  float* gk = kernel.grad_buffer_for_write(fresh).data();
  add_or_copy(fresh, dk, nk, gk);
}

}  // namespace

kernels::ConvGeometry make_geometry(std::size_t n, ConvAxis h, ConvAxis w, std::size_t c, std::size_t f,
                                    std::size_t groups, bool bias) {
  kernels::ConvGeometry g;
  g.n = n, g.h = h.in, g.w = w.in, g.c = c;
  g.kh = h.k, g.kw = w.k;
  g.oh = h.out, g.ow = w.out;
  g.sh = h.s, g.sw = w.s;
  g.dh = h.d, g.dw = w.d;
  g.pad_top = h.before, g.pad_left = w.before;
  g.groups = groups;
  g.f = f;
  g.bias = bias;
  return g;
}

kernels::ConvGeometry make_geometry3(std::size_t n, ConvAxis d, ConvAxis h, ConvAxis w, std::size_t c, std::size_t f,
                                     std::size_t groups, bool bias) {
  kernels::ConvGeometry g = make_geometry(n, h, w, c, f, groups, bias);
  g.volumetric = true;
  g.id = d.in, g.kd = d.k, g.od = d.out, g.sd = d.s, g.dd = d.d;
  g.pad_front = d.before;
  return g;
}

void require_rank(const Tensor& t, std::size_t rank, const char* op, const char* what) {
  if (!t.defined()) throw ValueError(std::string(op) + ": expected " + what + ", got an undefined tensor");
  if (t.ndim() != rank)
    throw ValueError(std::string(op) + ": expected " + what + " (rank " + std::to_string(rank) + "), got shape " +
                     shape_str(t.shape()));
}

void require_bias(const Tensor& bias, std::size_t n, const char* op) {
  if (bias.defined() && (bias.ndim() != 1 || bias.dim(0) != n))
    throw ValueError(std::string(op) + ": expected a bias of shape (" + std::to_string(n) + ",), got " +
                     shape_str(bias.shape()));
}

std::string geometry_str(const kernels::ConvGeometry& g) {
  auto s = [](std::size_t v) { return std::to_string(v); };
  if (g.volumetric)
    return "input (" + s(g.n) + ", " + s(g.id) + ", " + s(g.h) + ", " + s(g.w) + ", " + s(g.c) + ") with a " + s(g.kd) +
           "x" + s(g.kh) + "x" + s(g.kw) + " kernel, " + s(g.f) + " filters, strides (" + s(g.sd) + ", " + s(g.sh) +
           ", " + s(g.sw) + "), dilation (" + s(g.dd) + ", " + s(g.dh) + ", " + s(g.dw) + "), padding before (" +
           std::to_string(g.pad_front) + ", " + std::to_string(g.pad_top) + ", " + std::to_string(g.pad_left) +
           ") and " + s(g.groups) + " groups";
  return "input (" + s(g.n) + ", " + s(g.h) + ", " + s(g.w) + ", " + s(g.c) + ") with a " + s(g.kh) + "x" + s(g.kw) +
         " kernel, " + s(g.f) + " filters, strides (" + s(g.sh) + ", " + s(g.sw) + "), dilation (" + s(g.dh) + ", " +
         s(g.dw) + "), padding before (" + std::to_string(g.pad_top) + ", " + std::to_string(g.pad_left) + ") and " +
         s(g.groups) + " groups";
}

// y[n, i, j, f] = bias[f] + sum over (a, b, c) of x[n, i*sh + a*dh - pad_top, j*sw + b*dw - pad_left, c] * K[a, b, c, f]
// (zero outside the image; with groups, c runs over the group of f). With G = dL/dy:
//   dL/dK[a, b, c, f] = sum over (n, i, j) of x[n, i*sh + a*dh - pad_top, ...] * G[n, i, j, f]
//   dL/dbias[f]       = sum over (n, i, j) of G[n, i, j, f]
//   dL/dx[n, p, q, c] = sum over the (i, j, a, b, f) that read x[n, p, q, c] of K[a, b, c, f] * G[n, i, j, f]
// oneDNN computes all three (backward-weights gives the kernel and bias gradients together).
Tensor conv_forward(const char* name, const Tensor& x, const Tensor& kernel, const Tensor& bias,
                    const kernels::ConvGeometry& g, const Shape& y_shape) {
  const std::size_t F = g.f, rows = g.n * g.od * g.oh * g.ow;
  Tensor y(empty(y_shape));
  // Empty batches, images or channel sets never reach oneDNN: the output is the bias alone.
  std::shared_ptr<kernels::ConvPlan> plan;
  if (rows == 0 || g.c == 0 || F == 0) {
    fill_bias(y.data(), rows, F, bias);
  } else {
    try {
      plan = kernels::conv2d_plan(g);
      kernels::conv2d_forward(*plan, x.data(), kernel.data(), bias.defined() ? bias.data() : nullptr, y.data());
    } catch (const dnnl::error& e) {
      rethrow_dnnl(name, e, g);
    }
  }
  Tensors ins{x, kernel};
  if (bias.defined()) ins.push_back(bias);
  if (!Tape::wants(ins)) return y;
  Tape::current().record(name, ins, y, [name, x, kernel, bias, y, g, F, rows, plan]() {
    const float* G = y.impl()->grad.data();
    const bool want_b = bias.defined() && bias.requires_grad();
    if (!plan) {  // empty convolution: x's and the kernel's gradients are zero, the bias's sums G
      if (x.requires_grad()) x.grad_buffer();  // grad_buffer() of an unused tensor is all zeros
      if (kernel.requires_grad()) kernel.grad_buffer();
      if (want_b) add_bias_grad(bias, G, rows, F);
      return;
    }
    try {
      if (kernel.requires_grad() || want_b) {
        float* db = bias.defined() ? scratch(1, F) : nullptr;
        const std::size_t nk = kernel.size();
        float* dk = scratch(0, nk);
        kernels::conv2d_backward_weights(*plan, x.data(), G, dk, db);
        if (kernel.requires_grad()) {
          bool fresh = false;
          float* gk = kernel.grad_buffer_for_write(fresh).data();
          add_or_copy(fresh, dk, nk, gk);
        }
        if (want_b) {
          bool fresh = false;
          float* gb = bias.grad_buffer_for_write(fresh).data();
          add_or_copy(fresh, db, F, gb);
        }
      }
      if (x.requires_grad()) {
        kernels::conv2d_prepare_backward_data(*plan);  // may throw: before x's gradient is claimed
        write_input_grad(x, [&](float* dst) { kernels::conv2d_backward_data(*plan, G, kernel.data(), dst); });
      }
    } catch (const dnnl::error& e) {
      rethrow_dnnl(name, e, g);
    }
  });
  return y;
}

// The transposed convolution is the adjoint of the convolution g (input Y-space, output X-space):
//   y[n, o, f] = bias[f] + sum over (i, a, c) with o = i*s + a*d - before of x[n, i, c] * K[a, f, c]
// (2-D: o, i, a, s, d are pairs). It is linear in x and in K, so with G = dL/dy:
//   dL/dx = conv_g(G, K)                 (g's forward: the adjoint of the adjoint)
//   dL/dK[a, f, c] = sum over (n, i) of G[n, i*s + a*d - before, f] * x[n, i, c]   (g's weight gradient
//                                         with G as g's input and x as g's output gradient)
//   dL/dbias[f] = sum over (n, o) of G[n, o, f]
Tensor conv_transpose_forward(const char* name, const Tensor& x, const Tensor& kernel, const Tensor& bias,
                              const kernels::ConvGeometry& g, const Shape& y_shape) {
  const std::size_t F = g.c, rows = g.n * g.id * g.h * g.w;  // y is g's input
  Tensor y(empty(y_shape));
  std::shared_ptr<kernels::ConvPlan> plan;
  if (rows == 0 || g.od * g.oh * g.ow == 0 || g.f == 0 || F == 0) {
    fill_bias(y.data(), rows, F, bias);
  } else {
    try {
      plan = kernels::conv2d_plan(g);
      kernels::conv2d_backward_data(*plan, x.data(), kernel.data(), y.data());
    } catch (const dnnl::error& e) {
      rethrow_dnnl(name, e, g);
    }
    if (bias.defined()) {  // backward-data has no bias: one pass over y, split over the threads when large
      float* py = y.data();
      const float* b = bias.data();
      parallel_chunks(rows, rows * F, [&](std::size_t begin, std::size_t end) {
        for (std::size_t r = begin; r < end; ++r)
          for (std::size_t f = 0; f < F; ++f) py[r * F + f] += b[f];
      });
    }
  }
  Tensors ins{x, kernel};
  if (bias.defined()) ins.push_back(bias);
  if (!Tape::wants(ins)) return y;
  Tape::current().record(name, ins, y, [name, x, kernel, bias, y, g, F, rows, plan]() {
    const float* G = y.impl()->grad.data();
    if (bias.defined() && bias.requires_grad()) add_bias_grad(bias, G, rows, F);
    if (!plan) {
      if (x.requires_grad()) x.grad_buffer();
      if (kernel.requires_grad()) kernel.grad_buffer();
      return;
    }
    try {
      if (kernel.requires_grad())
        write_kernel_grad(kernel, [&](float* dk) { kernels::conv2d_backward_weights(*plan, G, x.data(), dk, nullptr); });
      if (x.requires_grad())
        write_input_grad(x, [&](float* dst) { kernels::conv2d_forward(*plan, G, kernel.data(), nullptr, dst); });
    } catch (const dnnl::error& e) {
      rethrow_dnnl(name, e, g);
    }
  });
  return y;
}

}  // namespace xkeras::ops::detail
