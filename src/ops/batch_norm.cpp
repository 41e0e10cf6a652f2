// Fused batch normalization: one forward and one backward pass each, in raw loops.
// The input is viewed as (outer, C, inner) around the channel axis, so NHWC (inner = 1) and
// channels-first layouts share the same kernels.
#include <algorithm>
#include <cmath>
#include <string>
#include <type_traits>
#include <vector>

#include "ops/common.hpp"
#include "ops/parallel.hpp"
#include "distributed/mpi_runtime.hpp"
#include "xkeras/distributed.hpp"
#include "xkeras/ops/normalization.hpp"

namespace xkeras::ops {
namespace {

struct ChannelDims {
  std::size_t outer = 1, channels = 1, inner = 1;
  std::size_t count() const { return outer * inner; }  // elements per channel (the N of the statistics)
};

ChannelDims channel_dims(const char* op, const Shape& s, int axis) {
  const int nd = static_cast<int>(s.size());
  const int a = axis < 0 ? axis + nd : axis;
  if (nd == 0 || a < 0 || a >= nd)
    throw ValueError(std::string(op) + ": axis " + std::to_string(axis) + " is out of bounds for an input of shape " +
                     shape_str(s));
  ChannelDims d;
  for (int i = 0; i < a; ++i) d.outer *= s[static_cast<std::size_t>(i)];
  d.channels = s[static_cast<std::size_t>(a)];
  for (int i = a + 1; i < nd; ++i) d.inner *= s[static_cast<std::size_t>(i)];
  return d;
}

// Calls fn(c, i) for every element i (flat index) of channel c. The inner == 1 branch is the
// channels-last case: a unit-stride loop over channels that the compiler can vectorize.
template <class Fn>
void for_each_channel_element(const ChannelDims& d, Fn&& fn) {
  if (d.inner == 1) {
    // Large inputs are split by rows over the OpenMP threads; fn writes element i only.
    detail::parallel_chunks(d.outer, d.outer * d.channels, [&](std::size_t o0, std::size_t o1) {
      for (std::size_t o = o0; o < o1; ++o) {
        const std::size_t base = o * d.channels;
        for (std::size_t c = 0; c < d.channels; ++c) fn(c, base + c);
      }
    });
    return;
  }
  for (std::size_t o = 0; o < d.outer; ++o)
    for (std::size_t c = 0; c < d.channels; ++c) {
      const std::size_t base = (o * d.channels + c) * d.inner;
      for (std::size_t i = 0; i < d.inner; ++i) fn(c, base + i);
    }
}

// Stands for "no second sum" in channel_sums.
struct NoSum {
  float operator()(std::size_t, std::size_t) const { return 0.0f; }
};

// Adds, for every channel c, the sum over its elements i of fa(c, i) into sa[c] and, unless fb is
// NoSum, that of fb(c, i) into (*sb)[c], in the same pass. Float partial sums over short blocks
// vectorize (along the contiguous channel axis when inner == 1); the blocks are added in double so
// that a channel's long sum keeps its digits.
template <class FA, class FB = NoSum>
void channel_sums(const ChannelDims& d, FA&& fa, std::vector<double>& sa, FB&& fb = {},
                  std::vector<double>* sb = nullptr) {
  constexpr bool kTwo = !std::is_same_v<std::decay_t<FB>, NoSum>;
  constexpr std::size_t kBlock = 64;
  const std::size_t C = d.channels;
  if (d.inner == 1) {
    std::vector<float> pa(C), pb(C);
    for (std::size_t o0 = 0; o0 < d.outer; o0 += kBlock) {
      std::fill(pa.begin(), pa.end(), 0.0f);
      std::fill(pb.begin(), pb.end(), 0.0f);
      const std::size_t o1 = std::min(d.outer, o0 + kBlock);
      for (std::size_t o = o0; o < o1; ++o) {
        const std::size_t base = o * C;
        for (std::size_t c = 0; c < C; ++c) {
          pa[c] += fa(c, base + c);
          if constexpr (kTwo) pb[c] += fb(c, base + c);
        }
      }
      for (std::size_t c = 0; c < C; ++c) {
        sa[c] += pa[c];
        if constexpr (kTwo) (*sb)[c] += pb[c];
      }
    }
    return;
  }
  for (std::size_t o = 0; o < d.outer; ++o)
    for (std::size_t c = 0; c < C; ++c) {
      const std::size_t base = (o * C + c) * d.inner;
      for (std::size_t i0 = 0; i0 < d.inner; i0 += kBlock) {
        float pa = 0.0f, pb = 0.0f;
        const std::size_t i1 = std::min(d.inner, i0 + kBlock);
        for (std::size_t i = i0; i < i1; ++i) {
          pa += fa(c, base + i);
          if constexpr (kTwo) pb += fb(c, base + i);
        }
        sa[c] += pa;
        if constexpr (kTwo) (*sb)[c] += pb;
      }
    }
}

void check_per_channel(const char* op, const char* what, const Tensor& t, std::size_t channels, const Shape& xs) {
  if (!t.defined()) return;
  if (t.ndim() != 1 || t.dim(0) != channels)
    throw ValueError(std::string(op) + ": expected " + what + " of shape (" + std::to_string(channels) +
                     ",) for an input of shape " + shape_str(xs) + ", got " + shape_str(t.shape()));
}

// y = x * scale[c] + shift[c]
Tensor affine_per_channel(const Tensor& x, const ChannelDims& d, const std::vector<float>& scale,
                          const std::vector<float>& shift) {
  Tensor y(detail::empty(x.shape()));
  const float* px = x.data();
  float* py = y.data();
  const float *ps = scale.data(), *pt = shift.data();
  for_each_channel_element(d, [=](std::size_t c, std::size_t i) { py[i] = px[i] * ps[c] + pt[c]; });
  return y;
}

Tensors defined_of(std::initializer_list<Tensor> ts) {
  Tensors out;
  for (const auto& t : ts)
    if (t.defined()) out.push_back(t);
  return out;
}

}  // namespace

Tensor batch_norm_train(const Tensor& x, const Tensor& gamma, const Tensor& beta, int axis, float epsilon,
                        Array& batch_mean, Array& batch_var, bool synchronized) {
  const char* op = "batch_norm_train";
  const Shape xs = x.shape();
  const ChannelDims d = channel_dims(op, xs, axis);
  check_per_channel(op, "gamma", gamma, d.channels, xs);
  check_per_channel(op, "beta", beta, d.channels, xs);
  const std::size_t C = d.channels;
  // Synchronized, in a data-parallel step: the counts and sums of every rank (the global batch).
  const bool across = synchronized && distributed::detail::in_data_parallel_step();
  std::size_t N = d.count();

  // Two passes (mean, then centred squares): E[x^2]-E[x]^2 loses digits in float.
  const float* px = x.data();
  std::vector<double> acc(C + 1, 0.0);  // the channel sums, then the count (summed over ranks)
  channel_sums(d, [px](std::size_t, std::size_t i) { return px[i]; }, acc);
  if (across) {
    acc[C] = double(N);
    distributed::allreduce_sum(acc.data(), acc.size(), "synchronized BatchNormalization's mean");
    N = static_cast<std::size_t>(acc[C]);
  }
  acc.resize(C);
  std::vector<float> mean(C), inv(C);
  for (std::size_t c = 0; c < C; ++c) mean[c] = N ? static_cast<float>(acc[c] / double(N)) : 0.0f;
  std::fill(acc.begin(), acc.end(), 0.0);
  const float* pm = mean.data();
  channel_sums(d, [px, pm](std::size_t c, std::size_t i) { const float v = px[i] - pm[c]; return v * v; }, acc);
  if (across) distributed::allreduce_sum(acc.data(), C, "synchronized BatchNormalization's variance");
  batch_mean = Array::from_shape({C});
  batch_var = Array::from_shape({C});
  std::vector<float> scale(C), shift(C);
  for (std::size_t c = 0; c < C; ++c) {
    const double var = N ? acc[c] / double(N) : 0.0;  // biased (population) variance, as Keras
    batch_mean(c) = mean[c];
    batch_var(c) = static_cast<float>(var);
    inv[c] = static_cast<float>(1.0 / std::sqrt(var + double(epsilon)));
    const float g = gamma.defined() ? gamma.data()[c] : 1.0f;
    const float b = beta.defined() ? beta.data()[c] : 0.0f;
    scale[c] = inv[c] * g;
    shift[c] = b - mean[c] * scale[c];
  }
  Tensor y = affine_per_channel(x, d, scale, shift);

  const Tensors ins = defined_of({x, gamma, beta});
  if (Tape::wants(ins)) {
    // With xhat = (x - mean) * inv, g = dL/dy and sums over the N elements of each channel:
    //   dL/dbeta  = sum(g)
    //   dL/dgamma = sum(g * xhat)
    //   dL/dx     = gamma * inv / N * (N*g - sum(g) - xhat * sum(g * xhat))
    // (the standard BN backward with dxhat = g * gamma; mean and var depend on x, hence the two sums).
    // Synchronized, N and the two sums in dL/dx are the global batch's (every rank's g flows into every
    // rank's statistics); dL/dgamma and dL/dbeta stay this rank's, as the gradient allreduce adds them.
    Tape::current().record(op, ins, y, [x, gamma, beta, y, d, across, N, mean = std::move(mean), inv = std::move(inv)]() mutable {
      const std::size_t C = d.channels;
      const double n = double(N);
      const float* g = y.impl()->grad.data();
      const float* px = x.data();
      std::vector<double> sum_g(C, 0.0), sum_gx(C, 0.0);
      const float *pm = mean.data(), *pi = inv.data();
      channel_sums(d, [g](std::size_t, std::size_t i) { return g[i]; }, sum_g,
                   [g, px, pm, pi](std::size_t c, std::size_t i) { return g[i] * ((px[i] - pm[c]) * pi[c]); }, &sum_gx);
      if (beta.defined() && beta.requires_grad()) {
        float* gb = beta.grad_buffer().data();
        for (std::size_t c = 0; c < C; ++c) gb[c] += static_cast<float>(sum_g[c]);
      }
      if (gamma.defined() && gamma.requires_grad()) {
        float* gg = gamma.grad_buffer().data();
        for (std::size_t c = 0; c < C; ++c) gg[c] += static_cast<float>(sum_gx[c]);
      }
      if (across) {  // every rank must take part, whether or not its x needs a gradient
        std::vector<double> both(sum_g);
        both.insert(both.end(), sum_gx.begin(), sum_gx.end());
        distributed::allreduce_sum(both.data(), both.size(), "synchronized BatchNormalization's backward");
        std::copy(both.begin(), both.begin() + static_cast<long>(C), sum_g.begin());
        std::copy(both.begin() + static_cast<long>(C), both.end(), sum_gx.begin());
      }
      if (x.requires_grad()) {
        std::vector<float> k(C), mg(C), mgx(C);
        for (std::size_t c = 0; c < C; ++c) {
          k[c] = inv[c] * (gamma.defined() ? gamma.data()[c] : 1.0f);
          mg[c] = static_cast<float>(sum_g[c] / n);
          mgx[c] = static_cast<float>(sum_gx[c] / n);
        }
        bool fresh = false;
        float* gx = x.grad_buffer_for_write(fresh).data();
        const float *pk = k.data(), *pmg = mg.data(), *pmgx = mgx.data();
        auto dx = [=](std::size_t c, std::size_t i) {
          const float xhat = (px[i] - pm[c]) * pi[c];
          return pk[c] * (g[i] - pmg[c] - xhat * pmgx[c]);
        };
        if (fresh) for_each_channel_element(d, [&](std::size_t c, std::size_t i) { gx[i] = dx(c, i); });
        else for_each_channel_element(d, [&](std::size_t c, std::size_t i) { gx[i] += dx(c, i); });
      }
    });
  }
  return y;
}

Tensor batch_norm_infer(const Tensor& x, const Tensor& gamma, const Tensor& beta, const Tensor& moving_mean,
                        const Tensor& moving_var, int axis, float epsilon) {
  const char* op = "batch_norm_infer";
  const Shape xs = x.shape();
  const ChannelDims d = channel_dims(op, xs, axis);
  if (!moving_mean.defined() || !moving_var.defined())
    throw ValueError(std::string(op) + ": the moving mean and variance are required");
  check_per_channel(op, "gamma", gamma, d.channels, xs);
  check_per_channel(op, "beta", beta, d.channels, xs);
  check_per_channel(op, "moving_mean", moving_mean, d.channels, xs);
  check_per_channel(op, "moving_variance", moving_var, d.channels, xs);
  const std::size_t C = d.channels;

  // The statistics are copied: a later training call may update the moving averages in place
  // before this op's backward runs.
  std::vector<float> mean(C), rstd(C), scale(C), shift(C);
  for (std::size_t c = 0; c < C; ++c) {
    mean[c] = moving_mean.data()[c];
    rstd[c] = 1.0f / std::sqrt(moving_var.data()[c] + epsilon);
    scale[c] = rstd[c] * (gamma.defined() ? gamma.data()[c] : 1.0f);
    shift[c] = (beta.defined() ? beta.data()[c] : 0.0f) - mean[c] * scale[c];
  }
  Tensor y = affine_per_channel(x, d, scale, shift);

  const Tensors ins = defined_of({x, gamma, beta});
  if (Tape::wants(ins)) {
    // y = (x - m) * r * gamma + beta with constant m, r = rsqrt(v + eps):
    //   dL/dx = g * r * gamma,  dL/dgamma = sum(g * (x - m) * r),  dL/dbeta = sum(g)
    Tape::current().record(op, ins, y, [x, gamma, beta, y, d, mean = std::move(mean), rstd = std::move(rstd),
                                        scale = std::move(scale)]() mutable {
      const std::size_t C = d.channels;
      const float* g = y.impl()->grad.data();
      const float* px = x.data();
      if (x.requires_grad()) {
        float* gx = x.grad_buffer().data();
        for_each_channel_element(d, [&](std::size_t c, std::size_t i) { gx[i] += g[i] * scale[c]; });
      }
      const bool want_g = gamma.defined() && gamma.requires_grad(), want_b = beta.defined() && beta.requires_grad();
      if (!want_g && !want_b) return;
      std::vector<double> sum_g(C, 0.0), sum_gx(C, 0.0);
      const float *pm = mean.data(), *pr = rstd.data();
      channel_sums(d, [g](std::size_t, std::size_t i) { return g[i]; }, sum_g,
                   [g, px, pm, pr](std::size_t c, std::size_t i) { return g[i] * ((px[i] - pm[c]) * pr[c]); }, &sum_gx);
      if (want_b) {
        float* gb = beta.grad_buffer().data();
        for (std::size_t c = 0; c < C; ++c) gb[c] += static_cast<float>(sum_g[c]);
      }
      if (want_g) {
        float* gg = gamma.grad_buffer().data();
        for (std::size_t c = 0; c < C; ++c) gg[c] += static_cast<float>(sum_gx[c]);
      }
    });
  }
  return y;
}

}  // namespace xkeras::ops
