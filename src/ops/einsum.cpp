// ops::einsum for the equations attention layers use, each a set of strided BLAS products.
#include <omp.h>

#include <exception>
#include <map>

#include "kernels/gemm.hpp"
#include "ops/common.hpp"
#include "xkeras/ops/attention.hpp"

namespace xkeras::ops {
namespace {

// Renames the letters of an equation in order of first appearance: "btnh,bsnh->bnts" -> "abcd,aecd->acbe".
std::string canonical(const std::string& eq) {
  std::map<char, char> to;
  std::string out;
  for (char c : eq) {
    if (c >= 'a' && c <= 'z') {
      auto it = to.find(c);
      if (it == to.end()) it = to.emplace(c, static_cast<char>('a' + to.size())).first;
      out += it->second;
    } else if (c != ' ') {
      out += c;
    }
  }
  return out;
}

[[noreturn]] void bad_shapes(const std::string& eq, const Tensor& a, const Tensor& b, const std::string& want) {
  throw ValueError("einsum \"" + eq + "\": expected " + want + ", got " + shape_str(a.shape()) + " and " +
                   shape_str(b.shape()));
}

// Runs fn(i) for i in [0, n): over the OpenMP threads when there is enough work (each fn is a small
// gemm that oneDNN would run on one thread anyway inside a parallel region).
template <class Fn>
void for_each_matrix(std::size_t n, std::size_t work, Fn&& fn) {
  const int threads = (n > 1 && work >= (std::size_t(1) << 15)) ? omp_get_max_threads() : 1;
  if (threads <= 1) {
    for (std::size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  // An exception must not leave an OpenMP region (std::terminate): keep the first, rethrow after.
  std::exception_ptr error;
#pragma omp parallel for num_threads(threads) schedule(static)
  for (long i = 0; i < static_cast<long>(n); ++i) {
    try {
      fn(static_cast<std::size_t>(i));
    } catch (...) {
#pragma omp critical(xkeras_einsum_error)
      if (!error) error = std::current_exception();
    }
  }
  if (error) std::rethrow_exception(error);
}

// y (M, P) = x (M, K) · w (K, P) [+ bias (P)]: x's trailing `kdims` axes and w's leading ones are
// contracted. dL/dx = G w^T, dL/dw = x^T G, dL/dbias = the column sums of G.
Tensor flat_matmul(const std::string& eq, const Tensor& x, const Tensor& w, const Tensor& bias, std::size_t kdims,
                   const Shape& out_shape) {
  const Shape xs = x.shape(), ws = w.shape();
  std::size_t k = 1, k2 = 1;
  for (std::size_t d = xs.size() - kdims; d < xs.size(); ++d) k *= xs[d];
  for (std::size_t d = 0; d < kdims; ++d) k2 *= ws[d];
  if (k != k2) bad_shapes(eq, x, w, "matching contracted dimensions");
  const std::size_t m = x.size() / (k ? k : 1), p = w.size() / (k ? k : 1);
  Tensor y(detail::empty(out_shape));
  float* py = y.data();
  if (bias.defined()) {
    const Shape bs = bias.shape(), tail(out_shape.end() - static_cast<long>(w.ndim() - kdims), out_shape.end());
    if (bs != tail)
      throw ValueError("einsum \"" + eq + "\": expected a bias of shape " + shape_str(tail) + ", got " + shape_str(bs));
    for (std::size_t i = 0; i < m; ++i) std::copy(bias.data(), bias.data() + p, py + i * p);  // then C += A B
  }
  if (k == 0) {
    if (!bias.defined()) std::fill(py, py + y.size(), 0.0f);
  } else {
    kernels::gemm(false, false, m, p, k, 1.0f, x.data(), k, w.data(), p, bias.defined() ? 1.0f : 0.0f, py, p);
  }
  const Tensors inputs = bias.defined() ? Tensors{x, w, bias} : Tensors{x, w};
  if (Tape::wants(inputs)) {
    Tape::current().record("einsum", inputs, y, [x, w, bias, y, m, p, k]() mutable {
      const float* g = y.impl()->grad.data();
      if (x.requires_grad()) kernels::gemm(false, true, m, k, p, 1.0f, g, p, w.data(), p, 1.0f, x.grad_buffer().data(), k);
      if (w.requires_grad()) kernels::gemm(true, false, k, p, m, 1.0f, x.data(), k, g, p, 1.0f, w.grad_buffer().data(), p);
      if (bias.defined() && bias.requires_grad()) {
        float* gb = bias.grad_buffer().data();
        for (std::size_t i = 0; i < m; ++i)
          for (std::size_t j = 0; j < p; ++j) gb[j] += g[i * p + j];
      }
    });
  }
  return y;
}

// scores[b, n, t, s] = sum_h q[b, t, n, h] k[b, s, n, h]. Per (b, n): S = Q K^T with Q = q[b, :, n, :]
// (T x H, row stride N*H) and K likewise, so dL/dQ = G K and dL/dK = G^T Q.
Tensor scores(const std::string& eq, const Tensor& q, const Tensor& k) {
  const Shape qs = q.shape(), ks = k.shape();
  if (qs.size() != 4 || ks.size() != 4 || qs[0] != ks[0] || qs[2] != ks[2] || qs[3] != ks[3])
    bad_shapes(eq, q, k, "query (B, T, N, H) and key (B, S, N, H)");
  const std::size_t B = qs[0], T = qs[1], N = qs[2], H = qs[3], S = ks[1];
  Tensor y(detail::empty({B, N, T, S}));
  const float *pq = q.data(), *pk = k.data();
  float* py = y.data();
  const std::size_t ld = N * H, work = B * N * T * S * (H + 1);
  for_each_matrix(B * N, work, [&](std::size_t i) {
    const std::size_t b = i / N, n = i % N;
    kernels::gemm(false, true, T, S, H, 1.0f, pq + b * T * ld + n * H, ld, pk + b * S * ld + n * H, ld, 0.0f,
                  py + i * T * S, S);
  });
  if (Tape::wants({&q, &k})) {
    Tape::current().record("einsum", {q, k}, y, [q, k, y, B, T, N, H, S, ld, work]() mutable {
      const float* g = y.impl()->grad.data();
      float* gq = q.requires_grad() ? q.grad_buffer().data() : nullptr;
      float* gk = k.requires_grad() ? k.grad_buffer().data() : nullptr;
      const float *pq = q.data(), *pk = k.data();
      for_each_matrix(B * N, work, [&](std::size_t i) {
        const std::size_t b = i / N, n = i % N;
        if (gq) kernels::gemm(false, false, T, H, S, 1.0f, g + i * T * S, S, pk + b * S * ld + n * H, ld, 1.0f,
                              gq + b * T * ld + n * H, ld);
        if (gk) kernels::gemm(true, false, S, H, T, 1.0f, g + i * T * S, S, pq + b * T * ld + n * H, ld, 1.0f,
                              gk + b * S * ld + n * H, ld);
      });
    });
  }
  return y;
}

// out[b, t, n, v] = sum_s p[b, n, t, s] v[b, s, n, v]. Per (b, n): O = P V with V = v[b, :, n, :]
// (S x Vd, row stride N*Vd) and O = out[b, :, n, :]; dL/dP = G V^T, dL/dV = P^T G.
Tensor combine(const std::string& eq, const Tensor& p, const Tensor& v) {
  const Shape ps = p.shape(), vs = v.shape();
  if (ps.size() != 4 || vs.size() != 4 || ps[0] != vs[0] || ps[1] != vs[2] || ps[3] != vs[1])
    bad_shapes(eq, p, v, "probabilities (B, N, T, S) and value (B, S, N, V)");
  const std::size_t B = ps[0], N = ps[1], T = ps[2], S = ps[3], V = vs[3];
  Tensor y(detail::empty({B, T, N, V}));
  const float *pp = p.data(), *pv = v.data();
  float* py = y.data();
  const std::size_t ld = N * V, work = B * N * T * S * (V + 1);
  for_each_matrix(B * N, work, [&](std::size_t i) {
    const std::size_t b = i / N, n = i % N;
    kernels::gemm(false, false, T, V, S, 1.0f, pp + i * T * S, S, pv + b * S * ld + n * V, ld, 0.0f,
                  py + b * T * ld + n * V, ld);
  });
  if (Tape::wants({&p, &v})) {
    Tape::current().record("einsum", {p, v}, y, [p, v, y, B, T, N, S, V, ld, work]() mutable {
      const float* g = y.impl()->grad.data();
      float* gp = p.requires_grad() ? p.grad_buffer().data() : nullptr;
      float* gv = v.requires_grad() ? v.grad_buffer().data() : nullptr;
      const float *pp = p.data(), *pv = v.data();
      for_each_matrix(B * N, work, [&](std::size_t i) {
        const std::size_t b = i / N, n = i % N;
        if (gp) kernels::gemm(false, true, T, S, V, 1.0f, g + b * T * ld + n * V, ld, pv + b * S * ld + n * V, ld, 1.0f,
                              gp + i * T * S, S);
        if (gv) kernels::gemm(true, false, S, V, T, 1.0f, pp + i * T * S, S, g + b * T * ld + n * V, ld, 1.0f,
                              gv + b * S * ld + n * V, ld);
      });
    });
  }
  return y;
}

}  // namespace

Tensor einsum(const std::string& equation, const Tensor& a, const Tensor& b) { return einsum(equation, a, b, Tensor()); }

Tensor einsum(const std::string& equation, const Tensor& a, const Tensor& b, const Tensor& bias) {
  detail::require_defined("einsum", a);
  detail::require_defined("einsum", b);
  const std::string eq = canonical(equation);
  const Shape as = a.shape(), bs = b.shape();
  if (eq == "abc,cde->abde") {
    if (as.size() != 3 || bs.size() != 3) bad_shapes(equation, a, b, "x (B, T, D) and kernel (D, N, H)");
    return flat_matmul(equation, a, b, bias, 1, {as[0], as[1], bs[1], bs[2]});
  }
  if (eq == "abcd,cde->abe") {
    if (as.size() != 4 || bs.size() != 3 || as[2] != bs[0])
      bad_shapes(equation, a, b, "x (B, T, N, V) and kernel (N, V, O)");
    return flat_matmul(equation, a, b, bias, 2, {as[0], as[1], bs[2]});
  }
  if (bias.defined())
    throw ValueError("einsum \"" + equation + "\": a bias is only supported for the projections abc,cde->abde and abcd,cde->abe");
  if (eq == "abcd,aecd->acbe") return scores(equation, a, b);
  if (eq == "abcd,aecd->aceb") return scores(equation, b, a);
  if (eq == "abcd,adbe->acbe") return combine(equation, a, b);
  throw ValueError("einsum: unsupported equation \"" + equation +
                   "\"; supported (up to renaming letters): abc,cde->abde, abcd,cde->abe, abcd,aecd->acbe, "
                   "abcd,aecd->aceb, abcd,adbe->acbe");
}

}  // namespace xkeras::ops
