// The fused LSTM op: input projection of all steps in one GEMM, one recurrent GEMM per step, the
// gates in one pass per row, and a hand-written backward through time (reference §2.3).
#include <algorithm>
#include <memory>

#include "kernels/gemm.hpp"
#include "ops/recurrent_common.hpp"

namespace xkeras::ops {
namespace {

using detail::rnn::Dims;

// What the backward pass reads, kept from the forward (rows in (b, t) order, t the time index).
struct LstmSaved {
  Array gates;  // (B, T, 4u): activated i, f, g (= act(z_c)), o
  Array hprev;  // (B, T, u): h_{t-1} as the recurrent product saw it (after recurrent dropout)
  Array cprev;  // (B, T, u): c_{t-1}
  Array tc;     // (B, T, u): act(c_t)
  detail::rnn::StepFlags flags;
};

// One row of one step: a = z_t (+ bias) becomes the activated gates (i, f, g, o); then
// c = f c + i g, tc = act(c), h = o tc. Distinct buffers (restrict) so the loops vectorize.
XKERAS_RNN_CLONES void row_forward(float* __restrict a, const float* __restrict bias, float* __restrict c,
                                   float* __restrict tc, float* __restrict h, std::size_t u, const RecurrentOptions& o) {
  if (bias)
    for (std::size_t j = 0; j < 4 * u; ++j) a[j] += bias[j];
  detail::rnn::activate(o.recurrent_activation, a, a, 2 * u);  // i, f
  detail::rnn::activate(o.activation, a + 2 * u, a + 2 * u, u);
  detail::rnn::activate(o.recurrent_activation, a + 3 * u, a + 3 * u, u);
  const float *ig = a, *fg = a + u, *gg = a + 2 * u, *og = a + 3 * u;
  for (std::size_t j = 0; j < u; ++j) c[j] = fg[j] * c[j] + ig[j] * gg[j];
  detail::rnn::activate(o.activation, c, tc, u);
  for (std::size_t j = 0; j < u; ++j) h[j] = og[j] * tc[j];
}

// The backward of row_forward (formulas above the op's backward): dh and dc in, dz into dg, dc_{t-1}
// into dc. dtc is scratch of u floats.
XKERAS_RNN_CLONES void row_backward(const float* __restrict a, const float* __restrict tc, const float* __restrict cp,
                                    const float* __restrict dh, float* __restrict dc, float* __restrict dg,
                                    float* __restrict dtc, std::size_t u, const RecurrentOptions& o) {
  const float *ig = a, *fg = a + u, *gg = a + 2 * u, *og = a + 3 * u;
  for (std::size_t j = 0; j < u; ++j) dtc[j] = dh[j] * og[j];
  detail::rnn::mul_derivative(o.activation, tc, dtc, u);
  for (std::size_t j = 0; j < u; ++j) {
    const float dct = dc[j] + dtc[j];
    dg[j] = dct * gg[j];
    dg[u + j] = dct * cp[j];
    dg[2 * u + j] = dct * ig[j];
    dg[3 * u + j] = dh[j] * tc[j];
    dc[j] = dct * fg[j];
  }
  detail::rnn::mul_derivative(o.recurrent_activation, a, dg, 2 * u);
  detail::rnn::mul_derivative(o.activation, gg, dg + 2 * u, u);
  detail::rnn::mul_derivative(o.recurrent_activation, og, dg + 3 * u, u);
}

}  // namespace

RecurrentResult lstm(const RecurrentInputs& in, const RecurrentOptions& o) {
  const char* op = "lstm";
  const Dims d = detail::rnn::validate(op, in, 4, 2, false);
  const std::size_t B = d.B, T = d.T, u = d.u, G4 = d.gu();
  const Tensors inputs = detail::rnn::tape_inputs(in);
  const bool record = Tape::wants(inputs);

  auto sv = std::make_shared<LstmSaved>();
  sv->flags = detail::rnn::step_flags(d, in.mask, o);
  const auto& keep = sv->flags.keep;
  sv->gates = detail::empty({B, T, G4});
  if (record) {
    sv->hprev = detail::empty({B, T, u});
    sv->cprev = detail::empty({B, T, u});
    sv->tc = detail::empty({B, T, u});
  }
  Tensor y(detail::empty(o.return_sequences ? Shape{B, T, u} : Shape{B, u}));
  Tensor h_out(detail::empty({B, u})), c_out(detail::empty({B, u}));
  float* h = h_out.data();
  float* c = c_out.data();
  detail::rnn::initial_state(in, 0, d, h);
  detail::rnn::initial_state(in, 1, d, c);
  if (B == 0) return {y, {h_out, c_out}};

  float* z = sv->gates.data();
  kernels::gemm(false, false, B * T, G4, d.D, 1.0f, in.x.data(), d.D, in.kernel.data(), G4, 0.0f, z, G4);
  const float* U = in.recurrent_kernel.data();
  const float* bias = in.bias.defined() ? in.bias.data() : nullptr;
  const float* rm = in.recurrent_dropout_mask.defined() ? in.recurrent_dropout_mask.data() : nullptr;
  std::vector<float> hd(rm ? B * u : 0), tc_row(u);

  for (std::size_t s = 0; s < T; ++s) {
    const std::size_t t = detail::rnn::time_of(s, T, o.go_backwards);
    const float* hin = h;
    if (rm) {
      for (std::size_t i = 0; i < B * u; ++i) hd[i] = h[i] * rm[i];
      hin = hd.data();
    }
    if (record)
      for (std::size_t b = 0; b < B; ++b) {
        std::copy(hin + b * u, hin + (b + 1) * u, sv->hprev.data() + (b * T + t) * u);
        std::copy(c + b * u, c + (b + 1) * u, sv->cprev.data() + (b * T + t) * u);
      }
    // z_t += h_{t-1} U for every row at once (rows of z at time t are T*4u apart).
    kernels::gemm(false, false, B, G4, u, 1.0f, hin, u, U, G4, 1.0f, z + t * G4, T * G4);
    for (std::size_t b = 0; b < B; ++b) {
      if (!keep[b * T + s]) continue;  // masked: every state stays
      float* tcb = record ? sv->tc.data() + (b * T + t) * u : tc_row.data();
      row_forward(z + (b * T + t) * G4, bias, c + b * u, tcb, h + b * u, u, o);
    }
    detail::rnn::emit_output(d, sv->flags, o, s, h, y.data());
  }

  if (record) {
    // Per kept step, with g = act(z_c), tc = act(c_t), dh and dc the gradients reaching h_t and c_t:
    //   do = dh tc;  dc_t = dc + dh o act'(tc);  di = dc_t g;  df = dc_t c_{t-1};  dg = dc_t i;
    //   dz = (di σ'(i), df σ'(f), dg act'(g), do σ'(o));  dc_{t-1} = dc_t f;  dh_{t-1} = (dz U^T) ⊙ rmask.
    // A masked step passes dh and dc through. Then over all steps at once:
    //   dW = X^T dZ,  dX = dZ W^T,  dU = Hprev^T dZ,  db = column sums of dZ.
    // Output gradients enter dh at the steps whose output was the h state (see add_output_grad).
    const RecurrentInputs ins = in;
    detail::rnn::record_multi(op, inputs, {y, h_out, c_out}, [ins, o, d, sv](const std::vector<const float*>& g) {
      const std::size_t B = d.B, T = d.T, u = d.u, G4 = d.gu();
      const auto& keep = sv->flags.keep;
      std::vector<float> dh(B * u, 0.0f), dc(B * u, 0.0f), tmp(B * u), dtc(u);
      if (g[1]) std::copy(g[1], g[1] + B * u, dh.begin());
      if (g[2]) std::copy(g[2], g[2] + B * u, dc.begin());
      Array dz_buf = detail::empty({B, T, G4});
      float* dz = dz_buf.data();
      const float* rm = ins.recurrent_dropout_mask.defined() ? ins.recurrent_dropout_mask.data() : nullptr;
      for (std::size_t s = T; s-- > 0;) {
        const std::size_t t = detail::rnn::time_of(s, T, o.go_backwards);
        detail::rnn::add_output_grad(d, sv->flags, o, s, g[0], dh.data());
        for (std::size_t b = 0; b < B; ++b) {
          float* dg = dz + (b * T + t) * G4;
          if (!keep[b * T + s]) {
            std::fill(dg, dg + G4, 0.0f);
            continue;
          }
          const std::size_t r = (b * T + t) * u;
          row_backward(sv->gates.data() + (b * T + t) * G4, sv->tc.data() + r, sv->cprev.data() + r, dh.data() + b * u,
                       dc.data() + b * u, dg, dtc.data(), u, o);
        }
        kernels::gemm(false, true, B, u, G4, 1.0f, dz + t * G4, T * G4, ins.recurrent_kernel.data(), G4, 0.0f,
                      tmp.data(), u);
        for (std::size_t b = 0; b < B; ++b) {
          if (!keep[b * T + s]) continue;
          for (std::size_t j = 0; j < u; ++j) dh[b * u + j] = tmp[b * u + j] * (rm ? rm[b * u + j] : 1.0f);
        }
      }
      if (!ins.initial_states.empty()) {
        detail::rnn::add_grad(ins.initial_states[0], dh.data());
        detail::rnn::add_grad(ins.initial_states[1], dc.data());
      }
      float* gb = ins.bias.defined() && ins.bias.requires_grad() ? ins.bias.grad_buffer().data() : nullptr;
      detail::rnn::input_side_grads(d, ins.x, ins.kernel, dz, gb);
      if (ins.recurrent_kernel.requires_grad())
        kernels::gemm(true, false, u, G4, B * T, 1.0f, sv->hprev.data(), u, dz, G4, 1.0f,
                      ins.recurrent_kernel.grad_buffer().data(), G4);
    });
  }
  return {y, {h_out, c_out}};
}

}  // namespace xkeras::ops
