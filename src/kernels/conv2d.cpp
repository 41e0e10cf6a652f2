#include "kernels/conv2d.hpp"

#include <oneapi/dnnl/dnnl.hpp>
#include <omp.h>

#include <algorithm>
#include <array>
#include <map>
#include <unordered_map>

#include "kernels/onednn.hpp"

namespace xkeras::kernels {

using dnnl::memory;
using Dims = memory::dims;
using Tag = memory::format_tag;

namespace {

memory wrap(const memory::desc& md, const float* p) { return memory(md, cpu_engine(), const_cast<float*>(p)); }

// Copies `from` into `to` (layouts may differ) with a reorder built once.
struct Reorder {
  memory::desc from, to;
  dnnl::reorder prim;
  bool identity = false;
  Reorder() = default;
  Reorder(const memory::desc& f, const memory::desc& t) : from(f), to(t), identity(f == t) {
    if (!identity) prim = dnnl::reorder(dnnl::reorder::primitive_desc(cpu_engine(), f, cpu_engine(), t));
  }
  // Returns `src` itself when the layouts agree, else `dst` after the copy.
  const float* run(const float* src, memory& dst) const {
    if (identity) return src;
    memory s = wrap(from, src);
    prim.execute(cpu_stream(), s, dst);
    return static_cast<const float*>(dst.get_data_handle());
  }
};

Dims d(std::size_t a, std::size_t b) { return {static_cast<memory::dim>(a), static_cast<memory::dim>(b)}; }

}  // namespace

struct ConvPlan {
  ConvGeometry g;
  memory::desc x_md, y_md, k_md, b_md;  // our layouts: NHWC activations, Keras kernel
  Dims strides, dilates, pad_l, pad_r;

  dnnl::convolution_forward::primitive_desc fwd_pd;
  dnnl::convolution_forward fwd;
  Reorder fwd_k;  // Keras kernel -> forward's kernel layout
  memory fwd_k_buf;

  // The backward primitives are built on first use (inference never needs them).
  bool has_bwd_data = false, has_bwd_weights = false;
  dnnl::convolution_backward_data bwd_data;
  Reorder bwd_data_k;
  memory bwd_data_k_buf;
  dnnl::convolution_backward_weights bwd_weights;
  Reorder bwd_weights_dk;  // backward-weights' kernel layout -> Keras kernel
  memory bwd_weights_dk_buf;

  explicit ConvPlan(const ConvGeometry& geo) : g(geo) {
    const auto N = static_cast<memory::dim>(g.n), C = static_cast<memory::dim>(g.c), F = static_cast<memory::dim>(g.f);
    const auto G = static_cast<memory::dim>(g.groups);
    const auto KH = static_cast<memory::dim>(g.kh), KW = static_cast<memory::dim>(g.kw);
    const auto dim = [](std::size_t v) { return static_cast<memory::dim>(v); };
    // Keras (kh, kw, C/G, F) with F = G * (F/G) group-major is oneDNN's hwio, or hwigo with groups;
    // a 3-D kernel (kd, kh, kw, C/G, F) is dhwio / dhwigo.
    if (g.volumetric) {
      const auto KD = dim(g.kd);
      x_md = memory::desc({N, C, dim(g.id), dim(g.h), dim(g.w)}, memory::data_type::f32, Tag::ndhwc);
      y_md = memory::desc({N, F, dim(g.od), dim(g.oh), dim(g.ow)}, memory::data_type::f32, Tag::ndhwc);
      k_md = g.groups == 1 ? memory::desc({F, C, KD, KH, KW}, memory::data_type::f32, Tag::dhwio)
                           : memory::desc({G, F / G, C / G, KD, KH, KW}, memory::data_type::f32, Tag::dhwigo);
    } else {
      x_md = memory::desc({N, C, dim(g.h), dim(g.w)}, memory::data_type::f32, Tag::nhwc);
      y_md = memory::desc({N, F, dim(g.oh), dim(g.ow)}, memory::data_type::f32, Tag::nhwc);
      k_md = g.groups == 1 ? memory::desc({F, C, KH, KW}, memory::data_type::f32, Tag::hwio)
                           : memory::desc({G, F / G, C / G, KH, KW}, memory::data_type::f32, Tag::hwigo);
    }
    if (g.bias) b_md = memory::desc({F}, memory::data_type::f32, Tag::x);
    strides = d(g.sh, g.sw);
    dilates = d(g.dh - 1, g.dw - 1);  // oneDNN counts the gaps: 0 is a dense kernel
    pad_l = {g.pad_top, g.pad_left};
    // The padding after the input that the output size implies (never negative: 'valid' may drop rows).
    auto after = [](std::size_t out, std::size_t s, std::size_t k, std::size_t dil, std::size_t in, std::int64_t before) {
      const auto need = static_cast<std::int64_t>((out - 1) * s + (k - 1) * dil + 1) - static_cast<std::int64_t>(in) - before;
      return std::max<std::int64_t>(0, need);
    };
    pad_r = {after(g.oh, g.sh, g.kh, g.dh, g.h, g.pad_top), after(g.ow, g.sw, g.kw, g.dw, g.w, g.pad_left)};
    if (g.volumetric) {  // the depth axis goes first in every list
      strides.insert(strides.begin(), dim(g.sd));
      dilates.insert(dilates.begin(), dim(g.dd - 1));
      pad_l.insert(pad_l.begin(), g.pad_front);
      pad_r.insert(pad_r.begin(), after(g.od, g.sd, g.kd, g.dd, g.id, g.pad_front));
    }

    // The kernel layout is left to oneDNN (`any`); the activations stay NHWC.
    const memory::desc k_any(k_md.dims(), memory::data_type::f32, Tag::any);
    auto desc = g.bias ? dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct,
                                                          x_md, k_any, b_md, y_md, strides, dilates, pad_l, pad_r)
                       : dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct,
                                                          x_md, k_any, y_md, strides, dilates, pad_l, pad_r);
    fwd_pd = dnnl::convolution_forward::primitive_desc(desc, cpu_engine());
    fwd = dnnl::convolution_forward(fwd_pd);
    fwd_k = Reorder(k_md, fwd_pd.weights_desc());
    if (!fwd_k.identity) fwd_k_buf = memory(fwd_pd.weights_desc(), cpu_engine());
  }

  void build_bwd_data() {
    const memory::desc k_any(k_md.dims(), memory::data_type::f32, Tag::any);
    dnnl::convolution_backward_data::desc desc(dnnl::algorithm::convolution_direct, x_md, k_any, y_md, strides, dilates,
                                               pad_l, pad_r);
    dnnl::convolution_backward_data::primitive_desc pd(desc, cpu_engine(), fwd_pd);
    bwd_data = dnnl::convolution_backward_data(pd);
    bwd_data_k = Reorder(k_md, pd.weights_desc());
    if (!bwd_data_k.identity) bwd_data_k_buf = memory(pd.weights_desc(), cpu_engine());
    has_bwd_data = true;
  }

  void build_bwd_weights() {
    const memory::desc k_any(k_md.dims(), memory::data_type::f32, Tag::any);
    auto desc = g.bias ? dnnl::convolution_backward_weights::desc(dnnl::algorithm::convolution_direct, x_md, k_any, b_md,
                                                                   y_md, strides, dilates, pad_l, pad_r)
                       : dnnl::convolution_backward_weights::desc(dnnl::algorithm::convolution_direct, x_md, k_any, y_md,
                                                                   strides, dilates, pad_l, pad_r);
    dnnl::convolution_backward_weights::primitive_desc pd(desc, cpu_engine(), fwd_pd);
    bwd_weights = dnnl::convolution_backward_weights(pd);
    bwd_weights_dk = Reorder(pd.diff_weights_desc(), k_md);
    if (!bwd_weights_dk.identity) bwd_weights_dk_buf = memory(pd.diff_weights_desc(), cpu_engine());
    has_bwd_weights = true;
  }
};

std::shared_ptr<ConvPlan> conv2d_plan(const ConvGeometry& g) {
  // Training calls every conv with the same geometry each step; building oneDNN primitives costs far
  // more than a lookup. Plans are per thread (oneDNN primitives are, and so is our tape). oneDNN fixes a
  // primitive's thread count when it is built, so the count is part of the key (set_num_threads).
  using Key = std::array<std::int64_t, 25>;
  thread_local std::map<Key, std::shared_ptr<ConvPlan>> cache;
  const Key key{std::int64_t(g.n), std::int64_t(g.h), std::int64_t(g.w), std::int64_t(g.c), std::int64_t(g.kh),
                std::int64_t(g.kw), std::int64_t(g.f), std::int64_t(g.oh), std::int64_t(g.ow), std::int64_t(g.sh),
                std::int64_t(g.sw), std::int64_t(g.dh), std::int64_t(g.dw), g.pad_top, g.pad_left,
                std::int64_t(g.groups), std::int64_t(g.bias), std::int64_t(omp_get_max_threads()),
                std::int64_t(g.volumetric), std::int64_t(g.id), std::int64_t(g.kd), std::int64_t(g.od),
                std::int64_t(g.sd), std::int64_t(g.dd), g.pad_front};
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  if (cache.size() >= 256) cache.clear();  // a long run with ever-changing shapes must not grow without bound
  auto plan = std::make_shared<ConvPlan>(g);
  cache.emplace(key, plan);
  return plan;
}

void conv2d_forward(ConvPlan& p, const float* x, const float* kernel, const float* bias, float* y) {
  const float* k = p.fwd_k.run(kernel, p.fwd_k_buf);
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, wrap(p.x_md, x)},
                                       {DNNL_ARG_WEIGHTS, wrap(p.fwd_pd.weights_desc(), k)},
                                       {DNNL_ARG_DST, wrap(p.y_md, y)}};
  if (p.g.bias) args.emplace(DNNL_ARG_BIAS, wrap(p.b_md, bias));
  p.fwd.execute(cpu_stream(), args);
}

void conv2d_prepare_backward_data(ConvPlan& p) {
  if (!p.has_bwd_data) p.build_bwd_data();
}

void conv2d_backward_data(ConvPlan& p, const float* dy, const float* kernel, float* dx) {
  conv2d_prepare_backward_data(p);
  const memory::desc& k_md = p.bwd_data_k.to;
  const float* k = p.bwd_data_k.run(kernel, p.bwd_data_k_buf);
  p.bwd_data.execute(cpu_stream(), {{DNNL_ARG_DIFF_DST, wrap(p.y_md, dy)},
                                    {DNNL_ARG_WEIGHTS, wrap(k_md, k)},
                                    {DNNL_ARG_DIFF_SRC, wrap(p.x_md, dx)}});
}

void conv2d_backward_weights(ConvPlan& p, const float* x, const float* dy, float* dkernel, float* dbias) {
  if (!p.has_bwd_weights) p.build_bwd_weights();
  // Straight into dkernel when oneDNN's layout is Keras's, else into the plan's buffer and reordered.
  memory dk = p.bwd_weights_dk.identity ? wrap(p.k_md, dkernel) : p.bwd_weights_dk_buf;
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, wrap(p.x_md, x)},
                                       {DNNL_ARG_DIFF_DST, wrap(p.y_md, dy)},
                                       {DNNL_ARG_DIFF_WEIGHTS, dk}};
  if (p.g.bias) args.emplace(DNNL_ARG_DIFF_BIAS, wrap(p.b_md, dbias));
  p.bwd_weights.execute(cpu_stream(), args);
  if (!p.bwd_weights_dk.identity) {
    memory out = wrap(p.k_md, dkernel);
    p.bwd_weights_dk.prim.execute(cpu_stream(), dk, out);
  }
}

}  // namespace xkeras::kernels
