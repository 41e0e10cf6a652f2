// The fused GRU op, both variants (reference §2.4): gates z, r, h; h_t = z h_{t-1} + (1 - z) ĥ.
// reset_after: ĥ = act(x W_h + b^x_h + r ⊙ (h U_h + b^h_h)), one recurrent GEMM per step;
// reset before: ĥ = act(x W_h + b_h + (r ⊙ h) U_h), two recurrent GEMMs per step (z, r then h).
#include <algorithm>
#include <memory>

#include "kernels/gemm.hpp"
#include "ops/recurrent_common.hpp"

namespace xkeras::ops {
namespace {

using detail::rnn::Dims;

struct GruSaved {
  Array gates;  // (B, T, 3u): activated z, r, ĥ
  Array hraw;   // (B, T, u): h_{t-1}
  Array hin;    // (B, T, u): h_{t-1} after recurrent dropout (empty when there is no dropout mask)
  Array extra;  // (B, T, u): reset_after: h U_h + b^h_h; else r ⊙ h_{t-1} (dropped)
  detail::rnn::StepFlags flags;
};

}  // namespace

RecurrentResult gru(const RecurrentInputs& in, const RecurrentOptions& o) {
  const char* op = "gru";
  const Dims d = detail::rnn::validate(op, in, 3, 1, o.reset_after);
  const std::size_t B = d.B, T = d.T, u = d.u, G3 = d.gu(), ld = T * G3;
  const Tensors inputs = detail::rnn::tape_inputs(in);
  const bool record = Tape::wants(inputs);
  const float* rm = in.recurrent_dropout_mask.defined() ? in.recurrent_dropout_mask.data() : nullptr;

  auto sv = std::make_shared<GruSaved>();
  sv->flags = detail::rnn::step_flags(d, in.mask, o);
  const auto& keep = sv->flags.keep;
  sv->gates = detail::empty({B, T, G3});
  if (record) {
    sv->hraw = detail::empty({B, T, u});
    if (rm) sv->hin = detail::empty({B, T, u});
    sv->extra = detail::empty({B, T, u});
  }
  Tensor y(detail::empty(o.return_sequences ? Shape{B, T, u} : Shape{B, u}));
  Tensor h_out(detail::empty({B, u}));
  float* h = h_out.data();
  detail::rnn::initial_state(in, 0, d, h);
  if (B == 0) return {y, {h_out}};

  float* z = sv->gates.data();
  kernels::gemm(false, false, B * T, G3, d.D, 1.0f, in.x.data(), d.D, in.kernel.data(), G3, 0.0f, z, G3);
  const float* U = in.recurrent_kernel.data();
  const float* bx = in.bias.defined() ? in.bias.data() : nullptr;
  const float* bh = bx && o.reset_after ? bx + G3 : nullptr;
  std::vector<float> hd(rm ? B * u : 0), rec(B * (o.reset_after ? G3 : u));

  for (std::size_t s = 0; s < T; ++s) {
    const std::size_t t = detail::rnn::time_of(s, T, o.go_backwards);
    const float* hin = h;
    if (rm) {
      for (std::size_t i = 0; i < B * u; ++i) hd[i] = h[i] * rm[i];
      hin = hd.data();
    }
    if (record)
      for (std::size_t b = 0; b < B; ++b) {
        std::copy(h + b * u, h + (b + 1) * u, sv->hraw.data() + (b * T + t) * u);
        if (rm) std::copy(hin + b * u, hin + (b + 1) * u, sv->hin.data() + (b * T + t) * u);
      }
    float* zt = z + t * G3;
    if (o.reset_after) {
      kernels::gemm(false, false, B, G3, u, 1.0f, hin, u, U, G3, 0.0f, rec.data(), G3);  // h U
    } else {
      kernels::gemm(false, false, B, 2 * u, u, 1.0f, hin, u, U, G3, 1.0f, zt, ld);  // z, r blocks += h U_zr
    }
    for (std::size_t b = 0; b < B; ++b) {
      float* a = zt + b * ld;
      if (!keep[b * T + s]) {
        if (!o.reset_after) std::fill(rec.data() + b * u, rec.data() + (b + 1) * u, 0.0f);
        // The backward's dU GEMMs read every row (a masked row's gradient is zero, but 0 * NaN is not).
        if (record) std::fill(sv->extra.data() + (b * T + t) * u, sv->extra.data() + (b * T + t + 1) * u, 0.0f);
        continue;
      }
      if (bx)
        for (std::size_t j = 0; j < G3; ++j) a[j] += bx[j];
      if (o.reset_after) {
        float* m = rec.data() + b * G3;
        if (bh)
          for (std::size_t j = 0; j < G3; ++j) m[j] += bh[j];
        for (std::size_t j = 0; j < 2 * u; ++j) a[j] += m[j];
        detail::rnn::activate(o.recurrent_activation, a, a, 2 * u);
        const float* mh = m + 2 * u;
        if (record) std::copy(mh, mh + u, sv->extra.data() + (b * T + t) * u);
        for (std::size_t j = 0; j < u; ++j) a[2 * u + j] += a[u + j] * mh[j];
        detail::rnn::activate(o.activation, a + 2 * u, a + 2 * u, u);
      } else {
        detail::rnn::activate(o.recurrent_activation, a, a, 2 * u);
        float* rh = rec.data() + b * u;
        for (std::size_t j = 0; j < u; ++j) rh[j] = a[u + j] * hin[b * u + j];
        if (record) std::copy(rh, rh + u, sv->extra.data() + (b * T + t) * u);
      }
    }
    if (!o.reset_after) {
      kernels::gemm(false, false, B, u, u, 1.0f, rec.data(), u, U + 2 * u, G3, 1.0f, zt + 2 * u, ld);  // += (r h) U_h
      for (std::size_t b = 0; b < B; ++b)
        if (keep[b * T + s]) detail::rnn::activate(o.activation, zt + b * ld + 2 * u, zt + b * ld + 2 * u, u);
    }
    for (std::size_t b = 0; b < B; ++b) {
      if (!keep[b * T + s]) continue;
      const float* a = zt + b * ld;
      float* hb = h + b * u;
      for (std::size_t j = 0; j < u; ++j) hb[j] = a[j] * hb[j] + (1.0f - a[j]) * a[2 * u + j];
    }
    detail::rnn::emit_output(d, sv->flags, o, s, h, y.data());
  }

  if (record) {
    // Per kept step, with dh the gradient reaching h_t:
    //   dz = dh (h_{t-1} - ĥ) σ'(z);  dâ = dh (1 - z) act'(ĥ)  (â the pre-activation of ĥ).
    // reset_after (m = h U_h + b^h_h): dr = dâ m σ'(r); input side dZx = (dz, dr, dâ);
    //   recurrent side dZh = (dz, dr, dâ r); dh_{t-1} = dh z + (dZh U^T) ⊙ rmask;
    //   dU = Hin^T dZh, db^x = Σ dZx, db^h = Σ dZh.
    // reset before: d(r h) = dâ U_h^T; dr = d(r h) h_in σ'(r);
    //   dh_{t-1} = dh z + ((dz, dr) U_zr^T + d(r h) r) ⊙ rmask;
    //   dU_zr = Hin^T (dz, dr), dU_h = (r h)^T dâ, db = Σ dZx.
    // Both: dW = X^T dZx, dX = dZx W^T. A masked step passes dh through.
    const RecurrentInputs ins = in;
    detail::rnn::record_multi(op, inputs, {y, h_out}, [ins, o, d, sv](const std::vector<const float*>& g) {
      const std::size_t B = d.B, T = d.T, u = d.u, G3 = d.gu(), ld = T * G3;
      const auto& keep = sv->flags.keep;
      const float* U = ins.recurrent_kernel.data();
      const float* rm = ins.recurrent_dropout_mask.defined() ? ins.recurrent_dropout_mask.data() : nullptr;
      const float* hin_all = rm ? sv->hin.data() : sv->hraw.data();
      std::vector<float> dh(B * u, 0.0f), t1(B * u), t2(B * u);
      if (g[1]) std::copy(g[1], g[1] + B * u, dh.begin());
      Array dzx_buf = detail::empty({B, T, G3}), dzh_buf;
      float* dzx = dzx_buf.data();
      float* dzh = nullptr;
      if (o.reset_after) {
        dzh_buf = detail::empty({B, T, G3});
        dzh = dzh_buf.data();
      }
      for (std::size_t s = T; s-- > 0;) {
        const std::size_t t = detail::rnn::time_of(s, T, o.go_backwards);
        detail::rnn::add_output_grad(d, sv->flags, o, s, g[0], dh.data());
        for (std::size_t b = 0; b < B; ++b) {
          const std::size_t row = b * T + t;
          float* dg = dzx + row * G3;
          if (!keep[b * T + s]) {
            std::fill(dg, dg + G3, 0.0f);
            if (dzh) std::fill(dzh + row * G3, dzh + (row + 1) * G3, 0.0f);
            continue;
          }
          const float* a = sv->gates.data() + row * G3;
          const float* hp = sv->hraw.data() + row * u;
          const float* dhb = dh.data() + b * u;
          for (std::size_t j = 0; j < u; ++j) {
            dg[j] = dhb[j] * (hp[j] - a[2 * u + j]);
            dg[2 * u + j] = dhb[j] * (1.0f - a[j]);
          }
          detail::rnn::mul_derivative(o.recurrent_activation, a, dg, u);
          detail::rnn::mul_derivative(o.activation, a + 2 * u, dg + 2 * u, u);
          if (o.reset_after) {
            const float* m = sv->extra.data() + row * u;
            for (std::size_t j = 0; j < u; ++j) dg[u + j] = dg[2 * u + j] * m[j];
            detail::rnn::mul_derivative(o.recurrent_activation, a + u, dg + u, u);
            float* dgh = dzh + row * G3;
            std::copy(dg, dg + 2 * u, dgh);
            for (std::size_t j = 0; j < u; ++j) dgh[2 * u + j] = dg[2 * u + j] * a[u + j];
          }
        }
        if (o.reset_after) {
          kernels::gemm(false, true, B, u, G3, 1.0f, dzh + t * G3, ld, U, G3, 0.0f, t2.data(), u);
        } else {
          // d(r h) = dâ U_h^T, then dr, then the z and r blocks' product.
          kernels::gemm(false, true, B, u, u, 1.0f, dzx + t * G3 + 2 * u, ld, U + 2 * u, G3, 0.0f, t1.data(), u);
          for (std::size_t b = 0; b < B; ++b) {
            if (!keep[b * T + s]) continue;
            const std::size_t row = b * T + t;
            const float* a = sv->gates.data() + row * G3;
            const float* hi = hin_all + row * u;
            float* dg = dzx + row * G3;
            for (std::size_t j = 0; j < u; ++j) dg[u + j] = t1[b * u + j] * hi[j];
            detail::rnn::mul_derivative(o.recurrent_activation, a + u, dg + u, u);
          }
          kernels::gemm(false, true, B, u, 2 * u, 1.0f, dzx + t * G3, ld, U, G3, 0.0f, t2.data(), u);
        }
        for (std::size_t b = 0; b < B; ++b) {
          if (!keep[b * T + s]) continue;
          const float* a = sv->gates.data() + (b * T + t) * G3;
          for (std::size_t j = 0; j < u; ++j) {
            const std::size_t i = b * u + j;
            float rec = t2[i];
            if (!o.reset_after) rec += t1[i] * a[u + j];
            dh[i] = dh[i] * a[j] + rec * (rm ? rm[i] : 1.0f);
          }
        }
      }
      if (!ins.initial_states.empty()) detail::rnn::add_grad(ins.initial_states[0], dh.data());
      float* gb = ins.bias.defined() && ins.bias.requires_grad() ? ins.bias.grad_buffer().data() : nullptr;
      detail::rnn::input_side_grads(d, ins.x, ins.kernel, dzx, gb);
      if (gb && dzh) detail::rnn::add_column_sums(dzh, B * T, G3, gb + G3);
      if (ins.recurrent_kernel.requires_grad()) {
        float* gU = ins.recurrent_kernel.grad_buffer().data();
        if (o.reset_after) {
          kernels::gemm(true, false, u, G3, B * T, 1.0f, hin_all, u, dzh, G3, 1.0f, gU, G3);
        } else {
          kernels::gemm(true, false, u, 2 * u, B * T, 1.0f, hin_all, u, dzx, G3, 1.0f, gU, G3);
          kernels::gemm(true, false, u, u, B * T, 1.0f, sv->extra.data(), u, dzx + 2 * u, G3, 1.0f, gU + 2 * u, G3);
        }
      }
    });
  }
  return {y, {h_out}};
}

}  // namespace xkeras::ops
